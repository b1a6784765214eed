import type {RecipeDocument} from './recipe/schema.js';
import type {ResolvedRecipe} from './recipe/resolved.js';
import {runningImages} from './running-images.js';
import {containsSensitive, redact} from './variables.js';

/*
 * What a deployment is configured with, flattened to fields that can be compared one by one: the images,
 * the variables (sensitive ones masked), the task's size, the desired count, each container's ports, health
 * check, environment and secrets (names only), and the rest of the service. Built from a release (its
 * snapshot resolved for an environment) or from what runs (a task definition). Pure: the rollback screen
 * and `releases` show the differences; nothing here reads AWS.
 */

/** What a field is about, for grouping on screen. */
export type ConfigGroup = 'image' | 'variable' | 'size' | 'count' | 'port' | 'health check' | 'environment' | 'secret' | 'command' | 'logging' | 'network' | 'deployment' | 'volume' | 'role' | 'other';

export type ConfigField = {group: ConfigGroup; label: string; value: string};

/**
 * A configuration: fields by path (`images.web`, `task.cpu`, `containers.web.environment.OCTO_ENV`).
 * `source` says where it was read: a task definition says less than a release (no variables, network or
 * deployment settings), so only the fields both can say are compared between the two.
 */
export type Configuration = {source: 'release' | 'task-definition'; fields: Record<string, ConfigField>};

/** One difference: the field, its value before and after (absent = the field is not there). */
export type ConfigChange = {path: string; group: ConfigGroup; label: string; before?: string; after?: string};

/** Shown in place of every sensitive value. */
export const masked = '******';

/** The groups a task definition (with the service's desired count) can say. */
const fromTaskDefinition: ReadonlySet<ConfigGroup> = new Set(['image', 'size', 'count', 'port', 'health check', 'environment', 'secret', 'command']);

/**
 * The configuration of a release for one environment: `resolved` is its snapshot resolved for the
 * environment (with the release's images); `recipe` (the snapshot) gives the variables.
 */
