import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

let h: Harness;
let recipe: RecipeDocument;
beforeEach(async () => {
	h = await harness();
	recipe = (await readRecipeFile(h.example('hello-color'))).recipe!;
});
afterEach(() => h.fake.restore());

const reattach = 'ecs-deployer --sandbox watch --recipe recipes/hello-color.yaml --env dev';

function deploy(tag: string, options: {environment?: string; detachAtSleep?: number; wait?: {mode: 'none'}} = {}) {
	const run = h.engine.deploy(
		{recipeFile: h.example('hello-color'), environment: options.environment ?? 'dev', target, reattach, images: {web: tag}, ...(options.wait ? {wait: options.wait} : {})},
		recordingHost({'execute-change-set': true, 'skip-lifecycle': true}),
	);
	if (options.detachAtSleep !== undefined) h.fake.atSleep(options.detachAtSleep, () => run.detach());
	return run.result;
}

describe('status', () => {
	test('while an update runs, the rollout is the new deployment\'s (pending first), not the previous one\'s COMPLETED', async () => {
		await deploy('1.0.0');
		await deploy('1.4.1-slow', {wait: {mode: 'none'}});
		const row = await h.engine.status(recipe, 'dev', target);
		// What runs is still 1.0.0 (read from ECS); the stack is deploying 1.4.1-slow.
		expect(row).toMatchObject({stackStatus: 'UPDATE_IN_PROGRESS', release: '1.0.0', deploying: '1.4.1-slow', inProgress: true, state: 'in-progress'});
		expect(row.rollout).not.toBe('COMPLETED');
		h.fake.advance(10_000);
		expect(await h.engine.status(recipe, 'dev', target)).toMatchObject({rollout: 'IN_PROGRESS', inProgress: true});
	});

	test('a finished environment: release, COMPLETED rollout, tasks, and the last deployment', async () => {
		await deploy('1.0.0');
		expect(await h.engine.status(recipe, 'dev', target)).toMatchObject({
			stackStatus: 'CREATE_COMPLETE',
			release: '1.0.0',
			rollout: 'COMPLETED',
			running: 1,
			desired: 1,
			inProgress: false,
			lastDeployment: {version: '1.0.0', outcome: 'succeeded', by: 'tester@ci'},
		});
	});

	test('a record left "detached" by a run that stopped watching is reconciled with how the stack ended', async () => {
		await deploy('1.0.0');
		expect((await deploy('1.4.1-crashloop', {detachAtSleep: 3})).outcome).toBe('detached');
		h.fake.advance(120_000);
		const row = await h.engine.status(recipe, 'dev', target);
		expect(row.lastDeployment).toMatchObject({version: '1.4.1-crashloop', outcome: 'rolled-back'});
		const record = h.workspace.deployments('hello-color').at(-1)!;
		expect(record).toMatchObject({outcome: 'rolled-back', reconciled: true, stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
		// It ended when the stack's last row says, not when it was found out.
		const stackEnded = (await h.fake.ports().cloudFormation.describeStackEvents({StackName: 'hello-color-dev'})).StackEvents![0]!;
		expect(stackEnded.ResourceStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
		expect(Date.parse(record.finishedAt!)).toBe(new Date(stackEnded.Timestamp!).getTime());
		expect(Date.parse(record.finishedAt!)).toBeLessThan(h.fake.clock.now());
	});

	test('a record whose run was killed before the end ("in progress") is reconciled too', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0', {wait: {mode: 'none'}});
		// `started` is what a run that did not wait leaves; a killed run leaves `in progress`.
		const last = h.workspace.deployments('hello-color').at(-1)!;
		h.workspace.recordDeployment({...last, outcome: 'in progress'});
		h.fake.advance(120_000);
		await h.engine.status(recipe, 'dev', target);
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.1.0', outcome: 'succeeded'});
	});
});

describe('records of other targets', () => {
	test('a record deployed through another target is left as it is: its stack would look missing from here', async () => {
		await deploy('1.0.0');
		const elsewhere = {project: 'hello-color', environment: 'dev', version: '0.9.0', target: 'prod-account', stackName: 'hello-color-dev-elsewhere', startedAt: new Date(h.fake.clock.now() - 1000).toISOString(), outcome: 'detached', token: 'other-token'};
		h.workspace.recordDeployment(elsewhere);
		await h.engine.status(recipe, 'dev', target);
		await h.engine.history(recipe, 'dev', target);
		expect(h.workspace.deployments('hello-color').find(r => r.token === 'other-token')).toEqual(elsewhere);
	});

	test('the promotion order looks at the previous environment through the target that serves it', async () => {
		await deploy('1.0.0');
		h.workspace.saveTarget({name: 'qa-account', region: 'us-east-1', cluster: 'qa', environments: ['dev'], tags: [], credentials: {source: 'default'}});
		const asked: string[] = [];
		const awsFor = h.deps.awsFor;
		h.deps.awsFor = async t => {
			asked.push(t.name);
			return awsFor(t);
		};
		await deploy('1.0.0', {environment: 'staging'});
		expect(asked).toContain('qa-account');
		expect(asked).toContain('sandbox');
	});
});

describe('rollback', () => {
	test('goes back to the previous release that served, without the promotion-order question', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		await deploy('1.4.1-crashloop');
		const candidates = await h.engine.rollbackCandidates(recipe, 'dev', target);
		expect(candidates.map(c => [c.version, c.outcome, c.current])).toEqual([
			['1.4.1-crashloop', 'rolled-back', false],
			['1.1.0', 'succeeded', true],
			['1.0.0', 'succeeded', false],
		]);
		const host = recordingHost({'execute-change-set': true});
		const result = await h.engine.rollback({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach, to: 'previous'}, host).result;
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.0.0', source: 'stored'}});
		expect(host.asked.map(q => q.id)).toEqual(['execute-change-set']);
	});

	test('without --to the operator picks; the default is the previous release', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		const host = recordingHost({'execute-change-set': true});
		const result = await h.engine.rollback({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach}, host).result;
		expect(host.asked[0]).toMatchObject({kind: 'choose', id: 'pick-release', defaultAnswer: '1.0.0', choices: [{value: '1.0.0'}]});
		expect(result.release?.version).toBe('1.0.0');
	});

	test('with nothing to go back to, it says so (bad input)', async () => {
		await deploy('1.0.0');
		const result = await h.engine.rollback({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach, to: 'previous'}, recordingHost()).result;
		expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--to'}]});
	});
});

