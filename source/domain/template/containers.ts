import type {ContainerSpec} from '../recipe/schema.js';
import type {ResolvedImage, ResolvedRecipe} from '../recipe/resolved.js';
import {splitSensitive, type TextPart} from '../variables.js';
import {composedSecretId, imageTagParameter, secretParameter, secretResource} from './names.js';
import type {CfnValue} from './types.js';

/**
 * A container value that holds sensitive literals among other text (`postgres://app:#{DbPassword}@db/app`):
 * the stack keeps the whole value in a secret of its own, composed from the NoEcho parameters and the text.
 */
export type ComposedValue = {
	/** Logical id of the AWS::SecretsManager::Secret that holds it. */
	id: string;
	container: string;
	/** Where in the container: an environment variable or a log driver option. */
	field: 'environment variable' | 'log option';
	/** The variable's or option's name. */
	name: string;
	/** The value: text, and sensitive literal variables (each carried by its NoEcho parameter). */
	parts: readonly TextPart[];
};

/** What building the containers found that the rest of the template needs. */
export type ContainerNeeds = {
	/** Input: the `valueFrom` of each sensitive variable the service uses (undefined for literals). */
	sensitiveSources: ReadonlyMap<string, string | undefined>;
	/** NoEcho parameter → sensitive literal variable: every sensitive literal the containers use. */
	secretParameters: Map<string, string>;
	/**
	 * Sensitive literals used as a whole value: the stack keeps each in a Secrets Manager secret of its own
	 * (`secretResource`) that containers read like any other secret.
	 */
	wholeSecrets: Set<string>;
	/** Values that hold sensitive literals among other text, each kept in a secret of its own, in template order. */
	composedValues: ComposedValue[];
	/** `valueFrom` references the execution role must be able to read. */
	secretSources: Set<string>;
	/** S3 object ARNs the execution role must be able to read: environment files, FireLens configuration. */
	s3Objects: Set<string>;
	/** Largest retention asked by an auto-logging container, when any. */
	autoLogRetention?: number;
};

export const logGroupId = 'LogGroup';

/** The `ContainerDefinitions` of the task definition, in recipe order. */
export function containerDefinitions(resolved: ResolvedRecipe, needs: ContainerNeeds): CfnValue[] {
	return resolved.service.containers.map((container, i) => containerDefinition(resolved, container, `service.containers[${i}]`, needs));
}

/** A container secret: the variable name and where ECS reads it (an ARN, an SSM name, or Ref of a created secret). */
type SecretEntry = readonly [name: string, valueFrom: CfnValue];

function containerDefinition(resolved: ResolvedRecipe, container: ContainerSpec, path: string, needs: ContainerNeeds): Record<string, CfnValue> {
	const image = resolved.images[container.image];
	if (!image) throw new Error(`container ${container.name} uses undeclared image ${container.image}`);
	const definition: Record<string, CfnValue> = {
		Name: container.name,
		Image: imageReference(image),
		Essential: container.essential,
	};
	if (image.credentials !== undefined) {
		definition['RepositoryCredentials'] = {CredentialsParameter: image.credentials};
		needs.secretSources.add(image.credentials);
	}
	if (container.cpu !== undefined) definition['Cpu'] = container.cpu;
	if (container.memory !== undefined) definition['Memory'] = container.memory;
	if (container.memoryReservation !== undefined) definition['MemoryReservation'] = container.memoryReservation;
	if (container.ports.length > 0) {
		definition['PortMappings'] = container.ports.map(port => ({
			ContainerPort: port.containerPort,
			// awsvpc: the host port is the container port.
			HostPort: port.containerPort,
			Protocol: port.protocol,
			...(port.name === undefined ? {} : {Name: port.name}),
			...(port.appProtocol === undefined ? {} : {AppProtocol: port.appProtocol}),
		}));
	}
	if (container.healthCheck) {
		const check = container.healthCheck;
		definition['HealthCheck'] = {
			Command: check.command,
			Interval: check.interval,
			Timeout: check.timeout,
			Retries: check.retries,
			...(check.startPeriod === undefined ? {} : {StartPeriod: check.startPeriod}),
		};
	}
	if (container.entryPoint) definition['EntryPoint'] = container.entryPoint;
	if (container.command) definition['Command'] = container.command;
	if (container.workingDirectory !== undefined) definition['WorkingDirectory'] = container.workingDirectory;

	const {plain, secrets} = splitValues(container.environment, `${path}.environment`, {container: container.name, field: 'environment variable'}, needs);
	if (plain.length > 0) definition['Environment'] = plain.map(([name, value]) => ({Name: name, Value: value}));
	const allSecrets = [...secrets, ...container.secrets.map(s => referencedSecret(s.name, s.valueFrom, needs))].sort(([a], [b]) => a.localeCompare(b));
	if (allSecrets.length > 0) definition['Secrets'] = allSecrets.map(([name, valueFrom]) => ({Name: name, ValueFrom: valueFrom}));

	if (container.environmentFiles.length > 0) {
		definition['EnvironmentFiles'] = container.environmentFiles.map(file => ({Type: 's3', Value: file}));
		for (const file of container.environmentFiles) needs.s3Objects.add(file);
	}
	if (container.mountPoints.length > 0) {
		definition['MountPoints'] = container.mountPoints.map(m => ({SourceVolume: m.volume, ContainerPath: m.path, ReadOnly: m.readOnly}));
	}
	if (container.dependsOn.length > 0) {
		definition['DependsOn'] = container.dependsOn.map(d => ({ContainerName: d.container, Condition: d.condition}));
	}
	const logging = logConfiguration(container, `${path}.logging`, needs);
	if (logging) definition['LogConfiguration'] = logging;
	Object.assign(definition, containerSettings(container));
	if (container.firelens) {
		const {type, options = {}, configFile} = container.firelens;
		const all: Record<string, string> = {...options};
		if (configFile) {
			all['config-file-type'] = configFile.type;
			all['config-file-value'] = configFile.value;
			// ECS fetches an S3 configuration file with the task execution role, like environment files:
			// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-taskdef.html
			if (configFile.type === 's3') needs.s3Objects.add(configFile.value);
		}
		definition['FirelensConfiguration'] = {Type: type, ...(Object.keys(all).length > 0 ? {Options: sortedRecord(all)} : {})};
	}
	return definition;
}

