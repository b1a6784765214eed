import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {failureTags} from '../../source/aws/sandbox/seed.js';
import {sandboxCluster} from '../../source/aws/sandbox/state.js';
import type {FailureReason} from '../../source/domain/failures.js';
import {deployRelease} from '../../source/engine/deploy/deploy-release.js';
import type {EngineEvent} from '../../source/engine/core/host.js';
import type {DeployResult} from '../../source/engine/core/results.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {recordingHost} from '../helpers/engine.js';
import {fargateTemplate, sandbox} from './sandbox-driver.js';
import {localFiles} from '../../source/io/files.js';

/** A deploy result with its reasons (empty for outcomes that have none), for short assertions. */
type Ran = DeployResult & {reasons: FailureReason[]};

/** A sandbox on a clock the test drives, deployed to by the real engine: the engine's sleeps move time on at once. */
function world() {
	let now = Date.parse('2026-11-23T10:00:00Z');
	const account = new SandboxAccount({now: () => now, speed: 1});
	const clock = {now: () => now, sleep: async (ms: number) => void (now += ms)};
	let ids = 0;
	const workspace = memoryWorkspace();
	async function run(file: string, environment: string, images: Record<string, string>, options: {answers?: Record<string, boolean>} = {}) {
		const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true, ...options.answers});
		const started = now;
		const deps = {
			workspace,
			awsFor: async () => account.ports(),
			pollingFor: () => ({activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5}),
			clock,
			newId: () => `token-${++ids}`,
			files: localFiles,
			sandboxTarget,
		};
		const outcome = await deployRelease({recipeFile: file, environment, target: sandboxTarget, images, reattach: 'watch'}, deps, host).result;
		const result = {...outcome, reasons: 'reasons' in outcome ? outcome.reasons : []} as Ran;
		const events: EngineEvent[] = host.events;
		return {result, events, seconds: (now - started) / 1000};
	}
	return {account, run};
}

