import type {Document} from 'yaml';
import {addEntry, addItem, deleteField, removeItem, renameKey, renameReferenced, setField, setVolumeType, setWait, type Path, type RecipeForm} from '../../../domain/recipe/edit.js';
import {describeMemoryFor, fargateCpuValues, fargateMemoryFor} from '../../../domain/recipe/fargate.js';
import {maxCapacityProviders, maxContainers, maxRepositoryLength, maxSecurityGroups, maxSubnets, ranges} from '../../../domain/recipe/schema.js';
import {beforeDeployRows} from './before-deploy-section.js';
import {channelRows} from './channels-section.js';
import {containerRows} from './container-section.js';
import {display, listField, numberField, pathText, rules, selectField, textField, unset, yesNoField, type Field, type Option} from './fields.js';
import {fieldRow, itemListRows, uniqueName, type Row, type Section} from './rows.js';
import {autoScalingRows} from './auto-scaling-section.js';
import {strategyRows} from './strategy-section.js';
import {variableRows} from './variables-section.js';

/*
 * The form's sections, after the Octopus "Deploy Amazon ECS Service" step: the project, its environments,
 * images, variables and channels (in the order of docs/recipe.md), then the step's Configuration (service, task), Task Size, Network, Tags, Container Definitions (one
 * section per container), Deployment, Strategy (the deployment strategy and only its settings), Auto scaling,
 * Deployment Options (wait), Load Balancer Mappings and Volumes. Built
 * from the document's values each time (pure), so what is shown is what the file says.
 */

