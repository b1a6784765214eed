import {diffLines} from 'diff';
import {isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Pair} from 'yaml';

/*
 * Editing a recipe's YAML document the way a person would: only the field that changes changes. The step form
 * reads its values from the document (`readForm`) and writes each accepted field back with the functions
 * below; `renderText` turns the document into text again while keeping the rest of the file as it was
 * written: comments, key order, blank lines, quoting and the spacing of comments. Pure: no I/O.
 */

/** Where a field is: keys of mappings and indexes of lists, `['service', 'containers', 0, 'name']`. */
export type Path = ReadonlyArray<string | number>;

/** A `name → value` entry of a mapping (environment variables, log options), in the order written. */
export type KeyValue = {key: string; value: unknown};

/** How text is written: no folding of long lines, and flow collections as people write them (`[a, b]`). */
const textOptions = {lineWidth: 0, flowCollectionPadding: false} as const;

/** Parses recipe text for editing. Check `document.errors` before editing: text that is not YAML cannot be edited. */
export function openRecipe(text: string): Document {
	return parseDocument(text, {uniqueKeys: false});
}

/** The value at a path as plain data (undefined when absent). */
export function valueAt(document: Document, path: Path): unknown {
	const node: unknown = document.getIn(path, true);
	if (node === undefined || node === null) return undefined;
	if (isScalar(node)) return node.value;
	if (isCollection(node)) return node.toJSON();
	return undefined;
}

/**
 * The scalars that stand for a mapping (`ports: [80]` is `{containerPort: 80}`, `logging: auto` is
 * `{type: auto}`, an environment `dev` is `{name: dev}`): setting a key inside one expands it.
 */
function shorthandKey(path: Path): string | undefined {
	const shape = path.map(segment => (typeof segment === 'number' ? '#' : segment)).join('.');
	return shorthands[shape];
}

const shorthands: Readonly<Record<string, string>> = {
	'environments.#': 'name',
	'service.containers.#.ports.#': 'containerPort',
	'service.containers.#.logging': 'type',
	'service.containers.#.logging.secretOptions.#': 'name',
	'service.wait': 'mode',
};

/** Makes every node above `path` a collection: shorthand scalars become mappings, empty values empty collections. */
function prepareParents(document: Document, path: Path): void {
	for (let depth = 1; depth < path.length; depth++) {
		const at = path.slice(0, depth);
		const node: unknown = document.getIn(at, true);
		if (node === undefined || isCollection(node)) continue;
		const next = path[depth];
		const parentFlow = isFlow(document.getIn(at.slice(0, -1), true));
		let replacement: YAMLMap | YAMLSeq;
		if (typeof next === 'number') {
			replacement = new YAMLSeq();
		} else {
			replacement = new YAMLMap();
			const key = shorthandKey(at);
			if (key !== undefined && isScalar(node) && node.value !== null && node.value !== undefined) replacement.set(key, node.value);
		}
		replacement.flow = parentFlow;
		carryComments(node, replacement);
		document.setIn(at, replacement);
	}
}

/** A node put in place of another keeps the comments written on it. */
function carryComments(from: unknown, to: unknown): void {
	if (!isNode(from) || !isNode(to)) return;
	if (from.commentBefore) to.commentBefore = from.commentBefore;
	if (from.comment) to.comment = from.comment;
	if (from.spaceBefore) to.spaceBefore = true;
}

function isFlow(node: unknown): boolean {
	return isCollection(node) && Boolean(node.flow);
}

/**
 * Sets a field, creating the mappings above it when they are missing. A scalar that was there keeps its
 * quoting and its comment; a list of scalars replaces a list's items in place (a `[a, b]` list stays one);
 * `undefined` deletes the field (see `deleteField`).
 */
export function setField(document: Document, path: Path, value: unknown): void {
	if (value === undefined) {
		deleteField(document, path);
		return;
	}
	if (Array.isArray(value) && value.every(item => item === null || typeof item !== 'object')) {
		setList(document, path, value);
		return;
	}
	// The shorthand's own field (`containerPort` of `ports: [80]`): the number stays a number.
	const parent: unknown = document.getIn(path.slice(0, -1), true);
	if (isScalar(parent) && shorthandKey(path.slice(0, -1)) === path.at(-1) && (value === null || typeof value !== 'object')) {
		parent.value = value;
		return;
	}
	prepareParents(document, path);
	const existing: unknown = document.getIn(path, true);
	if (isScalar(existing) && (value === null || typeof value !== 'object')) {
		existing.value = value;
		return;
	}
	const node = document.createNode(value);
	carryComments(existing, node);
	document.setIn(path, node);
}

