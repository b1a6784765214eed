import {CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {ListTasksCommand} from '@aws-sdk/client-ecs';
import {beforeAll, describe, expect, test} from 'vitest';
import {describeRun, resultOf} from './helpers/cli.js';
import {newCase, project, type Case} from './helpers/case.js';
import {aws, createCluster, seedRepository} from './helpers/emulator.js';

/*
 * `ecs-deployer logs` against the emulator: the stack's log group (CloudFormation made it), a task's stream
 * written with the SDK as the awslogs driver would (`<prefix>/<container>/<task id>`), read back by the CLI.
 */

const group = `/ecs/${project.name}/dev`;
const taskId = '0123456789abcdef0123456789abcdef';
const stream = `web/web/${taskId}`;

describe('logs', () => {
	let c: Case;
	const start = Date.now() - 60_000;

	beforeAll(async () => {
		c = await newCase();
		await createCluster('main');
		await c.addTarget('main');
		await seedRepository(project.repository, ['1.0.0']);
		const deploy = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes', '--json']);
		expect(resultOf(deploy).exitCode, describeRun(deploy)).toBe(0);
		const logs = aws.logs();
		const groups = await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: group}));
		// The stack's AWS::Logs::LogGroup; made here only if the emulator left it out.
		if (!groups.logGroups?.some(g => g.logGroupName === group)) await logs.send(new CreateLogGroupCommand({logGroupName: group}));
		await logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: stream}));
		await logs.send(
			new PutLogEventsCommand({
				logGroupName: group,
				logStreamName: stream,
				logEvents: [
					{timestamp: start, message: 'Starting web'},
					{timestamp: start + 1000, message: 'Listening on :80'},
					{timestamp: start + 50_000, message: 'GET / 200 3ms'},
				],
			}),
		);
	});

	test('--task reads the task\'s stream, oldest first, and exits 0', async () => {
		const run = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'dev', '--task', `arn:aws:ecs:us-east-1:123456789012:task/main/${taskId}`]);
		expect(run.code, describeRun(run)).toBe(0);
		const lines = run.stdout.trim().split('\n');
		expect(lines.map(line => line.replace(/^\S+ /, ''))).toEqual(['web/01234567 Starting web', 'web/01234567 Listening on :80', 'web/01234567 GET / 200 3ms']);
		expect(run.stderr).toMatch(/3 log lines from 1 stream/);
	});

	test('--json and --since: one object per line, older lines left out', async () => {
		const run = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'dev', '--task', taskId, '--since', '30s', '--json']);
		expect(run.code, describeRun(run)).toBe(0);
		const lines = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {container: string; task: string; message: string});
		expect(lines).toEqual([{timestamp: new Date(start + 50_000).toISOString(), container: 'web', task: taskId, message: 'GET / 200 3ms'}]);
	});

	test('without --task: the tasks of the service\'s PRIMARY deployment; none listed, nothing to read, and it says so', async () => {
		// The emulator reports a service's task counts but lists no tasks for it.
		expect((await aws.ecs().send(new ListTasksCommand({cluster: 'main'}))).taskArns, 'precondition: the emulator lists no tasks').toEqual([]);
		const run = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'dev']);
		expect(run.code, describeRun(run)).toBe(0);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(/reading 0 log streams \(no task yet\)/);
		expect(run.stderr).toMatch(/0 log lines from 0 streams/);
	});

	test('an environment that was never deployed: exit 2 naming --env', async () => {
		const run = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'staging']);
		expect(run.code, describeRun(run)).toBe(2);
		expect(run.stderr).toMatch(/--env: there is no stack emu-web-staging/);
	});
});
