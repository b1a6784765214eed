import type {ContainerSpec} from '../recipe/schema.js';
import type {ResolvedImage, ResolvedRecipe} from '../recipe/resolved.js';
import {splitSensitive} from '../variables.js';
import {imageTagParameter, secretParameter} from './names.js';
import type {CfnValue} from './types.js';

/** What building the containers found that the rest of the template needs. */
export type ContainerNeeds = {
	/** Input: the `valueFrom` of each sensitive variable the service uses (undefined for literals). */
	sensitiveSources: ReadonlyMap<string, string | undefined>;
	/** NoEcho parameter → sensitive variable. */
	secretParameters: Map<string, string>;
	/** `valueFrom` references the execution role must be able to read. */
	secretSources: Set<string>;
	environmentFiles: Set<string>;
	/** Largest retention asked by an auto-logging container, when any. */
	autoLogRetention?: number;
};

export const logGroupId = 'LogGroup';

/** The `ContainerDefinitions` of the task definition, in recipe order. */
export function containerDefinitions(resolved: ResolvedRecipe, needs: ContainerNeeds): CfnValue[] {
	return resolved.service.containers.map(container => containerDefinition(resolved, container, needs));
}

function containerDefinition(resolved: ResolvedRecipe, container: ContainerSpec, needs: ContainerNeeds): Record<string, CfnValue> {
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

	const {plain, secrets} = splitValues(container.environment, needs);
	if (plain.length > 0) definition['Environment'] = plain.map(([name, value]) => ({Name: name, Value: value}));
	const allSecrets = [...secrets, ...container.secrets.map(s => [s.name, s.valueFrom] as const)].sort(([a], [b]) => a.localeCompare(b));
	for (const [, valueFrom] of allSecrets) needs.secretSources.add(valueFrom);
	if (allSecrets.length > 0) definition['Secrets'] = allSecrets.map(([name, valueFrom]) => ({Name: name, ValueFrom: valueFrom}));

	if (container.environmentFiles.length > 0) {
		definition['EnvironmentFiles'] = container.environmentFiles.map(file => ({Type: 's3', Value: file}));
		for (const file of container.environmentFiles) needs.environmentFiles.add(file);
	}
	if (container.mountPoints.length > 0) {
		definition['MountPoints'] = container.mountPoints.map(m => ({SourceVolume: m.volume, ContainerPath: m.path, ReadOnly: m.readOnly}));
	}
	if (container.dependsOn.length > 0) {
		definition['DependsOn'] = container.dependsOn.map(d => ({ContainerName: d.container, Condition: d.condition}));
	}
	const logging = logConfiguration(container, needs);
	if (logging) definition['LogConfiguration'] = logging;
	if (container.firelens) {
		const {type, options = {}, configFile} = container.firelens;
		const all: Record<string, string> = {...options};
		if (configFile) {
			all['config-file-type'] = configFile.type;
			all['config-file-value'] = configFile.value;
		}
		definition['FirelensConfiguration'] = {Type: type, ...(Object.keys(all).length > 0 ? {Options: sortedRecord(all)} : {})};
	}
	return definition;
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

function logConfiguration(container: ContainerSpec, needs: ContainerNeeds): CfnValue | undefined {
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
			const {plain, secrets} = splitValues(logging.options ?? {}, needs);
			const secretOptions = [...secrets, ...(logging.secretOptions ?? []).map(s => [s.name, s.valueFrom] as const)];
			for (const [, valueFrom] of secretOptions) needs.secretSources.add(valueFrom);
			return {
				LogDriver: logging.driver,
				...(plain.length > 0 ? {Options: Object.fromEntries(plain)} : {}),
				...(secretOptions.length > 0 ? {SecretOptions: secretOptions.map(([name, valueFrom]) => ({Name: name, ValueFrom: valueFrom}))} : {}),
			};
		}
	}
}

/**
 * Splits name → value pairs into plain values and secrets. A value that is exactly a Secrets Manager/SSM
 * variable becomes a secret; one holding sensitive literals becomes `Fn::Sub` over NoEcho parameters.
 * Sorted by name, so the template does not change when the recipe's order does.
 */
function splitValues(values: Record<string, string>, needs: ContainerNeeds): {plain: Array<[string, CfnValue]>; secrets: Array<readonly [string, string]>} {
	const plain: Array<[string, CfnValue]> = [];
	const secrets: Array<readonly [string, string]> = [];
	for (const name of Object.keys(values).sort()) {
		const value = values[name]!;
		const parts = splitSensitive(value);
		if (parts.every(p => p.kind === 'text')) {
			plain.push([name, value]);
			continue;
		}
		if (parts.length === 1 && parts[0]!.kind === 'sensitive') {
			const valueFrom = sensitiveSource(parts[0]!.name, needs);
			if (valueFrom !== undefined) {
				secrets.push([name, valueFrom]);
				continue;
			}
		}
		const text = parts
			.map(part => {
				if (part.kind === 'text') return part.text.replaceAll('${', '${!');
				if (sensitiveSource(part.name, needs) !== undefined) {
					throw new Error(`${name}: a Secrets Manager/SSM variable (${part.name}) cannot be part of a longer value`);
				}
				const parameter = secretParameter(part.name);
				needs.secretParameters.set(parameter, part.name);
				return `\${${parameter}}`;
			})
			.join('');
		plain.push([name, {'Fn::Sub': text}]);
	}
	return {plain, secrets};
}

function sensitiveSource(name: string, needs: ContainerNeeds): string | undefined {
	return needs.sensitiveSources.get(name);
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
