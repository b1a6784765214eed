import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {DeployReleaseInput} from '../../source/engine/deploy/deploy-release.js';
import type {EngineEvent} from '../../source/engine/core/host.js';
import {reasonsOf} from '../../source/engine/core/results.js';
import {awsError} from '../helpers/fake-aws.js';
import {harness, recordingHost, stackStatuses, target, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

type Options = Partial<DeployReleaseInput> & {answers?: Parameters<typeof recordingHost>[0]; during?: (run: {detach(): void; cancel(): void}) => void};

/** Deploys hello-color (or another recipe) to dev with image tags, answering yes to the change set unless told otherwise. */
async function deploy(tag: string | undefined, options: Options = {}) {
	const host = recordingHost({'execute-change-set': true, ...options.answers});
	const {answers: _a, during, ...input} = options;
	const run = h.engine.deploy(
		{
			recipeFile: h.example('hello-color'),
			environment: 'dev',
			target,
			reattach: 'ecs-deployer --sandbox watch --recipe recipes/hello-color.yaml --env dev',
			...(tag === undefined ? {} : {images: {web: tag}}),
			...input,
		},
		host,
	);
	during?.(run);
	const result = await run.result;
	return {result, events: host.events, asked: host.asked, codes: host.codes()};
}

const stackEvents = (events: EngineEvent[]) => events.flatMap(e => (e.code === 'stack.event' ? [e.event] : []));

describe('deploying a release', () => {
	test('first deploy creates the stack through a CREATE change set, asks first, and ends when the release is serving', async () => {
		const {result, events, asked} = await deploy('1.0.0');
		expect(result).toMatchObject({outcome: 'succeeded', stackName: 'hello-color-dev', stackStatus: 'CREATE_COMPLETE', release: {version: '1.0.0', source: 'new'}});
		expect(asked.map(q => q.id)).toEqual(['execute-change-set']);
		expect(asked[0]).toMatchObject({defaultAnswer: false, flag: '--yes'});
		const create = h.fake.calls.find(c => c.command === 'CreateChangeSet')!.input;
		expect(create).toMatchObject({StackName: 'hello-color-dev', ChangeSetType: 'CREATE', Capabilities: ['CAPABILITY_IAM']});
		expect(create.Parameters).toContainEqual({ParameterKey: 'ImageTagWeb', ParameterValue: '1.0.0'});
		expect(create.Tags).toContainEqual({Key: 'ecs-deployer:release', Value: '1.0.0'});
		expect(h.fake.calls.find(c => c.command === 'ExecuteChangeSet')!.input.ClientRequestToken).toBeDefined();
		expect(stackStatuses(events)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
		expect(events.filter(e => e.code === 'service.deployment').at(-1)).toMatchObject({deployment: {rolloutState: 'COMPLETED'}, role: 'new'});
		expect(events.some(e => e.code === 'task' && e.task.lastStatus === 'RUNNING')).toBe(true);
		expect(events.at(-1)).toEqual({code: 'deploy.end', result});
		if (result.outcome === 'succeeded') expect(result.outputs['ServiceArn']).toMatch(/^arn:aws:ecs:/);
	});

	test('the release made from the tags pins the digest from ECR and is stored; the deployment is recorded with its token', async () => {
		await deploy('1.0.0');
		const [release] = h.workspace.releases('hello-color');
		expect(release).toMatchObject({version: '1.0.0', images: {web: {tag: '1.0.0', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)}}});
		const [record] = h.workspace.deployments('hello-color');
		const token = h.fake.calls.find(c => c.command === 'ExecuteChangeSet')!.input.ClientRequestToken;
		expect(record).toMatchObject({environment: 'dev', version: '1.0.0', outcome: 'succeeded', token, by: 'tester@ci', stackStatus: 'CREATE_COMPLETE', stackId: expect.stringContaining(':stack/hello-color-dev/')});
	});

	test('a new release updates the stack; its events are streamed old to new, once each, and only this operation\'s', async () => {
		await deploy('1.0.0');
		const {result, events} = await deploy('1.1.0');
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
		expect(h.fake.calls.filter(c => c.command === 'CreateChangeSet').map(c => c.input.ChangeSetType)).toEqual(['CREATE', 'UPDATE']);
		const rows = stackEvents(events);
		expect(new Set(rows.map(e => e.id)).size).toBe(rows.length);
		expect(rows.map(e => e.timestamp)).toEqual([...rows.map(e => e.timestamp)].sort((a, b) => a - b));
		expect(rows.some(e => e.status.startsWith('CREATE'))).toBe(false);
		expect(rows[0]).toMatchObject({logicalId: 'hello-color-dev', status: 'UPDATE_IN_PROGRESS'});
		// The cleanup deletes the OLD task definition; the new deployment is the one followed.
		expect(rows.some(e => e.logicalId === 'TaskDefinition' && e.status === 'DELETE_COMPLETE')).toBe(true);
	});

	test('the same tags again are a no-op: the stored release is reused, the empty change set deleted, the service checked', async () => {
		await deploy('1.0.0');
		const executed = h.fake.count('ExecuteChangeSet');
		const {result, codes} = await deploy('1.0.0');
		expect(result).toMatchObject({outcome: 'no-op', message: 'release 1.0.0 is already serving in dev', confirmed: expect.arrayContaining(['rollout COMPLETED']), release: {source: 'stored'}});
		expect(codes).toContain('changeset.empty');
		expect(h.fake.count('ExecuteChangeSet')).toBe(executed);
		expect(h.fake.count('DeleteChangeSet')).toBe(1);
		expect(h.workspace.releases('hello-color')).toHaveLength(1);
	});

	test('"No updates are to be performed." from CreateChangeSet is a no-op, not an error', async () => {
		await deploy('1.0.0');
		h.fake.failNext('CreateChangeSet', awsError('ValidationError', 'No updates are to be performed.'));
		const {result} = await deploy('1.0.0');
		expect(result.outcome).toBe('no-op');
	});

	test('preview shows the change set and changes nothing (a CREATE preview leaves no stack behind)', async () => {
		const {result, codes, asked} = await deploy('1.0.0', {preview: true});
		expect(result.outcome).toBe('previewed');
		expect(codes).toContain('changeset.ready');
		expect(asked).toEqual([]);
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
		expect(h.fake.count('DeleteChangeSet')).toBe(1);
		expect(h.fake.count('DeleteStack')).toBe(1);
		expect(h.workspace.deployments('hello-color')).toEqual([]);
	});

	test('declining the change set changes nothing and says which flag answers yes', async () => {
		const {result} = await deploy('1.0.0', {answers: {'execute-change-set': false}});
		expect(result).toMatchObject({outcome: 'declined', question: 'execute-change-set', flag: '--yes'});
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
		expect(h.workspace.deployments('hello-color')).toEqual([]);
	});
});

describe('choosing what to deploy', () => {
	test('a tag that is not in ECR is refused before the stack is touched', async () => {
		const {result} = await deploy('9.9.9');
		expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--image', message: expect.stringContaining('tag 9.9.9 is not in ECR repository hello-color')}]});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('a channel\'s environments are enforced', async () => {
		const file = await h.recipeFile({...(await exampleObject('hello-color')), channels: [{name: 'beta', prereleaseTag: '^beta', environments: ['dev']}]});
		const {result} = await deploy('1.4.0-beta.1', {recipeFile: file, environment: 'staging', channel: 'beta', answers: {'skip-lifecycle': true}});
		expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--env', message: 'release 1.4.0-beta.1 is on channel beta, which deploys only to dev'}]});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('image tags are checked against the default channel', async () => {
		const file = await h.recipeFile({...(await exampleObject('hello-color')), channels: [{name: 'stable', default: true, versionRange: '>=1.2.0', prereleaseTag: '^$'}]});
		const {result} = await deploy('1.0.0', {recipeFile: file});
		expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--image', message: expect.stringContaining('1.0.0 is not allowed on channel stable')}]});
	});

	test('a stored release whose tag moved asks first (default no); nothing changes when declined', async () => {
		h.workspace.saveRelease({project: 'hello-color', version: '1.0.0', images: {web: {tag: '1.0.0', digest: `sha256:${'0'.repeat(64)}`}}, createdAt: '2026-11-01T00:00:00.000Z'});
		const {result, asked} = await deploy(undefined, {release: '1.0.0', answers: {}});
		expect(asked.map(q => q.id)).toEqual(['allow-moved-tags']);
		expect(asked[0]!.detail?.[0]).toMatch(/web: tag 1\.0\.0 now points at sha256:/);
		expect(result).toMatchObject({outcome: 'declined', flag: '--allow-moved-tags'});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('a release whose ECR repository was deleted is refused naming the image and the repository, not an unexpected error', async () => {
		h.workspace.saveRelease({project: 'hello-color', version: '1.0.0', images: {web: {tag: '1.0.0', digest: `sha256:${'0'.repeat(64)}`}}, createdAt: '2026-11-01T00:00:00.000Z'});
		h.fake.failNext('DescribeImages', awsError('RepositoryNotFoundException', "The repository with name 'hello-color' does not exist in the registry with id '123456789012'"));
		const {result} = await deploy(undefined, {release: '1.0.0', answers: {}});
		expect(result).toMatchObject({
			outcome: 'invalid',
			problems: [{path: 'images.web.repository', message: expect.stringMatching(/^the ECR repository hello-color no longer exists \(The repository with name 'hello-color' does not exist.*\): release 1\.0\.0 pinned web=1\.0\.0 in it/)}],
		});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('without a release or tags, the operator picks one of the stored releases', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		const {result, asked} = await deploy(undefined, {answers: {'pick-release': '1.0.0'}});
		expect(asked[0]).toMatchObject({kind: 'choose', id: 'pick-release', flag: '--release'});
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.0.0'}});
	});

	test('a sensitive value given at deploy time is asked for, passed as the NoEcho parameter and never reported', async () => {
		const recipe = await exampleObject('hello-color');
		recipe['variables'] = [...(recipe['variables'] as unknown[]), {name: 'ApiKey', sensitive: true}];
		(recipe['service'] as any).containers[0].environment.API_KEY = '#{ApiKey}';
		const file = await h.recipeFile(recipe);
		const {result, events, asked} = await deploy('1.0.0', {recipeFile: file, answers: {values: {ApiKey: 'S3cr3t-canary-42'}}});
		expect(asked.find(q => q.id === 'secret-value')).toMatchObject({kind: 'enter', sensitive: true, key: 'ApiKey', flag: 'ECS_DEPLOYER_SECRET_APIKEY'});
		expect(result.outcome).toBe('succeeded');
		const create = h.fake.calls.find(c => c.command === 'CreateChangeSet')!.input;
		expect(create.Parameters.find((p: {ParameterKey: string}) => p.ParameterKey.startsWith('Secret'))?.ParameterValue).toBe('S3cr3t-canary-42');
		expect(JSON.stringify(events)).not.toContain('S3cr3t-canary-42');
		expect(JSON.stringify(h.workspace.deployments('hello-color'))).not.toContain('S3cr3t-canary-42');
	});
});

describe('promotion order', () => {
	test('a release that has not run in the environment before asks first; declining changes nothing', async () => {
		const {result, asked} = await deploy('1.0.0', {environment: 'staging', answers: {}});
		expect(asked[0]).toMatchObject({id: 'skip-lifecycle', defaultAnswer: false, flag: '--skip-lifecycle'});
		expect(result).toMatchObject({outcome: 'declined', message: expect.stringContaining('has not been deployed successfully to dev')});
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('after it ran in dev, staging goes without asking', async () => {
		await deploy('1.0.0');
		const {result, asked} = await deploy('1.0.0', {environment: 'staging'});
		expect(asked.map(q => q.id)).toEqual(['execute-change-set']);
		expect(result.outcome).toBe('succeeded');
	});

	test('an AWS error while checking is an access problem, not "has not been deployed"', async () => {
		h.fake.failNext('DescribeStacks', awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: cloudformation:DescribeStacks', 403));
		const {result} = await deploy('1.0.0', {environment: 'staging'});
		expect(result).toMatchObject({outcome: 'access-denied', operation: 'DescribeStacks'});
	});
});

describe('stacks that need care first', () => {
	test('waits for another operation in progress, then deploys', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0', {wait: {mode: 'none'}});
		const {result, codes} = await deploy('1.2.0');
		expect(codes).toContain('stack.busy');
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.2.0'}});
	});

	test('with noWaitForBusy a busy stack is reported, not waited for', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0', {wait: {mode: 'none'}});
		const {result} = await deploy('1.2.0', {noWaitForBusy: true});
		expect(result.outcome).toBe('busy');
		// Who is busy on it: the release the other operation deploys, and since when.
		expect(result.message).toMatch(/^another operation runs on stack hello-color-dev \(UPDATE_IN_PROGRESS, release 1\.1\.0, since \d\d:\d\d:\d\d UTC\); try again when it is done$/);
	});

	test('ROLLBACK_COMPLETE: asks, deletes and recreates the stack', async () => {
		expect((await deploy('1.4.1-crashloop')).result).toMatchObject({outcome: 'rolled-back', stackStatus: 'ROLLBACK_COMPLETE'});
		const {result, asked} = await deploy('1.0.0', {answers: {'recreate-stack': true}});
		expect(asked.map(q => q.id)).toEqual(['recreate-stack', 'execute-change-set']);
		expect(h.fake.count('DeleteStack')).toBe(1);
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE'});
	});

	test('ROLLBACK_COMPLETE without confirmation changes nothing', async () => {
		await deploy('1.4.1-crashloop');
		const changeSets = h.fake.count('CreateChangeSet');
		const {result} = await deploy('1.0.0', {answers: {}});
		expect(result).toMatchObject({outcome: 'declined', question: 'recreate-stack'});
		expect(h.fake.count('DeleteStack')).toBe(0);
		expect(h.fake.count('CreateChangeSet')).toBe(changeSets);
	});

	test('UPDATE_ROLLBACK_FAILED: continues the rollback first (the service stays up), then updates', async () => {
		await deploy('1.0.0');
		expect((await deploy('1.4.1-stuck-rollback')).result.stackStatus).toBe('UPDATE_ROLLBACK_FAILED');
		const {result, asked} = await deploy('1.1.0');
		expect(asked[0]).toMatchObject({id: 'continue-rollback', defaultAnswer: true});
		expect(h.fake.count('ContinueUpdateRollback')).toBe(1);
		expect(h.fake.count('DeleteStack')).toBe(0);
		expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE'});
	});
});

describe('failures and their reasons', () => {
	test('a failed resource with follow-up failures: the root cause is the first failure, with a hint', async () => {
		h.fake.changeTemplate = template => {
			template.Resources.TaskDefinition.Properties.Memory = '4096';
		};
		const {result} = await deploy('1.0.0');
		expect(result).toMatchObject({outcome: 'rolled-back', stackStatus: 'ROLLBACK_COMPLETE'});
		expect(reasonsOf(result)[0]).toMatchObject({
			source: 'stack',
			subject: 'TaskDefinition (AWS::ECS::TaskDefinition)',
			message: expect.stringContaining('No Fargate configuration exists for given values: 256 CPU, 4096 memory'),
			hint: expect.stringContaining('Fargate task size'),
		});
		expect(reasonsOf(result).some(r => /cancelled/.test(r.message))).toBe(false);
	});

	test('crash-looping tasks stopped by the circuit breaker: rolled back, exit reasons and log lines reported', async () => {
		await deploy('1.0.0');
		const {result, events} = await deploy('1.4.1-crashloop');
		expect(result).toMatchObject({outcome: 'rolled-back', stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
		const messages = reasonsOf(result).map(r => `${r.source}: ${r.message}`);
		expect(messages[0]).toBe('container: exited with exit code 1');
		expect(messages).toContain('task: Essential container in task exited');
		expect(messages).toContain('stack: ECS Deployment Circuit Breaker was triggered (GeneralServiceException)');
		expect(reasonsOf(result).find(r => r.source === 'container')?.hint).toMatch(/application exited/);
		expect(events.find(e => e.code === 'logs')).toMatchObject({container: 'web', lines: expect.arrayContaining(['Error: required setting DATABASE_URL is not set'])});
	});

	test('failure reasons are reported while the deploy runs, not only at the end', async () => {
		await deploy('1.0.0');
		const {events} = await deploy('1.4.1-crashloop');
		const firstFailure = events.findIndex(e => e.code === 'failure');
		const lastStatus = events.findLastIndex(e => e.code === 'stack.status');
		expect(firstFailure).toBeGreaterThan(-1);
		expect(firstFailure).toBeLessThan(lastStatus);
	});

	test('a failed health check is reported as that, not as running out of memory (exit 137 is only SIGKILL)', async () => {
		const orders = h.example('orders-api');
		const first = await deploy(undefined, {recipeFile: orders, images: {api: '1.0.0'}});
		expect(first.result.outcome).toBe('succeeded');
		const {result} = await deploy(undefined, {recipeFile: orders, images: {api: '1.4.1-unhealthy'}});
		const reasons = reasonsOf(result);
		expect(reasons[0]).toMatchObject({source: 'task', message: 'Task failed container health checks', hint: expect.stringContaining('health check')});
		expect(reasons.some(r => /out of memory/i.test(`${r.message} ${r.hint ?? ''}`))).toBe(false);
	});

	test('a container killed for memory is reported as out of memory', async () => {
		await deploy('1.0.0');
		const {result} = await deploy('1.4.1-oom');
		expect(reasonsOf(result)[0]).toMatchObject({source: 'container', message: expect.stringContaining('OutOfMemoryError'), hint: expect.stringContaining('ran out of memory')});
	});
});

describe('AWS trouble', () => {
	test('throttling while watching is retried with backoff and the deploy still succeeds', async () => {
		h.fake.failNext('DescribeStackEvents', awsError('Throttling', 'Rate exceeded'), 3);
		const {result, events} = await deploy('1.0.0');
		expect(result.outcome).toBe('succeeded');
		const retries = events.flatMap(e => (e.code === 'aws.retry' ? [e] : []));
		expect(retries.map(r => r.delayMs)).toEqual([1000, 2000, 4000]);
		expect(retries.every(r => r.kind === 'throttling')).toBe(true);
	});

	test('an expired session while watching: fresh credentials are tried once, then it says so and how to re-attach', async () => {
		await deploy('1.0.0');
		const expired = awsError('ExpiredToken', 'The security token included in the request is expired', 403);
		h.fake.atSleep(4, () => h.fake.failNext('DescribeStacks', expired, 2));
		const {result, events} = await deploy('1.2.0');
		expect(result).toMatchObject({outcome: 'detached', expired: true});
		expect(result.message).toMatch(/session expired.*re-attach with: ecs-deployer --sandbox watch --recipe recipes\/hello-color.yaml --env dev/);
		expect(events).toContainEqual({code: 'note', message: 'the AWS session expired during DescribeStacks; trying fresh credentials'});
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.2.0', outcome: 'detached'});
	});

	test('a session renewed meanwhile: the refresh picks it up and the deploy goes on', async () => {
		h.fake.atSleep(2, () => h.fake.failNext('DescribeStacks', awsError('ExpiredToken', 'The security token included in the request is expired', 403)));
		expect((await deploy('1.0.0')).result.outcome).toBe('succeeded');
	});

	test('detaching during a throttling backoff ends as detached, not as the AWS error', async () => {
		await deploy('1.0.0');
		let detach = () => {};
		h.fake.atSleep(3, () => {
			h.fake.failNext('DescribeStacks', awsError('Throttling', 'Rate exceeded'), 50);
			h.fake.atSleep(2, () => detach());
		});
		const {result} = await deploy('1.1.0', {during: run => (detach = () => run.detach())});
		expect(result.outcome).toBe('detached');
	});
});

describe('detach, cancel and timeout', () => {
	test('interrupting stops watching without cancelling, and says how to re-attach', async () => {
		await deploy('1.0.0');
		let detach = () => {};
		h.fake.atSleep(3, () => detach());
		const {result} = await deploy('1.4.1-slow', {during: run => (detach = () => run.detach())});
		expect(result).toMatchObject({outcome: 'detached', expired: false});
		expect(result.message).toContain('ecs-deployer --sandbox watch --recipe recipes/hello-color.yaml --env dev');
		expect(h.fake.count('CancelUpdateStack')).toBe(0);
		expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.4.1-slow', outcome: 'detached'});
	});

	test('detaching while the change set is computed stops at once (no busy polling)', async () => {
		let detach = () => {};
		h.fake.atSleep(1, () => detach());
		const {result} = await deploy('1.0.0', {during: run => (detach = () => run.detach())});
		expect(result.outcome).toBe('detached');
		expect(h.fake.count('DescribeChangeSet')).toBeLessThanOrEqual(2);
	});

	test('cancel during an update cancels it: the previous release comes back, and the rollback is followed', async () => {
		await deploy('1.0.0');
		let cancel = () => {};
		h.fake.atSleep(4, () => cancel());
		const {result, events} = await deploy('1.4.1-slow', {during: run => (cancel = () => run.cancel())});
		expect(h.fake.count('CancelUpdateStack')).toBe(1);
		expect(result).toMatchObject({outcome: 'cancelled', changed: true, stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
		expect(stackStatuses(events)).toContain('UPDATE_ROLLBACK_IN_PROGRESS');
		expect(stackEvents(events).some(e => e.logicalId === 'hello-color-dev' && e.status === 'UPDATE_ROLLBACK_COMPLETE')).toBe(true);
	});

	test('cancel before the change set is applied changes nothing', async () => {
		let cancel = () => {};
		h.fake.atSleep(1, () => cancel());
		const {result} = await deploy('1.0.0', {during: run => (cancel = () => run.cancel())});
		expect(result).toMatchObject({outcome: 'cancelled', changed: false});
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
	});

	test('a timeout cancels the update so the previous version is restored', async () => {
		await deploy('1.0.0');
		const {result} = await deploy('1.4.1-slow', {wait: {mode: 'timeout', timeoutMinutes: 1}});
		expect(h.fake.count('CancelUpdateStack')).toBe(1);
		expect(result).toMatchObject({outcome: 'timed-out', stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
	});

	test('polling stays near one CloudFormation read per second or less', async () => {
		const start = h.fake.now;
		await deploy('1.4.1-slow');
		const reads = h.fake.count('DescribeStacks') + h.fake.count('DescribeStackEvents') + h.fake.count('DescribeChangeSet');
		expect(reads / ((h.fake.now - start) / 1000)).toBeLessThanOrEqual(1.1);
	});
});

async function exampleObject(name: 'hello-color' | 'orders-api'): Promise<Record<string, unknown>> {
	const {readFile} = await import('node:fs/promises');
	const {parse} = await import('yaml');
	return parse(await readFile(h.example(name), 'utf8')) as Record<string, unknown>;
}
