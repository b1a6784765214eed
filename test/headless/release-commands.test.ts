import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {stringify} from 'yaml';
import {createAwsPorts} from '../../source/aws/clients.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {deployCommand, type DeployFlags} from '../../source/headless/commands/deploy.js';
import {eventsCommand, releasesCommand, statusCommand} from '../../source/headless/commands/history.js';
import {releaseCreateCommand, tagsCommand} from '../../source/headless/commands/release.js';
import {previousRelease} from '../../source/headless/commands/rollback.js';
import {targetVerifyCommand} from '../../source/headless/commands/target.js';
import {createOutput} from '../../source/headless/output.js';
import {WorkspaceStore} from '../../source/store/workspace-store.js';
import {cluster, FakeAws, region} from '../helpers/fake-aws.js';
import {minimalRecipe} from '../helpers/recipes.js';

let fake: FakeAws;
let dir: string;
let recipeFile: string;
let recipe: RecipeDocument;
let store: WorkspaceStore;
const target = {cluster, region};
const ports = () => createAwsPorts({region});

function capture() {
	const text = {out: '', err: ''};
	const output = createOutput({stdout: {write: (t: string) => (text.out += t)}, stderr: {write: (t: string) => (text.err += t)}, env: {}});
	return {text, output};
}

beforeEach(async () => {
	fake = new FakeAws();
	dir = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-'));
	recipeFile = path.join(dir, 'shop.yaml');
	const object = minimalRecipe();
	object['channels'] = [{name: 'stable', default: true, prereleaseTag: '^$'}, {name: 'beta', prereleaseTag: '^(beta|rc)'}];
	await writeFile(recipeFile, stringify(object));
	recipe = parseRecipe(stringify(object)).recipe!;
	store = new WorkspaceStore({cwd: path.join(dir, 'store')});
	const day = (n: number) => new Date(Date.UTC(2026, 10, n));
	fake.pushImage('shop-web', ['1.9.0'], day(1));
	fake.pushImage('shop-web', ['1.10.0', 'latest'], day(3));
	fake.pushImage('shop-web', ['1.10.1-rc.1'], day(4));
	fake.pushImage('shop-web', ['2.0.0-beta.1'], day(5));
	fake.pushImage('shop-web', ['a1b2c3d'], day(6));
});
afterEach(() => fake.restore());

async function deploy(flags: Partial<DeployFlags>) {
	const {text, output} = capture();
	const code = await deployCommand({recipe: recipeFile, env: 'dev', cluster, region, ...flags}, output, {
		ports,
		clock: fake.clock,
		polling: {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5},
		env: {},
		store,
		targetName: 'main',
	});
	return {code, ...text};
}

describe('tags', () => {
	test('semver tags newest first by precedence, pre-releases marked, others counted', async () => {
		const {text, output} = capture();
		expect(await tagsCommand(recipe, {channel: 'beta', json: true}, ports(), output)).toBe(0);
		const listed = JSON.parse(text.out) as {versions: Array<{tag: string; prerelease: boolean}>; notSemver: number};
		expect(listed.versions.map(v => v.tag)).toEqual(['2.0.0-beta.1', '1.10.1-rc.1']);
		const all = capture();
		await tagsCommand(recipe, {json: true}, ports(), all.output);
		const stable = JSON.parse(all.text.out) as typeof listed;
		expect(stable.versions.map(v => v.tag)).toEqual(['1.10.0', '1.9.0']);
		expect(stable.notSemver).toBe(2);
	});

	test('reads every page of a repository with thousands of tags', async () => {
		for (let i = 0; i < 3200; i++) fake.pushImage('shop-web', [`3.${Math.floor(i / 100)}.${i % 100}`], new Date(Date.UTC(2026, 0, 1) + i * 60_000));
		const {text, output} = capture();
		await tagsCommand(recipe, {json: true, channel: 'stable'}, ports(), output);
		const listed = JSON.parse(text.out) as {versions: Array<{tag: string}>};
		expect(listed.versions).toHaveLength(3202);
		expect(listed.versions[0]!.tag).toBe('3.31.99');
		expect(fake.count('DescribeImages')).toBe(4);
	});

	test('an unknown channel or image is bad input', async () => {
		const {text, output} = capture();
		expect(await tagsCommand(recipe, {channel: 'nightly'}, ports(), output)).toBe(2);
		expect(text.err).toMatch(/there is no channel "nightly" \(channels: stable, beta\)/);
	});
});

