import {describe, expect, test} from 'vitest';
import {fargateTemplate, sandbox} from './sandbox-driver.js';

/* The calls the full-screen app adds: GetTemplate, ListStackResources, ListClusters, UpdateService. */

describe('GetTemplate', () => {
	test('returns the template the stack runs, or a change set’s; unknown stacks fail like CloudFormation', async () => {
		const {apply, aws} = sandbox();
		const first = fargateTemplate();
		await apply('tpl', first);
		expect(await aws.cloudFormation.getTemplate({StackName: 'tpl', TemplateStage: 'Original'})).toMatchObject({TemplateBody: first, StagesAvailable: ['Original', 'Processed']});
		const next = fargateTemplate(t => void (t.Resources['Service']!.Properties['DesiredCount'] = 2));
		const created = await aws.cloudFormation.createChangeSet({StackName: 'tpl', ChangeSetName: 'next', ChangeSetType: 'UPDATE', TemplateBody: next, Capabilities: ['CAPABILITY_IAM']});
		expect((await aws.cloudFormation.getTemplate({StackName: 'tpl', ChangeSetName: created.Id!})).TemplateBody).toBe(next);
		// The stack still runs the first one until the change set is executed.
		expect((await aws.cloudFormation.getTemplate({StackName: 'tpl'})).TemplateBody).toBe(first);
		await expect(aws.cloudFormation.getTemplate({StackName: 'nope'})).rejects.toMatchObject({name: 'ValidationError', message: 'Stack with id nope does not exist'});
	});

	test('after a rolled-back update, the template is the previous one again', async () => {
		const {apply, aws} = sandbox();
		const first = fargateTemplate();
		await apply('rb', first);
		const {stack} = await apply('rb', fargateTemplate(t => void ((t.Parameters['ImageTagWeb'] as Record<string, unknown>)['Default'] = '1.4.1-crashloop')));
		expect(stack?.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
		expect((await aws.cloudFormation.getTemplate({StackName: 'rb'})).TemplateBody).toBe(first);
	});
});

describe('ListStackResources', () => {
	test('lists logical and physical ids, types, statuses and times; an update leaves the new task definition revision', async () => {
		const {apply, aws, now} = sandbox();
		await apply('res', fargateTemplate());
		const created = (await aws.cloudFormation.listStackResources({StackName: 'res'})).StackResourceSummaries ?? [];
		expect(created.map(r => [r.LogicalResourceId, r.ResourceType, r.ResourceStatus, r.PhysicalResourceId])).toEqual([
			['LogGroup', 'AWS::Logs::LogGroup', 'CREATE_COMPLETE', '/ecs/demo/dev'],
			['TaskExecutionRole', 'AWS::IAM::Role', 'CREATE_COMPLETE', expect.stringMatching(/^res-TaskExecutionRole-/)],
			['TaskDefinition', 'AWS::ECS::TaskDefinition', 'CREATE_COMPLETE', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-dev:1'],
			['Service', 'AWS::ECS::Service', 'CREATE_COMPLETE', expect.stringMatching(/^arn:aws:ecs:eu-west-1:123456789012:service\/sandbox\//)],
		]);
		for (const r of created) expect(r.LastUpdatedTimestamp!.getTime()).toBeLessThanOrEqual(now());

		await apply('res', fargateTemplate(), {parameters: {ImageTagWeb: '1.3.0'}});
		const updated = (await aws.cloudFormation.listStackResources({StackName: 'res'})).StackResourceSummaries ?? [];
		expect(updated.find(r => r.LogicalResourceId === 'TaskDefinition')).toMatchObject({ResourceStatus: 'UPDATE_COMPLETE', PhysicalResourceId: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-dev:2'});

		// A failed update rolls back to revision 2; its revision 3 is deleted.
		await apply('res', fargateTemplate(), {parameters: {ImageTagWeb: '1.4.1-crashloop'}});
		const rolledBack = (await aws.cloudFormation.listStackResources({StackName: 'res'})).StackResourceSummaries ?? [];
		expect(rolledBack.find(r => r.LogicalResourceId === 'TaskDefinition')).toMatchObject({ResourceStatus: 'UPDATE_COMPLETE', PhysicalResourceId: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-dev:2'});
		await expect(aws.cloudFormation.listStackResources({StackName: 'nope'})).rejects.toMatchObject({name: 'ValidationError', message: 'Stack with id nope does not exist'});
	});

	test('pages by 100 with NextToken', async () => {
		const {apply, aws} = sandbox();
		const body = fargateTemplate(t => {
			for (let i = 0; i < 120; i++) t.Resources[`Extra${i}`] = {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: `/extra/${i}`}};
		});
		await apply('many', body, {wait: 600_000});
		const first = await aws.cloudFormation.listStackResources({StackName: 'many'});
		expect(first.StackResourceSummaries).toHaveLength(100);
		expect(first.NextToken).toBeDefined();
		const second = await aws.cloudFormation.listStackResources({StackName: 'many', NextToken: first.NextToken!});
		expect(second.StackResourceSummaries).toHaveLength(124 - 100);
		expect(second.NextToken).toBeUndefined();
	});
});

describe('ListClusters and DescribeClusters', () => {
	test('the sandbox has its cluster and an empty second one, paged', async () => {
		const {aws} = sandbox();
		expect((await aws.ecs.listClusters({})).clusterArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:cluster/sandbox', 'arn:aws:ecs:eu-west-1:123456789012:cluster/sandbox-blue']);
		const page = await aws.ecs.listClusters({maxResults: 1});
		expect(page.clusterArns).toHaveLength(1);
		expect((await aws.ecs.listClusters({maxResults: 1, nextToken: page.nextToken!})).clusterArns).toEqual(['arn:aws:ecs:eu-west-1:123456789012:cluster/sandbox-blue']);
		const described = await aws.ecs.describeClusters({clusters: ['sandbox-blue', 'arn:aws:ecs:eu-west-1:123456789012:cluster/sandbox', 'gone']});
		expect(described.clusters?.map(c => [c.clusterName, c.status, c.activeServicesCount])).toEqual([
			['sandbox-blue', 'ACTIVE', 0],
			['sandbox', 'ACTIVE', 0],
		]);
		expect(described.failures).toEqual([{arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/gone', reason: 'MISSING'}]);
	});
});

describe('UpdateService with forceNewDeployment', () => {
	test('a fresh deployment of the same task definition replaces the tasks, then completes', async () => {
		const {apply, aws, advance} = sandbox();
		const {stack} = await apply('redeploy', fargateTemplate());
		const service = stack?.Outputs?.find(o => o.OutputKey === 'ServiceArn')?.OutputValue;
		const before = (await aws.ecs.describeServices({cluster: 'sandbox', services: [service!]})).services![0]!;
		const oldTasks = (await aws.ecs.listTasks({cluster: 'sandbox', serviceName: service!})).taskArns ?? [];
		expect(oldTasks).toHaveLength(1);

		const updated = await aws.ecs.updateService({cluster: 'sandbox', service: service!, forceNewDeployment: true});
		const deployments = updated.service?.deployments ?? [];
		expect(deployments.map(d => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
			['PRIMARY', 'IN_PROGRESS', before.taskDefinition],
			['ACTIVE', 'COMPLETED', before.taskDefinition],
		]);
		const fresh = deployments[0]!.id!;
		expect(fresh).toMatch(/^ecs-svc\/\d{19}$/);

		advance(30_000);
		const after = (await aws.ecs.describeServices({cluster: 'sandbox', services: [service!]})).services![0]!;
		expect(after.deployments?.map(d => [d.id, d.status, d.rolloutState, d.rolloutStateReason])).toEqual([[fresh, 'PRIMARY', 'COMPLETED', `ECS deployment ${fresh} completed.`]]);
		expect(after.runningCount).toBe(1);
		const stopped = (await aws.ecs.describeTasks({cluster: 'sandbox', tasks: oldTasks})).tasks![0]!;
		expect(stopped).toMatchObject({lastStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${fresh})`});
		const running = (await aws.ecs.listTasks({cluster: 'sandbox', serviceName: service!})).taskArns ?? [];
		expect(running).toHaveLength(1);
		expect(running).not.toEqual(oldTasks);
		expect(after.events?.map(e => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/has started 1 tasks/), `(service ${after.serviceName}) (deployment ${fresh}) deployment completed.`]));
		// The stack is not touched.
		expect((await aws.cloudFormation.describeStacks({StackName: 'redeploy'})).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
	});

	test('errors: unknown cluster, unknown service, and settings the stack owns', async () => {
		const {apply, aws} = sandbox();
		const {stack} = await apply('errs', fargateTemplate());
		const service = stack?.Outputs?.find(o => o.OutputKey === 'ServiceArn')?.OutputValue!;
		await expect(aws.ecs.updateService({cluster: 'nope', service, forceNewDeployment: true})).rejects.toMatchObject({name: 'ClusterNotFoundException', message: 'Cluster not found.'});
		await expect(aws.ecs.updateService({cluster: 'sandbox-blue', service, forceNewDeployment: true})).rejects.toMatchObject({name: 'ServiceNotFoundException', message: 'Service not found.'});
		await expect(aws.ecs.updateService({cluster: 'sandbox', service, taskDefinition: 'demo-dev:9'})).rejects.toMatchObject({name: 'InvalidParameterException', message: expect.stringContaining('taskDefinition')});
	});
});