/** Replaces a list of scalars, item by item, so its style (flow or block) and its comments stay. */
export function setList(document: Document, path: Path, values: readonly unknown[]): void {
	prepareParents(document, path);
	const existing: unknown = document.getIn(path, true);
	if (!isSeq(existing)) {
		const node = document.createNode([...values], {flow: true});
		carryComments(existing, node);
		document.setIn(path, node);
		return;
	}
	values.forEach((value, index) => {
		const item = existing.items[index];
		if (isScalar(item)) item.value = value;
		else existing.items[index] = document.createNode(value);
	});
	existing.items.splice(values.length);
}

/**
 * Deletes a field. A mapping left empty by it goes too (an empty `healthCheck:` says nothing and may not even
 * be valid), except the recipe's top-level sections.
 */
export function deleteField(document: Document, path: Path): void {
	document.deleteIn(path);
	for (let depth = path.length - 1; depth >= 2; depth--) {
		const at = path.slice(0, depth);
		if (typeof at.at(-1) !== 'string') break;
		const node: unknown = document.getIn(at, true);
		if (!isMap(node) || node.items.length > 0) break;
		document.deleteIn(at);
	}
}

/**
 * Appends an item to a list, creating the list when it is missing; returns its index. A new mapping takes the
 * style of the items before it (`- {key: team, value: orders}` stays a flow mapping).
 */
export function addItem(document: Document, path: Path, item: unknown): number {
	prepareParents(document, path);
	const existing: unknown = document.getIn(path, true);
	const node = document.createNode(item);
	if (!isSeq(existing)) {
		const list = new YAMLSeq();
		list.flow = item === null || typeof item !== 'object';
		list.items.push(node);
		document.setIn(path, list);
		return 0;
	}
	const last: unknown = existing.items.at(-1);
	if (isCollection(node) && isCollection(last)) node.flow = Boolean(last.flow);
	existing.items.push(node);
	return existing.items.length - 1;
}

/** Adds `key: value` at the end of a mapping, creating it when missing; false when the key is there already. */
export function addEntry(document: Document, path: Path, key: string, value: unknown): boolean {
	prepareParents(document, [...path, key]);
	const map: unknown = document.getIn(path, true);
	if (!isMap(map)) {
		document.setIn(path, document.createNode({[key]: value}));
		return true;
	}
	if (map.has(key)) return false;
	map.set(key, value);
	return true;
}

/** Removes the item at `index` of a list (or the entry `key` of a mapping), with its comments. */
export function removeItem(document: Document, path: Path, item: number | string): void {
	document.deleteIn([...path, item]);
}

/** Moves an item of a list (or an entry of a mapping) to another index; its comments move with it. */
export function moveItem(document: Document, path: Path, from: number, to: number): boolean {
	const node: unknown = document.getIn(path, true);
	if (!isSeq(node) && !isMap(node)) return false;
	const items = node.items as unknown[];
	if (from < 0 || from >= items.length || to < 0 || to >= items.length || from === to) return false;
	const [moved] = items.splice(from, 1);
	items.splice(to, 0, moved);
	return true;
}

/** Renames a mapping's key in place (its value, position and comments stay); false when `to` is taken or `from` absent. */
export function renameKey(document: Document, path: Path, from: string, to: string): boolean {
	if (from === to) return true;
	const map: unknown = document.getIn(path, true);
	if (!isMap(map) || map.has(to)) return false;
	const pair = (map.items as Array<Pair<unknown, unknown>>).find(p => keyText(p.key) === from);
	if (!pair) return false;
	if (isScalar(pair.key)) pair.key.value = to;
	else pair.key = new Scalar(to);
	return true;
}

function keyText(key: unknown): string | undefined {
	if (isScalar(key)) return String(key.value);
	if (typeof key === 'string' || typeof key === 'number') return String(key);
	return undefined;
}

/** The names things are referred to by, and where the references are. */
export type Referenced = 'container' | 'volume' | 'image';

/**
 * After a container, a volume or an image ref was renamed, points every reference to it at the new name (load
 * balancer mappings and `dependsOn` for containers, mount points for volumes, containers' `image` for refs).
 */