export function configurationOf(resolved: ResolvedRecipe, recipe?: RecipeDocument): Configuration {
	const fields: Record<string, ConfigField> = {};
	const put = (path: string, group: ConfigGroup, label: string, value: unknown) => {
		if (value === undefined) return;
		fields[path] = {group, label, value: typeof value === 'string' ? value : JSON.stringify(value)};
	};
	for (const [ref, image] of Object.entries(resolved.images)) put(`images.${ref}`, 'image', `image ${ref}`, imageText(image.tag, image.digest));
	const {service} = resolved;
	put('task.cpu', 'size', 'task CPU', String(service.cpu));
	put('task.memory', 'size', 'task memory', `${service.memory} MiB`);
	put('task.cpuArchitecture', 'other', 'CPU architecture', service.cpuArchitecture);
	put('service.desiredCount', 'count', 'desired count', String(service.desiredCount));
	put('roles.task', 'role', 'task role', service.taskRole);
	put('roles.execution', 'role', 'execution role', service.executionRole ?? '(created by the stack)');
	put('network.subnets', 'network', 'subnets', service.network.subnets.join(', '));
	put('network.securityGroups', 'network', 'security groups', service.network.securityGroups.join(', '));
	put('network.assignPublicIp', 'network', 'public IP', service.network.assignPublicIp ? 'yes' : 'no');
	const d = service.deployment;
	put('deployment.healthyPercent', 'deployment', 'healthy percent (min–max)', `${d.minimumHealthyPercent}–${d.maximumPercent} %`);
	put('deployment.circuitBreaker', 'deployment', 'circuit breaker', d.circuitBreaker.enabled ? `on${d.circuitBreaker.rollback ? ', rolls back' : ''}` : 'off');
	put('deployment.gracePeriod', 'deployment', 'health check grace period', d.healthCheckGracePeriodSeconds === undefined ? undefined : `${d.healthCheckGracePeriodSeconds} s`);
	for (const lb of service.loadBalancers) put(`loadBalancers.${lb.container}:${lb.port}`, 'network', `load balancer of ${lb.container}:${lb.port}`, lb.targetGroupArn);
	for (const volume of service.volumes) put(`volumes.${volume.name}`, 'volume', `volume ${volume.name}`, volume.type === 'efs' ? `efs ${volume.fileSystemId}${volume.rootDirectory ?? ''}` : volume.type);
	for (const c of service.containers) {
		const at = (field: string) => `containers.${c.name}.${field}`;
		put(at('image'), 'image', `${c.name}: image`, c.image);
		put(at('essential'), 'other', `${c.name}: essential`, c.essential ? 'yes' : 'no');
		put(at('cpu'), 'size', `${c.name}: CPU`, c.cpu === undefined ? undefined : String(c.cpu));
		put(at('memory'), 'size', `${c.name}: memory`, c.memory === undefined ? undefined : `${c.memory} MiB`);
		put(at('memoryReservation'), 'size', `${c.name}: memory reservation`, c.memoryReservation === undefined ? undefined : `${c.memoryReservation} MiB`);
		put(at('ports'), 'port', `${c.name}: ports`, portsText(c.ports.map(p => ({containerPort: p.containerPort, protocol: p.protocol, ...(p.name ? {name: p.name} : {}), ...(p.appProtocol ? {appProtocol: p.appProtocol} : {})}))));
		put(at('healthCheck'), 'health check', `${c.name}: health check`, c.healthCheck === undefined ? undefined : healthCheckText(c.healthCheck));
		put(at('command'), 'command', `${c.name}: command`, c.command?.join(' '));
		put(at('entryPoint'), 'command', `${c.name}: entry point`, c.entryPoint?.join(' '));
		put(at('workingDirectory'), 'command', `${c.name}: working directory`, c.workingDirectory);
		for (const [name, value] of Object.entries(c.environment)) {
			// A value with a sensitive variable in it goes to the task as a secret, never as plain text.
			if (containsSensitive(value)) put(at(`secrets.${name}`), 'secret', `${c.name}: secret ${name}`, masked);
			else put(at(`environment.${name}`), 'environment', `${c.name}: ${name}`, redact(value));
		}
		for (const secret of c.secrets) put(at(`secrets.${secret.name}`), 'secret', `${c.name}: secret ${secret.name}`, masked);
		put(at('logging'), 'logging', `${c.name}: logging`, loggingText(c.logging));
		put(at('dependsOn'), 'other', `${c.name}: depends on`, c.dependsOn.length === 0 ? undefined : c.dependsOn.map(x => `${x.container} ${x.condition}`).join(', '));
		put(at('mountPoints'), 'volume', `${c.name}: mounts`, c.mountPoints.length === 0 ? undefined : c.mountPoints.map(m => `${m.volume}:${m.path}${m.readOnly ? ' (read-only)' : ''}`).join(', '));
	}
	if (recipe) for (const [name, value] of Object.entries(variablesFor(recipe, resolved.environment))) put(`variables.${name}`, 'variable', `variable ${name}`, value);
	return {source: 'release', fields};
}

/** A task definition as ECS describes it: only what the comparison reads (the SDK's TaskDefinition fits). */
export type TaskDefinitionShape = {
	cpu?: string | undefined;
	memory?: string | undefined;
	containerDefinitions?: ReadonlyArray<{
		name?: string | undefined;
		image?: string | undefined;
		cpu?: number | undefined;
		memory?: number | undefined;
		memoryReservation?: number | undefined;
		essential?: boolean | undefined;
		portMappings?: ReadonlyArray<{containerPort?: number | undefined; protocol?: string | undefined; name?: string | undefined; appProtocol?: string | undefined}> | undefined;
		environment?: ReadonlyArray<{name?: string | undefined; value?: string | undefined}> | undefined;
		secrets?: ReadonlyArray<{name?: string | undefined; valueFrom?: string | undefined}> | undefined;
		healthCheck?: {command?: string[] | undefined; interval?: number | undefined; timeout?: number | undefined; retries?: number | undefined; startPeriod?: number | undefined} | undefined;
		command?: string[] | undefined;
		entryPoint?: string[] | undefined;
		workingDirectory?: string | undefined;
	}>;
};

