import {DescribeStackEventsCommand, ListStackResourcesCommand} from '@aws-sdk/client-cloudformation';
import {beforeAll, describe, expect, test} from 'vitest';
import {describeRun, jsonOf, resultOf, type CliRun, type JsonResult} from './helpers/cli.js';
import {newCase, project, type Case} from './helpers/case.js';
import {aws, createCluster, describeStack, emulatorRunningTasks, seedRepository, serviceOfStack} from './helpers/emulator.js';

type StatusRow = {environment: string; stackStatus?: string; release?: string; lastDeployment?: {version: string; outcome: string}};
type ReleaseRow = {version: string; deployedTo: Array<{environment: string; status?: string}>; outcomes: Array<{environment: string; outcome: string}>};
type Operation = {operation: string; events: Array<{id: string; logicalId: string; status: string}>};

const stackName = project.stack('dev');

/** The task definition the stack registered (its TaskDefinition resource), as CloudFormation says. */
async function stackTaskDefinition(): Promise<string | undefined> {
	const resources = await aws.cloudFormation().send(new ListStackResourcesCommand({StackName: stackName}));
	return resources.StackResourceSummaries?.find(r => r.ResourceType === 'AWS::ECS::TaskDefinition')?.PhysicalResourceId;
}

async function primaryDeployment() {
	return (await serviceOfStack(stackName, 'main'))?.deployments?.find(d => d.status === 'PRIMARY');
}

async function eventCount(): Promise<number> {
	const answer = await aws.cloudFormation().send(new DescribeStackEventsCommand({StackName: stackName}));
	return answer.StackEvents?.length ?? 0;
}