/** Every section of the form, containers included. */
export function buildSections(form: RecipeForm): Section[] {
	const s = form.service;
	const service: Path = ['service'];
	const bindable = {optional: true, bindable: true};
	return [
		{id: 'project', title: 'Project', depth: 0, rows: projectRows(form)},
		{id: 'environments', title: 'Environments', depth: 0, rows: environmentRows(form)},
		{id: 'images', title: 'Images', depth: 0, rows: imageRows(form)},
		{id: 'variables', title: 'Variables', depth: 0, rows: variableRows(form)},
		{id: 'channels', title: 'Channels', depth: 0, rows: channelRows(form)},
		{
			id: 'service',
			title: 'Service',
			depth: 0,
			rows: [
				fieldRow('Stack name', [...service, 'stackName'], textField([...service, 'stackName'], s.stackName, {...bindable, rule: rules.stackName}), {placeholder: '#{Project}-#{Environment}'}),
				fieldRow('Service name', [...service, 'serviceName'], textField([...service, 'serviceName'], s.serviceName, {...bindable, rule: rules.name255}), {placeholder: 'named by CloudFormation'}),
				fieldRow('Desired count', [...service, 'desiredCount'], numberField([...service, 'desiredCount'], s.desiredCount, {...ranges.desiredCount, unit: 'tasks', ...bindable}), {placeholder: '1'}),
				fieldRow('CPU architecture', [...service, 'cpuArchitecture'], selectField([...service, 'cpuArchitecture'], s.cpuArchitecture, [unset('not set (X86_64)'), {value: 'X86_64', label: 'X86_64'}, {value: 'ARM64', label: 'ARM64'}])),
				fieldRow('Platform version', [...service, 'platformVersion'], textField([...service, 'platformVersion'], s.platformVersion, {...bindable, rule: rules.platformVersion}), {placeholder: 'LATEST'}),
				fieldRow('ECS Exec', [...service, 'enableExecuteCommand'], yesNoField([...service, 'enableExecuteCommand'], s.enableExecuteCommand, false)),
				fieldRow('AZ rebalancing', [...service, 'availabilityZoneRebalancing'], selectField([...service, 'availabilityZoneRebalancing'], s.availabilityZoneRebalancing, [unset("not set (ECS's default)"), {value: 'true', label: 'yes', data: true}, {value: 'false', label: 'no', data: false}])),
				...capacityProviderRows(form),
			],
		},
		{
			id: 'task',
			title: 'Task & roles',
			depth: 0,
			rows: [
				fieldRow('Family', [...service, 'family'], textField([...service, 'family'], s.family, {...bindable, rule: rules.name255}), {placeholder: '#{Project}-#{Environment}'}),
				fieldRow('Task role', [...service, 'taskRole'], textField([...service, 'taskRole'], s.taskRole, {...bindable, rule: rules.roleArn}), {placeholder: 'none'}),
				fieldRow('Execution role', [...service, 'executionRole'], textField([...service, 'executionRole'], s.executionRole, {...bindable, rule: rules.roleArn}), {placeholder: 'created by the stack'}),
				fieldRow('Permissions boundary', [...service, 'permissionsBoundary'], textField([...service, 'permissionsBoundary'], s.permissionsBoundary, {...bindable, rule: rules.managedPolicy}), {
					placeholder: s.executionRole === undefined ? 'none (bounds the execution role the stack creates)' : 'none (only with a role the stack creates)',
				}),
				fieldRow('Ephemeral storage', [...service, 'ephemeralStorage'], numberField([...service, 'ephemeralStorage'], s.ephemeralStorage, {...ranges.ephemeralStorage, unit: 'GiB', ...bindable}), {placeholder: '20 GiB'}),
				fieldRow('Runtime CPU', [...service, 'runtimePlatform', 'cpuArchitecture'], selectField([...service, 'runtimePlatform', 'cpuArchitecture'], s.runtimeCpuArchitecture, [unset('not set (or CPU architecture in Service)'), {value: 'X86_64', label: 'X86_64'}, {value: 'ARM64', label: 'ARM64'}])),
				fieldRow('Runtime OS', [...service, 'runtimePlatform', 'operatingSystemFamily'], selectField([...service, 'runtimePlatform', 'operatingSystemFamily'], s.runtimeOperatingSystem, [unset('not set (LINUX)'), {value: 'LINUX', label: 'LINUX'}])),
			],
		},
		{id: 'size', title: 'Task size', depth: 0, rows: sizeRows(form)},
		{
			id: 'network',
			title: 'Network',
			depth: 0,
			rows: [
				fieldRow('Subnets', [...service, 'network', 'subnets'], listField([...service, 'network', 'subnets'], s.subnets, {rule: rules.subnet, max: maxSubnets, bindable: true})),
				fieldRow('Security groups', [...service, 'network', 'securityGroups'], listField([...service, 'network', 'securityGroups'], s.securityGroups, {rule: rules.securityGroup, max: maxSecurityGroups, optional: true, bindable: true}), {placeholder: 'none'}),
				fieldRow('Public IP', [...service, 'network', 'assignPublicIp'], yesNoField([...service, 'network', 'assignPublicIp'], s.assignPublicIp, false)),
			],
		},
		{id: 'tags', title: 'Tags', depth: 0, rows: tagRows(form)},
		{id: 'containers', title: `Containers (${s.containers.length})`, depth: 0, rows: containerListRows(form)},
		...s.containers.map((c, i) => ({id: `container:${i}`, title: display(c.name) || `container ${i + 1}`, depth: 1, rows: containerRows(form, i)})),
		{id: 'deployment', title: 'Deployment', depth: 0, rows: deploymentRows(form)},
		{id: 'strategy', title: 'Strategy', depth: 0, rows: strategyRows(form)},
		{id: 'auto-scaling', title: 'Auto scaling', depth: 0, rows: autoScalingRows(form)},
		{id: 'wait', title: 'Wait', depth: 0, rows: waitRows(form)},
		{id: 'before-deploy', title: `Before deploy (${s.beforeDeploy.length})`, depth: 0, rows: beforeDeployRows(form)},
		{id: 'load-balancers', title: 'Load balancers', depth: 0, rows: loadBalancerRows(form)},
		{id: 'volumes', title: 'Volumes', depth: 0, rows: volumeRows(form)},
	];
}

function projectRows(form: RecipeForm): Row[] {
	return [
		fieldRow('Name', ['name'], textField(['name'], form.name, {rule: rules.project})),
		fieldRow('Description', ['description'], textField(['description'], form.description, {optional: true}), {placeholder: 'none'}),
	];
}

