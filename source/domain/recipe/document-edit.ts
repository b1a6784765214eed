import {isCollection, isMap, isNode, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Pair} from 'yaml';
import {keepNumberText} from './parse.js';

/*
 * Editing a recipe's YAML document the way a person would: only the field that changes changes. A scalar
 * keeps its quoting and comment, a list its style, a renamed key its place. Pure: no I/O.
 */

/** Where a field is: keys of mappings and indexes of lists, `['service', 'containers', 0, 'name']`. */
export type Path = ReadonlyArray<string | number>;

/** Parses recipe text for editing. Check `document.errors` before editing: text that is not YAML cannot be edited. */
export function openRecipe(text: string): Document {
	return parseDocument(text, {uniqueKeys: false, customTags: keepNumberText});
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

/*
 * The documented order of a recipe's keys (docs/recipe.md), by where they are (`#` for any list index, `*`
 * for any key of a mapping): a field the form adds goes to its place among the keys written, after the last
 * key that comes before it, so a new recipe stays in the documented order and the keys a file has keep the
 * order they were written in. Keys not listed (new fields, keys of a user's mapping) go at the end.
 */
const keyOrders: Readonly<Record<string, readonly string[]>> = {
	'': ['name', 'description', 'environments', 'targetTags', 'images', 'variables', 'channels', 'service'],
	'environments.#': ['name', 'desiredCount', 'targetTags', 'variables'],
	'images.*': ['repository', 'registry', 'account', 'region', 'credentials'],
	'variables.#': ['name', 'value', 'environments', 'sensitive', 'valueFrom', 'description'],
	'channels.#': ['name', 'description', 'default', 'versionRange', 'prereleaseTag', 'images', 'environments'],
	service: [
		'stackName',
		'serviceName',
		'family',
		'taskRole',
		'executionRole',
		'permissionsBoundary',
		'cpuArchitecture',
		'cpu',
		'memory',
		'network',
		'desiredCount',
		'deployment',
		'managedTags',
		'propagateTags',
		'tags',
		'wait',
		'loadBalancers',
		'volumes',
		'containers',
	],
	'service.network': ['subnets', 'securityGroups', 'assignPublicIp'],
	'service.deployment': ['minimumHealthyPercent', 'maximumPercent', 'circuitBreaker', 'healthCheckGracePeriodSeconds'],
	'service.containers.#': [
		'name',
		'image',
		'essential',
		'cpu',
		'memory',
		'memoryReservation',
		'ports',
		'healthCheck',
		'entryPoint',
		'command',
		'workingDirectory',
		'environment',
		'environmentFiles',
		'secrets',
		'mountPoints',
		'dependsOn',
		'logging',
		'firelens',
	],
	'service.containers.#.healthCheck': ['command', 'interval', 'timeout', 'retries', 'startPeriod'],
};

/** Top-level keys that belong with the one before them, without a blank line between (`description` under `name`). */
const joinedToPrevious = new Set(['name', 'description']);

/** The order of the keys of the mapping at `path`, if it is documented. */
function keyOrderAt(path: Path): readonly string[] | undefined {
	const shape = path.map((segment, i) => (typeof segment === 'number' ? '#' : i === 1 && path[0] === 'images' ? '*' : segment)).join('.');
	return keyOrders[shape];
}

/**
 * `document.setIn`, except that a key it creates goes to its documented place in its mapping (see
 * `keyOrders`) rather than at the end; at the top level it is set off by a blank line when the file's
 * sections are.
 */
function setIn(document: Document, path: Path, value: unknown): void {
	// The deepest mapping on the path that exists: the one that gets a new key, if any.
	let depth = path.length - 1;
	while (depth > 0 && !isCollection(document.getIn(path.slice(0, depth), true))) depth--;
	const parent: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
	const key = path[depth];
	const added = isMap(parent) && typeof key === 'string' && !parent.has(key);
	document.setIn(path, value);
	if (added) placeKey(parent, path.slice(0, depth), key);
}

/** Moves the (new, last) entry `key` of a mapping to its documented place. */
function placeKey(map: YAMLMap, path: Path, key: string): void {
	const order = keyOrderAt(path);
	const rank = order?.indexOf(key) ?? -1;
	if (!order || rank === -1) return;
	const items = map.items as Array<Pair<unknown, unknown>>;
	const from = items.findIndex(pair => keyText(pair.key) === key);
	if (from === -1) return;
	const [pair] = items.splice(from, 1);
	const rankOf = (p: Pair<unknown, unknown>) => order.indexOf(keyText(p.key) ?? '');
	let to = -1;
	for (let i = 0; i < items.length; i++) if (rankOf(items[i]!) !== -1 && rankOf(items[i]!) < rank) to = i + 1;
	if (to === -1) {
		const later = items.findIndex(p => rankOf(p) > rank);
		to = later === -1 ? items.length : later;
	}
	if (to === 0 && items.length > 0 && map.commentBefore) {
		// A comment at the top of a mapping is kept on the mapping, and would now sit above the new key: it
		// stays with the key it was written above.
		const first = items[0]!;
		const scalar = isScalar(first.key) ? first.key : new Scalar(keyText(first.key));
		scalar.commentBefore = scalar.commentBefore ? `${map.commentBefore}\n${scalar.commentBefore}` : map.commentBefore;
		first.key = scalar;
		map.commentBefore = undefined;
	}
	items.splice(to, 0, pair!);
	if (path.length === 0 && !joinedToPrevious.has(key) && to > 0) {
		// The file sets its sections off by blank lines: so is this one.
		const spaced = items.some(p => isNode(p.key) && p.key.spaceBefore && !joinedToPrevious.has(keyText(p.key) ?? ''));
		if (spaced) {
			const scalar = isScalar(pair!.key) ? pair!.key : new Scalar(key);
			scalar.spaceBefore = true;
			pair!.key = scalar;
		}
	}
}

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
	setIn(document, path, node);
}

