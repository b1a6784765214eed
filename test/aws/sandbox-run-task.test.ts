import {describe, expect, test} from 'vitest';
import {fargateTemplate, sandbox} from './sandbox-driver.js';

/* RunTask in the sandbox: a one-off task from a registered task definition, its end decided by its command. */

const network = {awsvpcConfiguration: {subnets: ['subnet-0a1b2c3d4e5f60718']}};

describe('RunTask', () => {
	test('PROVISIONING → PENDING → RUNNING → STOPPED with the exit code the command asks for, and its log lines', async () => {
		const s = sandbox();
		await s.apply('demo', fargateTemplate());
		const started = await s.aws.ecs.runTask({cluster: 'sandbox', taskDefinition: 'demo-dev:1', networkConfiguration: network, startedBy: 'ecs-deployer/run', overrides: {containerOverrides: [{name: 'web', command: ['sh', '-c', 'migrate; exit 2']}]}});
		const task = started.tasks![0]!;
		expect(task).toMatchObject({lastStatus: 'PROVISIONING', startedBy: 'ecs-deployer/run', group: 'family:demo-dev', taskDefinitionArn: expect.stringMatching(/demo-dev:1$/)});
		const states: string[] = [];
		for (let i = 0; i < 12; i++) {
			s.advance(1000);
			const now = (await s.aws.ecs.describeTasks({cluster: 'sandbox', tasks: [task.taskArn!]})).tasks![0]!;
			if (states.at(-1) !== now.lastStatus) states.push(now.lastStatus!);
		}
		expect(states).toEqual(['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED']);
		const stopped = (await s.aws.ecs.describeTasks({cluster: 'sandbox', tasks: [task.taskArn!]})).tasks![0]!;
		expect(stopped).toMatchObject({stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [expect.objectContaining({name: 'web', exitCode: 2})]});
		const log = await s.aws.logs.getLogEvents({logGroupName: '/ecs/demo/dev', logStreamName: `web/web/${task.taskArn!.split('/').at(-1)}`});
		expect(log.events!.map(e => e.message)).toEqual(['Running sh -c migrate; exit 2', 'Applying migration 0042_add_index … done', 'Applying migration 0043_orders_status … done', 'Process exited with code 2']);
		// ListTasks by startedBy finds it while it runs; stopped, by desired status.
		expect((await s.aws.ecs.listTasks({cluster: 'sandbox', desiredStatus: 'STOPPED'})).taskArns).toContain(task.taskArn);
	});

	test('what ECS refuses: no network for an awsvpc task, an unknown task definition or container', async () => {
		const s = sandbox();
		await s.apply('demo', fargateTemplate());
		await expect(s.aws.ecs.runTask({cluster: 'sandbox', taskDefinition: 'demo-dev:1'})).rejects.toMatchObject({name: 'InvalidParameterException', message: "Network Configuration must be provided when networkMode 'awsvpc' is specified."});
		await expect(s.aws.ecs.runTask({cluster: 'sandbox', taskDefinition: 'nope:3', networkConfiguration: network})).rejects.toMatchObject({name: 'InvalidParameterException'});
		await expect(s.aws.ecs.runTask({cluster: 'sandbox', taskDefinition: 'demo-dev:1', networkConfiguration: network, overrides: {containerOverrides: [{name: 'db'}]}})).rejects.toMatchObject({message: expect.stringContaining('db')});
		await expect(s.aws.ecs.runTask({cluster: 'elsewhere', taskDefinition: 'demo-dev:1', networkConfiguration: network})).rejects.toMatchObject({name: 'ClusterNotFoundException'});
	});
});
