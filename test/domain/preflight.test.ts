import {describe, expect, test} from 'vitest';
import {manifestPlatforms, parameterArn, parameterName, secretId, trustsEcsTasks, verifyItems} from '../../source/domain/preflight.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';

const statement = (s: Record<string, unknown>) => JSON.stringify({Version: '2012-10-17', Statement: [s]});

describe('trust policies', () => {
	const ecs = {Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'};
	test('IAM returns them URL-encoded; decoded ones are read too', () => {
		expect(trustsEcsTasks(encodeURIComponent(statement(ecs)))).toBe(true);
		expect(trustsEcsTasks(statement(ecs))).toBe(true);
	});
	test('ecs-tasks among several services, actions as a list', () => {
		expect(trustsEcsTasks(statement({...ecs, Principal: {Service: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com']}, Action: ['sts:TagSession', 'sts:AssumeRole']}))).toBe(true);
	});
	test('another service, a Deny, another action, or garbage: no', () => {
		expect(trustsEcsTasks(statement({...ecs, Principal: {Service: 'ecs.amazonaws.com'}}))).toBe(false);
		expect(trustsEcsTasks(statement({...ecs, Effect: 'Deny'}))).toBe(false);
		expect(trustsEcsTasks(statement({...ecs, Action: 'sts:AssumeRoleWithWebIdentity'}))).toBe(false);
		expect(trustsEcsTasks('%7Bnot json')).toBe(false);
		expect(trustsEcsTasks(undefined)).toBe(false);
	});
});

describe('manifests', () => {
	test('an index lists its platforms, without attestation entries (os unknown)', () => {
		const index = {manifests: [{platform: {os: 'linux', architecture: 'amd64'}}, {platform: {os: 'unknown', architecture: 'unknown'}}, {platform: {os: 'linux', architecture: 'arm64', variant: 'v8'}}]};
		expect(manifestPlatforms(JSON.stringify(index))).toEqual({kind: 'index', platforms: [{os: 'linux', architecture: 'amd64'}, {os: 'linux', architecture: 'arm64', variant: 'v8'}]});
	});
	test('one image: schema 1 names its architecture, schema 2 its config blob', () => {
		expect(manifestPlatforms(JSON.stringify({schemaVersion: 1, architecture: 'arm64'}))).toEqual({kind: 'single', architecture: 'arm64'});
		expect(manifestPlatforms(JSON.stringify({schemaVersion: 2, config: {digest: 'sha256:ab'}}))).toEqual({kind: 'config', digest: 'sha256:ab'});
		expect(manifestPlatforms('nope').kind).toBe('unreadable');
	});
});

test('secret and parameter references', () => {
	expect(secretId('arn:aws:secretsmanager:eu-west-1:1:secret:app/db-AbCdEf:password:AWSCURRENT:')).toBe('arn:aws:secretsmanager:eu-west-1:1:secret:app/db-AbCdEf');
	expect(parameterName('arn:aws:ssm:eu-west-1:1:parameter/app/token')).toBe('/app/token');
	expect(parameterName('arn:aws:ssm:eu-west-1:1:parameter/token')).toBe('token');
	expect(parameterName('/app/token')).toBe('/app/token');
	expect(parameterArn('/app/token', 'aws', 'eu-west-1', '111122223333')).toBe('arn:aws:ssm:eu-west-1:111122223333:parameter/app/token');
});

test('the items of orders-api name their recipe fields', async () => {
	const {recipe} = await readRecipeFile('recipes/orders-api.yaml');
	const {resolved} = resolveRecipe({recipe: recipe!, environment: 'staging', releaseVersion: '1.0.0', images: {api: {tag: '1.4.0'}}, target: {region: 'eu-west-1', cluster: 'c', accountId: '111122223333'}});
	expect(verifyItems(resolved!).map(i => i.field)).toEqual(['service.taskRole', 'service.executionRole', 'service.network', 'service.loadBalancers[0].targetGroupArn', 'variables.DatabaseUrl.valueFrom', 'images.api']);
	expect(verifyItems(resolved!).find(i => i.kind === 'secret')).toMatchObject({valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/staging/database-url-AbCdEf', executionRole: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole'});
	expect(verifyItems(resolved!).find(i => i.kind === 'image')).toMatchObject({tag: '1.4.0', architecture: 'X86_64'});
});
