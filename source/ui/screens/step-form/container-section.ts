import {addItem, renameReferenced, setField, setFirelens, setFirelensConfigFile, setLoggingType, type ContainerForm, type Path, type RecipeForm} from '../../../domain/recipe/edit.js';
import {fargateLogDrivers, linuxCapabilities, logRetentionDays, ranges, ulimitNames, type Range} from '../../../domain/recipe/schema.js';
import {display, displayCommand, listField, numberField, parseCommand, pathText, rules, selectField, textField, unset, yesNoField, type Field, type Rule} from './fields.js';
import {entryRows, fieldRow, itemListRows, titleRow, uniqueName, type Row} from './rows.js';

/*
 * The rows of one container, in the order of the Octopus step's container definition: the image and size,
 * ports, health check, environment, secrets, dependencies, storage, logging and FireLens.
 */

/** The rows of container `index`. */
export function containerRows(form: RecipeForm, index: number): Row[] {
	const container = form.service.containers[index]!;
	const base: Path = ['service', 'containers', index];
	const others = form.service.containers.filter((_c, i) => i !== index).map(c => display(c.name));
	const bindable = {bindable: true, optional: true};
	return [
		fieldRow('Name', [...base, 'name'], nameField(base, container, others)),
		fieldRow('Image', [...base, 'image'], selectField([...base, 'image'], container.image, form.images.map(image => ({value: image.ref, label: `${image.ref} (${display(image.registry) || 'ECR'} ${display(image.repository)})`})))),
		fieldRow('Essential', [...base, 'essential'], yesNoField([...base, 'essential'], container.essential, true)),
		fieldRow('CPU units', [...base, 'cpu'], numberField([...base, 'cpu'], container.cpu, {...ranges.containerCpu, ...bindable}), {placeholder: 'none'}),
		fieldRow('Memory (hard)', [...base, 'memory'], numberField([...base, 'memory'], container.memory, {...ranges.containerMemory, unit: 'MiB', ...bindable}), {placeholder: 'none'}),
		fieldRow('Memory (soft)', [...base, 'memoryReservation'], numberField([...base, 'memoryReservation'], container.memoryReservation, {...ranges.containerMemory, unit: 'MiB', ...bindable}), {placeholder: 'none'}),
		...portRows(base, container),
		...healthRows(base, container),
		...processRows(base, container),
		titleRow('Environment', [...base, 'run']),
		fieldRow('Entry point', [...base, 'entryPoint'], commandField([...base, 'entryPoint'], container.entryPoint, false), {depth: 1, placeholder: "the image's"}),
		fieldRow('Command', [...base, 'command'], commandField([...base, 'command'], container.command, false), {depth: 1, placeholder: "the image's"}),
		fieldRow('Working directory', [...base, 'workingDirectory'], textField([...base, 'workingDirectory'], container.workingDirectory, {optional: true, bindable: true}), {depth: 1, placeholder: "the image's"}),
		...entryRows('Variables', 'environment variable', [...base, 'environment'], container.environment, 1),
		fieldRow('Files', [...base, 'environmentFiles'], listField([...base, 'environmentFiles'], container.environmentFiles, {optional: true, bindable: true}), {depth: 1, placeholder: 'none (S3 object ARNs of .env files)'}),
		...secretRows('Secrets', 'secret', [...base, 'secrets'], container.secrets, 0),
		...dependencyRows(base, container, others),
		...mountRows(form, base, container),
		...volumesFromRows(base, container, others),
		...loggingRows(base, index, container),
		...firelensRows(base, index, container),
	];
}

/** Who the process runs as, its root file system, and how long ECS waits for it to start and to stop. */
function processRows(base: Path, container: ContainerForm): Row[] {
	const seconds = (label: string, key: 'startTimeout' | 'stopTimeout', placeholder: string) =>
		fieldRow(label, [...base, key], numberField([...base, key], container[key], {...ranges.containerTimeout, unit: 'seconds', optional: true, bindable: true}), {depth: 1, placeholder});
	return [
		titleRow('Process', [...base, 'process']),
		fieldRow('User', [...base, 'user'], textField([...base, 'user'], container.user, {optional: true, bindable: true, hint: 'user, user:group, uid or uid:gid'}), {depth: 1, placeholder: "the image's"}),
		fieldRow('Read-only root', [...base, 'readonlyRootFilesystem'], yesNoField([...base, 'readonlyRootFilesystem'], container.readonlyRootFilesystem, false), {depth: 1}),
		fieldRow('Init process', [...base, 'linuxParameters', 'initProcessEnabled'], yesNoField([...base, 'linuxParameters', 'initProcessEnabled'], container.initProcessEnabled, false), {depth: 1}),
		seconds('Start timeout', 'startTimeout', 'none'),
		seconds('Stop timeout', 'stopTimeout', '30 seconds'),
		capabilityRow(base, 'add', container.capabilitiesAdd, "none (Docker's default set)"),
		capabilityRow(base, 'drop', container.capabilitiesDrop, 'none'),
		...ulimitRows(base, container),
		...systemControlRows(base, container),
		...entryRows('Docker labels', 'Docker label', [...base, 'dockerLabels'], container.dockerLabels, 1, rules.optionName),
	];
}