/** Replaces a list of scalars, item by item, so its style (flow or block) and its comments stay. */
export function setList(document: Document, path: Path, values: readonly unknown[]): void {
	prepareParents(document, path);
	const existing: unknown = document.getIn(path, true);
	if (!isSeq(existing)) {
		const node = document.createNode([...values], {flow: true});
		carryComments(existing, node);
		setIn(document, path, node);
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
		setIn(document, path, list);
		return 0;
	}
	const last: unknown = existing.items.at(-1);
	if (isCollection(node) && isCollection(last)) node.flow = Boolean(last.flow);
	existing.items.push(node);
	return existing.items.length - 1;
}

/**
 * Inserts an item into a list at `index` (at most its length), creating the list when it is missing; returns
 * the index. A new mapping takes the style of the item before it (or after it, when it goes first).
 */
export function insertItem(document: Document, path: Path, index: number, item: unknown): number {
	const existing: unknown = document.getIn(path, true);
	if (!isSeq(existing) || index >= existing.items.length) return addItem(document, path, item);
	const at = Math.max(0, index);
	const node = document.createNode(item);
	const neighbour: unknown = existing.items[at - 1] ?? existing.items[at];
	if (isCollection(node) && isCollection(neighbour)) node.flow = Boolean(neighbour.flow);
	existing.items.splice(at, 0, node);
	return at;
}

/** Adds `key: value` at the end of a mapping, creating it when missing; false when the key is there already. */
export function addEntry(document: Document, path: Path, key: string, value: unknown): boolean {
	prepareParents(document, [...path, key]);
	const map: unknown = document.getIn(path, true);
	if (!isMap(map)) {
		setIn(document, path, document.createNode({[key]: value}));
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

/** A mapping key as text (keys are scalars or plain strings and numbers). */
export function keyText(key: unknown): string | undefined {
	if (isScalar(key)) return String(key.value);
	if (typeof key === 'string' || typeof key === 'number') return String(key);
	return undefined;
}
