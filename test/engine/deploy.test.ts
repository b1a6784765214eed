import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createAwsPorts} from '../../source/aws/clients.js';
import {buildTemplate} from '../../source/domain/template/build.js';
import type {PollingOptions} from '../../source/engine/clock.js';
import {deploy, type DeployOptions} from '../../source/engine/deploy.js';
import type {EngineEvent, Question} from '../../source/engine/events.js';
import {awsError, cluster, FakeAws, region, type Scenario} from '../helpers/fake-aws.js';
import {minimalRecipe, resolveObject} from '../helpers/recipes.js';

const polling: PollingOptions = {activeMs: 2000, idleMs: 8000, jitter: 0, throttleBaseMs: 1000, throttleMaxMs: 30_000, random: () => 0.5};

let fake: FakeAws;
let ids = 0;
beforeEach(() => {
	fake = new FakeAws();
});
afterEach(() => fake.restore());

function prepare(tag = '1.0.0') {
	const {resolved, problems} = resolveObject(minimalRecipe(), {images: {web: {tag}}, releaseVersion: tag, target: {region, cluster, accountId: '111122223333'}});
	if (!resolved) throw new Error(JSON.stringify(problems));
	return {resolved, built: buildTemplate(resolved)};
}

async function run(options: {tag?: string; scenario?: Scenario; answers?: Partial<Record<Question['id'], boolean>>; deploy?: DeployOptions; signal?: AbortSignal} = {}) {
	fake.scenario = options.scenario ?? 'success';
	const events: EngineEvent[] = [];
	const questions: Question[] = [];
	const host = {
		notify: (event: EngineEvent) => events.push(event),
		confirm: async (question: Question) => {
			questions.push(question);
			return options.answers?.[question.id] ?? question.defaultAnswer;
		},
	};
	const {resolved, built} = prepare(options.tag);
	const result = await deploy(resolved, built, options.deploy ?? {}, {
		aws: createAwsPorts({region}),
		host,
		clock: fake.clock,
		polling,
		newId: () => `id-${++ids}`,
		...(options.signal ? {signal: options.signal} : {}),
	});
	return {result, events, questions, codes: events.map(e => e.code)};
}

const stackStatuses = (events: EngineEvent[]) => events.flatMap(e => (e.code === 'stack.status' ? [e.status] : []));