const capability: Rule = {pattern: new RegExp(`^(${linuxCapabilities.join('|')})$`), says: 'Linux capabilities such as NET_BIND_SERVICE or SYS_PTRACE, or ALL'};

function capabilityRow(base: Path, key: 'add' | 'drop', value: unknown, placeholder: string): Row {
	const path = [...base, 'linuxParameters', 'capabilities', key];
	return fieldRow(key === 'add' ? 'Add capabilities' : 'Drop capabilities', path, listField(path, value, {rule: capability, optional: true}), {depth: 1, placeholder});
}

function ulimitRows(base: Path, container: ContainerForm): Row[] {
	const path = [...base, 'ulimits'];
	const names = container.ulimits.map(u => display(u.name));
	return itemListRows('Ulimits', {
		path,
		noun: 'ulimit',
		items: container.ulimits,
		heading: {depth: 1},
		add: document => pathText([...path, addItem(document, path, {name: ulimitNames.find(n => !names.includes(n)) ?? 'nofile', softLimit: 65_535, hardLimit: 65_535}), 'name']),
		label: u => `ulimit ${display(u.name)}`,
		rows(u, j, item) {
			const at = [...path, j];
			const limit = (label: string, key: 'softLimit' | 'hardLimit') => fieldRow(label, [...at, key], numberField([...at, key], u[key], {...ranges.ulimit, bindable: true}), {depth: 3, list: item});
			return [
				fieldRow('Name', [...at, 'name'], selectField([...at, 'name'], u.name, ulimitNames.map(n => ({value: n, label: n}))), {depth: 2, list: item}),
				limit('Soft limit', 'softLimit'),
				limit('Hard limit', 'hardLimit'),
			];
		},
	});
}

function systemControlRows(base: Path, container: ContainerForm): Row[] {
	const path = [...base, 'systemControls'];
	return itemListRows('System controls', {
		path,
		noun: 'system control',
		items: container.systemControls,
		heading: {depth: 1},
		add: document => pathText([...path, addItem(document, path, {namespace: 'net.ipv4.tcp_keepalive_time', value: '120'}), 'namespace']),
		label: c => `system control ${display(c.namespace)}`,
		rows: (c, j, item) => [
			fieldRow('Namespace', [...path, j, 'namespace'], textField([...path, j, 'namespace'], c.namespace, {rule: rules.optionName, hint: 'a namespaced kernel parameter: net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*'}), {depth: 2, list: item}),
			fieldRow('Value', [...path, j, 'value'], textField([...path, j, 'value'], c.value, {bindable: true}), {depth: 3, list: item}),
		],
	});
}

/** `volumesFrom`: every volume of another container of the task, mounted here too. */
function volumesFromRows(base: Path, container: ContainerForm, others: readonly string[]): Row[] {
	const path = [...base, 'volumesFrom'];
	return itemListRows('Volumes from', {
		path,
		noun: 'container to mount volumes from',
		items: container.volumesFrom,
		add: document => pathText([...path, addItem(document, path, {container: others[0] ?? ''}), 'container']),
		label: v => `volumes of ${display(v.container)}`,
		rows: (v, j, item) => [
			fieldRow('Container', [...path, j, 'container'], selectField([...path, j, 'container'], v.container, others.map(name => ({value: name, label: name}))), {depth: 1, list: item}),
			fieldRow('Read-only', [...path, j, 'readOnly'], yesNoField([...path, j, 'readOnly'], v.readOnly, false), {depth: 2, list: item}),
		],
	});
}

function nameField(base: Path, container: ContainerForm, others: readonly string[]): Field {
	const field = textField([...base, 'name'], container.name, {rule: rules.name255});
	return {
		...field,
		write(document, value) {
			if (others.includes(String(value))) return `another container is called ${String(value)}`;
			setField(document, [...base, 'name'], value);
			renameReferenced(document, 'container', display(container.name), String(value));
			return undefined;
		},
	};
}

function commandField(path: Path, value: unknown, shell: boolean): Field {
	return {kind: 'text', initial: displayCommand(value), hint: shell ? 'a shell command, or a JSON list: ["CMD", "/bin/check"]' : 'words, or a JSON list: ["node", "server.js"]', parse: typed => parseCommand(typed, {shell, optional: true}), write: (document, v) => (setField(document, path, v), undefined)};
}

