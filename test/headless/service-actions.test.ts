import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {deployCommand} from '../../source/headless/commands/deploy.js';
import {serviceActionCommand} from '../../source/headless/commands/service-actions.js';
import {repoRoot} from '../helpers/cli.js';
import {harness, type Harness} from '../helpers/engine.js';
import {capture} from '../helpers/output.js';

/*
 * Headless parity: approve, reject, redeploy and cancel act on what an environment runs; deploy
 * --approve-after approves a waiting gate by itself (for CI).
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const io = {env: {}, globalArgs: ['--sandbox']};
const checkout = path.join(repoRoot, 'recipes', 'checkout-api.yaml');

async function deploy(recipe: string, env: string, image: string, extra: Record<string, unknown> = {}) {
	const {output, out, err} = capture();
	const code = await deployCommand({recipe, env, target: 'sandbox', image: [image], yes: true, skipLifecycle: true, ...extra}, h.engine, output, io);
	return {code, stdout: out(), stderr: err()};
}

async function action(name: 'approve' | 'reject' | 'redeploy' | 'cancel' | 'scale', recipe: string, env: string, extra: Record<string, unknown> = {}) {
	const {output, out, err} = capture();
	const code = await serviceActionCommand(name, {recipe, env, target: 'sandbox', ...extra}, h.engine, output, io);
	return {code, stdout: out(), stderr: err()};
}

describe('deploy --approve-after', () => {
	test('waits at the gate, prints the stage and what is tested, approves after the minutes given and exits 0', async () => {
		expect((await deploy(checkout, 'production', 'api=1.3.0')).code).toBe(0);
		const {code, stdout} = await deploy(checkout, 'production', 'api=1.4.0', {approveAfter: '2'});
		expect(code).toBe(0);
		expect(stdout).toMatch(/ECS blue-green deployment IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT: production 0 % on the new revision, test traffic on it, 2\/2 new tasks running — waiting for approval \(ROLLBACK in \d+ min if nobody answers\)/);
		expect(stdout).toMatch(/waiting for approval at POST_TEST_TRAFFIC_SHIFT; approving by itself after 2 min \(--approve-after\)/);
		expect(stdout).toMatch(/promoted: approved after 2 min of waiting \(--approve-after\)/);
		expect(stdout).toMatch(/at CLEAN_UP: production 100 %/);
		expect(stdout).toMatch(/✓ succeeded: release 1\.4\.0 is serving in production/);
	});

	test('is a number of minutes from 1 to 1440', async () => {
		const {code, stderr} = await deploy(checkout, 'production', 'api=1.4.0', {approveAfter: '0'});
		expect(code).toBe(2);
		expect(stderr).toMatch(/--approve-after/);
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});
});

describe('approve, reject', () => {
	test('with nothing waiting: exit 2 and why', async () => {
		await deploy(checkout, 'production', 'api=1.3.0');
		const {code, stderr} = await action('approve', checkout, 'production');
		expect(code).toBe(2);
		expect(stderr).toMatch(/nothing to approve in production: no deployment of the service is in progress/);
	});

	test('approve promotes a waiting deploy started elsewhere: exit 0, and how to follow it', async () => {
		await deploy(checkout, 'production', 'api=1.3.0');
		expect((await deploy(checkout, 'production', 'api=1.4.0', {wait: false})).code).toBe(0);
		h.fake.advance(60_000);
		const {code, stdout} = await action('approve', checkout, 'production');
		expect(code).toBe(0);
		expect(stdout).toMatch(/promoted past POST_TEST_TRAFFIC_SHIFT: ECS goes on with the deployment; follow it with: ecs-deployer --sandbox watch --recipe .*checkout-api\.yaml --env production --target sandbox/);
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['CONTINUE']);
	});

	test('reject rolls it back; --json prints the result', async () => {
		await deploy(checkout, 'production', 'api=1.3.0');
		await deploy(checkout, 'production', 'api=1.4.0', {wait: false});
		h.fake.advance(60_000);
		const {code, stdout} = await action('reject', checkout, 'production', {json: true});
		expect(code).toBe(0);
		expect(JSON.parse(stdout.trim().split('\n').at(-1)!).result).toMatchObject({outcome: 'started', exitCode: 0});
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['ROLLBACK']);
	});
});

describe('redeploy, cancel', () => {
	test('redeploy --yes starts a fresh deployment of what runs and follows it to the end', async () => {
		await deploy(h.example('hello-color'), 'dev', 'web=1.0.0');
		const {code, stdout} = await action('redeploy', h.example('hello-color'), 'dev', {yes: true});
		expect(code).toBe(0);
		expect(stdout).toMatch(/started a fresh deployment of hello-color-dev:1/);
		expect(stdout).toMatch(/✓ succeeded: hello-color-dev:1 was redeployed/);
		expect(h.fake.calls.filter(c => c.command === 'UpdateService').map(c => c.input.forceNewDeployment)).toEqual([true]);
	});

	test('redeploy without --yes and without a terminal changes nothing: exit 2 naming --yes', async () => {
		await deploy(h.example('hello-color'), 'dev', 'web=1.0.0');
		const {code} = await action('redeploy', h.example('hello-color'), 'dev');
		expect(code).toBe(2);
		expect(h.fake.count('UpdateService')).toBe(0);
	});

	test('cancel: an update in progress rolls back and the previous release serves again (exit 1); nothing to cancel: exit 2', async () => {
		const hello = h.example('hello-color');
		await deploy(hello, 'dev', 'web=1.0.0');
		expect((await action('cancel', hello, 'dev', {yes: true})).stderr).toMatch(/nothing to cancel in dev: the stack is CREATE_COMPLETE/);
		await deploy(hello, 'dev', 'web=1.4.1-slow', {wait: false});
		h.fake.advance(15_000);
		const {code, stdout} = await action('cancel', hello, 'dev', {yes: true});
		expect(stdout).toMatch(/cancel-update started/);
		expect(stdout).toMatch(/the update was cancelled and rolled back; the stack is UPDATE_ROLLBACK_COMPLETE/);
		expect(code).toBe(1);
		expect(h.fake.count('CancelUpdateStack')).toBe(1);
	});
});

describe('auto scaling and scale', () => {
	const desired = async () => (await h.fake.ports().ecs.describeServices({cluster: 'sandbox', services: ['checkout-api-production-Service-17Fk3']})).services![0]!;

	test('the scalable target raises a new service to min; an update keeps the count the scaler chose', async () => {
		await deploy(checkout, 'production', 'api=1.3.0');
		expect(await desired()).toMatchObject({desiredCount: 2, runningCount: 2});
		const events = (await h.fake.ports().cloudFormation.describeStackEvents({StackName: 'checkout-api-production'})).StackEvents!.map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`).reverse();
		expect(events.indexOf('ScalableTarget CREATE_COMPLETE')).toBeGreaterThan(events.indexOf('Service CREATE_COMPLETE'));
		expect(events).toContain('CpuScalingPolicy CREATE_COMPLETE');
		expect(events).toContain('RequestsScalingPolicy CREATE_COMPLETE');
		// The scaler (here: scale) sets 5; the next release keeps 5 running.
		expect((await action('scale', checkout, 'production', {count: '5', yes: true})).code).toBe(0);
		expect(await desired()).toMatchObject({desiredCount: 5, runningCount: 5});
		expect((await deploy(checkout, 'production', 'api=1.4.0', {approveAfter: '1'})).code).toBe(0);
		expect(await desired()).toMatchObject({desiredCount: 5, runningCount: 5, taskDefinition: expect.stringMatching(/:2$/)});
	});

	test('scale outside the recipe\'s bounds is refused; without autoScaling any count goes, until the next deploy', async () => {
		await deploy(checkout, 'production', 'api=1.3.0');
		const refused = await action('scale', checkout, 'production', {count: '11', yes: true});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/--count: 11 is outside autoScaling's 2–10/);
		expect(h.fake.count('UpdateService')).toBe(0);
		const hello = h.example('hello-color');
		await deploy(hello, 'dev', 'web=1.0.0');
		const scaled = await action('scale', hello, 'dev', {count: '3', yes: true});
		expect(scaled.code).toBe(0);
		expect(scaled.stdout).toMatch(/✓ succeeded: dev runs 3 tasks \(until the next deploy sets the recipe's desiredCount again\)/);
		expect((await action('scale', hello, 'dev', {count: 'lots', yes: true})).code).toBe(2);
	});
});
