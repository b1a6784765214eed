import type {Capability, StackEvent} from '@aws-sdk/client-cloudformation';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';

/*
 * Drives the sandbox account through its ports on a clock the test moves, without the engine: change
 * sets made, executed and waited for, events read oldest first.
 */

type Json = Record<string, unknown>;

/** A Fargate service template like the ones the template builder makes; `change` edits it before use. */
export function fargateTemplate(change: (template: {Parameters: Json; Resources: Record<string, {Type: string; Properties: Json}>}) => void = () => {}): string {
	const template = {
		Parameters: {ImageTagWeb: {Type: 'String', Default: '1.4.0'}} as Json,
		Resources: {
			LogGroup: {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: '/ecs/demo/dev', RetentionInDays: 30} as Json},
			TaskExecutionRole: {
				Type: 'AWS::IAM::Role',
				Properties: {AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}]}} as Json,
			},
			TaskDefinition: {
				Type: 'AWS::ECS::TaskDefinition',
				Properties: {
					Family: 'demo-dev',
					Cpu: '256',
					Memory: '512',
					NetworkMode: 'awsvpc',
					RequiresCompatibilities: ['FARGATE'],
					RuntimePlatform: {OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64'},
					ExecutionRoleArn: {'Fn::GetAtt': ['TaskExecutionRole', 'Arn']},
					ContainerDefinitions: [
						{
							Name: 'web',
							Image: {'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/hello-color:${ImageTagWeb}'},
							Essential: true,
							LogConfiguration: {LogDriver: 'awslogs', Options: {'awslogs-group': {Ref: 'LogGroup'}, 'awslogs-region': {Ref: 'AWS::Region'}, 'awslogs-stream-prefix': 'web'}},
						},
					],
				} as Json,
			},
			Service: {
				Type: 'AWS::ECS::Service',
				Properties: {
					Cluster: 'sandbox',
					TaskDefinition: {Ref: 'TaskDefinition'},
					DesiredCount: 1,
					LaunchType: 'FARGATE',
					NetworkConfiguration: {AwsvpcConfiguration: {Subnets: ['subnet-0a1b2c3d4e5f60718'], AssignPublicIp: 'ENABLED'}},
					DeploymentController: {Type: 'ECS'},
					DeploymentConfiguration: {MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: {Enable: true, Rollback: true}},
					PropagateTags: 'SERVICE',
				} as Json,
			},
		},
	};
	change(template);
	return JSON.stringify(template);
}

/** A sandbox account on a test clock, in memory or in `file`, playing AWS `speed` times faster (default 1). */
export function sandbox(options: {file?: string; start?: number; speed?: number} = {}) {
	let now = options.start ?? Date.parse('2026-11-23T10:00:00Z');
	const account = new SandboxAccount({now: () => now, ...(options.file === undefined ? {} : {file: options.file}), ...(options.speed === undefined ? {} : {speed: options.speed})});
	const aws = account.ports();
	let made = 0;
	const advance = (ms: number) => void (now += ms);

	/** Makes a change set for the template and, when it has changes, executes it and waits `wait` ms. */
	async function apply(stackName: string, body: string, settings: {parameters?: Record<string, string>; capabilities?: Capability[]; wait?: number} = {}) {
		const existing = await aws.cloudFormation.describeStacks({StackName: stackName}).then(
			r => r.Stacks?.[0],
			() => undefined,
		);
		const type = existing && existing.StackStatus !== 'REVIEW_IN_PROGRESS' ? 'UPDATE' : 'CREATE';
		made++;
		const created = await aws.cloudFormation.createChangeSet({
			StackName: stackName,
			ChangeSetName: `change-${made}`,
			ChangeSetType: type,
			TemplateBody: body,
			Parameters: Object.entries(settings.parameters ?? {}).map(([ParameterKey, ParameterValue]) => ({ParameterKey, ParameterValue})),
			Capabilities: settings.capabilities ?? ['CAPABILITY_IAM'],
		});
		advance(1000);
		const changeSet = await aws.cloudFormation.describeChangeSet({ChangeSetName: created.Id!, StackName: stackName});
		if (changeSet.Status !== 'CREATE_COMPLETE') return {changeSet};
		await aws.cloudFormation.executeChangeSet({ChangeSetName: created.Id!, StackName: stackName, ClientRequestToken: `token-${made}-0123456789ab`});
		advance(settings.wait ?? 120_000);
		const stack = (await aws.cloudFormation.describeStacks({StackName: stackName})).Stacks![0]!;
		return {changeSet, stack};
	}

	/** Every event of the stack, oldest first. */
	async function events(stackName: string): Promise<StackEvent[]> {
		const all: StackEvent[] = [];
		let NextToken: string | undefined;
		do {
			const page = await aws.cloudFormation.describeStackEvents({StackName: stackName, ...(NextToken ? {NextToken} : {})});
			all.push(...(page.StackEvents ?? []));
			NextToken = page.NextToken;
		} while (NextToken);
		return all.reverse();
	}

	return {account, aws, advance, apply, events, now: () => now};
}