function environmentRows(form: RecipeForm): Row[] {
	const path = ['environments'];
	const names = form.environments.map(e => e.name);
	return itemListRows('Environments', {
		path,
		noun: 'environment',
		items: form.environments,
		heading: {value: 'in promotion order'},
		add: document => pathText([...path, addItem(document, path, uniqueName('test', names)), 'name']),
		label: environment => `environment ${display(environment.name)}`,
		rows: (environment, i, item) => [
			fieldRow(`${i + 1}.`, [...path, i, 'name'], environmentName(environment.name, i, names), {depth: 1, list: item}),
			fieldRow('Desired count', [...path, i, 'desiredCount'], numberField([...path, i, 'desiredCount'], environment.desiredCount, {...ranges.desiredCount, unit: 'tasks', optional: true}), {depth: 2, list: item, placeholder: "the service's"}),
		],
	});
}

/** An environment's name; renaming it renames it in the scopes of variables and channels too. */
function environmentName(name: unknown, index: number, names: readonly unknown[]): Field {
	const path = ['environments', index, 'name'];
	return {
		...textField(path, name, {rule: rules.environment}),
		write(document, value) {
			const to = String(value);
			if (names.some((n, k) => k !== index && String(n).toLowerCase() === to.toLowerCase())) return `an environment is called ${to} already`;
			setField(document, path, to);
			if (typeof name === 'string' && name !== to) renameReferenced(document, 'environment', name, to);
			return undefined;
		},
	};
}

function imageRows(form: RecipeForm): Row[] {
	const path = ['images'];
	const refs = form.images.map(i => i.ref);
	return itemListRows('Images', {
		path,
		noun: 'image',
		movable: false,
		items: form.images,
		key: image => image.ref,
		heading: {value: 'the tag is chosen per release'},
		add(document) {
			const ref = uniqueName('image', refs);
			addEntry(document, path, ref, {repository: ref});
			return `${pathText([...path, ref])}#ref`;
		},
		label: image => `image ${image.ref}`,
		rows(image, _i, item) {
			const at = [...path, image.ref];
			const optional = (label: string, key: string, placeholder: string, rule?: (typeof rules)[keyof typeof rules]) =>
				fieldRow(label, [...at, key], textField([...at, key], image[key as keyof typeof image], {optional: true, ...(rule ? {rule} : {})}), {depth: 2, list: item, placeholder});
			return [
				fieldRow('Ref', at, refField(image.ref, refs), {id: `${pathText(at)}#ref`, depth: 1, list: item}),
				fieldRow('Repository', [...at, 'repository'], textField([...at, 'repository'], image.repository, {max: maxRepositoryLength}), {depth: 2, list: item}),
				optional('Registry', 'registry', 'Amazon ECR'),
				optional('Account', 'account', "the target's", rules.account),
				optional('Region', 'region', "the target's", rules.region),
				optional('Credentials', 'credentials', 'none (a Secrets Manager ARN for a private registry)'),
			];
		},
	});
}

function refField(ref: string, refs: readonly string[]): Field {
	return {
		...textField(['images', ref], ref, {rule: rules.imageRef}),
		write(document, value) {
			const to = String(value);
			if (to !== ref && refs.includes(to)) return `an image is called ${to} already`;
			renameKey(document, ['images'], ref, to);
			renameReferenced(document, 'image', ref, to);
			return undefined;
		},
	};
}

function sizeRows(form: RecipeForm): Row[] {
	const {cpu, memory} = form.service;
	const cpuOptions: Option[] = fargateCpuValues.map(value => ({value: String(value), label: `${value} (${value / 1024} vCPU) · memory ${describeMemoryFor(value)}`, data: value}));
	const cpuField = selectField(['service', 'cpu'], cpu, cpuOptions, (document, value) => {
		setField(document, ['service', 'cpu'], value);
		// Keep the pair valid: the memory nearest to what it was, among those the new CPU allows.
		const allowed = typeof value === 'number' ? fargateMemoryFor(value) : undefined;
		if (allowed && !allowed.includes(Number(memory))) setField(document, ['service', 'memory'], nearest(allowed, Number(memory)));
		return undefined;
	});
	const allowed = typeof cpu === 'number' ? fargateMemoryFor(cpu) : undefined;
	const memoryField = allowed
		? selectField(['service', 'memory'], memory, allowed.map(value => ({value: String(value), label: `${value} MiB (${value / 1024} GB)`, data: value})))
		: numberField(['service', 'memory'], memory, {...ranges.taskMemory, unit: 'MiB', bindable: true});
	return [fieldRow('CPU units', ['service', 'cpu'], cpuField), fieldRow('Memory', ['service', 'memory'], memoryField)];
}