export function renameReferenced(document: Document, kind: Referenced, from: string, to: string): void {
	const js = plain(document);
	const service = asRecord(js['service']);
	const containers = asList(service['containers']);
	const rename = (path: Path) => {
		if (valueAt(document, path) === from) setField(document, path, to);
	};
	if (kind === 'image') {
		containers.forEach((_c, i) => rename(['service', 'containers', i, 'image']));
	} else if (kind === 'container') {
		asList(service['loadBalancers']).forEach((_lb, i) => rename(['service', 'loadBalancers', i, 'container']));
		containers.forEach((c, i) => asList(asRecord(c)['dependsOn']).forEach((_d, j) => rename(['service', 'containers', i, 'dependsOn', j, 'container'])));
	} else {
		containers.forEach((c, i) => asList(asRecord(c)['mountPoints']).forEach((_m, j) => rename(['service', 'containers', i, 'mountPoints', j, 'volume'])));
	}
}

/**
 * The document as text, written over `previous` (the text it was read from): the lines of the fields that
 * changed are new, and every other line is `previous`'s own, byte for byte (the yaml writer would respace
 * comments and flow lists). When the two cannot be lined up, the document is written whole (comments and key
 * order still kept).
 */
export function renderText(document: Document, previous: string): string {
	const edited = document.toString(textOptions);
	const original = openRecipe(previous);
	if (original.errors.length > 0) return edited;
	const base = original.toString(textOptions);
	if (edited === base) return previous;
	const spliced = splice(previous, base, edited);
	// Only the splice that reads back as the edited document is trusted.
	return spliced !== undefined && readsAs(spliced, edited) ? spliced : edited;
}

function readsAs(text: string, expected: string): boolean {
	const document = openRecipe(text);
	return document.errors.length === 0 && document.toString(textOptions) === expected;
}

function lines(text: string): string[] {
	return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Applies the line changes between `base` and `edited` to `original`, whose lines match `base`'s one for one. */
function splice(original: string, base: string, edited: string): string | undefined {
	const originalLines = lines(original);
	const baseLines = lines(base);
	if (originalLines.length !== baseLines.length) return undefined;
	const bare = (line: string) => line.replace(/\s+/g, '');
	if (!originalLines.every((line, i) => bare(line) === bare(baseLines[i]!))) return undefined;
	const out: string[] = [];
	let at = 0;
	for (const part of diffLines(base, edited)) {
		const count = lines(part.value).length;
		if (part.added) out.push(part.value);
		else if (part.removed) at += count;
		else {
			out.push(...originalLines.slice(at, at + count));
			at += count;
		}
	}
	return out.join('');
}

// ---------------------------------------------------------------------------------------------
// The form's values

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
 * A recipe's values as the step form shows them, shorthands written out (`ports: [80]` → a port mapping with
 * `containerPort: 80`, `logging: auto` → `{type: auto}`, `wait: {timeoutMinutes: 20}` → mode `timeout`).
 * Values are as written (a number may be `"#{Count}"`, anything may be of the wrong type: the validator says so).
 */
