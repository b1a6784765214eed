import {checkProperties, knownProperties, type Violations} from './resource-spec.js';
import {failureTags} from './seed.js';

/** A resource of the template, as the sandbox plays it. */
export type ResourceModel = {
	id: string;
	type: string;
	/** What its properties break: it fails when CloudFormation reaches it. */
	violations: Violations;
	/** A name the template gives it (LogGroupName, RoleName, Name, PolicyName), resolved. */
	name?: string;
};

/** A container as the sandbox runs it. */
export type ContainerModel = {name: string; image: string; repository?: string; tag: string; essential: boolean; healthCheck: boolean; streamPrefix?: string};

/**
 * How the service deploys (DeploymentConfiguration): the strategy, its traffic steps in percent of
 * production traffic, bake time, and the PAUSE hooks (stage, timeout, what happens then).
 */
export type DeploymentModel = {
	strategy: 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
	bakeMinutes: number;
	/** Percent of production traffic on the new revision after each PRODUCTION_TRAFFIC_SHIFT (the last is 100). */
	steps: number[];
	/** Minutes between traffic steps (canary bake time, linear step bake time). */
	stepBakeMinutes: number;
	/** Whether a test listener rule sends test traffic to the new revision. */
	testTraffic: boolean;
	pauses: Array<{stage: string; timeoutMinutes: number; action: 'CONTINUE' | 'ROLLBACK'}>;
};

/** Where the service's tasks run: what DescribeServices shows and RunTask needs. */
export type PlacementModel = {
	subnets: string[];
	securityGroups: string[];
	assignPublicIp: 'ENABLED' | 'DISABLED';
	launchType?: string;
	capacityProviderStrategy?: Array<{capacityProvider: string; base?: number; weight?: number}>;
	platformVersion?: string;
};

/** What the sandbox needs to know of a template to play its deployment. */
export type TemplateModel = {
	deployment: DeploymentModel;
	/** The scalable target's bounds, when the template scales the service. */
	scaling?: {min: number; max: number};
	placement: PlacementModel;
	resources: ResourceModel[];
	family: string;
	cpu: string;
	memory: string;
	desiredCount: number;
	/** The template gives no DesiredCount (auto scaling owns it): an update keeps the count the service has. */
	keepsDesiredCount: boolean;
	maximumPercent: number;
	circuitBreaker: boolean;
	logGroup?: string;
	containers: ContainerModel[];
	faults: string[];
};

/** Resource types the sandbox knows; any other is refused like CloudFormation refuses unknown types. */
export const knownTypes: ReadonlySet<string> = new Set(Object.keys(knownProperties));

type Json = Record<string, unknown>;
type Template = {Parameters?: Record<string, {NoEcho?: unknown; Default?: unknown}>; Resources?: Record<string, {Type: string; Properties?: Json}>};

/** Resolves `Ref`/`Fn::Sub` the way the sandbox's account would, for the few places it reads values. */
function value(v: unknown, parameters: Record<string, string>, account: string, region: string, stackName = ''): string {
	if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
	const o = (v ?? {}) as Json;
	const pseudo: Record<string, string> = {'AWS::AccountId': account, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws', 'AWS::StackName': stackName};
	if (typeof o['Ref'] === 'string') return pseudo[o['Ref']] ?? parameters[o['Ref']] ?? o['Ref'];
	if (o['Fn::Sub'] !== undefined) {
		const text = Array.isArray(o['Fn::Sub']) ? String(o['Fn::Sub'][0]) : String(o['Fn::Sub']);
		return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => pseudo[name] ?? parameters[name] ?? '').replaceAll('${!', '${');
	}
	return '';
}

/** A literal, or a `Ref` to a parameter, as a string; anything CloudFormation resolves later: undefined. */
function literal(v: unknown, parameters: Record<string, string>): string | undefined {
	if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
	const ref = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json)['Ref'] : undefined;
	return typeof ref === 'string' ? parameters[ref] : undefined;
}

/** The parameters a template declares `NoEcho` (CloudFormation shows their values as `****`). */
export function noEchoParameters(body: string): string[] {
	const template = JSON.parse(body) as Template;
	return Object.entries(template.Parameters ?? {})
		.filter(([, p]) => p.NoEcho === true || p.NoEcho === 'true')
		.map(([key]) => key);
}

const nameProperty: Record<string, string> = {'AWS::Logs::LogGroup': 'LogGroupName', 'AWS::IAM::Role': 'RoleName', 'AWS::SecretsManager::Secret': 'Name', 'AWS::IAM::Policy': 'PolicyName'};