function portRows(base: Path, container: ContainerForm): Row[] {
	const path = [...base, 'ports'];
	const numbers = container.ports.map(p => p.containerPort);
	const shorthand = container.ports.every(p => p.protocol === undefined && p.name === undefined && p.appProtocol === undefined);
	return itemListRows('Ports', {
		path,
		noun: 'port',
		items: container.ports,
		add(document) {
			const port = uniquePort(numbers);
			const index = addItem(document, path, shorthand ? port : {containerPort: port});
			return pathText([...path, index, 'containerPort']);
		},
		label: port => `port ${display(port.containerPort)}`,
		rows(port, j, item) {
			const at = [...path, j];
			return [
				fieldRow(`Port ${j + 1}`, [...at, 'containerPort'], numberField([...at, 'containerPort'], port.containerPort, {...ranges.port, bindable: true}), {depth: 1, list: item}),
				fieldRow('Protocol', [...at, 'protocol'], selectField([...at, 'protocol'], port.protocol, [unset('not set (tcp)'), {value: 'tcp', label: 'tcp'}, {value: 'udp', label: 'udp'}]), {depth: 2, list: item}),
				fieldRow('Name', [...at, 'name'], textField([...at, 'name'], port.name, {optional: true, rule: rules.portName}), {depth: 2, list: item, placeholder: 'none'}),
				fieldRow('App protocol', [...at, 'appProtocol'], selectField([...at, 'appProtocol'], port.appProtocol, [unset('not set'), ...['http', 'http2', 'grpc'].map(p => ({value: p, label: p}))]), {depth: 2, list: item}),
			];
		},
	});
}

function uniquePort(taken: readonly unknown[]): number {
	let port = taken.length === 0 ? 80 : 8080;
	while (taken.includes(port)) port++;
	return port;
}

function healthRows(base: Path, container: ContainerForm): Row[] {
	const path = [...base, 'healthCheck'];
	const health = container.healthCheck;
	const command: Field = {
		kind: 'text',
		initial: displayCommand(health?.command),
		hint: 'a shell command, or a JSON list ["CMD", "/bin/check"]; empty: no health check',
		parse: typed => parseCommand(typed, {shell: true, optional: true}),
		write(document, value) {
			// No command, no health check: the other settings mean nothing without one.
			setField(document, value === undefined ? path : [...path, 'command'], value);
			return undefined;
		},
	};
	const number = (label: string, key: string, range: Range, placeholder: string) =>
		fieldRow(label, [...path, key], numberField([...path, key], health?.[key as keyof typeof health], {...range, unit: 'seconds', optional: true, bindable: true}), {depth: 1, placeholder});
	return [
		titleRow('Health check', path),
		fieldRow('Command', [...path, 'command'], command, {depth: 1, placeholder: 'none'}),
		...(health
			? [
					number('Interval', 'interval', ranges.healthCheckInterval, '30 s'),
					number('Timeout', 'timeout', ranges.healthCheckTimeout, '5 s'),
					fieldRow('Retries', [...path, 'retries'], numberField([...path, 'retries'], health.retries, {...ranges.healthCheckRetries, optional: true, bindable: true}), {depth: 1, placeholder: '3'}),
					number('Start period', 'startPeriod', ranges.healthCheckStartPeriod, 'none'),
				]
			: []),
	];
}

/** `{name, valueFrom}` items: a container's secrets, a log driver's secret options. */
export function secretRows(title: string, noun: string, path: Path, secrets: ContainerForm['secrets'], depth: number): Row[] {
	return itemListRows(title, {
		path,
		noun,
		items: secrets,
		heading: {depth},
		add: document => pathText([...path, addItem(document, path, {name: uniqueName('SECRET', secrets.map(s => s.name)), valueFrom: ''}), 'name']),
		label: secret => `${noun} ${display(secret.name)}`,
		rows: (secret, j, item) => [
			fieldRow('Name', [...path, j, 'name'], textField([...path, j, 'name'], secret.name, {rule: rules.envName}), {depth: depth + 1, list: item}),
			fieldRow('Value from', [...path, j, 'valueFrom'], textField([...path, j, 'valueFrom'], secret.valueFrom, {bindable: true, hint: 'a Secrets Manager ARN, an SSM parameter ARN or name'}), {depth: depth + 2, list: item}),
		],
	});
}

function dependencyRows(base: Path, container: ContainerForm, others: readonly string[]): Row[] {
	const path = [...base, 'dependsOn'];
	const conditions = [unset('not set (START)'), ...['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'].map(c => ({value: c, label: c}))];
	return itemListRows('Depends on', {
		path,
		noun: 'dependency',
		items: container.dependsOn,
		add: document => pathText([...path, addItem(document, path, {container: others[0] ?? '', condition: 'START'}), 'container']),
		label: dependency => `dependency on ${display(dependency.container)}`,
		rows: (dependency, j, item) => [
			fieldRow('Container', [...path, j, 'container'], selectField([...path, j, 'container'], dependency.container, others.map(name => ({value: name, label: name}))), {depth: 1, list: item}),
			fieldRow('Condition', [...path, j, 'condition'], selectField([...path, j, 'condition'], dependency.condition, conditions), {depth: 2, list: item}),
		],
	});
}

