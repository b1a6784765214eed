import type {Document} from 'yaml';
import type {Path} from './document-edit.js';
import {recipeValue} from './parse.js';

/*
 * A recipe's values as the step form shows them, read from its YAML document. Values are as written: the
 * validator, not the form, says what is wrong with them. Pure: no I/O.
 */

/** A `name → value` entry of a mapping (environment variables, log options), in the order written. */
export type KeyValue = {key: string; value: unknown};

/** A port mapping (a number written alone is its `containerPort`). */
export type PortForm = {containerPort: unknown; protocol: unknown; name: unknown; appProtocol: unknown; hostPort: unknown};
/** A secret (`{name, valueFrom}`) of a container or of its log driver. */
export type SecretForm = {name: unknown; valueFrom: unknown};
/** A container's health check, as written. */
export type HealthCheckForm = {command: unknown; interval: unknown; timeout: unknown; retries: unknown; startPeriod: unknown};
/** A container's logging (`logging: auto` reads as `{type: auto}`; absent is `auto`). */
export type LoggingForm = {type: unknown; streamPrefix: unknown; retentionDays: unknown; driver: unknown; options: KeyValue[]; secretOptions: SecretForm[]};
/** A container's FireLens log router settings. */
export type FirelensForm = {type: unknown; options: KeyValue[]; configFileType: unknown; configFileValue: unknown};

/** A container of `service.containers`, its lists and mappings in the order written. */
export type ContainerForm = {
	name: unknown;
	image: unknown;
	essential: unknown;
	cpu: unknown;
	memory: unknown;
	memoryReservation: unknown;
	ports: PortForm[];
	healthCheck: HealthCheckForm | undefined;
	entryPoint: unknown;
	command: unknown;
	workingDirectory: unknown;
	environment: KeyValue[];
	environmentFiles: unknown;
	secrets: SecretForm[];
	mountPoints: Array<{volume: unknown; path: unknown; readOnly: unknown}>;
	dependsOn: Array<{container: unknown; condition: unknown}>;
	logging: LoggingForm;
	firelens: FirelensForm | undefined;
	user: unknown;
	readonlyRootFilesystem: unknown;
	startTimeout: unknown;
	stopTimeout: unknown;
	/** `linuxParameters.initProcessEnabled`. */
	initProcessEnabled: unknown;
	/** `linuxParameters.capabilities.add` and `.drop`. */
	capabilitiesAdd: unknown;
	capabilitiesDrop: unknown;
	ulimits: Array<{name: unknown; softLimit: unknown; hardLimit: unknown}>;
	dockerLabels: KeyValue[];
	volumesFrom: Array<{container: unknown; readOnly: unknown}>;
	systemControls: Array<{namespace: unknown; value: unknown}>;
};

/** `service.deployment`'s strategy settings (or an environment's override of them), as written. */
export type StrategyForm = {
	strategy: unknown;
	bakeTimeMinutes: unknown;
	canaryPercent: unknown;
	canaryBakeTimeMinutes: unknown;
	linearStepPercent: unknown;
	linearStepBakeTimeMinutes: unknown;
	infrastructureRole: unknown;
	/** Absent: no approval gate (`approval: {}` is a gate with the defaults). */
	approval: {stage: unknown; timeoutMinutes: unknown; onTimeout: unknown} | undefined;
};

/** `service.autoScaling` as written (absent: the task count is the recipe's). */
export type AutoScalingForm = {
	min: unknown;
	max: unknown;
	targetCpu: unknown;
	targetMemory: unknown;
	requestsPerTarget: unknown;
	loadBalancer: unknown;
	scaleInCooldown: unknown;
	scaleOutCooldown: unknown;
	schedule: Array<{name: unknown; cron: unknown; min: unknown; max: unknown; timezone: unknown}>;
};

/** A volume of `service.volumes` (the EFS fields are absent for `bind`). */
export type VolumeForm = {
	name: unknown;
	type: unknown;
	fileSystemId: unknown;
	rootDirectory: unknown;
	transitEncryption: unknown;
	transitEncryptionPort: unknown;
	accessPointId: unknown;
	iamAuthorization: unknown;
};

/**
 * A definition of a variable: an item of `variables`, or an entry of an environment's own `variables`
 * (`environments[2].variables.LogLevel`, which is scoped to that environment).
 */
export type VariableForm = {
	/** Where it is written: `['variables', 3]`, or the entry itself, `['environments', 2, 'variables', 'LogLevel']`. */
	at: Path;
	name: unknown;
	value: unknown;
	valueFrom: unknown;
	/** The scope as written (absent: all environments); an environment's own entry is scoped to it. */
	environments: unknown;
	sensitive: unknown;
	description: unknown;
};