// One environment's life, step by step: each step runs whatever the previous ones asserted, so a step that
// fails does not hide what the next ones show.
describe('create → same release (no-op) → update → same release → another release → rollback --to previous → status, releases, events', () => {
	let c: Case;
	/** Runs a deploy or rollback of dev with --json; the exit code must be the one the result reports. */
	async function finished(args: readonly string[]): Promise<{run: CliRun; result: JsonResult}> {
		const run = await c.cli([...args, '--recipe', project.recipeFile, '--env', 'dev', '--yes', '--json']);
		const result = resultOf(run);
		expect(run.code, describeRun(run)).toBe(result.exitCode);
		return {run, result};
	}

	beforeAll(async () => {
		c = await newCase();
		await createCluster('main');
		await c.addTarget('main');
		await seedRepository(project.repository, ['1.9.0', '1.10.0', '1.11.0']);
	});

	test('1. a create the service confirms (its PRIMARY deployment on the new task definition, COMPLETED, running = desired) succeeds', async () => {
		const {result} = await finished(['deploy', '--image', 'web=1.9.0']);
		expect(await primaryDeployment(), 'the ECS evidence').toMatchObject({taskDefinition: await stackTaskDefinition(), rolloutState: 'COMPLETED', runningCount: emulatorRunningTasks, desiredCount: emulatorRunningTasks});
		expect(result).toMatchObject({outcome: 'succeeded', exitCode: 0, stackName, stackStatus: 'CREATE_COMPLETE', release: {version: '1.9.0'}});
	});

	test('2. the same release again is a no-op: no stack operation, and the service runs it', async () => {
		const before = await eventCount();
		const {result} = await finished(['deploy', '--release', '1.9.0']);
		expect(result).toMatchObject({outcome: 'no-op', exitCode: 0, release: {version: '1.9.0'}});
		expect(await eventCount(), 'a no-op starts no stack operation').toBe(before);
	});

	// The emulator keeps the service's PRIMARY deployment on the old task definition after a CloudFormation
	// update: nothing shows that the service runs what the deploy registered, so "unconfirmed" (exit 4) is the
	// truthful verdict of every update here, never "succeeded".
	test('3. an update the service does not confirm is unconfirmed (exit 4), not succeeded', async () => {
		const {result} = await finished(['deploy', '--image', 'web=1.10.0']);
		expect((await primaryDeployment())?.taskDefinition, 'precondition: the emulator left the service on the old task definition').not.toBe(await stackTaskDefinition());
		expect((await describeStack(stackName))?.StackStatus).toBe('UPDATE_COMPLETE');
		expect(result).toMatchObject({outcome: 'unconfirmed', exitCode: 4, stackStatus: 'UPDATE_COMPLETE', release: {version: '1.10.0'}});
		expect(result.message).not.toMatch(/is serving/);
	});

	test('4. the same release again changes no stack, and is still not confirmed: unconfirmed, not a no-op', async () => {
		const before = await eventCount();
		const {result} = await finished(['deploy', '--release', '1.10.0']);
		expect(await eventCount(), 'nothing to change: no stack operation').toBe(before);
		expect(result).toMatchObject({outcome: 'unconfirmed', exitCode: 4, release: {version: '1.10.0'}});
	});

	test('5. another release: unconfirmed, and status says so', async () => {
		const {result} = await finished(['deploy', '--image', 'web=1.11.0']);
		expect(result).toMatchObject({outcome: 'unconfirmed', exitCode: 4, release: {version: '1.11.0'}});
		const status = jsonOf<StatusRow[]>(await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev', '--json']));
		expect(status[0]?.lastDeployment).toMatchObject({version: '1.11.0', outcome: 'unconfirmed'});
	});

	test('6. rollback --to previous goes back to the newest release confirmed serving here (1.9.0), and is unconfirmed like any update', async () => {
		const {result} = await finished(['rollback', '--to', 'previous']);
		expect(result).toMatchObject({outcome: 'unconfirmed', exitCode: 4, release: {version: '1.9.0'}});
		const parameters = (await describeStack(stackName))?.Parameters ?? [];
		expect(parameters.find(p => p.ParameterKey === 'ImageTagWeb')?.ParameterValue).toBe('1.9.0');
	});

	test('7. status: the stack, the release it has, and how the last deployment really ended', async () => {
		const json = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev', '--json']);
		expect(json.code, describeRun(json)).toBe(0);
		expect(jsonOf<StatusRow[]>(json)).toEqual([expect.objectContaining({environment: 'dev', stackStatus: 'UPDATE_COMPLETE', release: '1.9.0', lastDeployment: expect.objectContaining({version: '1.9.0', outcome: 'unconfirmed'})})]);
		const plain = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev']);
		// ECS runs 1.9.0 (its PRIMARY deployment never left the first task definition); the stack holds another revision.
		expect(plain.stdout).toMatch(/^dev +\? unconfirmed +release 1\.9\.0 \(web=1\.9\.0\) +UPDATE_COMPLETE/m);
		expect(plain.stdout).not.toMatch(/succeeded/);
	});

	test('8. releases: where each release runs, and every deployment as it really ended, oldest first', async () => {
		const run = await c.cli(['releases', '--recipe', project.recipeFile, '--json']);
		expect(run.code, describeRun(run)).toBe(0);
		const releases = jsonOf<ReleaseRow[]>(run);
		const outcomes = (version: string) => releases.find(r => r.version === version)?.outcomes.filter(o => o.environment === 'dev').map(o => o.outcome);
		expect(releases.map(r => r.version)).toEqual(['1.11.0', '1.10.0', '1.9.0']);
		expect(outcomes('1.9.0')).toEqual(['succeeded', 'no-op', 'unconfirmed']);
		expect(outcomes('1.10.0')).toEqual(['unconfirmed', 'unconfirmed']);
		expect(outcomes('1.11.0')).toEqual(['unconfirmed']);
		expect(releases.find(r => r.version === '1.9.0')?.deployedTo).toEqual([{environment: 'dev', status: 'UPDATE_COMPLETE', serving: false}]);
	});

	test('9. events: every stack event CloudFormation has; one create and three updates (the runs that changed nothing started none)', async () => {
		const run = await c.cli(['events', '--recipe', project.recipeFile, '--env', 'dev', '--json']);
		expect(run.code, describeRun(run)).toBe(0);
		const shown = jsonOf<Operation[]>(run).flatMap(o => o.events);
		const fromAws = (await aws.cloudFormation().send(new DescribeStackEventsCommand({StackName: stackName}))).StackEvents ?? [];
		expect(shown.map(e => e.id).sort()).toEqual(fromAws.map(e => e.EventId).sort());
		const stackStatuses = shown.filter(e => e.logicalId === stackName).map(e => e.status);
		expect(stackStatuses.filter(s => s === 'CREATE_COMPLETE')).toHaveLength(1);
		expect(stackStatuses.filter(s => s === 'UPDATE_COMPLETE')).toHaveLength(3);
	});
});