export type RecipeForm = {
	name: unknown;
	description: unknown;
	environments: Array<{name: unknown; desiredCount: unknown}>;
	images: Array<{ref: string; repository: unknown; registry: unknown; account: unknown; region: unknown; credentials: unknown}>;
	service: {
		stackName: unknown;
		serviceName: unknown;
		family: unknown;
		taskRole: unknown;
		executionRole: unknown;
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
		loadBalancers: Array<{container: unknown; port: unknown; targetGroupArn: unknown}>;
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

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function entries(value: unknown): KeyValue[] {
	return Object.entries(asRecord(value)).map(([key, v]) => ({key, value: v}));
}

function plain(document: Document): Json {
	try {
		return asRecord(document.toJS({maxAliasCount: 100}));
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
		environments: asList(js['environments']).map(e => (typeof e === 'string' ? {name: e, desiredCount: undefined} : {name: asRecord(e)['name'], desiredCount: asRecord(e)['desiredCount']})),
		images: Object.entries(asRecord(js['images'])).map(([ref, v]) => {
			const image = asRecord(v);
			return {ref, repository: image['repository'], registry: image['registry'], account: image['account'], region: image['region'], credentials: image['credentials']};
		}),
		service: {
			stackName: service['stackName'],
			serviceName: service['serviceName'],
			family: service['family'],
			taskRole: service['taskRole'],
			executionRole: service['executionRole'],
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
			loadBalancers: asList(service['loadBalancers']).map(lb => ({container: asRecord(lb)['container'], port: asRecord(lb)['port'], targetGroupArn: asRecord(lb)['targetGroupArn']})),
			minimumHealthyPercent: deployment['minimumHealthyPercent'],
			maximumPercent: deployment['maximumPercent'],
			circuitBreakerEnabled: breaker['enabled'],
			circuitBreakerRollback: breaker['rollback'],
			healthCheckGracePeriodSeconds: deployment['healthCheckGracePeriodSeconds'],
			...waitOf(service['wait']),
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Edits that are more than one field

/** Sets the wait option: `complete` and `none` as written words, `timeout` as `{timeoutMinutes}`. */
export function setWait(document: Document, mode: 'complete' | 'none' | 'timeout', timeoutMinutes?: number | string): void {
	if (mode === 'timeout') setField(document, ['service', 'wait'], {timeoutMinutes: timeoutMinutes ?? 20});
	else setField(document, ['service', 'wait'], mode);
}

/** The fields each kind of logging allows; switching the kind drops the others (the schema refuses them). */
const loggingFields: Record<string, readonly string[]> = {
	auto: ['type', 'streamPrefix', 'retentionDays'],
	manual: ['type', 'driver', 'options', 'secretOptions'],
	none: ['type'],
};

/** Switches a container's logging to `auto`, `manual` (awslogs unless a driver is set) or `none`. */
export function setLoggingType(document: Document, container: number, type: 'auto' | 'manual' | 'none'): void {
	const path = ['service', 'containers', container, 'logging'];
	const node: unknown = document.getIn(path, true);
	if (!isMap(node)) {
		// `logging: auto` (or absent): a word stays a word when the new kind needs nothing else.
		if (type === 'manual') setField(document, path, {type, driver: 'awslogs'});
		else setField(document, path, type);
		return;
	}
	const allowed = loggingFields[type] ?? [];
	for (const pair of [...node.items]) {
		const key = isPair(pair) ? keyText(pair.key) : undefined;
		if (key !== undefined && !allowed.includes(key)) node.delete(key);
	}
	setField(document, [...path, 'type'], type);
	if (type === 'manual' && !node.has('driver')) setField(document, [...path, 'driver'], 'awslogs');
}

const efsFields = ['fileSystemId', 'rootDirectory', 'transitEncryption', 'transitEncryptionPort', 'accessPointId', 'iamAuthorization'];

/** Switches a volume between `bind` and `efs` (dropping the EFS fields, or adding `fileSystemId` to fill in). */
export function setVolumeType(document: Document, volume: number, type: 'bind' | 'efs'): void {
	const path = ['service', 'volumes', volume];
	setField(document, [...path, 'type'], type);
	if (type === 'bind') for (const field of efsFields) document.deleteIn([...path, field]);
	else if (valueAt(document, [...path, 'fileSystemId']) === undefined) setField(document, [...path, 'fileSystemId'], '');
}

/** Makes a container FireLens's log router (`fluentbit`, `fluentd`) or not (`undefined`). */
export function setFirelens(document: Document, container: number, type: 'fluentbit' | 'fluentd' | undefined): void {
	const path = ['service', 'containers', container, 'firelens'];
	if (type === undefined) document.deleteIn(path);
	else setField(document, [...path, 'type'], type);
}

/** Sets or removes a FireLens configuration file (`s3` object ARN or `file` path in the image). */
export function setFirelensConfigFile(document: Document, container: number, type: 's3' | 'file' | undefined): void {
	const path = ['service', 'containers', container, 'firelens', 'configFile'];
	if (type === undefined) deleteField(document, path);
	else {
		setField(document, [...path, 'type'], type);
		if (valueAt(document, [...path, 'value']) === undefined) setField(document, [...path, 'value'], '');
	}
}

/**
 * The text of a new recipe: the project name, three environments, one image in the ECR repository of the
 * same name, the smallest Fargate size and one container. The subnets are left to fill in.
 */
export function newRecipeText(name = 'my-service'): string {
	return [
		'# A recipe written in the ecs-deployer step form; the format is described in docs/recipe.md.',
		`name: ${name}`,
		'',
		'# Promotion order: a release goes to dev, then staging, then production.',
		'environments: [dev, staging, production]',
		'',
		'images:',
		'  app:',
		`    repository: ${name} # ECR repository in the target's account and region`,
		'',
		'service:',
		'  cpu: 256',
		'  memory: 512',
		'  network:',
		'    subnets: []',
		'  containers:',
		'    - name: app',
		'      image: app',
		'      ports: [80]',
		'',
	].join('\n');
}
