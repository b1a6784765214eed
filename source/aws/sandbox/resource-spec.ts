/*
 * What the sandbox knows of the CloudFormation resource specification: the resource types it plays, their
 * top-level properties, and the enumerated values of the properties our templates use. Copied from the
 * published specification (the sandbox runs in production builds, where the specification package is not
 * installed); test/aws/resource-spec.test.ts checks these tables against it so they cannot drift.
 *
 * Two kinds of enumerations fail differently in CloudFormation:
 * - the resource schema's own `enum`s are checked before the resource handler runs: the resource fails
 *   with "Properties validation failed for resource <Id> with message: [#/<Path>: failed validation
 *   constraint for keyword [enum]]";
 * - AWS::ECS::TaskDefinition's schema enumerates none of its values (NetworkMode, LogDriver, … are plain
 *   strings): the ECS API checks them when the handler registers the task definition, and the resource
 *   fails with the handler's "Invalid request provided: Create TaskDefinition: …" (HandlerErrorCode:
 *   InvalidRequest).
 */

/** Resource types the sandbox plays, with their top-level properties. */
export const knownProperties: Readonly<Record<string, readonly string[]>> = {
	'AWS::ECS::TaskDefinition': ['TaskRoleArn', 'IpcMode', 'InferenceAccelerators', 'Memory', 'PlacementConstraints', 'Cpu', 'RequiresCompatibilities', 'NetworkMode', 'PidMode', 'ExecutionRoleArn', 'RuntimePlatform', 'ProxyConfiguration', 'Volumes', 'ContainerDefinitions', 'Family', 'EphemeralStorage', 'Tags', 'EnableFaultInjection'],
	'AWS::ECS::Service': ['PlatformVersion', 'HealthCheckGracePeriodSeconds', 'EnableECSManagedTags', 'EnableExecuteCommand', 'PlacementConstraints', 'PropagateTags', 'Cluster', 'LoadBalancers', 'ServiceConnectConfiguration', 'DesiredCount', 'PlacementStrategies', 'DeploymentController', 'ServiceRegistries', 'CapacityProviderStrategy', 'LaunchType', 'Role', 'SchedulingStrategy', 'TaskDefinition', 'ServiceName', 'NetworkConfiguration', 'DeploymentConfiguration', 'Tags', 'VolumeConfigurations', 'AvailabilityZoneRebalancing', 'Monitoring', 'ForceNewDeployment', 'VpcLatticeConfigurations'],
	'AWS::Logs::LogGroup': ['RetentionInDays', 'KmsKeyId', 'LogGroupName', 'Tags', 'DataProtectionPolicy', 'FieldIndexPolicies', 'LogGroupClass', 'ResourcePolicyDocument', 'DeletionProtectionEnabled', 'BearerTokenAuthenticationEnabled'],
	'AWS::IAM::Role': ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'],
	'AWS::IAM::Policy': ['Groups', 'PolicyName', 'PolicyDocument', 'Roles', 'Users'],
	'AWS::SecretsManager::Secret': ['Description', 'KmsKeyId', 'SecretString', 'GenerateSecretString', 'ReplicaRegions', 'Tags', 'Name', 'Type'],
	'AWS::SecretsManager::ResourcePolicy': ['BlockPublicPolicy', 'SecretId', 'ResourcePolicy'],
	'AWS::ApplicationAutoScaling::ScalableTarget': ['ScheduledActions', 'ResourceId', 'ServiceNamespace', 'ScalableDimension', 'SuspendedState', 'MinCapacity', 'RoleARN', 'MaxCapacity', 'Tags'],
	'AWS::ApplicationAutoScaling::ScalingPolicy': ['PolicyName', 'PolicyType', 'ResourceId', 'ScalableDimension', 'ScalingTargetId', 'ServiceNamespace', 'StepScalingPolicyConfiguration', 'TargetTrackingScalingPolicyConfiguration', 'PredictiveScalingPolicyConfiguration'],
};

/**
 * The resource schemas' enumerations, by type and property path (`*` = every item of a list). Values from
 * the CloudFormation resource specification (`allowedValues`), as text.
 */
export const schemaEnums: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
	'AWS::ECS::Service': {
		'PropagateTags': ['SERVICE', 'TASK_DEFINITION'],
		'LaunchType': ['EC2', 'FARGATE', 'EXTERNAL'],
		'SchedulingStrategy': ['DAEMON', 'REPLICA'],
		'NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp': ['DISABLED', 'ENABLED'],
		'DeploymentController/Type': ['CODE_DEPLOY', 'ECS', 'EXTERNAL'],
		'AvailabilityZoneRebalancing': ['ENABLED', 'DISABLED'],
		'DeploymentConfiguration/Strategy': ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'],
		'DeploymentConfiguration/LifecycleHooks/*/TargetType': ['AWS_LAMBDA', 'PAUSE'],
		'DeploymentConfiguration/LifecycleHooks/*/LifecycleStages/*': ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
		'DeploymentConfiguration/LifecycleHooks/*/TimeoutConfiguration/Action': ['ROLLBACK', 'CONTINUE'],
	},
	'AWS::ECS::TaskDefinition': {
		'Volumes/*/EFSVolumeConfiguration/TransitEncryption': ['ENABLED', 'DISABLED'],
		'Volumes/*/EFSVolumeConfiguration/AuthorizationConfig/IAM': ['ENABLED', 'DISABLED'],
		'ContainerDefinitions/*/PortMappings/*/AppProtocol': ['http', 'http2', 'grpc'],
	},
	'AWS::Logs::LogGroup': {
		'LogGroupClass': ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'],
		// Numbers in the template; compared as text.
		'RetentionInDays': ['1', '3', '5', '7', '14', '30', '60', '90', '120', '150', '180', '365', '400', '545', '731', '1096', '1827', '2192', '2557', '2922', '3288', '3653'],
	},
};

