import {afterEach, beforeEach, expect, test} from 'vitest';
import {harness, recordingHost, stackStatuses, target, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const reattach = 'ecs-deployer --sandbox watch --recipe recipes/hello-color.yaml --env dev';

async function deploy(tag: string, detachAtSleep?: number) {
	const run = h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach, images: {web: tag}}, recordingHost({'execute-change-set': true}));
	if (detachAtSleep !== undefined) h.fake.atSleep(detachAtSleep, () => run.detach());
	return run.result;
}

async function watch() {
	const host = recordingHost();
	const result = await h.engine.attach({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach}, host).result;
	return {result, events: host.events};
}

test('after an interrupted deploy, attach follows the same operation to its end', async () => {
	await deploy('1.0.0');
	const updateBegan = h.fake.clock.now();
	expect((await deploy('1.4.1-slow', 3)).outcome).toBe('detached');
	const attachedAt = h.fake.clock.now();
	const {result, events} = await watch();
	expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE', release: {version: '1.4.1-slow'}});
	// The operation is timed from when the update began, not from the re-attach.
	const start = events.find(e => e.code === 'deploy.start');
	expect(start?.code === 'deploy.start' && start.startedAt).toBeGreaterThanOrEqual(updateBegan - 1000);
	expect(start?.code === 'deploy.start' && start.startedAt).toBeLessThan(attachedAt);
	expect(result.durationMs).toBeGreaterThan(h.fake.clock.now() - attachedAt);
	expect(events.find(e => e.code === 'note')).toMatchObject({message: 're-attached to hello-color-dev (UPDATE_IN_PROGRESS)'});
	// What happened before the re-attach is shown too: the operation's first row.
	expect(events.find(e => e.code === 'stack.event')).toMatchObject({event: {logicalId: 'hello-color-dev', status: 'UPDATE_IN_PROGRESS'}});
});

test('watch after a finished update reports success: the cleanup of the old task definition is not followed', async () => {
	await deploy('1.0.0');
	expect((await deploy('1.1.0')).outcome).toBe('succeeded');
	const {result, events} = await watch();
	expect(result).toMatchObject({outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE', release: {version: '1.1.0'}});
	expect(events.some(e => e.code === 'stack.event' && e.event.logicalId === 'TaskDefinition' && e.event.status === 'DELETE_COMPLETE')).toBe(true);
	expect(events.filter(e => e.code === 'service.deployment' && e.role === 'new').at(-1)).toMatchObject({deployment: {rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/:2$/)}});
});

test('when nothing runs, it says how the last operation ended and why', async () => {
	await deploy('1.0.0');
	await deploy('1.4.1-crashloop');
	const described = h.fake.count('DescribeStacks');
	const {result, events} = await watch();
	// The stack is described once: the monitor starts from what attach already read.
	expect(h.fake.count('DescribeStacks') - described).toBe(1);
	expect(result).toMatchObject({outcome: 'rolled-back', stackStatus: 'UPDATE_ROLLBACK_COMPLETE'});
	expect(stackStatuses(events)).toEqual(['UPDATE_ROLLBACK_COMPLETE']);
	expect('reasons' in result && result.reasons.map(r => r.message)).toContain('exited with exit code 1');
});

test('a detached deploy\'s record is completed from AWS when it is watched', async () => {
	await deploy('1.0.0');
	await deploy('1.4.1-slow', 3);
	expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.4.1-slow', outcome: 'detached'});
	await watch();
	expect(h.workspace.deployments('hello-color').at(-1)).toMatchObject({version: '1.4.1-slow', outcome: 'succeeded', reconciled: true, stackStatus: 'UPDATE_COMPLETE'});
});

test('an environment that was never deployed is bad input, not a failed deploy', async () => {
	const {result} = await watch();
	expect(result).toMatchObject({outcome: 'invalid', problems: [{path: '--env'}]});
});

test('an update begun within a second of the create before it: the watch follows the update alone, to its own verdict', async () => {
	await deploy('1.0.0');
	expect((await deploy('1.4.1-slow', 3)).outcome).toBe('detached');
	// The create's events as if it had ended a moment before the update began (a deploy right after another, as a
	// script or a fast sandbox does): within the second a re-attach once allowed for clock rounding.
	h.fake.answer('DescribeStackEvents', (output: {StackEvents?: Array<{ResourceType?: string; ResourceStatus?: string; Timestamp?: Date}>}) => {
		const update = output.StackEvents?.find(e => e.ResourceType === 'AWS::CloudFormation::Stack' && e.ResourceStatus === 'UPDATE_IN_PROGRESS')?.Timestamp;
		if (update === undefined) return output;
		for (const event of output.StackEvents ?? []) if (event.ResourceStatus?.startsWith('CREATE_')) event.Timestamp = new Date(new Date(update).getTime() - 300);
		return output;
	});
	const {result, events} = await watch();
	expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.4.1-slow'}});
	const stackEvents = events.flatMap(e => (e.code === 'stack.event' ? [e.event] : []));
	expect(stackEvents[0]).toMatchObject({logicalId: 'hello-color-dev', status: 'UPDATE_IN_PROGRESS'});
	expect(stackEvents.map(e => e.status)).not.toContain('CREATE_COMPLETE');
});
