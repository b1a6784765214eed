import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';

/* The sandbox's calls through its ports, without the engine. */

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
		await expect(aws.logs.getLogEvents({logGroupName: 'g', logStreamName: 's'})).rejects.toMatchObject({name: 'ResourceNotFoundException', message: 'The specified log group does not exist.'});
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

	test('DescribeChangeSet says which properties change and whether they recreate; with IncludePropertyValues, their values and the contexts', async () => {
		let now = 1_000_000;
		const aws = new SandboxAccount({now: () => now}).ports();
		const body = (extra: object) =>
			JSON.stringify({
				Parameters: {ImageTagWeb: {Type: 'String', Default: '1.4.0'}, Secret: {Type: 'String', NoEcho: true}},
				Resources: {
					TaskDefinition: {Type: 'AWS::ECS::TaskDefinition', Properties: {Family: 'demo', Cpu: '256', Memory: '512', ContainerDefinitions: [{Name: 'web', Image: {'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/hello-color:${ImageTagWeb}'}}]}},
					Service: {Type: 'AWS::ECS::Service', Properties: {DesiredCount: 1, TaskDefinition: {Ref: 'TaskDefinition'}, ...extra}},
				},
			});
		const created = await aws.cloudFormation.createChangeSet({StackName: 's', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: body({}), Parameters: [{ParameterKey: 'Secret', ParameterValue: 'canary-1'}]});
		now += 1000;
		await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, ClientRequestToken: 't1'});
		now += 60_000;
		const update = await aws.cloudFormation.createChangeSet({
			StackName: 's',
			ChangeSetName: 'c2',
			ChangeSetType: 'UPDATE',
			TemplateBody: body({DesiredCount: 2}),
			Parameters: [{ParameterKey: 'ImageTagWeb', ParameterValue: '1.4.1'}, {ParameterKey: 'Secret', ParameterValue: 'canary-2'}],
		});
		now += 1000;
		const plain = await aws.cloudFormation.describeChangeSet({ChangeSetName: update.Id!});
		const task = plain.Changes!.find(c => c.ResourceChange?.LogicalResourceId === 'TaskDefinition')!.ResourceChange!;
		expect(task).toMatchObject({Action: 'Modify', Replacement: 'True', Details: [{Target: {Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always'}, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'ImageTagWeb'}]});
		expect(task.BeforeContext).toBeUndefined();
		expect(task.Details![0]!.Target!.BeforeValue).toBeUndefined();

		const valued = await aws.cloudFormation.describeChangeSet({ChangeSetName: update.Id!, IncludePropertyValues: true});
		const withValues = valued.Changes!.find(c => c.ResourceChange?.LogicalResourceId === 'TaskDefinition')!.ResourceChange!;
		expect(withValues.Details).toEqual([
			{
				Target: {Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always', Path: '/Properties/ContainerDefinitions/0/Image', BeforeValue: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-color:1.4.0', AfterValue: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-color:1.4.1', AttributeChangeType: 'Modify'},
				Evaluation: 'Static',
				ChangeSource: 'ParameterReference',
				CausingEntity: 'ImageTagWeb',
			},
		]);
		expect(JSON.parse(withValues.BeforeContext!)).toMatchObject({Properties: {Family: 'demo', ContainerDefinitions: [{Name: 'web', Image: expect.stringMatching(/:1\.4\.0$/)}]}});
		const service = valued.Changes!.find(c => c.ResourceChange?.LogicalResourceId === 'Service')!.ResourceChange!;
		expect(service.Replacement).toBe('False');
		expect(JSON.parse(service.AfterContext!).Properties).toEqual({DesiredCount: 2, TaskDefinition: '{{changeSet:KNOWN_AFTER_APPLY}}'});
		expect(JSON.parse(service.BeforeContext!).Properties.TaskDefinition).toMatch(/task-definition\/demo:1$/);
		expect(JSON.stringify(valued)).not.toMatch(/canary/);
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
});

test('a template property the resource type does not have fails that resource when CloudFormation reaches it', async () => {
	let now = 5_000_000;
	const aws = new SandboxAccount({now: () => now}).ports();
	const body = JSON.stringify({
		Resources: {
			TaskDefinition: {Type: 'AWS::ECS::TaskDefinition', Properties: {Family: 'x', Cpu: '256', Memory: '512', ContainerDefinitions: [{Name: 'web', Image: 'nginx'}]}},
			Service: {Type: 'AWS::ECS::Service', Properties: {DesiredCounts: 1}},
		},
	});
	const created = await aws.cloudFormation.createChangeSet({StackName: 'x', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body});
	now += 1000;
	await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, ClientRequestToken: 't'});
	now += 30_000;
	expect((await aws.cloudFormation.describeStacks({StackName: 'x'})).Stacks?.[0]?.StackStatus).toBe('ROLLBACK_COMPLETE');
	const events = (await aws.cloudFormation.describeStackEvents({StackName: 'x'})).StackEvents ?? [];
	// Today's wording puts the messages in brackets: "… with message: [#: extraneous key [X] is not permitted]".
	expect(events.find(e => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe('Properties validation failed for resource Service with message: [#: extraneous key [DesiredCounts] is not permitted]');
	// The task definition made before it is deleted by the rollback.
	expect(events.filter(e => e.LogicalResourceId === 'TaskDefinition').map(e => e.ResourceStatus)).toContain('DELETE_COMPLETE');
});
