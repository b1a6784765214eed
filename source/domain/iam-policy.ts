import type {ResolvedRecipe} from './recipe/resolved.js';
import {buildTemplate} from './template/build.js';
import {executionRolePath} from './template/iam.js';

/*
 * The least-privilege IAM policy for the identity that deploys a recipe: its own calls (stack, service,
 * task, image and log reads) and what CloudFormation does with the caller's credentials while it creates,
 * updates and deletes the stack's resources (no stack service role is used). Every statement is scoped to
 * the recipe's stacks, clusters, families, roles, log groups, secrets and repositories; `*` only where the
 * Service Authorization Reference says the action takes no resource:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * docs/iam-policy.md explains each statement.
 */

/**
 * One environment of the recipe as the policy needs it: one stack in one cluster. Unknown parts (no target
 * yet) become `*` in the ARNs, which widens the policy to any region, account or cluster.
 */
export type IamPolicyEnvironment = {
	/** The environment's name (for reading the policy; not part of any ARN). */
	name: string;
	/** The CloudFormation stack the environment deploys. */
	stackName: string;
	/** The target's region; absent = any region. */
	region?: string;
	/** The target's account id; absent = any account. */
	accountId?: string;
	/** The ECS cluster name; absent = any cluster. */
	cluster?: string;
	/** The task definition family. */
	family: string;
	/** The ECS service name when the recipe fixes one; absent = CloudFormation generates it (any name in the cluster). */
	serviceName?: string;
	/** The task role ARN the recipe names, if any. */
	taskRole?: string;
	/** The execution role ARN the recipe names; absent = the stack creates the execution role. */
	executionRole?: string;
	/** Log groups the stack creates (`logging: auto`), by name; the tool also reads their streams. */
	logGroups: readonly string[];
	/**
	 * Names of the Secrets Manager secrets the stack creates for sensitive literals: `<stack>/<variable>` for
	 * one used as a whole value, `<stack>/composed/<id>` for a value composed with them.
	 */
	createdSecrets: readonly string[];
	/** Amazon ECR repositories of the images, with their registry's region and account when they differ from the target's. */
	repositories: ReadonlyArray<{name: string; region?: string; accountId?: string}>;
};

/**
 * What the policy is for: one recipe, every environment it deploys. Build each environment with
 * `iamPolicyEnvironment` from the resolved recipe, or by hand.
 */
export type IamPolicyInput = {
	/** The recipe's `name`. */
	project: string;
	environments: readonly IamPolicyEnvironment[];
};

type Statement = {Sid: string; Effect: 'Allow'; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>>};

/** An IAM policy document. */
export type IamPolicy = {Version: '2012-10-17'; Statement: Statement[]};