function mountRows(form: RecipeForm, base: Path, container: ContainerForm): Row[] {
	const path = [...base, 'mountPoints'];
	const volumes = form.service.volumes.map(v => display(v.name));
	return itemListRows('Storage: mount points', {
		path,
		noun: 'mount point',
		items: container.mountPoints,
		add: document => pathText([...path, addItem(document, path, {volume: volumes[0] ?? '', path: '/data'}), 'volume']),
		label: mount => `mount point ${display(mount.path)}`,
		rows: (mount, j, item) => [
			fieldRow('Volume', [...path, j, 'volume'], selectField([...path, j, 'volume'], mount.volume, volumes.map(name => ({value: name, label: name}))), {depth: 1, list: item}),
			fieldRow('Path', [...path, j, 'path'], textField([...path, j, 'path'], mount.path, {rule: rules.absolutePath, bindable: true}), {depth: 2, list: item}),
			fieldRow('Read only', [...path, j, 'readOnly'], yesNoField([...path, j, 'readOnly'], mount.readOnly, false), {depth: 2, list: item}),
		],
	});
}

function loggingRows(base: Path, index: number, container: ContainerForm): Row[] {
	const path = [...base, 'logging'];
	const logging = container.logging;
	const type = selectField(
		[...path, 'type'],
		logging.type,
		[
			{value: 'auto', label: 'auto (CloudWatch Logs, log group created by the stack)'},
			{value: 'manual', label: 'manual (a log driver of your choice)'},
			{value: 'none', label: 'none'},
		],
		(document, value) => {
			if (value === 'auto' || value === 'manual' || value === 'none') setLoggingType(document, index, value);
			return undefined;
		},
	);
	const rows = [titleRow('Logging', path), fieldRow('Type', [...path, 'type'], type, {depth: 1})];
	if (logging.type === 'auto') {
		rows.push(
			fieldRow('Stream prefix', [...path, 'streamPrefix'], textField([...path, 'streamPrefix'], logging.streamPrefix, {optional: true, bindable: true, rule: rules.streamPrefix}), {depth: 1, placeholder: 'the container name'}),
			fieldRow('Retention', [...path, 'retentionDays'], selectField([...path, 'retentionDays'], logging.retentionDays, [unset('not set (30 days)'), ...logRetentionDays.map(d => ({value: String(d), label: `${d} days`, data: d}))]), {depth: 1}),
		);
	} else if (logging.type === 'manual') {
		rows.push(
			fieldRow('Driver', [...path, 'driver'], selectField([...path, 'driver'], logging.driver, fargateLogDrivers.map(d => ({value: d, label: d}))), {depth: 1}),
			...entryRows('Options', 'log option', [...path, 'options'], logging.options, 1, rules.optionName),
			...secretRows('Secret options', 'secret option', [...path, 'secretOptions'], logging.secretOptions, 1),
		);
	}
	return rows;
}

function firelensRows(base: Path, index: number, container: ContainerForm): Row[] {
	const path = [...base, 'firelens'];
	const firelens = container.firelens;
	const router = selectField(
		[...path, 'type'],
		firelens?.type,
		[unset('not a log router'), {value: 'fluentbit', label: 'fluentbit (Fluent Bit)'}, {value: 'fluentd', label: 'fluentd (Fluentd)'}],
		(document, value) => {
			setFirelens(document, index, value === 'fluentbit' || value === 'fluentd' ? value : undefined);
			return undefined;
		},
	);
	const rows = [titleRow('FireLens', path), fieldRow('Log router', [...path, 'type'], router, {depth: 1})];
	if (!firelens) return rows;
	const configPath = [...path, 'configFile'];
	const config = selectField(
		[...configPath, 'type'],
		firelens.configFileType,
		[unset('none'), {value: 's3', label: 's3 (an S3 object ARN)'}, {value: 'file', label: 'file (a path in the image)'}],
		(document, value) => {
			setFirelensConfigFile(document, index, value === 's3' || value === 'file' ? value : undefined);
			return undefined;
		},
	);
	rows.push(...entryRows('Options', 'FireLens option', [...path, 'options'], firelens.options, 1, rules.optionName), fieldRow('Config file', [...configPath, 'type'], config, {depth: 1}));
	if (firelens.configFileType !== undefined) rows.push(fieldRow('Config value', [...configPath, 'value'], textField([...configPath, 'value'], firelens.configFileValue, {bindable: true}), {depth: 2}));
	return rows;
}
