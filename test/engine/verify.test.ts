import {readFile} from 'node:fs/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {memoryVerifyCache} from '../../source/engine/recipes/verify.js';
import {createEngine} from '../../source/engine/engine.js';
import {reasonsOf} from '../../source/engine/core/results.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

/*
 * The pre-flight verify on the sandbox account (through the real adapters): the example recipes pass with
 * the sandbox's resources, a recipe naming what the account lacks fails with the field, and a deploy stops
 * on a failure before any stack is touched.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

/** A copy of an example recipe with some text replaced. */
async function changed(name: 'orders-api' | 'hello-color', from: string, to: string) {
	const text = await readFile(h.example(name), 'utf8');
	expect(text).toContain(from);
	const {parse} = await import('yaml');
	return h.recipeFile(parse(text.replace(from, to)) as Record<string, unknown>);
}

describe('verify on the sandbox', () => {
	test.each(['orders-api', 'hello-color', 'invoice-worker'] as const)('the example %s passes with the sandbox resources', async name => {
		const result = await h.engine.verify({recipeFile: h.example(name), environment: 'dev', target, images: {api: '1.4.0', web: '1.4.0', worker: '1.4.0'}});
		expect(result.kind).toBe('verified');
		if (result.kind !== 'verified') return;
		expect(result.checks.filter(c => c.state === 'failed')).toEqual([]);
		expect(result.passed).toBe(true);
		expect(result.checks.filter(c => c.state === 'passed').length).toBeGreaterThanOrEqual(4);
	});

	test('checkout-api (ARM64) passes with a multi-platform tag and fails with the one built for another platform', async () => {
		const file = h.example('orders-api').replace('orders-api', 'checkout-api');
		const good = await h.engine.verify({recipeFile: file, environment: 'staging', target, images: {api: '1.4.0'}});
		expect(good).toMatchObject({kind: 'verified', passed: true});
		const bad = await h.engine.verify({recipeFile: file, environment: 'staging', target, images: {api: '1.4.1-unpullable'}});
		expect(bad.kind === 'verified' && bad.checks.find(c => c.field === 'images.api')).toMatchObject({state: 'failed', reason: 'a single-platform s390x image; the task runs on ARM64 (linux/arm64)'});
	});

	test('a missing role, subnets of two VPCs and a role that may not read the secret fail, each naming its field', async () => {
		let file = await changed('orders-api', 'role/orders-api-task', 'role/orders-api-missing');
		const text = (await readFile(file, 'utf8')).replace('subnet-0b1c2d3e4f5a60729', 'subnet-0ffe1dd2cc3bb4aa5').replace('role/ecsTaskExecutionRole', 'role/ecsTaskExecutionRoleNoSecrets');
		file = await h.recipeFile((await import('yaml')).parse(text) as Record<string, unknown>);
		const result = await h.engine.verify({recipeFile: file, environment: 'dev', target});
		expect(result.kind).toBe('verified');
		if (result.kind !== 'verified') return;
		expect(result.passed).toBe(false);
		expect(result.checks.filter(c => c.state === 'failed').map(c => c.field)).toEqual(['service.taskRole', 'service.network.subnets', 'variables.DatabaseUrl.valueFrom']);
		expect(h.fake.calls.map(c => c.command)).toEqual(expect.arrayContaining(['GetRole', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeTargetGroups', 'DescribeSecret', 'SimulatePrincipalPolicy']));
	});

	test('an instance target group fails', async () => {
		const file = await changed('orders-api', 'targetgroup/orders-dev/', 'targetgroup/orders-instance/');
		const result = await h.engine.verify({recipeFile: file, environment: 'dev', target});
		expect(result.kind === 'verified' && result.checks.find(c => c.kind === 'target-group')).toMatchObject({field: 'service.loadBalancers[0].targetGroupArn', state: 'failed'});
	});

	test('a recipe that is not valid is bad input, before AWS', async () => {
		const result = await h.engine.verify({recipeFile: h.example('orders-api'), environment: 'nowhere', target});
		expect(result.kind).toBe('invalid');
		expect(h.fake.calls.filter(c => c.command === 'GetRole')).toHaveLength(0);
	});
});

describe('before every deploy', () => {
	test('a failed check stops the deploy: outcome failed, the field named, no stack', async () => {
		const file = await changed('hello-color', 'subnet-0b1c2d3e4f5a60729', 'subnet-0aaaaaaaaaaaaaaaa');
		const host = recordingHost({'execute-change-set': true});
		const result = await h.engine.deploy({recipeFile: file, environment: 'dev', target, images: {web: '1.4.0'}, reattach: 'x'}, host).result;
		expect(result.outcome).toBe('failed');
		expect(result.message).toContain('pre-flight verify failed, nothing was changed: service.network.subnets[1]');
		expect(reasonsOf(result)[0]).toMatchObject({subject: 'service.network.subnets[1]', message: 'subnets subnet-0a1b2c3d4e5f60718, subnet-0aaaaaaaaaaaaaaaa: there is no subnet subnet-0aaaaaaaaaaaaaaaa in this account and region'});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
		expect(h.fake.count('DescribeSubnets')).toBe(1);
	});

	test('an image for another platform stops the deploy before the stack', async () => {
		const host = recordingHost({'execute-change-set': true});
		const result = await h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, images: {web: '1.4.1-unpullable'}, reattach: 'x'}, host).result;
		expect(result.outcome).toBe('failed');
		expect(reasonsOf(result)[0]).toMatchObject({subject: 'images.web'});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('passes are cached: a second deploy does not check them again, unless verifyCache is false', async () => {
		const deps = {...h.deps, verifyCache: memoryVerifyCache()};
		const engine = createEngine(deps);
		const run = (verifyCache?: boolean) => engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, images: {web: '1.4.0'}, reattach: 'x', ...(verifyCache === false ? {verifyCache} : {})}, recordingHost({'execute-change-set': true})).result;
		const first = await run();
		expect(first.outcome).toBe('succeeded');
		expect(h.fake.count('DescribeSubnets')).toBe(1);
		const host = recordingHost({'execute-change-set': true});
		await engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, images: {web: '1.4.0'}, reattach: 'x'}, host).result;
		expect(h.fake.count('DescribeSubnets')).toBe(1);
		expect(host.events.some(e => e.code === 'note' && e.message.includes('passed within the last 10 minutes, not checked again'))).toBe(true);
		await run(false);
		expect(h.fake.count('DescribeSubnets')).toBe(2);
	});
});