describe('sandbox account', () => {
	test('a first deploy creates the stack and the service in about 10-30 s of sandbox time', async () => {
		const {run} = world();
		const {result, events, seconds} = await run('recipes/hello-color.yaml', 'dev', {web: '1.4.0'});
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE'});
		expect(seconds).toBeGreaterThan(10);
		expect(seconds).toBeLessThan(40);
		const statuses = events.flatMap(e => (e.code === 'task' ? [e.task.lastStatus] : []));
		// Polled every 2 s, the task is seen starting and then running (states in between may pass unseen, as with AWS).
		expect(statuses[0]).toBe('PROVISIONING');
		expect(statuses.at(-1)).toBe('RUNNING');
		expect(events.some(e => e.code === 'service.event' && /has reached a steady state/.test(e.message))).toBe(true);
	});

	test('tasks say when they started running and when they stopped, as DescribeTasks does', async () => {
		const {run, account} = world();
		await run('recipes/hello-color.yaml', 'dev', {web: '1.3.0'});
		const firstUp = (await run('recipes/hello-color.yaml', 'dev', {web: '1.4.0'})).events.flatMap(e => (e.code === 'task' ? [e.task] : []));
		expect(firstUp.filter(t => t.lastStatus === 'RUNNING').every(t => t.startedAt !== undefined)).toBe(true);
		const aws = account.ports();
		const arns = (await aws.ecs.listTasks({cluster: sandboxCluster, desiredStatus: 'STOPPED'})).taskArns ?? [];
		const stopped = (await aws.ecs.describeTasks({cluster: sandboxCluster, tasks: arns})).tasks ?? [];
		expect(stopped.length).toBeGreaterThan(0);
		for (const task of stopped) {
			expect(task.stoppedAt!.getTime()).toBeGreaterThan(task.startedAt!.getTime());
			expect(task.startedAt!.getTime()).toBeGreaterThan(task.createdAt!.getTime());
		}
	});

	test('DescribeTaskDefinition returns the whole definition the template registered, as ECS does: environment, ports, sizes, logging, roles', async () => {
		const {run, account} = world();
		await run('recipes/hello-color.yaml', 'staging', {web: '1.4.0'});
		const aws = account.ports();
		const resources = (await aws.cloudFormation.listStackResources({StackName: 'hello-color-staging'})).StackResourceSummaries ?? [];
		const registered = resources.find(r => r.ResourceType === 'AWS::ECS::TaskDefinition')!.PhysicalResourceId!;
		const {taskDefinition} = await aws.ecs.describeTaskDefinition({taskDefinition: registered});
		expect(taskDefinition).toMatchObject({cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], executionRoleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//)});
		const web = taskDefinition!.containerDefinitions![0]!;
		expect(web).toMatchObject({name: 'web', image: expect.stringMatching(/hello-color:1\.4\.0$/), essential: true, cpu: 0, portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}], mountPoints: [], volumesFrom: []});
		expect(web.environment).toEqual(expect.arrayContaining([{name: 'OCTO_COLOR', value: '#fa0'}, {name: 'OCTO_ENV', value: 'Hello from staging'}]));
		// Free-form maps keep their keys as written; references are resolved.
		expect(web.logConfiguration).toMatchObject({logDriver: 'awslogs', options: {'awslogs-stream-prefix': 'web', 'awslogs-region': expect.any(String), 'awslogs-group': '/ecs/hello-color/staging'}});
	});

	test('the same release again is a no-op; a new one updates', async () => {
		const {run} = world();
		await run('recipes/hello-color.yaml', 'dev', {web: '1.3.0'});
		expect((await run('recipes/hello-color.yaml', 'dev', {web: '1.3.0'})).result.outcome).toBe('no-op');
		expect((await run('recipes/hello-color.yaml', 'dev', {web: '1.4.0'})).result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
	});

	test('a crash-looping image is rolled back by the circuit breaker, with exit code, hint and log lines', async () => {
		const {run} = world();
		await run('recipes/hello-color.yaml', 'dev', {web: '1.4.0'});
		const {result, events} = await run('recipes/hello-color.yaml', 'dev', {web: failureTags.crashLoop});
		expect(result).toMatchObject({outcome: 'rolled-back', stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
		expect(result.reasons.map(r => r.message)).toEqual(expect.arrayContaining(['ECS Deployment Circuit Breaker was triggered (GeneralServiceException)', 'exited with exit code 1', 'Essential container in task exited']));
		expect(events.find(e => e.code === 'logs')).toMatchObject({lines: expect.arrayContaining(['Error: required setting DATABASE_URL is not set'])});
	});

	test('a tag that is not in the repository: the engine refuses it; a template deployed anyway cannot pull it', async () => {
		const {run} = world();
		const {result} = await run('recipes/hello-color.yaml', 'dev', {web: '7.7.7'});
		expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--image', message: expect.stringContaining('tag 7.7.7 is not in ECR repository hello-color')}]});
		const {apply, aws} = sandbox();
		const {stack} = await apply('demo-dev', fargateTemplate(), {parameters: {ImageTagWeb: '7.7.7'}});
		expect(stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
		const events = await aws.cloudFormation.describeStackEvents({StackName: stack!.StackId!});
		expect(events.StackEvents?.some(e => /Circuit Breaker/.test(e.ResourceStatusReason ?? ''))).toBe(true);
	});

	test('out of memory, and the stuck rollback that continue-rollback recovers', async () => {
		const {run} = world();
		await run('recipes/hello-color.yaml', 'dev', {web: '1.4.0'});
		const oom = await run('recipes/hello-color.yaml', 'dev', {web: failureTags.outOfMemory});
		expect(oom.result.reasons.find(r => r.source === 'container')?.message).toBe('OutOfMemoryError: Container killed due to memory usage (exit code 137)');
		const stuck = await run('recipes/hello-color.yaml', 'dev', {web: failureTags.stuckRollback});
		expect(stuck.result.stackStatus).toBe('UPDATE_ROLLBACK_FAILED');
		const recovered = await run('recipes/hello-color.yaml', 'dev', {web: '1.3.0'});
		expect(recovered.events.find(e => e.code === 'plan')).toMatchObject({plan: {kind: 'continue-rollback'}});
		expect(recovered.result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
	});

	test('every recipe in recipes/ deploys', async () => {
		const {run} = world();
		expect((await run('recipes/orders-api.yaml', 'dev', {api: '1.4.0'})).result.outcome).toBe('succeeded');
		expect((await run('recipes/invoice-worker.yaml', 'dev', {worker: '1.4.0', 'log-router': '2.32.0'})).result.outcome).toBe('succeeded');
	});
});

describe('sandbox faults', () => {
	test('SANDBOX_FAULTS=throttle makes calls throttle for a while; the engine retries and the deploy succeeds', async () => {
		const {run} = world();
		const dir = await mkdtemp(path.join(tmpdir(), 'recipe-'));
		const text = (await readFile('recipes/hello-color.yaml', 'utf8')).replace('OCTO_ENV: "#{Message}"', 'OCTO_ENV: "#{Message}"\n        SANDBOX_FAULTS: throttle');
		await writeFile(`${dir}/r.yaml`, text);
		const {result, events} = await run(`${dir}/r.yaml`, 'dev', {web: '1.4.0'});
		expect(result.outcome).toBe('succeeded');
		expect(events.filter(e => e.code === 'aws.retry').length).toBeGreaterThan(3);
	});

	test('SANDBOX_FAULTS=expire-session: the deploy stops saying the session expired', async () => {
		const {run} = world();
		const dir = await mkdtemp(path.join(tmpdir(), 'recipe-'));
		const text = (await readFile('recipes/hello-color.yaml', 'utf8')).replace('OCTO_ENV: "#{Message}"', 'OCTO_ENV: "#{Message}"\n        SANDBOX_FAULTS: expire-session');
		await writeFile(`${dir}/r.yaml`, text);
		const {result} = await run(`${dir}/r.yaml`, 'dev', {web: '1.4.0'});
		expect(result.outcome).toBe('detached');
		expect(result.message).toMatch(/session expired/);
	});
});

test('ListServiceDeployments keeps the history', async () => {
	const {account, run} = world();
	const aws = account.ports();
	await run('recipes/hello-color.yaml', 'dev', {web: '1.3.0'});
	await run('recipes/hello-color.yaml', 'dev', {web: failureTags.crashLoop});
	const service = (await aws.cloudFormation.describeStacks({StackName: 'hello-color-dev'})).Stacks?.[0]?.Outputs?.find(o => o.OutputKey === 'ServiceArn')?.OutputValue;
	const list = await aws.ecs.listServiceDeployments({service: service!, cluster: sandboxCluster});
	expect(list.serviceDeployments?.map(d => d.status)).toEqual(['ROLLBACK_SUCCESSFUL', 'SUCCESSFUL']);
	const described = await aws.ecs.describeServiceDeployments({serviceDeploymentArns: [list.serviceDeployments![0]!.serviceDeploymentArn!]});
	expect(described.serviceDeployments?.[0]).toMatchObject({status: 'ROLLBACK_SUCCESSFUL', deploymentCircuitBreaker: {status: 'TRIGGERED'}});
	// Once the rollback is done, the failed deployment has drained: DescribeServices shows only the primary.
	const current = await aws.ecs.describeServices({cluster: sandboxCluster, services: [service!]});
	expect(current.services?.[0]?.deployments?.map(d => d.status)).toEqual(['PRIMARY']);
});

test('SANDBOX_FAULTS=no-network: tasks cannot start, the placement event and a network hint explain it', async () => {
	const {run} = world();
	const dir = await mkdtemp(path.join(tmpdir(), 'recipe-'));
	const text = (await readFile('recipes/hello-color.yaml', 'utf8')).replace('OCTO_ENV: "#{Message}"', 'OCTO_ENV: "#{Message}"\n        SANDBOX_FAULTS: no-network');
	await writeFile(`${dir}/r.yaml`, text);
	const {result} = await run(`${dir}/r.yaml`, 'dev', {web: '1.4.0'});
	expect(result.outcome).toBe('rolled-back');
	expect(result.reasons.find(r => r.source === 'task')).toMatchObject({message: expect.stringMatching(/^ResourceInitializationError: .*i\/o timeout/), hint: expect.stringMatching(/NAT gateway or VPC endpoints/)});
	expect(result.reasons.some(r => r.source === 'service' && /was unable to place a task/.test(r.message))).toBe(true);
});
