import {readFile} from 'node:fs/promises';
import {parse} from 'yaml';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {Target} from '../../source/domain/records.js';
import {targetTagsFor} from '../../source/domain/target.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import type {DeployResult} from '../../source/engine/core/results.js';
import {harness, recordingHost, type Harness} from '../helpers/engine.js';
import {cluster} from '../helpers/fake-aws.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const stored = (name: string, region: string, fields: Partial<Target> = {}): Target => ({name, region, cluster, environments: ['dev'], tags: [], credentials: {source: 'default'}, ...fields});

/** hello-color with a stack per region (the fake is one account: two regions' stacks must not share a name). */
async function recipe(extra: Record<string, unknown> = {}): Promise<string> {
	const document = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
	return h.recipeFile({...document, ...extra, service: {...document['service'], stackName: 'hello-color-#{Environment}-#{Target.Region}'}});
}

describe('which targets serve an environment', () => {
	test('every stored target that lists the environment, in name order; one named with --target is the only one', () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		h.workspace.saveTarget(stored('other', 'eu-west-2', {environments: ['staging']}));
		const all = h.engine.targetsFor(undefined, 'dev');
		expect('targets' in all && all.targets.map(t => t.name)).toEqual(['eu', 'us']);
		const one = h.engine.targetsFor(undefined, 'dev', {target: 'us'});
		expect('targets' in one && one.targets.map(t => t.region)).toEqual(['us-east-1']);
	});

	test('the recipe\'s target tags choose among them; an environment\'s own targetTags replace the recipe\'s', () => {
		h.workspace.saveTarget(stored('eu-web', 'eu-west-1', {tags: ['web']}));
		h.workspace.saveTarget(stored('eu-worker', 'eu-west-1', {tags: ['worker']}));
		h.workspace.saveTarget(stored('us-web', 'us-east-1', {tags: ['web', 'edge']}));
		const parsed = parseRecipe('name: shop\ntargetTags: [web]\nenvironments:\n  - dev\n  - name: prod\n    targetTags: [edge]\nimages: {web: {repository: shop}}\nservice: {}\n');
		expect(parsed.recipe).toBeDefined();
		const recipe = parsed.recipe!;
		expect(targetTagsFor(recipe, 'dev')).toEqual(['web']);
		expect(targetTagsFor(recipe, 'prod')).toEqual(['edge']);
		const dev = h.engine.targetsFor(recipe, 'dev');
		expect('targets' in dev && dev.targets.map(t => t.name)).toEqual(['eu-web', 'us-web']);
		h.workspace.saveTarget(stored('us-web', 'us-east-1', {tags: ['web', 'edge'], environments: ['dev', 'prod']}));
		h.workspace.saveTarget(stored('eu-web', 'eu-west-1', {tags: ['web'], environments: ['dev', 'prod']}));
		const prod = h.engine.targetsFor(recipe, 'prod');
		expect('targets' in prod && prod.targets.map(t => t.name)).toEqual(['us-web']);
	});

	test('no target with the recipe\'s tag: an error naming the tag, the targets that serve without it, and what to add', () => {
		h.workspace.saveTarget(stored('eu', 'eu-west-1', {tags: ['worker']}));
		const picked = h.engine.targetsFor({targetTags: ['web'], environments: [{name: 'dev'}]} as never, 'dev');
		expect(picked).toEqual({path: '--target', error: expect.stringContaining('no target serves dev with the target tag web')});
		expect('error' in picked && picked.error).toMatch(/served by eu with tags worker/);
		expect('error' in picked && picked.error).toMatch(/target add --name NAME --region REGION --cluster CLUSTER --env dev --tag web/);
	});

	test('a use case that works on one target refuses several, naming them and --target (never the first one silently)', () => {
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		const picked = h.engine.pickTarget({}, 'dev');
		expect(picked).toMatchObject({path: '--target', error: 'dev is served by 2 targets (eu (cluster sandbox in eu-west-1), us (cluster sandbox in us-east-1)): name one with --target NAME'});
		expect(h.engine.pickTarget({target: 'us'}, 'dev')).toMatchObject({target: {name: 'us', region: 'us-east-1'}});
	});

	test('recipe file values validate targetTags: a bad tag names the field and what is allowed', () => {
		const parsed = parseRecipe('name: shop\ntargetTags: ["bad tag"]\nenvironments: [dev]\nimages: {web: {repository: shop}}\nservice: {}\n');
		expect(parsed.problems).toContainEqual(expect.objectContaining({path: 'targetTags[0]', message: expect.stringMatching(/must be a target tag/)}));
	});
});