/** The container settings beyond the basics, as ECS names them; only those the recipe sets. */
function containerSettings(container: ContainerSpec): Record<string, CfnValue> {
	const settings: Record<string, CfnValue> = {};
	if (container.user !== undefined) settings['User'] = container.user;
	if (container.readonlyRootFilesystem !== undefined) settings['ReadonlyRootFilesystem'] = container.readonlyRootFilesystem;
	if (container.startTimeout !== undefined) settings['StartTimeout'] = container.startTimeout;
	if (container.stopTimeout !== undefined) settings['StopTimeout'] = container.stopTimeout;
	if (container.ulimits.length > 0) settings['Ulimits'] = container.ulimits.map(u => ({Name: u.name, SoftLimit: u.softLimit, HardLimit: u.hardLimit}));
	if (Object.keys(container.dockerLabels).length > 0) settings['DockerLabels'] = sortedRecord(container.dockerLabels);
	if (container.volumesFrom.length > 0) settings['VolumesFrom'] = container.volumesFrom.map(v => ({SourceContainer: v.container, ReadOnly: v.readOnly}));
	const linux = container.linuxParameters;
	if (linux !== undefined) {
		const {add = [], drop = []} = linux.capabilities ?? {};
		const parameters: Record<string, CfnValue> = {
			...(add.length > 0 || drop.length > 0 ? {Capabilities: {...(add.length > 0 ? {Add: add} : {}), ...(drop.length > 0 ? {Drop: drop} : {})}} : {}),
			...(linux.initProcessEnabled === undefined ? {} : {InitProcessEnabled: linux.initProcessEnabled}),
		};
		if (Object.keys(parameters).length > 0) settings['LinuxParameters'] = parameters;
	}
	if (container.systemControls.length > 0) settings['SystemControls'] = container.systemControls.map(c => ({Namespace: c.namespace, Value: c.value}));
	return settings;
}

/** The image as `Fn::Sub` over its tag parameter, so an exported template can be deployed with other tags. */
function imageReference(image: ResolvedImage): CfnValue {
	const tag = `\${${imageTagParameter(image.ref)}}`;
	if (image.registry !== undefined) return {'Fn::Sub': `${image.registry.replace(/\/+$/, '')}/${image.repository}:${tag}`};
	const account = image.account ?? '${AWS::AccountId}';
	const region = image.region ?? '${AWS::Region}';
	// ECR hosts end in amazonaws.com.cn in China; ${AWS::URLSuffix} covers every partition.
	return {'Fn::Sub': `${account}.dkr.ecr.${region}.\${AWS::URLSuffix}/${image.repository}:${tag}`};
}

