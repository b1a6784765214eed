import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {describeLedger, ledgerArns, parseLedgerLocation, releaseKey} from '../../source/domain/ledger-location.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {recipeDifferences, readSnapshot, sameConfiguration, snapshotOf} from '../../source/domain/release-snapshot.js';
import {promotionOrder, previousEnvironment} from '../../source/domain/release-version.js';
import {repoRoot} from '../helpers/cli.js';

describe('ledger locations', () => {
	test.each([
		['s3://acme-deployments', {kind: 's3', bucket: 'acme-deployments', prefix: ''}],
		['s3://acme-deployments/', {kind: 's3', bucket: 'acme-deployments', prefix: ''}],
		['s3://acme.deployments/team/ledger/', {kind: 's3', bucket: 'acme.deployments', prefix: 'team/ledger'}],
	])('%s', (text, location) => {
		expect(parseLedgerLocation(text)).toEqual(location);
	});

	test.each([
		['acme-deployments/ledger', /must be s3:\/\/BUCKET or s3:\/\/BUCKET\/PREFIX/],
		['https://acme.s3.amazonaws.com/x', /must be s3:\/\/BUCKET/],
		['s3://Acme_Deployments', /not an S3 bucket name/],
		['s3://ab', /not an S3 bucket name/],
		['s3://acme/a//b', /empty, "\." or "\.\." part/],
		['s3://acme/../b', /empty, "\." or "\.\." part/],
	])('%s is refused', (text, message) => {
		const parsed = parseLedgerLocation(text);
		expect('problem' in parsed && parsed.problem).toMatch(message);
	});

	test('described, keyed and scoped for IAM', () => {
		const location = {kind: 's3', bucket: 'acme', prefix: 'team'} as const;
		expect(describeLedger(location)).toBe('s3://acme/team');
		expect(releaseKey(location, 'web', '1.0.0-rc.1+b7')).toBe('team/web/releases/1.0.0-rc.1_b7.json');
		expect(ledgerArns(location)).toEqual({bucket: 'arn:aws:s3:::acme', objects: 'arn:aws:s3:::acme/team/*', listPrefixes: ['team/*']});
		expect(ledgerArns({bucket: 'acme', prefix: ''})).toEqual({bucket: 'arn:aws:s3:::acme', objects: 'arn:aws:s3:::acme/*', listPrefixes: []});
	});

	test('the recipe field is checked where it is written', () => {
		const parsed = parseRecipe('name: p\nenvironments: [dev]\nimages: {web: {repository: web}}\nledger: bucket/prefix\nservice: {}\n');
		expect(parsed.problems).toContainEqual(expect.objectContaining({path: 'ledger', message: expect.stringMatching(/must be s3:\/\/BUCKET or s3:\/\/BUCKET\/PREFIX/)}));
	});
});

async function hello(): Promise<RecipeDocument> {
	return parseRecipe(await readFile(path.join(repoRoot, 'recipes/hello-color.yaml'), 'utf8')).recipe!;
}

describe('release snapshots', () => {
	test('a snapshot drops sensitive values and keeps their references; it reads back as the recipe', async () => {
		const recipe = await hello();
		recipe.variables = [...(recipe.variables ?? []), {name: 'Token', sensitive: true, value: 'S3cr3t'}, {name: 'Db', sensitive: true, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db'}];
		const snapshot = snapshotOf(recipe);
		expect(JSON.stringify(snapshot)).not.toContain('S3cr3t');
		expect(snapshot.variables).toContainEqual({name: 'Token', sensitive: true});
		expect(snapshot.variables).toContainEqual({name: 'Db', sensitive: true, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db'});
		const read = readSnapshot(JSON.parse(JSON.stringify(snapshot)));
		expect('recipe' in read && sameConfiguration(read.recipe, recipe)).toBe(true);
		expect(readSnapshot(undefined)).toEqual({problem: expect.stringMatching(/keeps no recipe/)});
		expect(readSnapshot({name: 'x'})).toEqual({problem: expect.stringMatching(/cannot be read/)});
	});

	test('differences are named by field; lists of named entries match by name (and scope), not position', async () => {
		const before = await hello();
		const after = structuredClone(before);
		after.variables = [...after.variables!].reverse().map(v => (v.name === 'Message' ? {...v, value: 'BROKEN CONFIG'} : v));
		(after.service as any).cpu = 512;
		(after.service as any).memory = 1024;
		after.environments = after.environments.map(e => (e.name === 'production' ? {...e, desiredCount: 3} : e));
		after.description = 'descriptions do not count';
		expect(recipeDifferences(before, after)).toEqual(['environments[production].desiredCount', 'service.cpu', 'service.memory', 'variables[Message].value']);
		expect(recipeDifferences(before, after, 2)).toEqual(['environments[production].desiredCount', 'service.cpu', '… 2 more']);
		expect(sameConfiguration(before, {...before, description: 'other'})).toBe(true);
		expect(sameConfiguration(before, after)).toBe(false);
	});
});

describe('the lifecycle a release follows', () => {
	test('a channel limited to some environments skips the others', () => {
		const order = ['dev', 'staging', 'production'];
		expect(previousEnvironment(promotionOrder(order), 'production')).toBe('staging');
		expect(previousEnvironment(promotionOrder(order, {environments: ['production']}), 'production')).toBeUndefined();
		expect(previousEnvironment(promotionOrder(order, {environments: ['production', 'dev']}), 'production')).toBe('dev');
	});
});