describe('a deploy to an environment two targets serve', () => {
	/** Deploys to the targets the engine chose, one after the other, as the faces do. */
	async function deployAll(file: string, answer: string) {
		const host = recordingHost({'deploy-targets': answer, 'execute-change-set': true});
		const picked = await h.engine.targetsForDeploy({recipeFile: file, environment: 'dev', choice: {}}, host);
		if ('error' in picked) throw new Error(picked.error);
		const order: string[] = [];
		const sequence = h.engine.deployEach(picked.targets, target => {
			order.push(target.name);
			return h.engine.deploy({recipeFile: file, environment: 'dev', target, images: {web: '1.0.0'}, reattach: 'watch'}, host);
		});
		return {host, order, result: await sequence.result};
	}

	test('asks (all, or one), then deploys to each in name order, with a verdict and a record each', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {host, order, result} = await deployAll(await recipe(), 'all');
		expect(host.asked[0]).toMatchObject({id: 'deploy-targets', kind: 'choose', flag: '--target', choices: [{value: 'all'}, {value: 'eu'}, {value: 'us'}]});
		expect(order).toEqual(['eu', 'us']);
		expect(result.ok).toBe(true);
		expect(result.verdicts.map(v => [v.target.name, 'result' in v ? v.result.outcome : 'skipped'])).toEqual([
			['eu', 'succeeded'],
			['us', 'succeeded'],
		]);
		// Two stacks, one per region, created one after the other.
		expect(h.fake.calls.filter(c => c.command === 'ExecuteChangeSet').map(c => c.input.StackName)).toEqual(['hello-color-dev-eu-west-1', 'hello-color-dev-us-east-1']);
		const records = h.workspace.deployments('hello-color');
		expect(records.map(r => [r.target, r.outcome])).toEqual([
			['eu', 'succeeded'],
			['us', 'succeeded'],
		]);
	});

	test('answering one target deploys only there', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {order, result} = await deployAll(await recipe(), 'us');
		expect(order).toEqual(['us']);
		expect(result.verdicts).toHaveLength(1);
	});

	test('the first target failing stops the sequence: the next is skipped and says why; nothing is deployed there', async () => {
		h.workspace.saveTarget(stored('a-eu', 'eu-west-1', {cluster: 'missing'}));
		h.workspace.saveTarget(stored('b-us', 'us-east-1'));
		const {order, result} = await deployAll(await recipe(), 'all');
		expect(order).toEqual(['a-eu']);
		expect(result.ok).toBe(false);
		const [first, second] = result.verdicts;
		expect(first && 'result' in first && (first.result as DeployResult).outcome).toBe('failed');
		expect(second).toEqual({target: expect.objectContaining({name: 'b-us'}), skipped: 'not deployed: the deploy to a-eu ended failed'});
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
	});

	test('two targets that would deploy to one stack (same region, same credentials, same stack name) are refused before anything is asked', async () => {
		h.workspace.saveTarget(stored('blue', 'eu-west-1', {cluster: 'sandbox'}));
		h.workspace.saveTarget(stored('green', 'eu-west-1', {cluster: 'spare'}));
		const host = recordingHost({'deploy-targets': 'all'});
		const picked = await h.engine.targetsForDeploy({recipeFile: h.example('hello-color'), environment: 'dev', choice: {}}, host);
		expect(picked).toEqual({path: '--target', error: expect.stringContaining('targets blue and green would deploy to the same stack hello-color-dev in eu-west-1')});
		expect(host.asked).toEqual([]);
		// With the target in the stack name, each has its own stack, but both stacks would create the
		// environment's log group (/ecs/<project>/<environment>): refused too, naming it.
		const example = parse(await readFile(h.example('hello-color'), 'utf8')) as {service: {containers: Array<Record<string, unknown>>}};
		const named = await h.recipeFile({...example, service: {...example.service, stackName: '#{Project}-#{Environment}-#{Target.Cluster}'}});
		const sharing = await h.engine.targetsForDeploy({recipeFile: named, environment: 'dev', choice: {}}, host);
		expect(sharing).toEqual({path: '--target', error: expect.stringContaining('targets blue and green are in the same region eu-west-1 and account (as far as can be told before asking AWS): both stacks would create the log group /ecs/hello-color/dev')});
		// Without a log group of the stack's own (logging: none), nothing is shared: each has its own stack.
		const quiet = await h.recipeFile({...example, service: {...example.service, stackName: '#{Project}-#{Environment}-#{Target.Cluster}', containers: example.service.containers.map(c => ({...c, logging: 'none'}))}});
		const apart = await h.engine.targetsForDeploy({recipeFile: quiet, environment: 'dev', choice: {}}, host);
		expect('targets' in apart && apart.targets.map(t => t.name)).toEqual(['blue', 'green']);
	});

	test('records of two targets that start at the same instant are both kept', () => {
		const base = {project: 'p', environment: 'dev', version: '1', stackName: 's', startedAt: '2026-11-23T10:00:00.000Z', outcome: 'succeeded'};
		h.workspace.recordDeployment({...base, target: 'eu'});
		h.workspace.recordDeployment({...base, target: 'us'});
		expect(h.workspace.deployments('p').map(r => r.target)).toEqual(['eu', 'us']);
	});
});
