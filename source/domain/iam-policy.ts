import {ledgerArns} from './ledger-location.js';
import {error, type Problem} from './problems.js';
import type {ResolvedRecipe} from './recipe/resolved.js';
import {shiftsTraffic} from './recipe/strategy-rules.js';
import {buildTemplate} from './template/build.js';
import {beforeDeployFamily} from './template/before-deploy.js';
import {executionRolePath, permissionsBoundaryArn} from './template/iam.js';

/*
 * The least-privilege IAM policy for the identity that deploys a recipe: its own calls (stack, service,
 * task, image and log reads) and what CloudFormation does with the caller's credentials while it creates,
 * updates and deletes the stack's resources (no stack service role is used). Every statement is scoped to
 * the recipe's stacks, clusters, families, roles, log groups, secrets and repositories; `*` only where the
 * Service Authorization Reference says the action takes no resource:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 *
 * It never lets its holder escalate: creating a role or writing a role's policies is allowed only with the
 * permissions boundary the recipe names (`iam:PermissionsBoundary`), the boundary can be neither removed
 * nor changed, and without a boundary no role is written at all (the recipe then names roles made
 * beforehand; `iamPolicyProblems` says so). iam-policy-check.ts checks any policy against these rules.
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
	/**
	 * `service.permissionsBoundary` when the stack creates the execution role: a managed policy's ARN, or its
	 * name in the environment's account. Absent = no boundary, and the policy grants no role writes.
	 */
	permissionsBoundary?: string;
	/**
	 * `deployment.infrastructureRole` when the environment's strategy shifts traffic (blue-green, canary,
	 * linear): the role ECS uses to change the listener rules, passed to ECS with the service's
	 * `AdvancedConfiguration.RoleArn`. Absent for a rolling environment.
	 */
	infrastructureRole?: string;
	/** `deployment.approval`: the deployment stops at a PAUSE hook until someone approves or rejects it. */
	approval?: boolean;
	/** `service.autoScaling`: the stack registers the service as a scalable target; `scheduled` with scheduled actions. */
	autoScaling?: {scheduled: boolean};
	/**
	 * The family of the task definition a release registers for its `beforeDeploy` task (run before the
	 * stack is updated), when the recipe has one. Absent: no such task.
	 */
	beforeDeployFamily?: string;
	/** `service.enableExecuteCommand`: no call of ours, but the task role needs the SSM channels (a note says so). */
	executeCommand?: boolean;
	/**
	 * What the pre-flight check (`verify`) reads besides what the rest of the policy names: the Secrets
	 * Manager secrets and SSM parameters the containers' `valueFrom` references, as ARNs. Only with
	 * `IamPolicyInput.preflight`.
	 */
	referencedSecrets?: readonly string[];
	referencedParameters?: readonly string[];
};

/**
 * What the policy is for: one recipe, every environment it deploys. Build each environment with
 * `iamPolicyEnvironment` from the resolved recipe, or by hand.
 */
export type IamPolicyInput = {
	/** The recipe's `name`. */
	project: string;
	environments: readonly IamPolicyEnvironment[];
	/**
	 * The S3 ledgers the project's releases and records are kept in (the recipe's or the targets' `ledger`):
	 * listed, read and written under their prefix only. Absent: the workspace file, no S3 statement.
	 */
	ledgers?: ReadonlyArray<{bucket: string; prefix: string}>;
	/**
	 * The pre-flight check's reads (roles, subnets, security groups, target groups, referenced secrets and
	 * parameters, image manifests). Absent: no pre-flight statement.
	 */
	preflight?: boolean;
};

