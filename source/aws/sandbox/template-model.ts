import {failureTags} from './seed.js';

/** What the sandbox needs to know of a template to play its deployment. */
export type TemplateModel = {
	resources: Array<{id: string; type: string}>;
	family: string;
	cpu: string;
	memory: string;
	desiredCount: number;
	maximumPercent: number;
	circuitBreaker: boolean;
	/** Top-level properties the resource type does not have: the resource fails validation. */
	extraneous: Array<{id: string; type: string; key: string}>;
	logGroup?: string;
	containers: Array<{name: string; image: string; repository?: string; tag: string; essential: boolean; healthCheck: boolean; streamPrefix?: string}>;
	faults: string[];
};

/** Resource types the sandbox knows, with their top-level properties (from the CloudFormation specification). */
const knownProperties: Record<string, ReadonlySet<string>> = {
	'AWS::ECS::TaskDefinition': new Set(['TaskRoleArn', 'IpcMode', 'InferenceAccelerators', 'Memory', 'PlacementConstraints', 'Cpu', 'RequiresCompatibilities', 'NetworkMode', 'PidMode', 'ExecutionRoleArn', 'RuntimePlatform', 'ProxyConfiguration', 'Volumes', 'ContainerDefinitions', 'Family', 'EphemeralStorage', 'Tags', 'EnableFaultInjection']),
	'AWS::ECS::Service': new Set(['PlatformVersion', 'HealthCheckGracePeriodSeconds', 'EnableECSManagedTags', 'EnableExecuteCommand', 'PlacementConstraints', 'PropagateTags', 'Cluster', 'LoadBalancers', 'ServiceConnectConfiguration', 'DesiredCount', 'PlacementStrategies', 'DeploymentController', 'ServiceRegistries', 'CapacityProviderStrategy', 'LaunchType', 'Role', 'SchedulingStrategy', 'TaskDefinition', 'ServiceName', 'NetworkConfiguration', 'DeploymentConfiguration', 'Tags', 'VolumeConfigurations', 'AvailabilityZoneRebalancing', 'Monitoring', 'ForceNewDeployment', 'VpcLatticeConfigurations']),
	'AWS::Logs::LogGroup': new Set(['RetentionInDays', 'KmsKeyId', 'LogGroupName', 'Tags', 'DataProtectionPolicy', 'FieldIndexPolicies', 'LogGroupClass', 'ResourcePolicyDocument', 'DeletionProtectionEnabled', 'BearerTokenAuthenticationEnabled']),
	'AWS::IAM::Role': new Set(['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags']),
};

/** Resource types the sandbox knows; any other is refused like CloudFormation refuses unknown types. */
export const knownTypes = new Set(Object.keys(knownProperties));

type Json = Record<string, unknown>;

/** Resolves `Ref`/`Fn::Sub` the way the sandbox's account would, for the few places it reads values. */
function value(v: unknown, parameters: Record<string, string>, account: string, region: string): string {
	if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
	const o = (v ?? {}) as Json;
	if (typeof o['Ref'] === 'string') return parameters[o['Ref']] ?? o['Ref'];
	if (o['Fn::Sub'] !== undefined) {
		const text = Array.isArray(o['Fn::Sub']) ? String(o['Fn::Sub'][0]) : String(o['Fn::Sub']);
		const pseudo: Record<string, string> = {'AWS::AccountId': account, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws'};
		return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => pseudo[name] ?? parameters[name] ?? '').replaceAll('${!', '${');
	}
	return '';
}