/** A channel of `channels`. */
export type ChannelForm = {name: unknown; description: unknown; default: unknown; versionRange: unknown; prereleaseTag: unknown; images: unknown; environments: unknown};

/**
 * A recipe's values as the step form shows them, shorthands written out (`ports: [80]` → a port mapping with
 * `containerPort: 80`, `logging: auto` → `{type: auto}`, `wait: {timeoutMinutes: 20}` → mode `timeout`).
 * Values are as written (a number may be `"#{Count}"`, anything may be of the wrong type: the validator says so).
 */
export type RecipeForm = {
	name: unknown;
	description: unknown;
	/** Each environment, with its own `deployment` settings (each replaces the service's as a whole). */
	environments: Array<{name: unknown; desiredCount: unknown; deployment: StrategyForm}>;
	images: Array<{ref: string; repository: unknown; registry: unknown; account: unknown; region: unknown; credentials: unknown}>;
	/** Every definition of every variable: the items of `variables` in order, then the environments' own. */
	variables: VariableForm[];
	channels: ChannelForm[];
	service: {
		stackName: unknown;
		serviceName: unknown;
		family: unknown;
		taskRole: unknown;
		executionRole: unknown;
		permissionsBoundary: unknown;
		cpu: unknown;
		memory: unknown;
		cpuArchitecture: unknown;
		desiredCount: unknown;
		subnets: unknown;
		securityGroups: unknown;
		assignPublicIp: unknown;
		managedTags: unknown;
		propagateTags: unknown;
		tags: Array<{key: unknown; value: unknown}>;
		containers: ContainerForm[];
		volumes: VolumeForm[];
		/** `service.beforeDeploy`: tasks (migrations) that must exit 0 before the service changes. */
		beforeDeploy: Array<{name: unknown; container: unknown; command: unknown; timeoutMinutes: unknown}>;
		loadBalancers: Array<{container: unknown; port: unknown; targetGroupArn: unknown; alternateTargetGroupArn: unknown; productionListenerRule: unknown; testListenerRule: unknown}>;
		strategy: StrategyForm;
		autoScaling: AutoScalingForm | undefined;
		platformVersion: unknown;
		capacityProviderStrategy: Array<{capacityProvider: unknown; base: unknown; weight: unknown}>;
		enableExecuteCommand: unknown;
		availabilityZoneRebalancing: unknown;
		/** GiB. */
		ephemeralStorage: unknown;
		/** `runtimePlatform.cpuArchitecture` and `runtimePlatform.operatingSystemFamily`. */
		runtimeCpuArchitecture: unknown;
		runtimeOperatingSystem: unknown;
		minimumHealthyPercent: unknown;
		maximumPercent: unknown;
		circuitBreakerEnabled: unknown;
		circuitBreakerRollback: unknown;
		healthCheckGracePeriodSeconds: unknown;
		/** `complete`, `none` or `timeout` (as written; anything else is shown as it is). */
		waitMode: unknown;
		timeoutMinutes: unknown;
	};
};

export type Json = Record<string, unknown>;

