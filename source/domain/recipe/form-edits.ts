import {isMap, isPair, type Document} from 'yaml';
import {deleteField, keyText, setField, valueAt, type Path} from './document-edit.js';
import {asList, asRecord, plain} from './form.js';

/*
 * Edits of the step form that are more than one field: a change that other fields must follow (a kind of
 * logging, a volume type, a renamed container) is made whole, so the recipe stays one the schema accepts.
 */

/** The names things are referred to by, and where the references are. */
export type Referenced = 'container' | 'volume' | 'image' | 'environment';

/**
 * After a container, a volume, an image ref or an environment was renamed, points every reference to it at
 * the new name (load balancer mappings and `dependsOn` for containers, mount points for volumes, containers'
 * `image` and channels' `images` for refs, the scopes of variables and channels for environments).
 */
export function renameReferenced(document: Document, kind: Referenced, from: string, to: string): void {
	const js = plain(document);
	const service = asRecord(js['service']);
	const containers = asList(service['containers']);
	const rename = (path: Path) => {
		if (valueAt(document, path) === from) setField(document, path, to);
	};
	const renameIn = (list: 'variables' | 'channels', field: 'environments' | 'images') =>
		asList(js[list]).forEach((item, i) => asList(asRecord(item)[field]).forEach((_name, j) => rename([list, i, field, j])));
	if (kind === 'environment') {
		renameIn('variables', 'environments');
		renameIn('channels', 'environments');
	} else if (kind === 'image') {
		renameIn('channels', 'images');
		containers.forEach((_c, i) => rename(['service', 'containers', i, 'image']));
	} else if (kind === 'container') {
		asList(service['loadBalancers']).forEach((_lb, i) => rename(['service', 'loadBalancers', i, 'container']));
		containers.forEach((c, i) => asList(asRecord(c)['dependsOn']).forEach((_d, j) => rename(['service', 'containers', i, 'dependsOn', j, 'container'])));
	} else {
		containers.forEach((c, i) => asList(asRecord(c)['mountPoints']).forEach((_m, j) => rename(['service', 'containers', i, 'mountPoints', j, 'volume'])));
	}
}

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