function nearest(values: readonly number[], to: number): number {
	if (!Number.isFinite(to)) return values[0]!;
	return values.reduce((best, value) => (Math.abs(value - to) < Math.abs(best - to) ? value : best));
}

function tagRows(form: RecipeForm): Row[] {
	const s = form.service;
	const path = ['service', 'tags'];
	const propagate = [unset('not set (SERVICE)'), ...['SERVICE', 'TASK_DEFINITION', 'NONE'].map(v => ({value: v, label: v}))];
	return [
		fieldRow('ECS managed tags', ['service', 'managedTags'], yesNoField(['service', 'managedTags'], s.managedTags, true)),
		fieldRow('Propagate tags', ['service', 'propagateTags'], selectField(['service', 'propagateTags'], s.propagateTags, propagate)),
		...itemListRows('Tags', {
			path,
			noun: 'tag',
			items: s.tags,
			heading: {value: 'at most 20'},
			add: document => pathText([...path, addItem(document, path, {key: uniqueName('key', s.tags.map(t => t.key)), value: ''}), 'key']),
			label: tag => `tag ${display(tag.key)}`,
			rows: (tag, j, item) => [
				fieldRow('Key', [...path, j, 'key'], textField([...path, j, 'key'], tag.key, {rule: rules.tagText, max: 128, bindable: true}), {depth: 1, list: item}),
				fieldRow('Value', [...path, j, 'value'], textField([...path, j, 'value'], tag.value, {optional: true, rule: rules.tagText, max: 256, bindable: true}), {depth: 2, list: item}),
			],
		}),
	];
}

/** `service.capacityProviderStrategy`: FARGATE and FARGATE_SPOT by base and weight (absent: launch type FARGATE). */
function capacityProviderRows(form: RecipeForm): Row[] {
	const path = ['service', 'capacityProviderStrategy'];
	const items = form.service.capacityProviderStrategy;
	const providers = [{value: 'FARGATE', label: 'FARGATE'}, {value: 'FARGATE_SPOT', label: 'FARGATE_SPOT'}];
	const rows = itemListRows('Capacity providers', {
		path,
		noun: 'capacity provider',
		items,
		heading: {value: items.length === 0 ? 'none (launch type FARGATE)' : `at most ${maxCapacityProviders}`},
		add: document => pathText([...path, addItem(document, path, {capacityProvider: items.some(c => c.capacityProvider === 'FARGATE') ? 'FARGATE_SPOT' : 'FARGATE', weight: 1}), 'capacityProvider']),
		label: c => `capacity provider ${display(c.capacityProvider)}`,
		rows: (c, j, item) => [
			fieldRow(`${j + 1}.`, [...path, j, 'capacityProvider'], selectField([...path, j, 'capacityProvider'], c.capacityProvider, providers), {depth: 1, list: item}),
			fieldRow('Base', [...path, j, 'base'], numberField([...path, j, 'base'], c.base, {...ranges.capacityBase, unit: 'tasks', optional: true, bindable: true}), {depth: 2, list: item, placeholder: '0'}),
			fieldRow('Weight', [...path, j, 'weight'], numberField([...path, j, 'weight'], c.weight, {...ranges.capacityWeight, optional: true, bindable: true}), {depth: 2, list: item, placeholder: '0'}),
		],
	});
	// An empty strategy is refused (at least one provider): removing the last one takes the key out (launch type FARGATE).
	return rows.map(row => {
		const {list} = row;
		if (list?.item === undefined) return row;
		const remove = (document: Document) => {
			removeItem(document, path, list.item!);
			if (items.length === 1) deleteField(document, path);
		};
		return {...row, list: {...list, remove}};
	});
}