/** A mapping as a record; anything else as an empty one (values may be of the wrong type). */
export function asRecord(value: unknown): Json {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** A list; anything else as an empty one. */
export function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function entries(value: unknown): KeyValue[] {
	return Object.entries(asRecord(value)).map(([key, v]) => ({key, value: v}));
}

/** The document as plain data, or an empty record when it cannot be made so (too many aliases). */
export function plain(document: Document): Json {
	try {
		return asRecord(recipeValue(document));
	} catch {
		return {};
	}
}

function secretsOf(value: unknown): SecretForm[] {
	return asList(value).map(item => {
		const s = asRecord(item);
		return {name: s['name'], valueFrom: s['valueFrom']};
	});
}

function portOf(item: unknown): PortForm {
	if (item === null || typeof item !== 'object') return {containerPort: item, protocol: undefined, name: undefined, appProtocol: undefined, hostPort: undefined};
	const p = asRecord(item);
	return {containerPort: p['containerPort'], protocol: p['protocol'], name: p['name'], appProtocol: p['appProtocol'], hostPort: p['hostPort']};
}

function loggingOf(value: unknown): LoggingForm {
	const l = typeof value === 'string' ? {type: value} : asRecord(value);
	return {
		type: value === undefined ? 'auto' : l['type'],
		streamPrefix: l['streamPrefix'],
		retentionDays: l['retentionDays'],
		driver: l['driver'],
		options: entries(l['options']),
		secretOptions: secretsOf(l['secretOptions']),
	};
}

function containerOf(item: unknown): ContainerForm {
	const c = asRecord(item);
	const health = c['healthCheck'] === undefined ? undefined : asRecord(c['healthCheck']);
	const firelens = c['firelens'] === undefined ? undefined : asRecord(c['firelens']);
	const configFile = asRecord(firelens?.['configFile']);
	return {
		name: c['name'],
		image: c['image'],
		essential: c['essential'],
		cpu: c['cpu'],
		memory: c['memory'],
		memoryReservation: c['memoryReservation'],
		ports: asList(c['ports']).map(portOf),
		healthCheck: health && {command: health['command'], interval: health['interval'], timeout: health['timeout'], retries: health['retries'], startPeriod: health['startPeriod']},
		entryPoint: c['entryPoint'],
		command: c['command'],
		workingDirectory: c['workingDirectory'],
		environment: entries(c['environment']),
		environmentFiles: c['environmentFiles'],
		secrets: secretsOf(c['secrets']),
		mountPoints: asList(c['mountPoints']).map(m => ({volume: asRecord(m)['volume'], path: asRecord(m)['path'], readOnly: asRecord(m)['readOnly']})),
		dependsOn: asList(c['dependsOn']).map(d => ({container: asRecord(d)['container'], condition: asRecord(d)['condition']})),
		logging: loggingOf(c['logging']),
		firelens: firelens && {type: firelens['type'], options: entries(firelens['options']), configFileType: configFile['type'], configFileValue: configFile['value']},
		user: c['user'],
		readonlyRootFilesystem: c['readonlyRootFilesystem'],
		startTimeout: c['startTimeout'],
		stopTimeout: c['stopTimeout'],
		initProcessEnabled: asRecord(c['linuxParameters'])['initProcessEnabled'],
		capabilitiesAdd: asRecord(asRecord(c['linuxParameters'])['capabilities'])['add'],
		capabilitiesDrop: asRecord(asRecord(c['linuxParameters'])['capabilities'])['drop'],
		ulimits: asList(c['ulimits']).map(u => ({name: asRecord(u)['name'], softLimit: asRecord(u)['softLimit'], hardLimit: asRecord(u)['hardLimit']})),
		dockerLabels: entries(c['dockerLabels']),
		volumesFrom: asList(c['volumesFrom']).map(v => ({container: asRecord(v)['container'], readOnly: asRecord(v)['readOnly']})),
		systemControls: asList(c['systemControls']).map(v => ({namespace: asRecord(v)['namespace'], value: asRecord(v)['value']})),
	};
}

function volumeOf(item: unknown): VolumeForm {
	const v = asRecord(item);
	return {
		name: v['name'],
		type: v['type'],
		fileSystemId: v['fileSystemId'],
		rootDirectory: v['rootDirectory'],
		transitEncryption: v['transitEncryption'],
		transitEncryptionPort: v['transitEncryptionPort'],
		accessPointId: v['accessPointId'],
		iamAuthorization: v['iamAuthorization'],
	};
}

function waitOf(value: unknown): {waitMode: unknown; timeoutMinutes: unknown} {
	if (value === undefined) return {waitMode: 'complete', timeoutMinutes: undefined};
	if (typeof value === 'string') return {waitMode: value, timeoutMinutes: undefined};
	const w = asRecord(value);
	if (w['timeoutMinutes'] !== undefined) return {waitMode: 'timeout', timeoutMinutes: w['timeoutMinutes']};
	return {waitMode: w['mode'] ?? value, timeoutMinutes: undefined};
}

/** The strategy settings of a `deployment` mapping. */
export function strategyOf(deployment: Json): StrategyForm {
	const canary = asRecord(deployment['canary']);
	const linear = asRecord(deployment['linear']);
	const approval = deployment['approval'] === undefined ? undefined : asRecord(deployment['approval']);
	return {
		strategy: deployment['strategy'],
		bakeTimeMinutes: deployment['bakeTimeMinutes'],
		canaryPercent: canary['percent'],
		canaryBakeTimeMinutes: canary['bakeTimeMinutes'],
		linearStepPercent: linear['stepPercent'],
		linearStepBakeTimeMinutes: linear['stepBakeTimeMinutes'],
		infrastructureRole: deployment['infrastructureRole'],
		approval: approval && {stage: approval['stage'], timeoutMinutes: approval['timeoutMinutes'], onTimeout: approval['onTimeout']},
	};
}

function autoScalingOf(value: unknown): AutoScalingForm | undefined {
	if (value === undefined) return undefined;
	const a = asRecord(value);
	return {
		min: a['min'],
		max: a['max'],
		targetCpu: a['targetCpu'],
		targetMemory: a['targetMemory'],
		requestsPerTarget: a['requestsPerTarget'],
		loadBalancer: a['loadBalancer'],
		scaleInCooldown: a['scaleInCooldown'],
		scaleOutCooldown: a['scaleOutCooldown'],
		schedule: asList(a['schedule']).map(item => {
			const s = asRecord(item);
			return {name: s['name'], cron: s['cron'], min: s['min'], max: s['max'], timezone: s['timezone']};
		}),
	};
}

function variablesOf(js: Json): VariableForm[] {
	const listed = asList(js['variables']).map((item, i): VariableForm => {
		const v = asRecord(item);
		return {at: ['variables', i], name: v['name'], value: v['value'], valueFrom: v['valueFrom'], environments: v['environments'], sensitive: v['sensitive'], description: v['description']};
	});
	const own = asList(js['environments']).flatMap((item, k) => {
		const environment = asRecord(item);
		return Object.entries(asRecord(environment['variables'])).map(
			([name, value]): VariableForm => ({at: ['environments', k, 'variables', name], name, value, valueFrom: undefined, environments: [environment['name']], sensitive: undefined, description: undefined}),
		);
	});
	return [...listed, ...own];
}

function channelOf(item: unknown): ChannelForm {
	const c = asRecord(item);
	return {name: c['name'], description: c['description'], default: c['default'], versionRange: c['versionRange'], prereleaseTag: c['prereleaseTag'], images: c['images'], environments: c['environments']};
}

/** Reads the step form's values from a recipe document (see `RecipeForm`). */
export function readForm(document: Document): RecipeForm {
	const js = plain(document);
	const service = asRecord(js['service']);
	const network = asRecord(service['network']);
	const deployment = asRecord(service['deployment']);
	const breaker = asRecord(deployment['circuitBreaker']);
	return {
		name: js['name'],
		description: js['description'],
		environments: asList(js['environments']).map(e => {
			const environment = typeof e === 'string' ? {name: e} : asRecord(e);
			return {name: environment['name'], desiredCount: environment['desiredCount'], deployment: strategyOf(asRecord(environment['deployment']))};
		}),
		images: Object.entries(asRecord(js['images'])).map(([ref, v]) => {
			const image = asRecord(v);
			return {ref, repository: image['repository'], registry: image['registry'], account: image['account'], region: image['region'], credentials: image['credentials']};
		}),
		variables: variablesOf(js),
		channels: asList(js['channels']).map(channelOf),
		service: {
			stackName: service['stackName'],
			serviceName: service['serviceName'],
			family: service['family'],
			taskRole: service['taskRole'],
			executionRole: service['executionRole'],
			permissionsBoundary: service['permissionsBoundary'],
			cpu: service['cpu'],
			memory: service['memory'],
			cpuArchitecture: service['cpuArchitecture'],
			desiredCount: service['desiredCount'],
			subnets: network['subnets'],
			securityGroups: network['securityGroups'],
			assignPublicIp: network['assignPublicIp'],
			managedTags: service['managedTags'],
			propagateTags: service['propagateTags'],
			tags: asList(service['tags']).map(t => ({key: asRecord(t)['key'], value: asRecord(t)['value']})),
			containers: asList(service['containers']).map(containerOf),
			volumes: asList(service['volumes']).map(volumeOf),
			beforeDeploy: asList(service['beforeDeploy']).map(t => ({name: asRecord(t)['name'], container: asRecord(t)['container'], command: asRecord(t)['command'], timeoutMinutes: asRecord(t)['timeoutMinutes']})),
			loadBalancers: asList(service['loadBalancers']).map(item => {
				const lb = asRecord(item);
				return {
					container: lb['container'],
					port: lb['port'],
					targetGroupArn: lb['targetGroupArn'],
					alternateTargetGroupArn: lb['alternateTargetGroupArn'],
					productionListenerRule: lb['productionListenerRule'],
					testListenerRule: lb['testListenerRule'],
				};
			}),
			strategy: strategyOf(deployment),
			autoScaling: autoScalingOf(service['autoScaling']),
			platformVersion: service['platformVersion'],
			capacityProviderStrategy: asList(service['capacityProviderStrategy']).map(item => {
				const c = asRecord(item);
				return {capacityProvider: c['capacityProvider'], base: c['base'], weight: c['weight']};
			}),
			enableExecuteCommand: service['enableExecuteCommand'],
			availabilityZoneRebalancing: service['availabilityZoneRebalancing'],
			ephemeralStorage: service['ephemeralStorage'],
			runtimeCpuArchitecture: asRecord(service['runtimePlatform'])['cpuArchitecture'],
			runtimeOperatingSystem: asRecord(service['runtimePlatform'])['operatingSystemFamily'],
			minimumHealthyPercent: deployment['minimumHealthyPercent'],
			maximumPercent: deployment['maximumPercent'],
			circuitBreakerEnabled: breaker['enabled'],
			circuitBreakerRollback: breaker['rollback'],
			healthCheckGracePeriodSeconds: deployment['healthCheckGracePeriodSeconds'],
			...waitOf(service['wait']),
		},
	};
}
