import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {stringify} from 'yaml';
import {createAwsPorts} from '../../source/aws/clients.js';
import {deployCommand, type DeployFlags} from '../../source/headless/commands/deploy.js';
import {createOutput} from '../../source/headless/output.js';
import {awsError, cluster, FakeAws, region} from '../helpers/fake-aws.js';
import {minimalRecipe} from '../helpers/recipes.js';

let fake: FakeAws;
let recipeFile: string;
beforeEach(async () => {
	fake = new FakeAws();
	const dir = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-'));
	recipeFile = path.join(dir, 'shop.yaml');
	await writeFile(recipeFile, stringify(minimalRecipe()));
});
afterEach(() => fake.restore());

async function run(flags: Partial<DeployFlags>, options: {scenario?: FakeAws['scenario']; env?: NodeJS.ProcessEnv; signal?: AbortSignal} = {}) {
	fake.scenario = options.scenario ?? 'success';
	let stdout = '';
	let stderr = '';
	const output = createOutput({stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}, env: {}});
	const code = await deployCommand({recipe: recipeFile, env: 'dev', cluster, region, image: ['web=1.0.0'], ...flags}, output, {
		ports: r => createAwsPorts({region: r}),
		clock: fake.clock,
		polling: {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5},
		env: options.env ?? {},
		...(options.signal ? {signal: options.signal} : {}),
	});
	return {code, stdout, stderr};
}

describe('ecs-deployer deploy (headless)', () => {
	test('a successful deploy prints plain lines and exits 0', async () => {
		const {code, stdout} = await run({});
		expect(code).toBe(0);
		expect(stdout).toMatch(/Deploying shop 1.0.0 to dev \(stack shop-dev\)/);
		expect(stdout).toMatch(/Service CREATE_COMPLETE/);
		expect(stdout).toMatch(/✓ release 1.0.0 is serving in dev/);
	});

	test('--json prints one JSON object per line and the result last', async () => {
		const {code, stdout} = await run({json: true});
		expect(code).toBe(0);
		const lines = stdout.trim().split('\n').map(l => JSON.parse(l) as Record<string, any>);
		expect(lines[0]).toMatchObject({code: 'deploy.start', stackName: 'shop-dev'});
		expect(lines.at(-1)).toMatchObject({result: {outcome: 'succeeded', exitCode: 0}});
	});

	test('a rolled-back deploy exits 1 with the reasons and hints', async () => {
		await run({});
		const {code, stdout} = await run({image: ['web=1.1.0']}, {scenario: 'circuit-breaker'});
		expect(code).toBe(1);
		expect(stdout).toMatch(/✗ web: exited with exit code 1/);
		expect(stdout).toMatch(/hint: The application exited/);
		expect(stdout).toMatch(/\| Error: config value DATABASE_URL is missing/);
		expect(stdout).toMatch(/✗ the deploy failed \(UPDATE_ROLLBACK_COMPLETE\)/);
	});

	test('an invalid recipe exits 2 before any AWS change', async () => {
		await writeFile(recipeFile, stringify({...minimalRecipe(), service: {...minimalRecipe()['service'], cpu: 300}}));
		const {code, stderr} = await run({});
		expect(code).toBe(2);
		expect(stderr).toMatch(/service.cpu .*300 is not a Fargate task CPU value/);
		expect(fake.count('CreateChangeSet')).toBe(0);
	});

	test('missing flags and tags are bad input naming the flag', async () => {
		expect((await run({cluster: undefined as unknown as string})).stderr).toMatch(/--cluster: name the ECS cluster/);
		const noTag = await run({image: []});
		expect(noTag.code).toBe(2);
		expect(noTag.stderr).toMatch(/choose a tag for every image \(missing: ImageTagWeb\)/);
		expect((await run({timeout: '0'})).stderr).toMatch(/--timeout: must be whole minutes from 1 to 1440/);
	});

	test('bad credentials exit 3 with a clear message', async () => {
		fake.sts.reset();
		fake.sts.rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
		const {code, stderr} = await run({});
		expect(code).toBe(3);
		expect(stderr).toMatch(/InvalidClientTokenId: The security token included in the request is invalid/);
		expect(stderr).toMatch(/check your credentials/);
	});

	test('interrupted: exits 130 and says how to re-attach', async () => {
		const controller = new AbortController();
		fake.atSleep(3, () => controller.abort());
		const {code, stdout} = await run({}, {scenario: 'slow', signal: controller.signal});
		expect(code).toBe(130);
		expect(stdout).toMatch(/Re-attach with: ecs-deployer watch --recipe \S+ --env dev/);
	});

	test('ROLLBACK_COMPLETE is recreated only with --yes', async () => {
		fake.seedStack('shop-dev', 'ROLLBACK_COMPLETE');
		const refused = await run({});
		expect(refused.code).toBe(1);
		expect(refused.stdout).toMatch(/Delete it and create it again\? no \(pass --yes to allow\)/);
		const allowed = await run({yes: true});
		expect(allowed.code).toBe(0);
	});

	test('sensitive literals come from ECS_DEPLOYER_SECRET_* and never reach the output', async () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'ApiKey', sensitive: true}];
		recipe['service'].containers[0].environment = {API_KEY: '#{ApiKey}'};
		await writeFile(recipeFile, stringify(recipe));
		expect((await run({})).stderr).toMatch(/ECS_DEPLOYER_SECRET_APIKEY/);
		const {code, stdout} = await run({json: true}, {env: {ECS_DEPLOYER_SECRET_APIKEY: 'sup3r-s3cret'}});
		expect(code).toBe(0);
		expect(stdout).not.toContain('sup3r-s3cret');
		const params = fake.calls.find(c => c.command === 'CreateChangeSet')!.input.Parameters;
		expect(params).toContainEqual({ParameterKey: 'SecretApiKey', ParameterValue: 'sup3r-s3cret'});
		expect(fake.calls.find(c => c.command === 'CreateChangeSet')!.input.TemplateBody).not.toContain('sup3r-s3cret');
	});
});