export function readTemplate(body: string, parameters: Record<string, string>, account: string, region: string): TemplateModel {
	const template = JSON.parse(body) as {Resources?: Record<string, {Type: string; Properties?: Json}>};
	const resources = Object.entries(template.Resources ?? {}).map(([id, r]) => ({id, type: r.Type}));
	const find = (type: string) => Object.values(template.Resources ?? {}).find(r => r.Type === type)?.Properties ?? {};
	const task = find('AWS::ECS::TaskDefinition');
	const service = find('AWS::ECS::Service');
	const logGroup = find('AWS::Logs::LogGroup');
	const deployment = (service['DeploymentConfiguration'] as Json | undefined) ?? {};
	const breaker = (deployment['DeploymentCircuitBreaker'] as Json | undefined)?.['Enable'];
	const extraneous = Object.entries(template.Resources ?? {}).flatMap(([id, r]) =>
		Object.keys(r.Properties ?? {})
			.filter(key => knownProperties[r.Type] !== undefined && !knownProperties[r.Type]!.has(key))
			.map(key => ({id, type: r.Type, key})),
	);
	const faults = new Set<string>();
	const containers = ((task['ContainerDefinitions'] as Json[] | undefined) ?? []).map(c => {
		const image = value(c['Image'], parameters, account, region);
		const match = /\.amazonaws\.com\/([^:@]+)[:@](.+)$/.exec(image);
		for (const env of (c['Environment'] as Json[] | undefined) ?? []) {
			if (env['Name'] === 'SANDBOX_FAULTS') for (const f of value(env['Value'], parameters, account, region).split(',')) faults.add(f.trim());
		}
		const options = ((c['LogConfiguration'] as Json | undefined)?.['Options'] as Json | undefined) ?? {};
		return {
			name: String(c['Name']),
			image,
			...(match ? {repository: match[1]!} : {}),
			tag: image.split(':').at(-1) ?? '',
			essential: c['Essential'] !== false,
			healthCheck: c['HealthCheck'] !== undefined,
			...(options['awslogs-stream-prefix'] === undefined ? {} : {streamPrefix: String(options['awslogs-stream-prefix'])}),
		};
	});
	return {
		resources,
		family: value(task['Family'], parameters, account, region),
		cpu: value(task['Cpu'], parameters, account, region),
		memory: value(task['Memory'], parameters, account, region),
		desiredCount: Number(value(service['DesiredCount'] ?? 1, parameters, account, region)),
		maximumPercent: Number(value(deployment['MaximumPercent'] ?? 200, parameters, account, region)),
		circuitBreaker: breaker !== false,
		extraneous,
		...(logGroup['LogGroupName'] === undefined ? {} : {logGroup: value(logGroup['LogGroupName'], parameters, account, region)}),
		containers,
		faults: [...faults],
	};
}

/** How the new tasks of this template behave, decided by the image tags (see failureTags). */
export type Behaviour =
	| {kind: 'healthy'}
	| {kind: 'crash'; container: string}
	| {kind: 'oom'; container: string}
	| {kind: 'unhealthy'; container: string}
	| {kind: 'cannot-pull'; container: string; reason: string}
	| {kind: 'no-network'; container: string}
	| {kind: 'stuck-rollback'; container: string};

export function behaviourOf(model: TemplateModel, hasTag: (repository: string, tag: string) => boolean | undefined): Behaviour {
	const first = model.containers.find(c => c.essential);
	// The subnets cannot reach ECR: the task cannot even be placed.
	if (model.faults.includes('no-network') && first) return {kind: 'no-network', container: first.name};
	for (const c of model.containers.filter(c => c.essential)) {
		if (c.repository !== undefined && hasTag(c.repository, c.tag) === false) {
			return {kind: 'cannot-pull', container: c.name, reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${c.image}: not found`};
		}
		if (c.tag === failureTags.unpullable) {
			return {kind: 'cannot-pull', container: c.name, reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'`};
		}
		if (c.tag === failureTags.crashLoop) return {kind: 'crash', container: c.name};
		if (c.tag === failureTags.outOfMemory) return {kind: 'oom', container: c.name};
		if (c.tag === failureTags.unhealthy && c.healthCheck) return {kind: 'unhealthy', container: c.name};
		if (c.tag === failureTags.stuckRollback) return {kind: 'stuck-rollback', container: c.name};
	}
	return {kind: 'healthy'};
}