/**
 * Values the ECS API accepts where AWS::ECS::TaskDefinition's schema has plain strings, by property path,
 * with the API's member path for the message: the ECS API model's enums (the specification only names
 * them in each property's documentation).
 */
export const taskDefinitionValues: ReadonlyArray<{path: string; member: string; values: readonly string[]}> = [
	{path: 'NetworkMode', member: 'networkMode', values: ['awsvpc', 'bridge', 'host', 'none']},
	{path: 'RequiresCompatibilities/*', member: 'requiresCompatibilities', values: ['EC2', 'EXTERNAL', 'FARGATE', 'MANAGED_INSTANCES']},
	{path: 'RuntimePlatform/CpuArchitecture', member: 'runtimePlatform.cpuArchitecture', values: ['ARM64', 'X86_64']},
	{
		path: 'RuntimePlatform/OperatingSystemFamily',
		member: 'runtimePlatform.operatingSystemFamily',
		values: ['LINUX', 'WINDOWS_SERVER_2004_CORE', 'WINDOWS_SERVER_2016_FULL', 'WINDOWS_SERVER_2019_CORE', 'WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2022_CORE', 'WINDOWS_SERVER_2022_FULL', 'WINDOWS_SERVER_2025_CORE', 'WINDOWS_SERVER_2025_FULL', 'WINDOWS_SERVER_20H2_CORE'],
	},
	{path: 'ContainerDefinitions/*/LogConfiguration/LogDriver', member: 'containerDefinitions.*.member.logConfiguration.logDriver', values: ['awsfirelens', 'awslogs', 'fluentd', 'gelf', 'journald', 'json-file', 'splunk', 'syslog']},
	{path: 'ContainerDefinitions/*/FirelensConfiguration/Type', member: 'containerDefinitions.*.member.firelensConfiguration.type', values: ['fluentbit', 'fluentd']},
	{path: 'ContainerDefinitions/*/DependsOn/*/Condition', member: 'containerDefinitions.*.member.dependsOn.*.member.condition', values: ['COMPLETE', 'HEALTHY', 'START', 'SUCCESS']},
];

/** The log drivers tasks on Fargate can use (the others need an EC2 container instance). */
export const fargateLogDrivers: readonly string[] = ['awslogs', 'splunk', 'awsfirelens'];

/** What a resource's properties break: schema messages (`#/Path: …`), or the handler's reason. */
export type Violations = {schema: string[]; handler?: string};

type Resolve = (value: unknown) => string | undefined;

/**
 * Checks a resource's properties against the tables: top-level properties the type does not have, schema
 * enums, and (for a task definition) the values the ECS API checks. `resolve` turns a literal or a `Ref` to
 * a parameter into its string and anything else (a resource attribute, a condition) into undefined, which
 * is not checked: CloudFormation resolves parameters before it validates, other values only later.
 */
export function checkProperties(type: string, properties: Record<string, unknown>, resolve: Resolve): Violations {
	const known = knownProperties[type];
	if (!known) return {schema: []};
	const schema = Object.keys(properties)
		.filter(key => !known.includes(key))
		.map(key => `#: extraneous key [${key}] is not permitted`);
	for (const [path, values] of Object.entries(schemaEnums[type] ?? {})) {
		for (const {pointer, value} of valuesAt(properties, path.split('/'), '#')) {
			const text = resolve(value);
			if (text !== undefined && !values.includes(text)) schema.push(`${pointer}: failed validation constraint for keyword [enum]`);
		}
	}
	if (schema.length > 0 || type !== 'AWS::ECS::TaskDefinition') return {schema};
	const handler = taskDefinitionProblem(properties, resolve);
	return handler === undefined ? {schema} : {schema, handler};
}

/** The first value the ECS API refuses, in its words, or undefined. */
function taskDefinitionProblem(properties: Record<string, unknown>, resolve: Resolve): string | undefined {
	for (const {path, member, values} of taskDefinitionValues) {
		for (const {indexes, value} of valuesAt(properties, path.split('/'), '#')) {
			const text = resolve(value);
			// The API numbers list members from 1.
			let n = 0;
			const at = member.replaceAll('*', () => String((indexes[n++] ?? 0) + 1));
			if (text !== undefined && !values.includes(text)) return `1 validation error detected: Value '${text}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`;
		}
	}
	const compatibilities = properties['RequiresCompatibilities'];
	if (!Array.isArray(compatibilities) || !compatibilities.map(resolve).includes('FARGATE')) return undefined;
	const mode = resolve(properties['NetworkMode'] ?? 'bridge');
	if (mode !== undefined && mode !== 'awsvpc') return 'Fargate only supports network mode ‘awsvpc’.';
	for (const {value} of valuesAt(properties, 'ContainerDefinitions/*/LogConfiguration/LogDriver'.split('/'), '#')) {
		const driver = resolve(value);
		if (driver !== undefined && !fargateLogDrivers.includes(driver)) return `Log driver ${driver} is not supported by tasks using the Fargate launch type; use one of: ${fargateLogDrivers.join(', ')}.`;
	}
	return undefined;
}

/** Every value at a property path, with its JSON pointer (`#/Volumes/0/…`) and the list indexes on the way. */
function valuesAt(value: unknown, path: string[], pointer: string, indexes: number[] = []): Array<{pointer: string; value: unknown; indexes: number[]}> {
	if (path.length === 0) return value === undefined ? [] : [{pointer, value, indexes}];
	const [head, ...rest] = path;
	if (head === '*') return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, `${pointer}/${i}`, [...indexes, i])) : [];
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
	return valuesAt((value as Record<string, unknown>)[head!], rest, `${pointer}/${head}`, indexes);
}