/**
 * The configuration of what runs: the task definition of the service's PRIMARY deployment (and the
 * service's desired count), read back with the recipe's images to name them by ref.
 */
export function configurationFromTaskDefinition(definition: TaskDefinitionShape, images: RecipeDocument['images'], desiredCount?: number): Configuration {
	const fields: Record<string, ConfigField> = {};
	const put = (path: string, group: ConfigGroup, label: string, value: string | undefined) => {
		if (value !== undefined) fields[path] = {group, label, value};
	};
	const containers = definition.containerDefinitions ?? [];
	for (const [ref, running] of Object.entries(runningImages(containers, images))) put(`images.${ref}`, 'image', `image ${ref}`, imageText(running.tag, running.digest));
	put('task.cpu', 'size', 'task CPU', definition.cpu);
	put('task.memory', 'size', 'task memory', definition.memory === undefined ? undefined : `${definition.memory} MiB`);
	put('service.desiredCount', 'count', 'desired count', desiredCount === undefined ? undefined : String(desiredCount));
	for (const c of containers) {
		if (!c.name) continue;
		const at = (field: string) => `containers.${c.name}.${field}`;
		put(at('cpu'), 'size', `${c.name}: CPU`, c.cpu === undefined || c.cpu === 0 ? undefined : String(c.cpu));
		put(at('memory'), 'size', `${c.name}: memory`, c.memory === undefined ? undefined : `${c.memory} MiB`);
		put(at('memoryReservation'), 'size', `${c.name}: memory reservation`, c.memoryReservation === undefined ? undefined : `${c.memoryReservation} MiB`);
		put(at('ports'), 'port', `${c.name}: ports`, portsText((c.portMappings ?? []).map(p => ({containerPort: p.containerPort ?? 0, protocol: p.protocol ?? 'tcp', ...(p.name ? {name: p.name} : {}), ...(p.appProtocol ? {appProtocol: p.appProtocol} : {})}))));
		if (c.healthCheck?.command) {
			put(at('healthCheck'), 'health check', `${c.name}: health check`, healthCheckText({command: c.healthCheck.command, interval: c.healthCheck.interval ?? 30, timeout: c.healthCheck.timeout ?? 5, retries: c.healthCheck.retries ?? 3, ...(c.healthCheck.startPeriod === undefined ? {} : {startPeriod: c.healthCheck.startPeriod})}));
		}
		put(at('command'), 'command', `${c.name}: command`, c.command?.join(' '));
		put(at('entryPoint'), 'command', `${c.name}: entry point`, c.entryPoint?.join(' '));
		put(at('workingDirectory'), 'command', `${c.name}: working directory`, c.workingDirectory);
		for (const e of c.environment ?? []) if (e.name) put(at(`environment.${e.name}`), 'environment', `${c.name}: ${e.name}`, e.value ?? '');
		for (const s of c.secrets ?? []) if (s.name) put(at(`secrets.${s.name}`), 'secret', `${c.name}: secret ${s.name}`, masked);
	}
	return {source: 'task-definition', fields};
}

/**
 * The differences between two configurations, field by field, in a stable order (images first, then by
 * group and path). Between a release and a task definition only the fields a task definition says are
 * compared.
 */