function containerListRows(form: RecipeForm): Row[] {
	const path = ['service', 'containers'];
	const containers = form.service.containers;
	return itemListRows('Containers', {
		path,
		noun: 'container',
		items: containers,
		heading: {value: `at most ${maxContainers}`},
		// A container opens its own section: `a` selects it rather than editing its name here.
		edit: false,
		add: document => pathText([...path, addItem(document, path, {name: uniqueName('container', containers.map(c => c.name)), image: form.images[0]?.ref ?? ''})]),
		label: c => `container ${display(c.name)}`,
		rows: (c, i, item) => [
			{
				id: pathText([...path, i]),
				label: display(c.name) || `container ${i + 1}`,
				value: [`image ${display(c.image)}`, c.ports.length > 0 ? `ports ${c.ports.map(p => display(p.containerPort)).join(', ')}` : '', c.essential === false ? 'not essential' : '', c.firelens ? 'log router' : ''].filter(Boolean).join(' · '),
				depth: 1,
				path: pathText([...path, i]),
				opens: `container:${i}`,
				list: item,
			},
		],
	});
}

function deploymentRows(form: RecipeForm): Row[] {
	const s = form.service;
	const path = ['service', 'deployment'];
	const percent = (label: string, key: 'minimumHealthyPercent' | 'maximumPercent', placeholder: string) =>
		fieldRow(label, [...path, key], numberField([...path, key], s[key], {...ranges[key], unit: '%', optional: true, bindable: true}), {placeholder});
	return [
		percent('Minimum healthy', 'minimumHealthyPercent', '100 %'),
		percent('Maximum', 'maximumPercent', '200 %'),
		fieldRow('Circuit breaker', [...path, 'circuitBreaker', 'enabled'], yesNoField([...path, 'circuitBreaker', 'enabled'], s.circuitBreakerEnabled, true)),
		fieldRow('… and roll back', [...path, 'circuitBreaker', 'rollback'], yesNoField([...path, 'circuitBreaker', 'rollback'], s.circuitBreakerRollback, true)),
		fieldRow('Grace period', [...path, 'healthCheckGracePeriodSeconds'], numberField([...path, 'healthCheckGracePeriodSeconds'], s.healthCheckGracePeriodSeconds, {...ranges.gracePeriodSeconds, unit: 'seconds', optional: true, bindable: true}), {placeholder: 'none (load balancer only)'}),
	];
}

function waitRows(form: RecipeForm): Row[] {
	const s = form.service;
	const mode = selectField(
		['service', 'wait'],
		s.waitMode,
		[
			{value: 'complete', label: 'complete: the stack and the ECS deployment are done'},
			{value: 'timeout', label: 'timeout: at most some minutes, then roll back'},
			{value: 'none', label: "none: don't wait (a failure is not reported)"},
		],
		(document, value) => {
			if (value === 'complete' || value === 'none' || value === 'timeout') setWait(document, value, value === 'timeout' ? (s.timeoutMinutes as number | string | undefined) : undefined);
			return undefined;
		},
	);
	const rows = [fieldRow('Wait', ['service', 'wait'], mode)];
	if (s.waitMode === 'timeout')
		rows.push(
			fieldRow('Timeout', ['service', 'wait', 'timeoutMinutes'], numberField(['service', 'wait', 'timeoutMinutes'], s.timeoutMinutes, {...ranges.timeoutMinutes, unit: 'minutes', bindable: true, write: (document, value) => (setWait(document, 'timeout', value as number), undefined)}), {depth: 1}),
		);
	return rows;
}

