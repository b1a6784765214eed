import {error, formatPath, warning, type Problem} from '../problems.js';
import {quote} from '../text.js';
import type {ContainerSpec, ServiceSpec} from './schema.js';
import {checkTagList} from './tag-rules.js';

/*
 * Rules for the container, task and service settings beyond the basics (user, timeouts, ulimits, Linux
 * parameters, system controls, ephemeral storage, platform version, capacity providers, ECS Exec, deployment
 * alarms, service tags). Each names the field and says what is allowed; the ranges are the ECS API
 * reference's (see schema.ts `ranges`).
 */

const at = (...segments: Array<string | number>) => formatPath(['service', ...segments]);

/** The CPU architecture the task runs on: `runtimePlatform.cpuArchitecture`, `cpuArchitecture`, or X86_64. */
export function cpuArchitectureOf(service: Pick<ServiceSpec, 'cpuArchitecture' | 'runtimePlatform'>): 'X86_64' | 'ARM64' {
	return service.runtimePlatform?.cpuArchitecture ?? service.cpuArchitecture ?? 'X86_64';
}

export function checkSettings(service: ServiceSpec): Problem[] {
	return [
		...checkRuntimePlatform(service),
		...checkPlatformVersion(service),
		...checkCapacityProviders(service),
		...checkExecuteCommand(service),
		...checkAlarms(service),
		...checkServiceTags(service),
		...service.containers.flatMap((container, i) => checkContainerSettings(service, container, i)),
	];
}

function checkRuntimePlatform(service: ServiceSpec): Problem[] {
	if (service.cpuArchitecture !== undefined && service.runtimePlatform?.cpuArchitecture !== undefined) {
		return [error(at('runtimePlatform', 'cpuArchitecture'), 'cpuArchitecture is set too: give the architecture once, in one of the two fields')];
	}
	return [];
}

/** A user name or id, optionally with a group name or id: `app`, `app:staff`, `1000`, `1000:1000`, `app:1000`. */
export const containerUserPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;

/** The kernel parameters a task may set (SystemControl in the ECS API: "All of these values are supported by Fargate"). */
const ipcSystemControls = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);
export const isNamespacedSystemControl = (name: string): boolean => ipcSystemControls.has(name) || /^fs\.mqueue\.[a-z0-9_.]+$/.test(name) || /^net\.[a-z0-9_.-]+$/i.test(name);

function checkContainerSettings(service: ServiceSpec, container: ContainerSpec, i: number): Problem[] {
	const problems: Problem[] = [];
	if (container.user !== undefined && !containerUserPattern.test(container.user)) {
		problems.push(error(at('containers', i, 'user'), `${quote(container.user)} is not a user: use user, user:group, uid or uid:gid (ids are positive whole numbers)`));
	}
	const seenLimits = new Map<string, number>();
	container.ulimits.forEach((limit, j) => {
		const first = seenLimits.get(limit.name);
		if (first !== undefined) problems.push(error(at('containers', i, 'ulimits', j, 'name'), `${limit.name} is already set by ulimits[${first}]: set each limit once`));
		else seenLimits.set(limit.name, j);
		if (limit.softLimit > limit.hardLimit) problems.push(error(at('containers', i, 'ulimits', j, 'softLimit'), `${limit.softLimit} is above the hard limit (${limit.hardLimit}): the soft limit must not exceed it`));
	});
	container.volumesFrom.forEach((source, j) => {
		const path = at('containers', i, 'volumesFrom', j, 'container');
		if (source.container === container.name) problems.push(error(path, 'a container cannot mount its own volumes'));
		else if (!service.containers.some(c => c.name === source.container)) {
			problems.push(error(path, `${quote(source.container)} is not a container of this task (${service.containers.map(c => c.name).join(', ')})`));
		} else if (container.volumesFrom.findIndex(v => v.container === source.container) < j) {
			problems.push(error(path, `${quote(source.container)} is listed twice`));
		}
	});
	const added = container.linuxParameters?.capabilities?.add ?? [];
	added.forEach((capability, j) => {
		// "Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability." (KernelCapabilities)
		if (capability !== 'SYS_PTRACE') problems.push(error(at('containers', i, 'linuxParameters', 'capabilities', 'add', j), `${capability} cannot be added on Fargate: the only capability Fargate tasks may add is SYS_PTRACE`));
	});
	const seenControls = new Map<string, number>();
	container.systemControls.forEach((control, j) => {
		if (!isNamespacedSystemControl(control.namespace)) {
			problems.push(
				error(
					at('containers', i, 'systemControls', j, 'namespace'),
					`${quote(control.namespace)} is not a namespaced kernel parameter ECS can set: use one that starts with net. or fs.mqueue., or one of ${[...ipcSystemControls].join(', ')}`,
				),
			);
		}
		const first = seenControls.get(control.namespace);
		if (first !== undefined) problems.push(error(at('containers', i, 'systemControls', j, 'namespace'), `${control.namespace} is already set by systemControls[${first}]`));
		else seenControls.set(control.namespace, j);
	});
	return problems;
}