/** Reads a template with its parameter values; `stackName` resolves `AWS::StackName` in resource names. */
export function readTemplate(body: string, parameters: Record<string, string>, account: string, region: string, stackName = ''): TemplateModel {
	const template = JSON.parse(body) as Template;
	const resources = Object.entries(template.Resources ?? {}).map(([id, r]): ResourceModel => {
		const properties = r.Properties ?? {};
		const named = nameProperty[r.Type];
		const name = named === undefined || properties[named] === undefined ? undefined : value(properties[named], parameters, account, region, stackName);
		return {id, type: r.Type, violations: checkProperties(r.Type, properties, v => literal(v, parameters)), ...(name ? {name} : {})};
	});
	const find = (type: string) => Object.values(template.Resources ?? {}).find(r => r.Type === type)?.Properties ?? {};
	const task = find('AWS::ECS::TaskDefinition');
	const service = find('AWS::ECS::Service');
	const logGroup = find('AWS::Logs::LogGroup');
	const scalable = find('AWS::ApplicationAutoScaling::ScalableTarget');
	const deployment = (service['DeploymentConfiguration'] as Json | undefined) ?? {};
	const breaker = (deployment['DeploymentCircuitBreaker'] as Json | undefined)?.['Enable'];
	const faults = new Set<string>();
	const containers = ((task['ContainerDefinitions'] as Json[] | undefined) ?? []).map((c): ContainerModel => {
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
		deployment: deploymentModel(deployment, (service['LoadBalancers'] as Json[] | undefined) ?? [], v => value(v, parameters, account, region)),
		placement: placementModel(service, v => value(v, parameters, account, region)),
		...(scalable['MinCapacity'] === undefined ? {} : {scaling: {min: Number(value(scalable['MinCapacity'], parameters, account, region)), max: Number(value(scalable['MaxCapacity'] ?? scalable['MinCapacity'], parameters, account, region))}}),
		family: value(task['Family'], parameters, account, region),
		cpu: value(task['Cpu'], parameters, account, region),
		memory: value(task['Memory'], parameters, account, region),
		desiredCount: Number(value(service['DesiredCount'] ?? 1, parameters, account, region)),
		keepsDesiredCount: service['DesiredCount'] === undefined,
		maximumPercent: Number(value(deployment['MaximumPercent'] ?? 200, parameters, account, region)),
		circuitBreaker: breaker !== false,
		...(logGroup['LogGroupName'] === undefined ? {} : {logGroup: value(logGroup['LogGroupName'], parameters, account, region)}),
		containers,
		faults: [...faults],
	};
}

/** The service's network and capacity, as the template sets them. */
function placementModel(service: Json, text: (v: unknown) => string): PlacementModel {
	const vpc = (((service['NetworkConfiguration'] as Json | undefined) ?? {})['AwsvpcConfiguration'] as Json | undefined) ?? {};
	const list = (v: unknown) => (Array.isArray(v) ? v.map(text) : []);
	const strategy = service['CapacityProviderStrategy'] as Json[] | undefined;
	return {
		subnets: list(vpc['Subnets']),
		securityGroups: list(vpc['SecurityGroups']),
		assignPublicIp: vpc['AssignPublicIp'] !== undefined && text(vpc['AssignPublicIp']) === 'ENABLED' ? 'ENABLED' : 'DISABLED',
		...(service['LaunchType'] === undefined ? {} : {launchType: text(service['LaunchType'])}),
		...(strategy === undefined
			? {}
			: {
					capacityProviderStrategy: strategy.map(item => ({
						capacityProvider: text(item['CapacityProvider']),
						...(item['Base'] === undefined ? {} : {base: Number(text(item['Base']))}),
						...(item['Weight'] === undefined ? {} : {weight: Number(text(item['Weight']))}),
					})),
				}),
		...(service['PlatformVersion'] === undefined ? {} : {platformVersion: text(service['PlatformVersion'])}),
	};
}

/** The deployment as the template configures it; ECS's defaults where it says nothing. */
function deploymentModel(configuration: Json, loadBalancers: Json[], text: (v: unknown) => string): DeploymentModel {
	const number = (v: unknown, fallback: number) => (v === undefined ? fallback : Number(text(v)));
	const named = configuration['Strategy'] === undefined ? 'ROLLING' : text(configuration['Strategy']);
	const strategy = (['BLUE_GREEN', 'CANARY', 'LINEAR'].includes(named) ? named : 'ROLLING') as DeploymentModel['strategy'];
	const canary = (configuration['CanaryConfiguration'] as Json | undefined) ?? {};
	const linear = (configuration['LinearConfiguration'] as Json | undefined) ?? {};
	// ECS's defaults: canary 5 % for 10 min; linear steps of 10 % every 6 min.
	let steps = [100];
	let stepBakeMinutes = 0;
	if (strategy === 'CANARY') {
		steps = [number(canary['CanaryPercent'], 5), 100];
		stepBakeMinutes = number(canary['CanaryBakeTimeInMinutes'], 10);
	} else if (strategy === 'LINEAR') {
		const step = number(linear['StepPercent'], 10);
		steps = [];
		for (let p = step; p < 100 - 1e-9; p += step) steps.push(Math.round(p * 10) / 10);
		steps.push(100);
		stepBakeMinutes = number(linear['StepBakeTimeInMinutes'], 6);
	}
	const pauses = ((configuration['LifecycleHooks'] as Json[] | undefined) ?? [])
		.filter(hook => text(hook['TargetType']) === 'PAUSE')
		.flatMap(hook => {
			const timeout = (hook['TimeoutConfiguration'] as Json | undefined) ?? {};
			const action: 'CONTINUE' | 'ROLLBACK' = timeout['Action'] !== undefined && text(timeout['Action']) === 'CONTINUE' ? 'CONTINUE' : 'ROLLBACK';
			return ((hook['LifecycleStages'] as unknown[] | undefined) ?? []).map(stage => ({stage: text(stage), timeoutMinutes: number(timeout['TimeoutInMinutes'], 1440), action}));
		});
	const testTraffic = loadBalancers.some(lb => ((lb['AdvancedConfiguration'] as Json | undefined) ?? {})['TestListenerRule'] !== undefined);
	return {strategy, bakeMinutes: number(configuration['BakeTimeInMinutes'], 0), steps, stepBakeMinutes, testTraffic, pauses};
}

/** The parameters a value refers to, by `Ref` or in an `Fn::Sub` string. */
function referencedNames(value: unknown, found = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const item of value) referencedNames(item, found);
	else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			if (key === 'Ref' && typeof item === 'string') found.add(item);
			else if (key === 'Fn::Sub') {
				const text = Array.isArray(item) ? item[0] : item;
				if (typeof text === 'string') for (const match of text.matchAll(/\$\{([^!}][^}.]*)\}/g)) found.add(match[1]!);
			}
			referencedNames(item, found);
		}
	}
	return found;
}