describe('releases and tags', () => {
	test('a release made without tags takes the newest stable version, never a pre-release', async () => {
		const made = await h.engine.createRelease(recipe, {tags: {}}, target);
		expect(made).toMatchObject({release: {version: '1.4.0', images: {web: {tag: '1.4.0'}}}});
	});

	test('a channel whose pre-release pattern admits them picks the newest such pre-release', async () => {
		const withChannel = {...recipe, channels: [{name: 'beta', default: true, prereleaseTag: '^(beta|rc)'}]};
		const made = await h.engine.createRelease(withChannel, {tags: {}}, target);
		expect(made).toMatchObject({release: {images: {web: {tag: '1.4.0-rc.2'}}, channel: 'beta'}});
	});

	test('tags are listed newest first, with the default pick marked', async () => {
		const tags = await h.engine.imageTags(recipe, 'web', undefined, target);
		if ('problem' in tags) throw new Error(tags.problem.message);
		expect(tags.defaultTag).toBe('1.4.0');
		expect(tags.versions[0]!.tag).toMatch(/^1\.4\.1-/);
		expect(tags.versions.find(v => v.isDefault)?.tag).toBe('1.4.0');
		expect(tags.versions.filter(v => v.isDefault)).toHaveLength(1);
	});

	test('releases show where each runs (from AWS) and how each deployment ended', async () => {
		await deploy('1.0.0');
		await deploy('1.0.0', {environment: 'staging'});
		await deploy('1.1.0');
		const rows = await h.engine.releases(recipe, () => target);
		expect(rows.map(r => [r.version, r.deployedTo.map(d => d.environment)])).toEqual([
			['1.1.0', ['dev']],
			['1.0.0', ['staging']],
		]);
		expect(rows[1]!.outcomes.map(o => `${o.environment} ${o.outcome}`)).toEqual(['dev succeeded', 'staging succeeded']);
	});

	test('stack events are read a page at a time (newest first), grouped by operation, and the next page continues', async () => {
		for (const tag of ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0-beta.1', '1.4.0-rc.2', '1.4.0']) await deploy(tag);
		const first = await h.engine.events(recipe, 'dev', target, {limit: 1});
		expect(first.nextToken).toBeDefined();
		expect(first.operations[0]!.events.at(-1)).toMatchObject({logicalId: 'hello-color-dev', status: 'UPDATE_COMPLETE'});
		const second = await h.engine.events(recipe, 'dev', target, {limit: 1, nextToken: first.nextToken!});
		const ids = (page: typeof first) => page.operations.flatMap(o => o.events.map(e => e.id));
		expect(ids(second).length).toBeGreaterThan(0);
		expect(ids(second).filter(id => ids(first).includes(id))).toEqual([]);
		expect(Math.max(...second.operations.flatMap(o => o.events.map(e => e.timestamp)))).toBeLessThanOrEqual(Math.min(...first.operations.flatMap(o => o.events.map(e => e.timestamp))));
	});
});

describe('targets', () => {
	test('verify passes a cluster without capacity providers: launch type FARGATE needs none', async () => {
		const verification = await h.engine.verifyTarget({...target, name: 'blue', cluster: 'sandbox-blue', sandbox: false});
		expect(verification.checks.map(c => [c.check, c.passed])).toEqual([
			['credentials', true],
			['cluster', true],
			['fargate', true],
		]);
		expect(verification.checks[2]!.detail).toMatch(/no capacity providers/);
	});

	test('verify fails a cluster that does not exist, naming it', async () => {
		const verification = await h.engine.verifyTarget({...target, name: 'x', cluster: 'nope'});
		expect(verification.checks.find(c => c.check === 'cluster')).toMatchObject({passed: false, detail: expect.stringContaining('cluster nope not found')});
	});
});