/** The least-privilege policy for deploying the recipe's environments. Pure: no AWS calls. */
export function iamPolicy(input: IamPolicyInput): IamPolicy {
	const envs = input.environments;
	const statements: Statement[] = [];
	const add = (statement: Statement, when = true) => {
		const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
		if (when && resources.length > 0) statements.push(statement);
	};

	add({
		Sid: 'StacksOfThisRecipe',
		Effect: 'Allow',
		Action: [
			'cloudformation:CreateChangeSet',
			'cloudformation:DescribeChangeSet',
			'cloudformation:ExecuteChangeSet',
			'cloudformation:DeleteChangeSet',
			'cloudformation:DescribeStacks',
			'cloudformation:DescribeStackEvents',
			'cloudformation:GetTemplate',
			'cloudformation:ListStackResources',
			'cloudformation:DeleteStack',
			'cloudformation:CancelUpdateStack',
			'cloudformation:ContinueUpdateRollback',
		],
		Resource: unique(envs.map(e => `${arn(e, 'cloudformation')}:stack/${e.stackName}/*`)),
	});

	add({
		Sid: 'DescribeTheClusters',
		Effect: 'Allow',
		Action: 'ecs:DescribeClusters',
		Resource: unique(envs.map(clusterArn)),
	});
	add({
		Sid: 'ServicesInTheClusters',
		Effect: 'Allow',
		Action: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:ListServiceDeployments'],
		Resource: unique(envs.map(serviceArn)),
		Condition: {ArnLike: {'ecs:cluster': unique(envs.map(clusterArn))}},
	});
	add({
		Sid: 'ServiceDeploymentsAndTasks',
		Effect: 'Allow',
		Action: ['ecs:DescribeServiceDeployments', 'ecs:DescribeTasks'],
		Resource: unique(envs.flatMap(e => [`${arn(e, 'ecs')}:service-deployment/${e.cluster ?? '*'}/${e.serviceName ?? '*'}/*`, `${arn(e, 'ecs')}:task/${e.cluster ?? '*'}/*`])),
		Condition: {ArnLike: {'ecs:cluster': unique(envs.map(clusterArn))}},
	});
	add({
		// ListTasks is authorised against container instances, which Fargate tasks have none of: the cluster
		// condition is what scopes it.
		Sid: 'ListTasksInTheClusters',
		Effect: 'Allow',
		Action: 'ecs:ListTasks',
		Resource: '*',
		Condition: {ArnLike: {'ecs:cluster': unique(envs.map(clusterArn))}},
	});
	add({
		Sid: 'RegisterTheTaskDefinitionFamilies',
		Effect: 'Allow',
		Action: 'ecs:RegisterTaskDefinition',
		Resource: unique(envs.map(taskDefinitionArn)),
	});
	add({
		// ECS authorises tags given with CreateService/RegisterTaskDefinition as ecs:TagResource, and
		// CloudFormation changes tags with TagResource/UntagResource; these take no ecs:cluster condition.
		Sid: 'TagTheServicesAndTaskDefinitions',
		Effect: 'Allow',
		Action: ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
		Resource: unique([...envs.map(serviceArn), ...envs.map(taskDefinitionArn)]),
	});
	add({
		// No resource-level permissions for these two (AWS requires "*").
		Sid: 'TaskDefinitionsWithoutResourceScope',
		Effect: 'Allow',
		Action: ['ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition'],
		Resource: '*',
	});

	add({
		Sid: 'ImageTagsInTheRepositories',
		Effect: 'Allow',
		Action: ['ecr:DescribeImages', 'ecr:ListImages'],
		Resource: unique(envs.flatMap(e => e.repositories.map(r => `arn:${partition(r.region ?? e.region)}:ecr:${r.region ?? e.region ?? '*'}:${r.accountId ?? e.accountId ?? '*'}:repository/${r.name}`))),
	});

	const logGroups = envs.flatMap(e => e.logGroups.map(name => `${arn(e, 'logs')}:log-group:${name}`));
	add({
		Sid: 'LogGroupsOfTheStacks',
		Effect: 'Allow',
		Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
		// Some Logs actions are evaluated against the group's ARN with a `:*` suffix (as DescribeLogGroups returns it).
		Resource: unique(logGroups.flatMap(group => [group, `${group}:*`])),
	});
	add({
		Sid: 'ReadContainerLogs',
		Effect: 'Allow',
		Action: 'logs:GetLogEvents',
		Resource: unique(logGroups.map(group => `${group}:log-stream:*`)),
	});
	add(
		{
			// CloudFormation reads log groups back with DescribeLogGroups, which takes no resource (AWS requires "*").
			Sid: 'DescribeLogGroupsWithoutResourceScope',
			Effect: 'Allow',
			Action: 'logs:DescribeLogGroups',
			Resource: '*',
		},
		logGroups.length > 0,
	);

	const creating = envs.filter(e => e.executionRole === undefined);
	const createdRoles = unique(creating.map(createdRolePattern));
	add({
		Sid: 'ExecutionRolesCreatedByTheStacks',
		Effect: 'Allow',
		Action: [
			'iam:CreateRole',
			'iam:DeleteRole',
			'iam:GetRole',
			'iam:TagRole',
			'iam:UntagRole',
			'iam:UpdateAssumeRolePolicy',
			'iam:PutRolePolicy',
			'iam:DeleteRolePolicy',
			'iam:GetRolePolicy',
			'iam:ListRolePolicies',
			'iam:ListAttachedRolePolicies',
			'iam:ListInstanceProfilesForRole',
		],
		Resource: createdRoles,
	});
	add({
		Sid: 'AttachOnlyTheEcsTaskExecutionPolicy',
		Effect: 'Allow',
		Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
		Resource: createdRoles,
		Condition: {ArnEquals: {'iam:PolicyARN': unique(creating.map(e => `arn:${partition(e.region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`))}},
	});
	add({
		Sid: 'PassTheTaskRolesToEcs',
		Effect: 'Allow',
		Action: 'iam:PassRole',
		Resource: unique([...envs.flatMap(e => [e.taskRole, e.executionRole].filter((r): r is string => r !== undefined)), ...createdRoles]),
		Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}},
	});

	add({
		Sid: 'SecretsCreatedByTheStacks',
		Effect: 'Allow',
		Action: [
			'secretsmanager:CreateSecret',
			'secretsmanager:DeleteSecret',
			'secretsmanager:DescribeSecret',
			'secretsmanager:GetSecretValue',
			'secretsmanager:PutSecretValue',
			'secretsmanager:UpdateSecret',
			'secretsmanager:TagResource',
			'secretsmanager:UntagResource',
			// A recipe's own execution role reads them through each secret's resource policy.
			'secretsmanager:PutResourcePolicy',
			'secretsmanager:DeleteResourcePolicy',
			'secretsmanager:GetResourcePolicy',
		],
		// Secrets Manager appends a hyphen and six random characters to the name in the ARN.
		Resource: unique(envs.flatMap(e => e.createdSecrets.map(name => `${arn(e, 'secretsmanager')}:secret:${name}-??????`))),
	});

	// GetCallerIdentity takes no resource (AWS requires "*").
	add({Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*'});
	return {Version: '2012-10-17', Statement: statements};
}

/**
 * The policy input for one environment, from the recipe resolved for it (with its target when known): the
 * same template the deploy uses tells which log groups, secrets and roles the stack creates.
 */
export function iamPolicyEnvironment(resolved: ResolvedRecipe): IamPolicyEnvironment {
	const {service, target} = resolved;
	const built = buildTemplate(resolved);
	const logGroups = Object.values(built.template.Resources)
		.filter(r => r.Type === 'AWS::Logs::LogGroup')
		.map(r => r.Properties['LogGroupName'])
		.filter((name): name is string => typeof name === 'string');
	// Secrets are named `${AWS::StackName}/…` in the template (see template/names.ts).
	const createdSecrets = Object.values(built.template.Resources)
		.filter(r => r.Type === 'AWS::SecretsManager::Secret')
		.map(r => r.Properties['Name'])
		.map(name => (name !== null && typeof name === 'object' && !Array.isArray(name) && typeof name['Fn::Sub'] === 'string' ? name['Fn::Sub'] : undefined))
		.filter((name): name is string => name !== undefined)
		.map(name => name.replaceAll('${AWS::StackName}', service.stackName));
	const repositories = Object.values(resolved.images)
		.filter(image => image.registry === undefined && service.containers.some(c => c.image === image.ref))
		.map(image => ({name: image.repository, ...(image.region === undefined ? {} : {region: image.region}), ...(image.account === undefined ? {} : {accountId: image.account})}));
	return {
		name: resolved.environment,
		stackName: service.stackName,
		...(target === undefined ? {} : {region: target.region, cluster: target.cluster}),
		...(target?.accountId === undefined ? {} : {accountId: target.accountId}),
		family: service.family,
		...(service.serviceName === undefined ? {} : {serviceName: service.serviceName}),
		...(service.taskRole === undefined ? {} : {taskRole: service.taskRole}),
		...(service.executionRole === undefined ? {} : {executionRole: service.executionRole}),
		logGroups,
		createdSecrets,
		repositories,
	};
}

/** `arn:<partition>:<service>:<region>:<account>` for the environment, `*` where unknown. */
function arn(e: IamPolicyEnvironment, service: string): string {
	return `arn:${partition(e.region)}:${service}:${e.region ?? '*'}:${e.accountId ?? '*'}`;
}

const clusterArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:cluster/${e.cluster ?? '*'}`;
const serviceArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:service/${e.cluster ?? '*'}/${e.serviceName ?? '*'}`;
const taskDefinitionArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:task-definition/${e.family}:*`;
/** The stack puts its execution role under a path named after it (see template/iam.ts). */
const createdRolePattern = (e: IamPolicyEnvironment) => `arn:${partition(e.region)}:iam::${e.accountId ?? '*'}:role${executionRolePath(e.stackName)}*`;

/** China and GovCloud regions have their own ARN partition; an unknown region is taken as the commercial one. */
function partition(region: string | undefined): string {
	if (region?.startsWith('cn-')) return 'aws-cn';
	if (region?.startsWith('us-gov-')) return 'aws-us-gov';
	return 'aws';
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