/** A resource an update adds, changes or removes (logical id and type). */
export type ResourceRef = {id: string; type: string};

/**
 * What an update does to each resource, as CloudFormation decides it: a resource is modified when its
 * definition changed or a parameter it refers to has a new value (`changedParameters`).
 */
export function resourceChanges(previousBody: string | undefined, body: string, changedParameters: readonly string[]): {added: ResourceRef[]; modified: ResourceRef[]; removed: ResourceRef[]} {
	const next = (JSON.parse(body) as Template).Resources ?? {};
	const current = previousBody === undefined ? {} : ((JSON.parse(previousBody) as Template).Resources ?? {});
	const changed = new Set(changedParameters);
	const added: ResourceRef[] = [];
	const modified: ResourceRef[] = [];
	for (const [id, resource] of Object.entries(next)) {
		const before = current[id];
		if (!before) added.push({id, type: resource.Type});
		else if (JSON.stringify(before) !== JSON.stringify(resource) || [...referencedNames(resource)].some(name => changed.has(name))) modified.push({id, type: resource.Type});
	}
	const removed = Object.entries(current)
		.filter(([id]) => !next[id])
		.map(([id, resource]) => ({id, type: resource.Type}));
	return {added, modified, removed};
}

/** How the new tasks of this template behave, decided by the image tags (see failureTags). */
export type Behaviour =
	| {kind: 'healthy'}
	| {kind: 'crash'; container: string}
	| {kind: 'oom'; container: string}
	| {kind: 'unhealthy'; container: string}
	| {kind: 'cannot-pull'; container: string; reason: string}
	| {kind: 'no-network'; container: string}
	| {kind: 'stuck-rollback'; container: string}
	| {kind: 'slow'};

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
		if (c.tag === failureTags.slow) return {kind: 'slow'};
	}
	return {kind: 'healthy'};
}