function logConfiguration(container: ContainerSpec, path: string, needs: ContainerNeeds): CfnValue | undefined {
	const logging = container.logging;
	switch (logging.type) {
		case 'none':
			return undefined;
		case 'auto':
			needs.autoLogRetention = Math.max(needs.autoLogRetention ?? 0, logging.retentionDays);
			return {
				LogDriver: 'awslogs',
				Options: {
					'awslogs-group': {Ref: logGroupId},
					'awslogs-region': {Ref: 'AWS::Region'},
					'awslogs-stream-prefix': logging.streamPrefix ?? container.name,
				},
			};
		case 'manual': {
			const {plain, secrets} = splitValues(logging.options ?? {}, `${path}.options`, {container: container.name, field: 'log option'}, needs);
			const secretOptions = [...secrets, ...(logging.secretOptions ?? []).map(s => referencedSecret(s.name, s.valueFrom, needs))];
			return {
				LogDriver: logging.driver,
				...(plain.length > 0 ? {Options: Object.fromEntries(plain)} : {}),
				...(secretOptions.length > 0 ? {SecretOptions: secretOptions.map(([name, valueFrom]) => ({Name: name, ValueFrom: valueFrom}))} : {}),
			};
		}
	}
}

/**
 * Splits name → value pairs into plain values and secrets. A value that is exactly a sensitive variable
 * becomes a secret: its Secrets Manager/SSM reference, or for a sensitive literal the secret the stack
 * creates from its NoEcho parameter. A value that holds sensitive literals among other text becomes a
 * secret as a whole, composed by the stack (ECS injects a secret as a whole environment variable or log
 * option and cannot splice it into text; inlining the NoEcho parameter with `Fn::Sub` would put the value in
 * the task definition, readable by anyone allowed `ecs:DescribeTaskDefinition`). Sorted by name, so the
 * template does not change when the recipe's order does.
 *
 * A variable read from Secrets Manager or SSM (`valueFrom`) has no value the stack could compose: it must be
 * the whole value. Validation reports this as a recipe problem; the error here is the last line of defence.
 */
function splitValues(
	values: Record<string, string>,
	path: string,
	owner: Pick<ComposedValue, 'container' | 'field'>,
	needs: ContainerNeeds,
): {plain: Array<[string, string]>; secrets: SecretEntry[]} {
	const plain: Array<[string, string]> = [];
	const secrets: SecretEntry[] = [];
	for (const name of Object.keys(values).sort()) {
		const value = values[name]!;
		const parts = splitSensitive(value);
		const sensitive = parts.flatMap(p => (p.kind === 'sensitive' ? [p.name] : []));
		if (sensitive.length === 0) {
			plain.push([name, value]);
			continue;
		}
		if (parts.length === 1) {
			const variable = sensitive[0]!;
			const valueFrom = needs.sensitiveSources.get(variable);
			if (valueFrom !== undefined) {
				secrets.push(referencedSecret(name, valueFrom, needs));
				continue;
			}
			literalParameter(variable, `${path}.${name}`, needs);
			needs.wholeSecrets.add(variable);
			// Ref of an AWS::SecretsManager::Secret is its ARN, which is what ECS takes as valueFrom.
			secrets.push([name, {Ref: secretResource(variable)}]);
			continue;
		}
		const referenced = sensitive.find(variable => needs.sensitiveSources.get(variable) !== undefined);
		if (referenced !== undefined) {
			throw new Error(`${path}.${name}: sensitive variable ${referenced} is read from Secrets Manager or SSM (valueFrom), so it must be the whole value: the stack cannot compose it with text`);
		}
		for (const variable of sensitive) literalParameter(variable, `${path}.${name}`, needs);
		const taken = new Set(needs.composedValues.map(c => c.id));
		const id = composedSecretId(owner.container, owner.field === 'log option', name, taken);
		needs.composedValues.push({id, ...owner, name, parts});
		secrets.push([name, {Ref: id}]);
	}
	return {plain, secrets};
}

/** Registers the NoEcho parameter that carries a sensitive literal; two variables may not share one. */
function literalParameter(variable: string, path: string, needs: ContainerNeeds): void {
	const parameter = secretParameter(variable);
	const taken = needs.secretParameters.get(parameter);
	if (taken !== undefined && taken !== variable) {
		throw new Error(`${path}: sensitive variables ${taken} and ${variable} would share the parameter ${parameter}; rename one`);
	}
	needs.secretParameters.set(parameter, variable);
}

/** A secret the recipe references by ARN or SSM name: the execution role must be able to read it. */
function referencedSecret(name: string, valueFrom: string, needs: ContainerNeeds): SecretEntry {
	needs.secretSources.add(valueFrom);
	return [name, valueFrom];
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
