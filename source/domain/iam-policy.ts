/**
 * The least-privilege IAM policy the tool needs: its own reads and stack calls, plus what CloudFormation
 * does with the caller's permissions while it creates the task definition, service, log group and role.
 * With a project name, stack and log group resources are scoped to that project's names.
 */
export function iamPolicy(project?: {name: string; stackPrefix?: string}): object {
	const stack = project ? `arn:aws:cloudformation:*:*:stack/${project.stackPrefix ?? project.name}-*/*` : 'arn:aws:cloudformation:*:*:stack/*';
	const logGroup = project ? `arn:aws:logs:*:*:log-group:/ecs/${project.name}/*` : 'arn:aws:logs:*:*:log-group:/ecs/*';
	return {
		Version: '2012-10-17',
		Statement: [
			{
				Sid: 'StacksOfThisTool',
				Effect: 'Allow',
				Action: [
					'cloudformation:CreateChangeSet',
					'cloudformation:DescribeChangeSet',
					'cloudformation:ExecuteChangeSet',
					'cloudformation:DeleteChangeSet',
					'cloudformation:DescribeStacks',
					'cloudformation:DescribeStackEvents',
					'cloudformation:DeleteStack',
					'cloudformation:CancelUpdateStack',
					'cloudformation:ContinueUpdateRollback',
				],
				Resource: stack,
			},
			{
				Sid: 'EcsServiceAndTasks',
				Effect: 'Allow',
				Action: [
					'ecs:DescribeClusters',
					'ecs:DescribeServices',
					'ecs:ListTasks',
					'ecs:DescribeTasks',
					'ecs:CreateService',
					'ecs:UpdateService',
					'ecs:DeleteService',
					'ecs:RegisterTaskDefinition',
					'ecs:DeregisterTaskDefinition',
					'ecs:DescribeTaskDefinition',
					'ecs:TagResource',
					'ecs:UntagResource',
				],
				Resource: '*',
			},
			{Sid: 'ImageTags', Effect: 'Allow', Action: ['ecr:DescribeImages'], Resource: '*'},
			{
				Sid: 'LogGroupsAndLogs',
				Effect: 'Allow',
				Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:DescribeLogGroups', 'logs:GetLogEvents'],
				Resource: [logGroup, `${logGroup}:log-stream:*`],
			},
			{
				Sid: 'ExecutionRoleCreatedByTheStack',
				Effect: 'Allow',
				Action: ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:TagRole', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
				Resource: project ? `arn:aws:iam::*:role/${project.stackPrefix ?? project.name}-*` : 'arn:aws:iam::*:role/*',
			},
			{
				Sid: 'PassTaskRolesToEcs',
				Effect: 'Allow',
				Action: 'iam:PassRole',
				Resource: '*',
				Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}},
			},
			{Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*'},
		],
	};
}