describe('deploy', () => {
	test('first deploy creates the stack through a CREATE change set and ends when the release is serving', async () => {
		const {result, events} = await run();
		expect(result).toMatchObject({outcome: 'succeeded', stackName: 'shop-dev', stackStatus: 'CREATE_COMPLETE'});
		const create = fake.calls.find(c => c.command === 'CreateChangeSet')!.input;
		expect(create).toMatchObject({StackName: 'shop-dev', ChangeSetType: 'CREATE', Capabilities: ['CAPABILITY_IAM']});
		expect(create.Parameters).toContainEqual({ParameterKey: 'ImageTagWeb', ParameterValue: '1.0.0'});
		expect(create.Tags).toContainEqual({Key: 'ecs-deployer:release', Value: '1.0.0'});
		expect(fake.calls.find(c => c.command === 'ExecuteChangeSet')!.input.ClientRequestToken).toBeDefined();
		expect(events.find(e => e.code === 'changeset.ready')).toMatchObject({changes: expect.arrayContaining([expect.objectContaining({action: 'Add', logicalId: 'Service'})])});
		expect(stackStatuses(events)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
		// The ECS side was followed: the deployment of the new revision completed and its task ran.
		expect(events.filter(e => e.code === 'service.deployment').at(-1)).toMatchObject({deployment: {rolloutState: 'COMPLETED'}});
		expect(events.some(e => e.code === 'task' && e.task.lastStatus === 'RUNNING')).toBe(true);
	});

	test('stack events are streamed old to new, once each, and only this operation\'s', async () => {
		await run();
		const second = await run({tag: '1.1.0'});
		const ids = second.events.flatMap(e => (e.code === 'stack.event' ? [e.event] : []));
		expect(new Set(ids.map(e => e.id)).size).toBe(ids.length);
		expect(ids.map(e => e.timestamp)).toEqual([...ids.map(e => e.timestamp)].sort((a, b) => a - b));
		expect(ids.some(e => e.status.startsWith('CREATE'))).toBe(false);
		expect(ids[0]).toMatchObject({logicalId: 'shop-dev', status: 'UPDATE_IN_PROGRESS'});
	});

	test('a new release updates the stack with an UPDATE change set', async () => {
		await run();
		const {result} = await run({tag: '1.1.0'});
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
		expect(fake.calls.filter(c => c.command === 'CreateChangeSet').map(c => c.input.ChangeSetType)).toEqual(['CREATE', 'UPDATE']);
	});

	test('the same release again is a no-op: the empty change set is deleted and the service checked', async () => {
		await run();
		const before = fake.count('ExecuteChangeSet');
		const {result, codes} = await run();
		expect(result).toMatchObject({outcome: 'no-op', message: 'no changes: this release is already serving'});
		expect(codes).toContain('changeset.empty');
		expect(fake.count('ExecuteChangeSet')).toBe(before);
		expect(fake.calls.at(-1)?.command === 'DeleteChangeSet' || fake.calls.some(c => c.command === 'DeleteChangeSet')).toBe(true);
		expect(fake.calls.filter(c => c.command === 'DescribeServices').length).toBeGreaterThan(0);
	});

	test('preview shows the change set and changes nothing (a CREATE preview leaves no stack behind)', async () => {
		const {result, codes} = await run({deploy: {preview: true}});
		expect(result.outcome).toBe('previewed');
		expect(codes).toContain('changeset.ready');
		expect(fake.count('ExecuteChangeSet')).toBe(0);
		expect(fake.count('DeleteChangeSet')).toBe(1);
		expect(fake.count('DeleteStack')).toBe(1);
	});

	test('waits for another operation in progress, then deploys', async () => {
		await run();
		const stack = [...fake.stacks.values()][0]!;
		stack.status = 'UPDATE_IN_PROGRESS';
		fake.atSleep(3, () => (stack.status = 'UPDATE_COMPLETE'));
		const {result, codes} = await run({tag: '1.1.0'});
		expect(codes).toContain('stack.busy');
		expect(result.outcome).toBe('succeeded');
	});

	test('with noWaitForBusy a busy stack is reported, not waited for', async () => {
		await run();
		[...fake.stacks.values()][0]!.status = 'UPDATE_IN_PROGRESS';
		const {result} = await run({tag: '1.1.0', deploy: {noWaitForBusy: true}});
		expect(result).toMatchObject({outcome: 'busy', message: 'stack shop-dev is busy (UPDATE_IN_PROGRESS); try again when it is done'});
		expect(fake.count('CreateChangeSet')).toBe(1);
	});

	test('ROLLBACK_COMPLETE: asks, deletes and recreates the stack', async () => {
		fake.seedStack('shop-dev', 'ROLLBACK_COMPLETE');
		const {result, questions} = await run({answers: {'recreate-stack': true}});
		expect(questions.map(q => q.id)).toEqual(['recreate-stack', 'execute-change-set']);
		expect(fake.count('DeleteStack')).toBe(1);
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE'});
	});

	test('ROLLBACK_COMPLETE without confirmation changes nothing', async () => {
		fake.seedStack('shop-dev', 'ROLLBACK_COMPLETE');
		const {result} = await run();
		expect(result.outcome).toBe('declined');
		expect(fake.count('DeleteStack')).toBe(0);
		expect(fake.count('CreateChangeSet')).toBe(0);
	});

	test('UPDATE_ROLLBACK_FAILED: continues the rollback first (the service stays up), then updates', async () => {
		await run();
		[...fake.stacks.values()][0]!.status = 'UPDATE_ROLLBACK_FAILED';
		const {result, questions} = await run({tag: '1.1.0'});
		expect(questions[0]).toMatchObject({id: 'continue-rollback', defaultAnswer: true});
		expect(fake.count('ContinueUpdateRollback')).toBe(1);
		expect(fake.count('DeleteStack')).toBe(0);
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
	});

	test('a failed resource with follow-up failures: the root cause is the first failure, with a hint', async () => {
		const {result} = await run({scenario: 'resource-failure'});
		expect(result.outcome).toBe('rolled-back');
		expect(result.stackStatus).toBe('ROLLBACK_COMPLETE');
		expect(result.reasons[0]).toMatchObject({
			source: 'stack',
			subject: 'TaskDefinition (AWS::ECS::TaskDefinition)',
			message: 'Invalid request provided: Create TaskDefinition: No Fargate configuration exists for given values: 256 CPU, 4096 memory. (InvalidRequest)',
			hint: expect.stringContaining('Fargate task size'),
		});
		expect(result.reasons.some(r => /cancelled/.test(r.message))).toBe(false);
	});

	test('crash-looping tasks stopped by the circuit breaker: rolled back, exit reasons and log lines reported', async () => {
		await run();
		const {result, events} = await run({tag: '1.1.0', scenario: 'circuit-breaker'});
		expect(result.outcome).toBe('rolled-back');
		expect(result.stackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
		const messages = result.reasons.map(r => `${r.source}: ${r.message}`);
		expect(messages).toContain('stack: ECS Deployment Circuit Breaker was triggered (GeneralServiceException)');
		expect(messages).toContain('container: exited with exit code 1');
		expect(messages).toContain('task: Essential container in task exited');
		expect(result.reasons.find(r => r.source === 'container')?.hint).toMatch(/application exited/);
		expect(events.find(e => e.code === 'logs')).toMatchObject({container: 'web', lines: expect.arrayContaining(['Error: config value DATABASE_URL is missing'])});
	});

	test('throttling while watching is retried with backoff and the deploy still succeeds', async () => {
		fake.failNext('DescribeStackEvents', awsError('Throttling', 'Rate exceeded'), 3);
		const {result, events} = await run();
		expect(result.outcome).toBe('succeeded');
		const retries = events.flatMap(e => (e.code === 'aws.retry' ? [e] : []));
		expect(retries.map(r => r.delayMs)).toEqual([1000, 2000, 4000]);
		expect(retries.every(r => r.kind === 'throttling')).toBe(true);
	});

	test('an expired session while watching: fresh credentials are tried once, then it says so and how to re-attach', async () => {
		await run();
		const expired = awsError('ExpiredToken', 'The security token included in the request is expired', 403);
		// Still expired after the refresh: not called a failed deploy.
		fake.atSleep(2, () => fake.failNext('DescribeStacks', expired, 2));
		const {result, events} = await run({tag: '1.2.0'});
		expect(result.outcome).toBe('detached');
		expect(result.message).toMatch(/session expired.*re-attach with: ecs-deployer watch --env dev/);
		expect(events).toContainEqual({code: 'note', message: 'the AWS session expired during DescribeStacks; trying fresh credentials'});
	});

	test('a session renewed meanwhile: the refresh picks it up and the deploy goes on', async () => {
		fake.atSleep(2, () => fake.failNext('DescribeStacks', awsError('ExpiredToken', 'The security token included in the request is expired', 403)));
		expect((await run()).result.outcome).toBe('succeeded');
	});

	test('timeout cancels the update so the previous version is restored', async () => {
		await run();
		const {result} = await run({tag: '1.1.0', scenario: 'slow', deploy: {wait: {mode: 'timeout', timeoutMinutes: 1}}});
		expect(fake.count('CancelUpdateStack')).toBe(1);
		expect(result).toMatchObject({outcome: 'timed-out', stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
	});

	test('interrupting stops watching without cancelling, and says how to re-attach', async () => {
		await run();
		const controller = new AbortController();
		fake.atSleep(2, () => controller.abort());
		const {result} = await run({tag: '1.1.0', scenario: 'slow', signal: controller.signal});
		expect(result.outcome).toBe('detached');
		expect(result.message).toContain('ecs-deployer watch --env dev');
		expect(fake.count('CancelUpdateStack')).toBe(0);
	});

	test('polling stays near one CloudFormation read per second or less', async () => {
		const start = fake.now;
		await run({scenario: 'slow'});
		const reads = fake.count('DescribeStacks') + fake.count('DescribeStackEvents') + fake.count('DescribeChangeSet');
		const seconds = (fake.now - start) / 1000;
		expect(reads / seconds).toBeLessThanOrEqual(1.1);
	});
});