/** Features that need a Fargate platform version, with the first version that has them (ECS API reference). */
function platformNeeds(service: ServiceSpec): Array<{version: string; what: string; path: string}> {
	const needs: Array<{version: string; what: string; path: string}> = [];
	if (service.ephemeralStorage !== undefined) needs.push({version: '1.4.0', what: 'ephemeralStorage', path: at('ephemeralStorage')});
	if (cpuArchitectureOf(service) === 'ARM64') needs.push({version: '1.4.0', what: 'the ARM64 architecture', path: at(service.runtimePlatform?.cpuArchitecture === undefined ? 'cpuArchitecture' : 'runtimePlatform')});
	if (service.cpu >= 8192) needs.push({version: '1.4.0', what: `a ${service.cpu} CPU task`, path: at('cpu')});
	service.volumes.forEach((volume, i) => {
		if (volume.type === 'efs') needs.push({version: '1.4.0', what: 'EFS volumes', path: at('volumes', i)});
	});
	service.containers.forEach((c, i) => {
		if ((c.linuxParameters?.capabilities?.add ?? []).length > 0) needs.push({version: '1.4.0', what: 'adding Linux capabilities', path: at('containers', i, 'linuxParameters', 'capabilities', 'add')});
		if (c.startTimeout !== undefined) needs.push({version: '1.3.0', what: 'startTimeout', path: at('containers', i, 'startTimeout')});
		if (c.stopTimeout !== undefined) needs.push({version: '1.3.0', what: 'stopTimeout', path: at('containers', i, 'stopTimeout')});
		if (c.dependsOn.length > 0) needs.push({version: '1.3.0', what: 'dependsOn', path: at('containers', i, 'dependsOn')});
		if (c.secrets.length > 0) needs.push({version: '1.3.0', what: 'secrets', path: at('containers', i, 'secrets')});
	});
	return needs;
}

/** -1, 0 or 1 as dotted version a is below, equal to or above b. */
function compareVersions(a: string, b: string): number {
	const x = a.split('.').map(Number);
	const y = b.split('.').map(Number);
	for (let i = 0; i < Math.max(x.length, y.length); i++) {
		const d = (x[i] ?? 0) - (y[i] ?? 0);
		if (d !== 0) return Math.sign(d);
	}
	return 0;
}

function checkPlatformVersion(service: ServiceSpec): Problem[] {
	const version = service.platformVersion;
	if (version === undefined || version === 'LATEST') return [];
	const problems: Problem[] = [];
	for (const need of platformNeeds(service)) {
		if (compareVersions(version, need.version) < 0) {
			problems.push(error(at('platformVersion'), `${version} cannot run ${need.what} (${need.path}): it needs Fargate platform version ${need.version} or later (or LATEST)`));
		}
	}
	return problems;
}

function checkCapacityProviders(service: ServiceSpec): Problem[] {
	const strategy = service.capacityProviderStrategy;
	if (strategy === undefined) return [];
	const problems: Problem[] = [];
	strategy.forEach((item, i) => {
		if (strategy.findIndex(other => other.capacityProvider === item.capacityProvider) < i) {
			problems.push(error(at('capacityProviderStrategy', i, 'capacityProvider'), `${item.capacityProvider} is listed twice: give each capacity provider once`));
		}
	});
	// "Only one capacity provider in a capacity provider strategy can have a base defined." (CapacityProviderStrategyItem)
	const withBase = strategy.flatMap((item, i) => ((item.base ?? 0) > 0 ? [i] : []));
	if (withBase.length > 1) problems.push(error(at('capacityProviderStrategy', withBase[1]!, 'base'), `only one capacity provider may have a base; capacityProviderStrategy[${withBase[0]}] has one already`));
	// "At least one capacity provider must have a weight greater than zero"; with weight 0 a provider places no tasks beyond its base.
	if (strategy.length > 1 && !strategy.some(item => (item.weight ?? 0) > 0)) {
		problems.push(error(at('capacityProviderStrategy'), 'at least one capacity provider needs a weight above 0 (weights decide where tasks go beyond the base)'));
	}
	return problems;
}

function checkExecuteCommand(service: ServiceSpec): Problem[] {
	if (service.enableExecuteCommand !== true || service.taskRole !== undefined) return [];
	return [
		warning(
			at('enableExecuteCommand'),
			'ECS Exec needs a task role that allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel; no taskRole is set, so execute-command will fail',
		),
	];
}

function checkAlarms(service: ServiceSpec): Problem[] {
	const names = service.deployment.alarms?.names ?? [];
	const problems: Problem[] = [];
	names.forEach((name, i) => {
		if (names.indexOf(name) < i) problems.push(error(at('deployment', 'alarms', 'names', i), `${quote(name)} is listed twice`));
		if (name.includes(',')) problems.push(error(at('deployment', 'alarms', 'names', i), 'an alarm name cannot contain a comma (ECS joins the names with commas)'));
	});
	return problems;
}

/** ECS allows 50 tags on a resource (tags starting with aws: do not count). */
const maxEcsTags = 50;
/** Tags the tool itself puts on every resource (see template/tags.ts identityTags). */
const identityTagCount = 4;

function checkServiceTags(service: ServiceSpec): Problem[] {
	const problems = checkTagList(service.serviceTags, ['service', 'serviceTags']);
	const shared = new Set(service.tags.map(t => t.key));
	service.serviceTags.forEach((tag, i) => {
		if (shared.has(tag.key)) problems.push(error(at('serviceTags', i, 'key'), `${quote(tag.key)} is already one of service.tags, which the service carries too: keep one`));
	});
	const total = identityTagCount + service.tags.length + service.serviceTags.length;
	if (total > maxEcsTags) {
		problems.push(error(at('serviceTags'), `the service would carry ${total} tags (${identityTagCount} of ecs-deployer's, ${service.tags.length} tags, ${service.serviceTags.length} serviceTags); ECS allows ${maxEcsTags}`));
	}
	return problems;
}