describe('releases', () => {
	test('release create pins the newest tag the channel allows, with its digest; the version defaults to the tag', async () => {
		const {text, output} = capture();
		expect(await releaseCreateCommand(recipe, {}, {}, ports(), store, output)).toBe(0);
		expect(text.out).toMatch(/created release 1.10.0 of shop on channel stable/);
		expect(store.releases('shop')[0]).toMatchObject({version: '1.10.0', channel: 'stable', images: {web: {tag: '1.10.0', digest: expect.stringMatching(/^sha256:/)}}});
		// Same tag again: the version steps past the last release.
		await releaseCreateCommand(recipe, {}, {}, ports(), store, capture().output);
		expect(store.releases('shop').map(r => r.version)).toEqual(['1.10.0', '1.10.1']);
	});

	test('a tag that is not in ECR, or not allowed on the channel, is refused', async () => {
		const missing = capture();
		expect(await releaseCreateCommand(recipe, {}, {web: '9.9.9'}, ports(), store, missing.output)).toBe(2);
		expect(missing.text.err).toMatch(/tag 9.9.9 is not in ECR repository shop-web/);
		const channel = capture();
		expect(await releaseCreateCommand(recipe, {}, {web: '2.0.0-beta.1'}, ports(), store, channel.output)).toBe(2);
		expect(channel.text.err).toMatch(/not allowed on channel stable/);
	});

	test('deploying a release whose tag moved fails unless --allow-moved-tags', async () => {
		await releaseCreateCommand(recipe, {}, {web: '1.9.0'}, ports(), store, capture().output);
		fake.pushImage('shop-web', ['1.9.0'], new Date());
		const refused = await deploy({release: '1.9.0'});
		expect(refused.code).toBe(2);
		expect(refused.err).toMatch(/web: tag 1.9.0 now points at sha256:/);
		expect(fake.count('CreateChangeSet')).toBe(0);
		expect((await deploy({release: '1.9.0', allowMovedTags: true})).code).toBe(0);
	});

	test('lifecycle: staging needs the release to have run in dev first', async () => {
		await releaseCreateCommand(recipe, {}, {}, ports(), store, capture().output);
		const refused = await deploy({release: '1.10.0', env: 'staging'});
		expect(refused.code).toBe(2);
		expect(refused.err).toMatch(/release 1.10.0 has not been deployed successfully to dev, which comes before staging/);
		expect((await deploy({release: '1.10.0'})).code).toBe(0);
		expect((await deploy({release: '1.10.0', env: 'staging'})).code).toBe(0);
	});

	test('releases merges the store with what AWS stack tags say (another machine sees what runs where)', async () => {
		await deploy({image: ['web=1.9.0']});
		const other = new WorkspaceStore({cwd: path.join(dir, 'other-machine')});
		const {text, output} = capture();
		expect(await releasesCommand(recipe, target, ports(), other, output, true)).toBe(0);
		const rows = JSON.parse(text.out) as Array<{version: string; images: object; deployedTo: Array<{environment: string; status: string}>}>;
		expect(rows).toEqual([expect.objectContaining({version: '1.9.0', images: {web: {tag: '1.9.0'}}, deployedTo: [{environment: 'dev', status: 'CREATE_COMPLETE', source: 'aws'}]})]);

		const mine = capture();
		await releasesCommand(recipe, target, ports(), store, mine.output, false);
		expect(mine.text.out).toMatch(/1\.9\.0\s+web=1\.9\.0\s+running in dev \(CREATE_COMPLETE\)/);
		expect(mine.text.out).toMatch(/dev: succeeded/);
	});

	test('rollback to previous picks the last successful release before the one serving', async () => {
		await deploy({image: ['web=1.9.0']});
		await deploy({image: ['web=1.10.0']});
		fake.scenario = 'circuit-breaker';
		await deploy({image: ['web=1.10.1-rc.1']});
		fake.scenario = 'success';
		expect(previousRelease(store.deployments('shop'), 'dev')).toBe('1.9.0');
		const back = await deploy({release: '1.9.0'});
		expect(back.code).toBe(0);
		const stack = await ports().cloudFormation.describeStacks({StackName: 'shop-dev'});
		expect(stack.Stacks?.[0]?.Tags).toContainEqual({Key: 'ecs-deployer:release', Value: '1.9.0'});
	});
});

describe('history', () => {
	test('status shows each environment with its release, rollout and tasks', async () => {
		await deploy({image: ['web=1.9.0']});
		const {text, output} = capture();
		expect(await statusCommand(recipe, ['dev', 'staging'], target, ports(), store, output, true)).toBe(0);
		expect(JSON.parse(text.out)).toEqual([
			expect.objectContaining({environment: 'dev', stackStatus: 'CREATE_COMPLETE', release: '1.9.0', rollout: 'COMPLETED', lastDeployment: expect.objectContaining({version: '1.9.0', outcome: 'succeeded'})}),
			{environment: 'staging', stackName: 'shop-staging'},
		]);
	});

	test('events are grouped by operation, newest operation first', async () => {
		await deploy({image: ['web=1.9.0']});
		await deploy({image: ['web=1.10.0']});
		const {text, output} = capture();
		expect(await eventsCommand('shop-dev', {limit: 500, json: true}, ports(), output)).toBe(0);
		const operations = JSON.parse(text.out) as Array<{events: Array<{ResourceStatus: string}>}>;
		expect(operations[0]!.events[0]!.ResourceStatus).toBe('UPDATE_IN_PROGRESS');
		expect(operations.some(o => o.events.some(e => e.ResourceStatus === 'CREATE_COMPLETE'))).toBe(true);
		expect(operations.length).toBeGreaterThanOrEqual(2);
	});
});

test('target verify reports each check', async () => {
	const {text, output} = capture();
	const base = {name: 'main', region, cluster, environments: ['dev'], tags: [], credentials: {source: 'default' as const}};
	expect(await targetVerifyCommand(base, ports(), output, false)).toBe(0);
	expect(text.out).toMatch(/✓ credentials +account 111122223333, principal arn:aws:sts::111122223333:assumed-role\/deployer\/ci/);
	expect(text.out).toMatch(/✓ cluster +main is ACTIVE/);
	expect(text.out).toMatch(/✓ fargate/);
	const missing = capture();
	expect(await targetVerifyCommand({...base, cluster: 'nope'}, ports(), missing.output, false)).toBe(1);
	expect(missing.text.out).toMatch(/✗ cluster +cluster nope not found in eu-west-1 \(MISSING\)/);
});
