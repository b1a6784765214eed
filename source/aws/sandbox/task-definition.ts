import {resolvedProperties, type Resolution} from './change-details.js';

/*
 * What the sandbox keeps of a registered task definition, and what DescribeTaskDefinition returns: the
 * template's `AWS::ECS::TaskDefinition` properties, resolved (parameters, pseudo parameters, references),
 * in the ECS API's shape (camelCase members; ECS's defaults filled in: container `cpu` 0, `essential`
 * true, empty `environment`, `mountPoints`, `volumesFrom`, a port mapping's `hostPort` and `protocol`).
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
 *
 * A NoEcho parameter reads `****` here, as CloudFormation shows it: the sandbox's state file never holds a
 * value the template marked secret (a template ecs-deployer builds never puts one in a plain environment).
 */

type Json = Record<string, unknown>;

/** A container definition as ECS describes it (only `name` and `image` are sure to be there). */
export type ContainerDefinitionData = {name: string; image: string} & Json;

/** The task-level fields ECS describes (cpu and memory are strings in the API). */
export type TaskDefinitionData = {cpu?: string; memory?: string; networkMode?: string; requiresCompatibilities?: string[]; executionRoleArn?: string; taskRoleArn?: string; volumes?: unknown[]; runtimePlatform?: Json};

/** Members whose keys are names chosen by the template (log driver options, labels): kept as written. */
const freeForm: ReadonlySet<string> = new Set(['Options', 'DockerLabels']);

const camel = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);

/** A CloudFormation value as the ECS API spells it: keys camelCase (but inside free-form maps). */
function apiShape(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(apiShape);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.entries(value as Json).map(([key, item]) => [camel(key), freeForm.has(key) ? item : apiShape(item)]));
}

/** One container with the defaults ECS fills in when it registers the definition. */
function withDefaults(container: Json): ContainerDefinitionData {
	const ports = Array.isArray(container['portMappings']) ? (container['portMappings'] as Json[]).map(p => ({...p, hostPort: p['hostPort'] ?? p['containerPort'], protocol: p['protocol'] ?? 'tcp'})) : [];
	return {
		cpu: 0,
		essential: true,
		environment: [],
		mountPoints: [],
		volumesFrom: [],
		...container,
		portMappings: ports,
		name: String(container['name'] ?? ''),
		image: String(container['image'] ?? ''),
	};
}

/**
 * The task definition a template registers, resolved as CloudFormation would pass it to ECS: its
 * containers whole (environment, secrets by reference, ports, sizes, health check, logging…) and the
 * task's size, network mode and roles.
 */
export function registeredTaskDefinition(body: string, logicalId: string, resolution: Resolution): {containers: ContainerDefinitionData[]; task: TaskDefinitionData} {
	const properties = (apiShape(resolvedProperties(body, logicalId, resolution) ?? {}) ?? {}) as Json;
	const containers = Array.isArray(properties['containerDefinitions']) ? (properties['containerDefinitions'] as Json[]).map(withDefaults) : [];
	const text = (key: string) => (properties[key] === undefined ? {} : {[key]: String(properties[key])});
	const task: TaskDefinitionData = {
		...text('cpu'),
		...text('memory'),
		...text('networkMode'),
		...text('executionRoleArn'),
		...text('taskRoleArn'),
		...(Array.isArray(properties['requiresCompatibilities']) ? {requiresCompatibilities: (properties['requiresCompatibilities'] as unknown[]).map(String)} : {}),
		...(Array.isArray(properties['volumes']) ? {volumes: properties['volumes'] as unknown[]} : {}),
		...(properties['runtimePlatform'] !== undefined ? {runtimePlatform: properties['runtimePlatform'] as Json} : {}),
	};
	return {containers, task};
}