export function configurationChanges(before: Configuration, after: Configuration): ConfigChange[] {
	const comparable = before.source === after.source ? undefined : fromTaskDefinition;
	const changes: ConfigChange[] = [];
	for (const path of new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])) {
		const a = before.fields[path];
		const b = after.fields[path];
		const field = (a ?? b)!;
		if (comparable && !comparable.has(field.group)) continue;
		// The image ref a container names: compared through the images themselves.
		if (comparable && path.endsWith('.image') && path.startsWith('containers.')) continue;
		if (a?.value === b?.value) continue;
		// An image is the same when its tags are and the digests agree where both sides know one (a task
		// definition names the tag only), as release pins are compared.
		if (field.group === 'image' && a && b && sameImageText(a.value, b.value)) continue;
		changes.push({path, group: field.group, label: field.label, ...(a ? {before: a.value} : {}), ...(b ? {after: b.value} : {})});
	}
	return changes.sort((x, y) => groupOrder(x.group) - groupOrder(y.group) || x.path.localeCompare(y.path));
}

const order: readonly ConfigGroup[] = ['image', 'variable', 'size', 'count', 'port', 'health check', 'environment', 'secret', 'command', 'logging', 'network', 'deployment', 'volume', 'role', 'other'];
const groupOrder = (group: ConfigGroup) => order.indexOf(group);

/** One change as a line: `variable Message: "BROKEN CONFIG" → "Hello from #{Environment}"`. */
export function describeChange(change: ConfigChange): string {
	const show = (value: string | undefined) => (value === undefined ? '(none)' : value === masked ? masked : JSON.stringify(value));
	return `${change.label}: ${show(change.before)} → ${show(change.after)}`;
}

/** `1.4.0 @sha256:…` and `1.4.0`: the same image (one side does not know the digest). */
function sameImageText(a: string, b: string): boolean {
	const [tagA, digestA] = a.split(' @');
	const [tagB, digestB] = b.split(' @');
	return tagA === tagB && (digestA === undefined || digestB === undefined || digestA === digestB);
}

function imageText(tag: string | undefined, digest: string | undefined): string {
	return `${tag ?? '(no tag)'}${digest ? ` @${digest.slice(0, 19)}` : ''}`;
}

function portsText(ports: ReadonlyArray<{containerPort: number; protocol: string; name?: string; appProtocol?: string}>): string | undefined {
	if (ports.length === 0) return undefined;
	return ports
		.map(p => `${p.containerPort}/${p.protocol}${p.name || p.appProtocol ? ` (${[p.name, p.appProtocol].filter(Boolean).join(', ')})` : ''}`)
		.sort()
		.join(', ');
}

function healthCheckText(check: {command: readonly string[]; interval: number; timeout: number; retries: number; startPeriod?: number}): string {
	return `${check.command.join(' ')}; every ${check.interval} s, timeout ${check.timeout} s, ${check.retries} retries${check.startPeriod === undefined ? '' : `, start period ${check.startPeriod} s`}`;
}

function loggingText(logging: ResolvedRecipe['service']['containers'][number]['logging']): string {
	if (logging.type === 'auto') return `CloudWatch Logs (${logging.retentionDays} days${logging.streamPrefix ? `, prefix ${logging.streamPrefix}` : ''})`;
	if (logging.type === 'none') return 'none';
	const options = Object.entries(logging.options ?? {})
		.map(([k, v]) => `${k}=${redact(v)}`)
		.join(' ');
	return `${logging.driver}${options ? ` ${options}` : ''}`;
}

/**
 * The variables of a recipe as they apply to one environment, as written (not expanded): the definition
 * scoped to the environment wins over the unscoped one. A sensitive variable shows where its value comes
 * from (a reference is not a secret), never a value.
 */
export function variablesFor(recipe: RecipeDocument, environment: string): Record<string, string> {
	const chosen = new Map<string, NonNullable<RecipeDocument['variables']>[number]>();
	for (const v of recipe.variables ?? []) {
		if (v.environments !== undefined && !v.environments.includes(environment)) continue;
		const current = chosen.get(v.name);
		if (current === undefined || (current.environments === undefined && v.environments !== undefined)) chosen.set(v.name, v);
	}
	const values: Record<string, string> = {};
	for (const [name, v] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
		values[name] = v.sensitive ? (v.valueFrom === undefined ? `${masked} (given at deploy time)` : `${masked} (from ${v.valueFrom})`) : (v.value ?? '');
	}
	return values;
}