type Condition = Record<string, Record<string, string | string[]>>;
type Statement = {Sid: string; Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: Condition};

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
		// Following a rollout and explaining why tasks stopped, and `run` (and a release's beforeDeploy task):
		// RunTask of the environment's families. One statement for the three resource types, as each action
		// is authorised against its own type only (RunTask against the task definition).
		Sid: 'ServiceDeploymentsAndTasks',
		Effect: 'Allow',
		Action: ['ecs:DescribeServiceDeployments', 'ecs:DescribeTasks', 'ecs:RunTask', ...(envs.some(e => e.beforeDeployFamily !== undefined) ? ['ecs:StopTask'] : [])],
		Resource: unique(envs.flatMap(e => [serviceDeploymentArn(e), `${arn(e, 'ecs')}:task/${e.cluster ?? '*'}/*`, ...taskDefinitionArns(e)])),
		Condition: {ArnLike: {'ecs:cluster': unique(envs.map(clusterArn))}},
	});
	const approving = envs.filter(e => e.approval === true);
	add({
		// approve / reject: ContinueServiceDeployment on the deployment waiting at the PAUSE hook.
		Sid: 'AnswerTheApprovalGate',
		Effect: 'Allow',
		Action: 'ecs:ContinueServiceDeployment',
		Resource: unique(approving.map(serviceDeploymentArn)),
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
		Resource: unique(envs.flatMap(taskDefinitionArns)),
	});
	add({
		// ECS authorises tags given with CreateService/RegisterTaskDefinition as ecs:TagResource, and
		// CloudFormation changes tags with TagResource/UntagResource; these take no ecs:cluster condition.
		Sid: 'TagTheServicesAndTaskDefinitions',
		Effect: 'Allow',
		Action: ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
		Resource: unique([...envs.map(serviceArn), ...envs.flatMap(taskDefinitionArns)]),
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
		Action: 'ecr:DescribeImages',
		Resource: unique(envs.flatMap(repositoryArns)),
	});

	const logGroups = envs.flatMap(e => e.logGroups.map(name => `${arn(e, 'logs')}:log-group:${name}`));
	add({
		Sid: 'LogGroupsOfTheStacks',
		Effect: 'Allow',
		Action: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource', 'logs:GetLogEvents'],
		// Some Logs actions are evaluated against the group's ARN with a `:*` suffix (as DescribeLogGroups
		// returns it); that form also covers the group's streams (`…:log-stream:<name>`), which GetLogEvents
		// (the container lines shown with a failure, and `run`'s output) is evaluated against.
		Resource: unique(logGroups.flatMap(group => [group, `${group}:*`])),
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

	// Roles: only those the stacks create, only with the boundary the recipe names. Environments that would
	// create a role without one get no role statement at all (iamPolicyProblems refuses them).
	const bounded = envs.filter(e => e.executionRole === undefined && e.permissionsBoundary !== undefined);
	const byBoundary = new Map<string, IamPolicyEnvironment[]>();
	for (const e of bounded) byBoundary.set(boundaryArn(e)!, [...(byBoundary.get(boundaryArn(e)!) ?? []), e]);
	let group = 0;
	for (const [boundary, members] of byBoundary) {
		// One statement per boundary, so each stack's roles are tied to the boundary of its environment.
		const suffix = byBoundary.size > 1 ? String(++group) : '';
		add({
			// iam:PermissionsBoundary is the boundary of the role being created or changed: these succeed only
			// for a role bounded by it, so no policy written to the role can reach beyond the boundary. The
			// only managed policy that may be attached or detached is the one the stack attaches
			// (iam:PolicyARN is in the request of those two actions only, hence IfExists).
			Sid: `CreateTheStacksRolesWithTheBoundary${suffix}`,
			Effect: 'Allow',
			Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
			Resource: unique(members.map(createdRolePattern)),
			Condition: {
				...boundaryCondition(boundary),
				ArnEqualsIfExists: {'iam:PolicyARN': unique(members.map(e => `arn:${partition(e.region)}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`))},
			},
		});
	}
	const createdRoles = unique(bounded.map(createdRolePattern));
	add({
		// Reading, tagging and deleting a role gives no permission; the trust policy is never changed after
		// creation (no iam:UpdateAssumeRolePolicy: it takes no boundary condition, and would let the holder
		// make the role assumable by anyone).
		Sid: 'ReadTagAndDeleteTheStacksRoles',
		Effect: 'Allow',
		Action: ['iam:GetRole', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'],
		Resource: createdRoles,
	});
	add({
		Sid: 'PassTheTaskRolesToEcs',
		Effect: 'Allow',
		Action: 'iam:PassRole',
		Resource: unique([...envs.flatMap(e => [e.taskRole, e.executionRole].filter((r): r is string => r !== undefined)), ...createdRoles]),
		Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}},
	});
	add({
		// Blue-green, canary and linear: the service's load balancer AdvancedConfiguration.RoleArn is passed
		// to ECS (not to its tasks), which changes the listener rules with it.
		Sid: 'PassTheInfrastructureRoleToEcs',
		Effect: 'Allow',
		Action: 'iam:PassRole',
		Resource: unique(envs.flatMap(e => (e.infrastructureRole === undefined ? [] : [e.infrastructureRole]))),
		Condition: {StringEquals: {'iam:PassedToService': 'ecs.amazonaws.com'}},
	});
	const boundaries = [...byBoundary.keys()];
	add(
		{
			// Whatever else the identity may do, it cannot take a boundary off a role.
			Sid: 'NeverRemoveAPermissionsBoundary',
			Effect: 'Deny',
			Action: 'iam:DeleteRolePermissionsBoundary',
			Resource: '*',
		},
		boundaries.length > 0,
	);
	add({
		// ...nor create, change or delete the boundary policy itself (CreatePolicy: in case it does not exist yet).
		Sid: 'NeverChangeThePermissionsBoundaryPolicy',
		Effect: 'Deny',
		Action: ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
		Resource: boundaries,
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

	for (const statement of scalingStatements(envs)) add(statement);
	if (input.preflight === true) for (const statement of preflightStatements(envs)) add(statement);

	for (const statement of ledgerStatements(input)) add(statement);

	// GetCallerIdentity takes no resource (AWS requires "*").
	add({Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*'});
	// The pre-flight check of a template before a stack is touched; ValidateTemplate takes no resource.
	add({Sid: 'CheckTheTemplateBeforehand', Effect: 'Allow', Action: 'cloudformation:ValidateTemplate', Resource: '*'});
	return {Version: '2012-10-17', Statement: statements};
}

/**
 * Application Auto Scaling of the services (`service.autoScaling`): CloudFormation registers each service as a
 * scalable target and puts its target-tracking policies and scheduled actions. Scalable targets are named by
 * a random id (`scalable-target/<id>`), so the resource is the region and account's scalable targets; what
 * scopes them is that registering one also needs ecs:UpdateService on the service (ServicesInTheClusters).
 * The first registration creates Application Auto Scaling's service-linked role for ECS. Its alarms are made
 * by Application Auto Scaling with that role, not with the caller's credentials.
 */
function scalingStatements(envs: readonly IamPolicyEnvironment[]): Statement[] {
	const scaling = envs.filter(e => e.autoScaling !== undefined);
	if (scaling.length === 0) return [];
	const scheduled = scaling.some(e => e.autoScaling!.scheduled);
	return [
		{
			Sid: 'ScaleTheServices',
			Effect: 'Allow',
			Action: [
				'application-autoscaling:RegisterScalableTarget',
				'application-autoscaling:DeregisterScalableTarget',
				'application-autoscaling:PutScalingPolicy',
				'application-autoscaling:DeleteScalingPolicy',
				...(scheduled ? ['application-autoscaling:PutScheduledAction', 'application-autoscaling:DeleteScheduledAction'] : []),
				'application-autoscaling:TagResource',
				'application-autoscaling:UntagResource',
				'application-autoscaling:ListTagsForResource',
			],
			Resource: unique(scaling.map(e => `${arn(e, 'application-autoscaling')}:scalable-target/*`)),
		},
		{
			Sid: 'DescribeScalingWithoutResourceScope',
			Effect: 'Allow',
			Action: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies', ...(scheduled ? ['application-autoscaling:DescribeScheduledActions'] : [])],
			Resource: '*',
		},
		{
			Sid: 'CreateTheScalingServiceLinkedRole',
			Effect: 'Allow',
			Action: 'iam:CreateServiceLinkedRole',
			Resource: unique(scaling.map(e => `arn:${partition(e.region)}:iam::${e.accountId ?? '*'}:role/aws-service-role/${scalingServicePrincipal}/AWSServiceRoleForApplicationAutoScaling_ECSService`)),
			Condition: {StringEquals: {'iam:AWSServiceName': scalingServicePrincipal}},
		},
	];
}

/** The service principal of Application Auto Scaling's service-linked role for ECS services. */
export const scalingServicePrincipal = 'ecs.application-autoscaling.amazonaws.com';

/**
 * The pre-flight check (`verify`): read-only. Roles by their ARNs, the secrets and parameters the containers
 * reference, and the images' manifests are scoped; EC2's and Elastic Load Balancing's Describe calls take no
 * resource (the Service Authorization Reference lists none for them).
 */
function preflightStatements(envs: readonly IamPolicyEnvironment[]): Statement[] {
	const roles = unique(envs.flatMap(e => [e.taskRole, e.executionRole, e.infrastructureRole].filter((r): r is string => r !== undefined)));
	// "May the execution role read them": SimulatePrincipalPolicy on the recipe's own execution roles only.
	const simulated = unique(envs.flatMap(e => (e.executionRole === undefined ? [] : [e.executionRole])));
	return [
		{Sid: 'PreflightReadTheRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: roles},
		{Sid: 'PreflightSimulateTheExecutionRoles', Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: simulated},
		{Sid: 'PreflightReadReferencedSecrets', Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: unique(envs.flatMap(e => e.referencedSecrets ?? []))},
		{Sid: 'PreflightReadTheImages', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: unique(envs.flatMap(repositoryArns))},
		{
			// DescribeParameters (existence, never a value) takes no resource; nor do EC2's and Elastic Load
			// Balancing's Describe calls (the Service Authorization Reference lists none for them).
			Sid: 'PreflightWithoutResourceScope',
			Effect: 'Allow',
			Action: [...(envs.some(e => (e.referencedParameters ?? []).length > 0) ? ['ssm:DescribeParameters'] : []), 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'elasticloadbalancing:DescribeTargetGroups'],
			Resource: '*',
		},
	];
}

/**
 * The pre-flight check's statements as a policy of their own: with three environments they do not fit in one
 * managed policy beside the deploy statements, so they are attached beside it.
 */
export function preflightPolicy(input: Pick<IamPolicyInput, 'environments'>): IamPolicy {
	return {Version: '2012-10-17', Statement: preflightStatements(input.environments).filter(s => (Array.isArray(s.Resource) ? s.Resource.length > 0 : true))};
}

/** A managed policy holds at most this many characters, whitespace not counted (IAM quotas). */
export const managedPolicyMaxLength = 6144;

/**
 * The shared ledger's statements: one object per release and per deployment record under the prefix
 * (docs/ledger.md). Listing is authorised on the bucket, narrowed to the prefix by `s3:prefix`; objects are
 * read and written (conditional writes need nothing more) under the prefix only. Nothing is ever deleted.
 */
export function ledgerStatements(input: Pick<IamPolicyInput, 'ledgers' | 'environments'>): Statement[] {
	const s3Partition = partition(input.environments[0]?.region);
	const ledgers = input.ledgers ?? [];
	return ledgers.flatMap((ledger, i) => {
		const suffix = ledgers.length > 1 ? String(i + 1) : '';
		const arns = ledgerArns(ledger);
		const inPartition = (arn: string) => arn.replace(/^arn:aws:/, `arn:${s3Partition}:`);
		return [
			{Sid: `ListTheLedger${suffix}`, Effect: 'Allow' as const, Action: 's3:ListBucket', Resource: inPartition(arns.bucket), ...(arns.listPrefixes.length === 0 ? {} : {Condition: {StringLike: {'s3:prefix': arns.listPrefixes}}})},
			{Sid: `ReadAndWriteTheLedger${suffix}`, Effect: 'Allow' as const, Action: ['s3:GetObject', 's3:PutObject'], Resource: inPartition(arns.objects)},
		];
	});
}

/** The ledger's statements as a policy of their own (to attach beside the deploy policy when both do not fit in one). */
export function ledgerPolicy(input: Pick<IamPolicyInput, 'ledgers' | 'environments'>): IamPolicy {
	return {Version: '2012-10-17', Statement: ledgerStatements(input)};
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
	const {deployment} = service;
	const references = referencedSources(built.template.Resources);
	return {
		name: resolved.environment,
		...(shiftsTraffic(service) && deployment.infrastructureRole !== undefined ? {infrastructureRole: deployment.infrastructureRole} : {}),
		...(deployment.approval === undefined ? {} : {approval: true}),
		...(service.autoScaling === undefined ? {} : {autoScaling: {scheduled: service.autoScaling.schedule.length > 0}}),
		...(service.enableExecuteCommand === true ? {executeCommand: true} : {}),
		referencedSecrets: unique(references.filter(r => r.includes(':secretsmanager:')).map(secretResource)),
		referencedParameters: unique(references.filter(r => !r.includes(':secretsmanager:')).map(r => parameterResource(r, target))),
		...(service.executionRole === undefined && service.permissionsBoundary !== undefined ? {permissionsBoundary: service.permissionsBoundary} : {}),
		stackName: service.stackName,
		...(target === undefined ? {} : {region: target.region, cluster: target.cluster}),
		...(target?.accountId === undefined ? {} : {accountId: target.accountId}),
		family: service.family,
		...(service.beforeDeploy.length === 0 ? {} : {beforeDeployFamily: beforeDeployFamily(service.family)}),
		...(service.serviceName === undefined ? {} : {serviceName: service.serviceName}),
		...(service.taskRole === undefined ? {} : {taskRole: service.taskRole}),
		...(service.executionRole === undefined ? {} : {executionRole: service.executionRole}),
		logGroups,
		createdSecrets,
		repositories,
	};
}

/** The `valueFrom` of the task definitions' secrets and the registry credentials: what ECS reads when a task starts. */
function referencedSources(resources: Record<string, {Type: string; Properties: Record<string, unknown>}>): string[] {
	const found: string[] = [];
	for (const resource of Object.values(resources)) {
		if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
		const containers = resource.Properties['ContainerDefinitions'];
		for (const container of Array.isArray(containers) ? (containers as Array<Record<string, unknown>>) : []) {
			const secrets = [container['Secrets'], (container['LogConfiguration'] as Record<string, unknown> | undefined)?.['SecretOptions']].flatMap(list => (Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []));
			for (const secret of secrets) if (typeof secret['ValueFrom'] === 'string') found.push(secret['ValueFrom']);
			const credentials = (container['RepositoryCredentials'] as Record<string, unknown> | undefined)?.['CredentialsParameter'];
			if (typeof credentials === 'string') found.push(credentials);
		}
	}
	return found;
}

/**
 * A secret's ARN as IAM sees it: without the JSON key, stage and version a `valueFrom` may add, and with the
 * six characters Secrets Manager appends to the name when the reference leaves them out.
 */
function secretResource(valueFrom: string): string {
	const [head, name = ''] = valueFrom.split(':secret:');
	const bare = name.split(':')[0]!;
	return `${head}:secret:${/-[A-Za-z0-9]{6}$/.test(bare) ? bare : `${bare}-??????`}`;
}

/** An SSM parameter's ARN: given as one, or by name in the environment's region and account (`*` where unknown). */
function parameterResource(valueFrom: string, target: ResolvedRecipe['target']): string {
	if (valueFrom.startsWith('arn:')) return valueFrom;
	return `arn:${partition(target?.region)}:ssm:${target?.region ?? '*'}:${target?.accountId ?? '*'}:parameter/${valueFrom.replace(/^\//, '')}`;
}

/** `arn:<partition>:<service>:<region>:<account>` for the environment, `*` where unknown. */
function arn(e: IamPolicyEnvironment, service: string): string {
	return `arn:${partition(e.region)}:${service}:${e.region ?? '*'}:${e.accountId ?? '*'}`;
}

const clusterArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:cluster/${e.cluster ?? '*'}`;
const serviceArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:service/${e.cluster ?? '*'}/${e.serviceName ?? '*'}`;
const taskDefinitionArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:task-definition/${e.family}:*`;
/** The environment's family and, with a beforeDeploy task, that task's family. */
const taskDefinitionArns = (e: IamPolicyEnvironment) => [taskDefinitionArn(e), ...(e.beforeDeployFamily === undefined ? [] : [`${arn(e, 'ecs')}:task-definition/${e.beforeDeployFamily}:*`])];
const serviceDeploymentArn = (e: IamPolicyEnvironment) => `${arn(e, 'ecs')}:service-deployment/${e.cluster ?? '*'}/${e.serviceName ?? '*'}/*`;
const repositoryArns = (e: IamPolicyEnvironment) => e.repositories.map(r => `arn:${partition(r.region ?? e.region)}:ecr:${r.region ?? e.region ?? '*'}:${r.accountId ?? e.accountId ?? '*'}:repository/${r.name}`);
/** The stack puts its execution role under a path named after it (see template/iam.ts). */
const createdRolePattern = (e: IamPolicyEnvironment) => `arn:${partition(e.region)}:iam::${e.accountId ?? '*'}:role${executionRolePath(e.stackName)}*`;

/** The environment's boundary as an ARN: a policy given by name is in the environment's account (`*` when unknown). */
function boundaryArn(e: IamPolicyEnvironment): string | undefined {
	return e.permissionsBoundary === undefined ? undefined : permissionsBoundaryArn(e.permissionsBoundary, partition(e.region), e.accountId ?? '*');
}

/**
 * `iam:PermissionsBoundary` pinned to the boundary. A boundary named without a known account matches that
 * policy name in any account (`StringLike`): a role's boundary can only be a policy of its own account (or an
 * AWS managed one), so it is still that one policy.
 */
function boundaryCondition(boundary: string): Condition {
	return boundary.includes('*') ? {StringLike: {'iam:PermissionsBoundary': boundary}} : {StringEquals: {'iam:PermissionsBoundary': boundary}};
}

/**
 * Why a policy for these environments would not let them deploy safely: a stack that creates its execution
 * role without a permissions boundary (granting role writes without one would let the holder give a task any
 * permission), and, when the operator names the boundary to expect (`--permissions-boundary`), environments
 * whose roles would have another one or none.
 */
export function iamPolicyProblems(input: IamPolicyInput, options: {permissionsBoundary?: string} = {}): Problem[] {
	const problems: Problem[] = [];
	const creating = input.environments.filter(e => e.executionRole === undefined);
	const unbounded = creating.filter(e => e.permissionsBoundary === undefined).map(e => e.name);
	const expected = options.permissionsBoundary;
	if (expected !== undefined && unbounded.length > 0) {
		problems.push(
			error(
				'service.permissionsBoundary',
				`is not set for ${and(unbounded)}, so ${unbounded.length === 1 ? 'its stack creates its' : 'their stacks create their'} execution role without the boundary --permissions-boundary names: set permissionsBoundary: ${expected} in the recipe's service section`,
			),
		);
	} else if (unbounded.length > 0) {
		problems.push(
			error(
				'service.permissionsBoundary',
				`is not set, and the ${unbounded.length === 1 ? 'stack' : 'stacks'} of ${and(unbounded)} ${unbounded.length === 1 ? 'creates its' : 'create their'} execution role: a policy that may create roles and write their policies lets whoever holds it give a task any permission. Set permissionsBoundary to the managed policy that bounds the roles the stack creates (the policy then allows creating roles only with it; give --permissions-boundary to check it), or name a role made beforehand in service.executionRole (the policy then writes no role)`,
			),
		);
	}
	if (expected !== undefined) {
		for (const e of creating) {
			if (e.permissionsBoundary === undefined) continue;
			const given = permissionsBoundaryArn(expected, partition(e.region), e.accountId ?? '*');
			if (!sameBoundary(boundaryArn(e)!, given)) {
				problems.push(error(`${e.name}: service.permissionsBoundary`, `is ${e.permissionsBoundary}, not the boundary --permissions-boundary names (${expected})`));
			}
		}
	}
	return problems;
}

/** `dev`, `dev and production`, `dev, staging and production`. */
function and(names: readonly string[]): string {
	return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Two boundary ARNs name the same policy; an account not known (`*`) matches any. */
function sameBoundary(a: string, b: string): boolean {
	const [accountA, policyA] = [a.split(':')[4], a.split(':').slice(5).join(':')];
	const [accountB, policyB] = [b.split(':')[4], b.split(':').slice(5).join(':')];
	return policyA === policyB && (accountA === accountB || accountA === '*' || accountB === '*');
}

/** China and GovCloud regions have their own ARN partition; an unknown region is taken as the commercial one. */
function partition(region: string | undefined): string {
	if (region?.startsWith('cn-')) return 'aws-cn';
	if (region?.startsWith('us-gov-')) return 'aws-us-gov';
	return 'aws';
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