function loadBalancerRows(form: RecipeForm): Row[] {
	const path = ['service', 'loadBalancers'];
	const containers = form.service.containers;
	return itemListRows('Load balancer mappings', {
		path,
		noun: 'load balancer mapping',
		items: form.service.loadBalancers,
		add(document) {
			const withPort = containers.find(c => c.ports.length > 0) ?? containers[0];
			const port = withPort?.ports[0]?.containerPort ?? 80;
			return pathText([...path, addItem(document, path, {container: display(withPort?.name), port, targetGroupArn: '#{TargetGroupArn}'}), 'targetGroupArn']);
		},
		label: lb => `mapping to ${display(lb.container)}:${display(lb.port)}`,
		rows(lb, j, item) {
			const container = containers.find(c => c.name === lb.container);
			const ports = container?.ports.map(p => display(p.containerPort)) ?? [];
			const portField =
				ports.length > 0
					? selectField([...path, j, 'port'], lb.port, ports.map(p => ({value: p, label: p, data: /^\d+$/.test(p) ? Number(p) : p})))
					: numberField([...path, j, 'port'], lb.port, {...ranges.port, bindable: true});
			return [
				fieldRow('Container', [...path, j, 'container'], selectField([...path, j, 'container'], lb.container, containers.map(c => ({value: display(c.name), label: display(c.name)}))), {depth: 1, list: item}),
				fieldRow('Port', [...path, j, 'port'], portField, {depth: 2, list: item}),
				fieldRow('Target group', [...path, j, 'targetGroupArn'], textField([...path, j, 'targetGroupArn'], lb.targetGroupArn, {rule: rules.targetGroup, bindable: true}), {depth: 2, list: item}),
			];
		},
	});
}

function volumeRows(form: RecipeForm): Row[] {
	const path = ['service', 'volumes'];
	const volumes = form.service.volumes;
	const names = volumes.map(v => display(v.name));
	return itemListRows('Volumes', {
		path,
		noun: 'volume',
		items: volumes,
		add: document => pathText([...path, addItem(document, path, {name: uniqueName('volume', names), type: 'bind'}), 'name']),
		label: volume => `volume ${display(volume.name)}`,
		rows(volume, j, item) {
			const at = [...path, j];
			const name: Field = {
				...textField([...at, 'name'], volume.name, {rule: rules.name255}),
				write(document, value) {
					if (names.some((n, k) => k !== j && n === value)) return `a volume is called ${String(value)} already`;
					setField(document, [...at, 'name'], value);
					renameReferenced(document, 'volume', display(volume.name), String(value));
					return undefined;
				},
			};
			const type = selectField([...at, 'type'], volume.type, [{value: 'bind', label: 'bind (task storage shared by its containers)'}, {value: 'efs', label: 'efs (an EFS file system)'}], (document, value) => {
				if (value === 'bind' || value === 'efs') setVolumeType(document, j, value);
				return undefined;
			});
			const rows = [fieldRow('Name', [...at, 'name'], name, {depth: 1, list: item}), fieldRow('Type', [...at, 'type'], type, {depth: 2, list: item})];
			if (volume.type === 'efs') {
				const optional = {optional: true, bindable: true};
				rows.push(
					fieldRow('File system', [...at, 'fileSystemId'], textField([...at, 'fileSystemId'], volume.fileSystemId, {rule: rules.fileSystem, bindable: true}), {depth: 2, list: item}),
					fieldRow('Root directory', [...at, 'rootDirectory'], textField([...at, 'rootDirectory'], volume.rootDirectory, {...optional, rule: rules.absolutePath}), {depth: 2, list: item, placeholder: '/'}),
					fieldRow('Transit encryption', [...at, 'transitEncryption'], yesNoField([...at, 'transitEncryption'], volume.transitEncryption, false), {depth: 2, list: item}),
					fieldRow('Encryption port', [...at, 'transitEncryptionPort'], numberField([...at, 'transitEncryptionPort'], volume.transitEncryptionPort, {...ranges.port, ...optional}), {depth: 2, list: item, placeholder: 'none'}),
					fieldRow('Access point', [...at, 'accessPointId'], textField([...at, 'accessPointId'], volume.accessPointId, {...optional, rule: rules.accessPoint}), {depth: 2, list: item, placeholder: 'none'}),
					fieldRow('IAM authorization', [...at, 'iamAuthorization'], yesNoField([...at, 'iamAuthorization'], volume.iamAuthorization, false), {depth: 2, list: item}),
				);
			}
			return rows;
		},
	});
}
