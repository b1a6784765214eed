import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {failureTags} from '../../source/aws/sandbox/seed.js';
import {sandboxCluster, sandboxRegion} from '../../source/aws/sandbox/state.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {buildTemplate} from '../../source/domain/template/build.js';
import {deploy} from '../../source/engine/deploy.js';
import type {EngineEvent} from '../../source/engine/events.js';

/** A sandbox on a clock the test drives: the engine's sleeps move time on at once. */
function world() {
	let now = Date.parse('2026-11-23T10:00:00Z');
	const account = new SandboxAccount({now: () => now, speed: 1});
	const clock = {now: () => now, sleep: async (ms: number) => void (now += ms)};
	let ids = 0;
	async function run(file: string, environment: string, images: Record<string, string>, options: {answers?: Record<string, boolean>} = {}) {
		const recipe = parseRecipe(await readFile(file, 'utf8')).recipe!;
		const {resolved, problems} = resolveRecipe({
			recipe,
			environment,
			images: Object.fromEntries(Object.entries(images).map(([ref, tag]) => [ref, {tag}])),
			releaseVersion: Object.values(images)[0]!,
			target: {region: sandboxRegion, cluster: sandboxCluster, accountId: '123456789012'},
		});
		if (!resolved) throw new Error(JSON.stringify(problems));
		const events: EngineEvent[] = [];
		const started = now;
		const result = await deploy(resolved, buildTemplate(resolved), {}, {
			aws: account.ports(),
			host: {notify: e => events.push(e), confirm: async q => options.answers?.[q.id] ?? q.defaultAnswer},
			clock,
			polling: {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5},
			newId: () => `token-${++ids}`,
		});
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

	test('a tag that is not in the repository cannot be pulled', async () => {
		const {run} = world();
		const {result} = await run('recipes/hello-color.yaml', 'dev', {web: '7.7.7'});
		expect(result.outcome).toBe('rolled-back');
		expect(result.stackStatus).toBe('ROLLBACK_COMPLETE');
		expect(result.reasons.find(r => r.source === 'container')).toMatchObject({message: expect.stringMatching(/^CannotPullContainerError: .*7\.7\.7: not found/), hint: expect.stringMatching(/tag does not exist/)});
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

describe('sandbox calls', () => {
	const template = (extra: object = {}) =>
		JSON.stringify({
			Parameters: {ImageTagWeb: {Type: 'String', Default: '1.4.0'}},
			Resources: {
				TaskDefinition: {Type: 'AWS::ECS::TaskDefinition', Properties: {Family: 'demo', Cpu: '256', Memory: '512', ContainerDefinitions: [{Name: 'web', Image: {'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/hello-color:${ImageTagWeb}'}}]}},
				Service: {Type: 'AWS::ECS::Service', Properties: {DesiredCount: 1}},
				...extra,
			},
		});

	test('errors have the real names and messages', async () => {
		const account = new SandboxAccount({now: () => 0});
		const aws = account.ports();
		await expect(aws.cloudFormation.describeStacks({StackName: 'nope'})).rejects.toMatchObject({name: 'ValidationError', message: 'Stack with id nope does not exist', $metadata: {httpStatusCode: 400}});
		await expect(aws.cloudFormation.createChangeSet({StackName: 's', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template({X: {Type: 'AWS::EC2::Instance'}})})).rejects.toMatchObject({
			name: 'ValidationError',
			message: 'Template format error: Unrecognized resource types: [AWS::EC2::Instance]',
		});
		await expect(aws.ecr.describeImages({repositoryName: 'nope'})).rejects.toMatchObject({name: 'RepositoryNotFoundException'});
		await expect(aws.logs.getLogEvents({logGroupName: 'g', logStreamName: 's'})).rejects.toMatchObject({name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.'});
	});

	test('a change set takes a moment; an unchanged one fails with the real reason', async () => {
		let now = 1_000_000;
		const aws = new SandboxAccount({now: () => now}).ports();
		const created = await aws.cloudFormation.createChangeSet({StackName: 's', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: template()});
		expect((await aws.cloudFormation.describeChangeSet({ChangeSetName: created.Id!})).Status).toBe('CREATE_IN_PROGRESS');
		now += 1000;
		expect((await aws.cloudFormation.describeChangeSet({ChangeSetName: created.Id!})).Status).toBe('CREATE_COMPLETE');
		await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, ClientRequestToken: 't1'});
		now += 60_000;
		expect((await aws.cloudFormation.describeStacks({StackName: 's'})).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
		const same = await aws.cloudFormation.createChangeSet({StackName: 's', ChangeSetName: 'c2', ChangeSetType: 'UPDATE', TemplateBody: template(), Parameters: [{ParameterKey: 'ImageTagWeb', ParameterValue: '1.4.0'}]});
		now += 1000;
		expect(await aws.cloudFormation.describeChangeSet({ChangeSetName: same.Id!})).toMatchObject({
			Status: 'FAILED',
			StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
		});
	});

	test('state persists in its file: another account object (another process) sees the same stacks', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-'));
		const file = `${dir}/sandbox.json`;
		let now = 2_000_000;
		const first = new SandboxAccount({file, now: () => now}).ports();
		const created = await first.cloudFormation.createChangeSet({StackName: 'kept', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template()});
		now += 1000;
		await first.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, ClientRequestToken: 't'});
		now += 60_000;
		const second = new SandboxAccount({file, now: () => now}).ports();
		expect((await second.cloudFormation.describeStacks({StackName: 'kept'})).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
	});

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

test('ListImages pages one entry per tag; ListServiceDeployments keeps the history', async () => {
	const {account, run} = world();
	const aws = account.ports();
	let pages = 0;
	let ids = 0;
	let nextToken: string | undefined;
	do {
		const page = await aws.ecr.listImages({repositoryName: 'orders-api', maxResults: 1000, ...(nextToken ? {nextToken} : {})});
		pages++;
		ids += page.imageIds?.length ?? 0;
		nextToken = page.nextToken;
	} while (nextToken);
	expect(ids).toBeGreaterThan(3200);
	expect(pages).toBe(4);

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

test('a template property the resource type does not have fails that resource, as CloudFormation validation does', async () => {
	let now = 5_000_000;
	const aws = new SandboxAccount({now: () => now}).ports();
	const body = JSON.stringify({Resources: {Service: {Type: 'AWS::ECS::Service', Properties: {DesiredCounts: 1}}}});
	const created = await aws.cloudFormation.createChangeSet({StackName: 'x', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body});
	now += 1000;
	await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, ClientRequestToken: 't'});
	now += 30_000;
	expect((await aws.cloudFormation.describeStacks({StackName: 'x'})).Stacks?.[0]?.StackStatus).toBe('ROLLBACK_COMPLETE');
	const events = (await aws.cloudFormation.describeStackEvents({StackName: 'x'})).StackEvents ?? [];
	expect(events.find(e => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe('Properties validation failed for resource Service with message: #: extraneous key [DesiredCounts] is not permitted');
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
