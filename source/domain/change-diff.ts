import semver from 'semver';
import {parseImage} from './running-images.js';

/*
 * What a change does to a resource, property by property (pure): from CloudFormation's change set when it
 * carries the values (DescribeChangeSet with IncludePropertyValues: BeforeContext/AfterContext and
 * Details[].Target; https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html),
 * else from the stack's current template against the new one, both with their parameter values. Image tags
 * and digests, environment variables, task size, IAM and network changes are named; sensitive values are
 * masked (`****`): a NoEcho parameter's value, a secret's string, and an environment variable whose name
 * says it is a secret are never shown.
 */

/** What a property is about, when the preview names it. */
export type PropertyKind = 'image' | 'environment' | 'size' | 'iam' | 'network' | 'tags';

/** Whether changing a property recreates the resource (CloudFormation's RequiresRecreation). */
export type Recreation = 'Never' | 'Conditionally' | 'Always';

/** One property that changes: `before` absent = added, `after` absent = removed. Values are display text. */
export type PropertyChange = {
	/** `ContainerDefinitions[web].Environment[LOG_LEVEL]`: keyed lists by their Name or Key, others by index. */
	path: string;
	before?: string;
	after?: string;
	kind?: PropertyKind;
	recreation?: Recreation;
	/** The value is sensitive: both sides show `****`. */
	masked?: true;
};

/** An image reference as a container names it. */
export type ImageRef = {image: string; tag?: string; digest?: string};

/** A container's image before and after (absent: the container is added or removed). */
export type ImageChange = {container: string; before?: ImageRef; after?: ImageRef};

/** Changes an operator should look at twice. */
export type ChangeMark = 'iam' | 'network';

/** What a change does to one resource, as the preview shows it. */
export type ChangeDetail = {
	properties: PropertyChange[];
	images: ImageChange[];
	marks: ChangeMark[];
	/** Why the resource is replaced, when it is. */
	replacementCause?: string;
	/** Where the values come from: the change set, or a diff of the templates (an endpoint without values). */
	source: 'change-set' | 'template';
};

/** A ResourceChangeDetail as DescribeChangeSet gives it (only the fields read here). */
export type ChangeSetDetail = {
	Target?: {Attribute?: string; Name?: string; RequiresRecreation?: string; Path?: string; BeforeValue?: string; AfterValue?: string; AttributeChangeType?: string};
	Evaluation?: string;
	ChangeSource?: string;
	CausingEntity?: string;
};

/** The values the masking needs: secret values given at deploy time (never shown, only compared). */
export type MaskOptions = {secrets?: readonly string[]};

type Segment = {name: string} | {key: string} | {index: number};
type RawChange = {path: Segment[]; before?: unknown; after?: unknown};

const masked = '****';

/**
 * Environment variables whose names say they hold a secret: shown masked even though they are plain (a recipe
 * should make them sensitive; the preview never prints them either way).
 */
const secretName = /pass(word|wd)?|secret|token|api_?key|private_?key|credential|auth/i;

/** Top-level properties that replace the resource when they change (CloudFormation's resource reference, "Update requires: Replacement"). */
const replacingProperties: Readonly<Record<string, readonly string[]>> = {
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html
	'AWS::ECS::Service': ['Cluster', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName', 'DeploymentController'],
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html
	'AWS::Logs::LogGroup': ['LogGroupName'],
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
	'AWS::IAM::Role': ['RoleName', 'Path'],
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html
	'AWS::SecretsManager::Secret': ['Name'],
};

const iamProperties = new Set(['TaskRoleArn', 'ExecutionRoleArn', 'PermissionsBoundary', 'Policies', 'ManagedPolicyArns', 'AssumeRolePolicyDocument', 'PolicyDocument', 'Roles', 'Role', 'ResourcePolicy']);
const networkProperties = new Set(['NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets', 'SecurityGroups', 'AssignPublicIp', 'LoadBalancers', 'PortMappings', 'ServiceRegistries', 'ServiceConnectConfiguration', 'NetworkMode']);
const sizeProperties = new Set(['Cpu', 'Memory', 'MemoryReservation', 'EphemeralStorage']);

/** A property path as the preview writes it. */
export function formatPath(path: readonly Segment[]): string {
	let out = '';
	for (const segment of path) {
		if ('name' in segment) out += out === '' ? segment.name : `.${segment.name}`;
		else if ('key' in segment) out += `[${segment.key}]`;
		else out += `[${segment.index}]`;
	}
	return out;
}

/**
 * The differences between two property values, deepest first where both sides are objects or lists. Lists of
 * objects that have a `Name` (containers, environment variables) or a `Key` (tags) are matched by it, so a
 * reordered or inserted item is one change, not a cascade.
 */
export function diffValues(before: unknown, after: unknown, path: Segment[] = []): RawChange[] {
	if (equal(before, after)) return [];
	if (isRecord(before) && isRecord(after) && !isIntrinsic(before) && !isIntrinsic(after)) {
		const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
		return keys.flatMap(key => diffValues(before[key], after[key], [...path, {name: key}]));
	}
	if (Array.isArray(before) && Array.isArray(after)) {
		const keyOf = listKey(before, after);
		if (keyOf) {
			const old = new Map(before.map(item => [keyOf(item), item]));
			const next = new Map(after.map(item => [keyOf(item), item]));
			const keys = [...new Set([...old.keys(), ...next.keys()])];
			return keys.flatMap(key => diffItem(old.get(key), next.get(key), [...path, {key}]));
		}
		const length = Math.max(before.length, after.length);
		return Array.from({length}, (_, index) => diffValues(before[index], after[index], [...path, {index}])).flat();
	}
	return [{path, ...(before === undefined ? {} : {before}), ...(after === undefined ? {} : {after})}];
}

/** A keyed list item: a `{Name, Value}` or `{Key, Value}` pair is one value; other items are compared inside. */
function diffItem(before: unknown, after: unknown, path: Segment[]): RawChange[] {
	const pair = (item: unknown) => (isRecord(item) && Object.keys(item).length === 2 && 'Value' in item ? item['Value'] : item);
	if (before !== undefined && after !== undefined) return diffValues(pair(before), pair(after), path);
	return [{path, ...(before === undefined ? {} : {before: pair(before)}), ...(after === undefined ? {} : {after: pair(after)})}];
}

function listKey(before: readonly unknown[], after: readonly unknown[]): ((item: unknown) => string) | undefined {
	const items = [...before, ...after];
	if (items.length === 0 || !items.every(isRecord)) return undefined;
	for (const field of ['Name', 'Key', 'ContainerName']) {
		if (items.every(item => typeof (item as Record<string, unknown>)[field] === 'string')) {
			const keys = (list: readonly unknown[]) => list.map(item => (item as Record<string, unknown>)[field] as string);
			// Keys must tell the items apart on each side.
			if (new Set(keys(before)).size === before.length && new Set(keys(after)).size === after.length) return item => (item as Record<string, unknown>)[field] as string;
		}
	}
	return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `{Ref: …}`, `{"Fn::…": …}`: compared and shown whole. */
function isIntrinsic(value: Record<string, unknown>): boolean {
	const keys = Object.keys(value);
	return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function equal(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	// CloudFormation passes every scalar as a string: 256 and "256" are the same value.
	if ((typeof a === 'number' || typeof a === 'boolean') && typeof b === 'string') return String(a) === b;
	if ((typeof b === 'number' || typeof b === 'boolean') && typeof a === 'string') return String(b) === a;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as one line of text: scalars as they are, intrinsics shortened (`GetAtt Role.Arn`), the rest as JSON. */
export function valueText(value: unknown): string {
	// CloudFormation's placeholder for a value it learns only when the change set runs (a replaced resource's id).
	if (value === '{{changeSet:KNOWN_AFTER_APPLY}}') return '(known after apply)';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (isRecord(value) && isIntrinsic(value)) {
		const [name, argument] = Object.entries(value)[0]!;
		if (name === 'Ref') return `Ref ${String(argument)}`;
		if (name === 'Fn::GetAtt' && Array.isArray(argument)) return `GetAtt ${argument.join('.')}`;
		if (name === 'Fn::Sub') return Array.isArray(argument) ? String(argument[0]) : String(argument);
	}
	const json = JSON.stringify(value) ?? '';
	return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

/** What kind of property a path names, and whether it marks the change (IAM, network). */
function kindOf(resourceType: string, path: readonly Segment[]): PropertyKind | undefined {
	const names = path.flatMap(s => ('name' in s ? [s.name] : []));
	const last = names.at(-1) ?? '';
	if (names[0] === 'Tags') return 'tags';
	if (resourceType.startsWith('AWS::IAM::') || names.some(n => iamProperties.has(n))) return 'iam';
	if (names.some(n => networkProperties.has(n))) return 'network';
	if (names[0] === 'ContainerDefinitions' && last === 'Image' && names.length === 2) return 'image';
	if (names.includes('Environment')) return 'environment';
	if (sizeProperties.has(last)) return 'size';
	return undefined;
}

/** Whether a value must not be shown: a secret's string, a secret-looking variable, a NoEcho value, a given secret. */
function isSensitive(resourceType: string, path: readonly Segment[], values: readonly unknown[], options: MaskOptions): boolean {
	const names = path.flatMap(s => ('name' in s ? [s.name] : []));
	if (resourceType === 'AWS::SecretsManager::Secret' && names[0] === 'SecretString') return true;
	if (names.includes('Environment')) {
		const key = path.at(-1);
		if (key && 'key' in key && secretName.test(key.key)) return true;
	}
	const texts = values.flatMap(v => (v === undefined ? [] : [JSON.stringify(v) ?? '']));
	if (texts.some(t => t.includes(masked))) return true;
	return (options.secrets ?? []).some(secret => secret !== '' && texts.some(t => t.includes(secret)));
}

/** The images of a container list, by container name. */
function imagesOf(containers: unknown): Map<string, string> {
	const found = new Map<string, string>();
	if (!Array.isArray(containers)) return found;
	// An image with pseudo parameters left (`${AWS::Region}`) is still an Fn::Sub: its text names the tag.
	for (const c of containers) if (isRecord(c) && typeof c['Name'] === 'string' && c['Image'] !== undefined) found.set(c['Name'], valueText(c['Image']));
	return found;
}

function imageRef(image: string | undefined): ImageRef | undefined {
	if (image === undefined) return undefined;
	const {tag, digest} = parseImage(image);
	return {image, ...(tag ? {tag} : {}), ...(digest ? {digest} : {})};
}

/** The containers whose image changes (or that come and go), from the task definition's properties. */
function imageChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): ImageChange[] {
	const old = imagesOf(before?.['ContainerDefinitions']);
	const next = imagesOf(after?.['ContainerDefinitions']);
	const changes: ImageChange[] = [];
	for (const container of new Set([...old.keys(), ...next.keys()])) {
		if (old.get(container) === next.get(container)) continue;
		const b = imageRef(old.get(container));
		const a = imageRef(next.get(container));
		changes.push({container, ...(b ? {before: b} : {}), ...(a ? {after: a} : {})});
	}
	return changes;
}

/** One resource's change, as the inputs give it. */
export type ResourceChangeInput = {
	resourceType: string;
	action: string;
	/** The change set's Replacement: True, False, Conditional. */
	replacement?: string;
	/** The resource's properties before and after (resolved), when known. */
	before?: Record<string, unknown>;
	after?: Record<string, unknown>;
	/** The change set's details, when it has them. */
	details?: readonly ChangeSetDetail[];
	source: ChangeDetail['source'];
};

/**
 * What a change does to a resource: each property that changes with its values (masked when sensitive), the
 * images, the IAM and network marks, and why it is replaced. Without property values, the change set's details
 * still name the properties (and their values when they carry them).
 */
export function describeChange(input: ResourceChangeInput, options: MaskOptions = {}): ChangeDetail {
	const {resourceType} = input;
	const recreations = new Map<string, Recreation>();
	for (const d of input.details ?? []) {
		if (d.Target?.Attribute !== 'Properties' || !d.Target.Name) continue;
		recreations.set(d.Target.Name, recreationOf(d));
	}
	let raw: RawChange[];
	if (input.before !== undefined || input.after !== undefined) {
		raw = diffValues(input.before ?? {}, input.after ?? {});
		// A whole resource added or removed is one line per top-level property, not its every leaf.
		if (input.before === undefined || input.after === undefined) raw = topLevel(input.before ?? {}, input.after ?? {});
	} else {
		raw = (input.details ?? []).flatMap(d => detailChange(d));
	}
	const properties = raw.map((change): PropertyChange => {
		const kind = kindOf(resourceType, change.path);
		const top = change.path[0] && 'name' in change.path[0] ? change.path[0].name : undefined;
		const recreation = top === undefined ? undefined : (recreations.get(top) ?? templateRecreation(resourceType, top, input.source));
		const hide = isSensitive(resourceType, change.path, [change.before, change.after], options);
		return {
			path: formatPath(change.path),
			...(change.before === undefined ? {} : {before: hide ? masked : valueText(change.before)}),
			...(change.after === undefined ? {} : {after: hide ? masked : valueText(change.after)}),
			...(kind ? {kind} : {}),
			...(recreation ? {recreation} : {}),
			...(hide ? {masked: true as const} : {}),
		};
	});
	// Properties the details name that the values did not show (a value CloudFormation resolves at deploy time).
	const shown = new Set(properties.map(p => p.path.split(/[.[]/)[0]));
	for (const [name, recreation] of recreations) {
		if (!shown.has(name) && input.before !== undefined && input.after !== undefined) properties.push({path: name, recreation, ...(kindOf(resourceType, [{name}]) ? {kind: kindOf(resourceType, [{name}])!} : {})});
	}
	const marks: ChangeMark[] = [];
	// What may be done and what is reachable: a role added or removed, and any change of a role or policy, of
	// who a task runs as, of subnets, security groups, ports or load balancers (a role's tags are neither).
	const modify = input.action === 'Modify';
	if ((resourceType.startsWith('AWS::IAM::') && !modify) || (modify && properties.some(p => p.kind === 'iam'))) marks.push('iam');
	if (modify && properties.some(p => p.kind === 'network')) marks.push('network');
	const images = resourceType === 'AWS::ECS::TaskDefinition' ? imageChanges(input.before, input.after) : [];
	const cause = replacementCause(input, properties);
	return {properties, images, marks, ...(cause ? {replacementCause: cause} : {}), source: input.source};
}

function topLevel(before: Record<string, unknown>, after: Record<string, unknown>): RawChange[] {
	const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return keys.map(key => ({path: [{name: key}], ...(before[key] === undefined ? {} : {before: before[key]}), ...(after[key] === undefined ? {} : {after: after[key]})}));
}

/** A change set detail as a change: its path (`/Properties/ContainerDefinitions/0/Image`) and values. */
function detailChange(detail: ChangeSetDetail): RawChange[] {
	const target = detail.Target;
	if (!target || target.Attribute !== 'Properties') return [];
	const parts = (target.Path ?? `/Properties/${target.Name ?? ''}`).split('/').filter(Boolean).slice(1);
	const path: Segment[] = parts.map(part => (/^\d+$/.test(part) ? {index: Number(part)} : {name: part}));
	return [{path, ...(target.BeforeValue === undefined ? {} : {before: target.BeforeValue}), ...(target.AfterValue === undefined ? {} : {after: target.AfterValue})}];
}

/** Always + Static = replaced; Always + Dynamic = maybe (CloudFormation's Replacement rule). */
function recreationOf(detail: ChangeSetDetail): Recreation {
	const r = detail.Target?.RequiresRecreation;
	if (r === 'Always') return detail.Evaluation === 'Dynamic' ? 'Conditionally' : 'Always';
	return r === 'Never' || r === 'Conditionally' ? r : 'Conditionally';
}

/** Without a change set's word: task definitions are immutable, and a few properties replace other resources. */
function templateRecreation(resourceType: string, property: string, source: ChangeDetail['source']): Recreation | undefined {
	if (source !== 'template') return undefined;
	if (resourceType === 'AWS::ECS::TaskDefinition') return property === 'Tags' ? 'Never' : 'Always';
	return replacingProperties[resourceType]?.includes(property) ? 'Always' : 'Never';
}

function replacementCause(input: ResourceChangeInput, properties: readonly PropertyChange[]): string | undefined {
	if (input.action !== 'Modify') return undefined;
	const always = [...new Set(properties.filter(p => p.recreation === 'Always').map(p => p.path.split(/[.[]/)[0]!))];
	const maybe = [...new Set(properties.filter(p => p.recreation === 'Conditionally').map(p => p.path.split(/[.[]/)[0]!))];
	const replaced = input.replacement === 'True' || (input.replacement === undefined && always.length > 0);
	if (!replaced && input.replacement !== 'Conditional') return undefined;
	const named = replaced ? always : [...always, ...maybe];
	if (input.resourceType === 'AWS::ECS::TaskDefinition') {
		return `a task definition cannot change in place: ${named.length > 0 ? `${named.join(', ')} ${named.length === 1 ? 'changes' : 'change'}, so ` : ''}a new revision is registered and the service moves to it`;
	}
	if (named.length === 0) return replaced ? 'CloudFormation replaces it' : 'CloudFormation may replace it';
	return `${named.join(', ')} cannot change in place${replaced ? '' : ' (it may be replaced)'}`;
}

/*
 * Templates with their parameter values: a template diff needs the values the stack uses (DescribeStacks'
 * Parameters; NoEcho ones come back as `****` and stay so) and the ones the change set was given.
 */

/** A template as GetTemplate or the builder gives it (only what the diff reads). */
export type TemplateShape = {Parameters?: Record<string, {Default?: unknown; NoEcho?: unknown}>; Resources?: Record<string, {Type?: string; Properties?: Record<string, unknown>}>};

/**
 * The resources of a template with parameter references resolved: `Ref` to a parameter, `${Param}` in
 * `Fn::Sub`, and `Fn::Join` of what became text. A NoEcho parameter resolves to `****`. Pseudo parameters,
 * resource references and attributes are left as they are (the same on both sides of a diff).
 */
export function resolveResources(template: TemplateShape, parameters: Readonly<Record<string, string>>): Record<string, {type: string; properties: Record<string, unknown>}> {
	const declared = template.Parameters ?? {};
	const valueOf = (name: string): string | undefined => {
		const p = declared[name];
		if (!p) return undefined;
		if (p.NoEcho === true || p.NoEcho === 'true') return masked;
		const given = parameters[name];
		if (given !== undefined) return given;
		return p.Default === undefined ? undefined : String(p.Default);
	};
	const resolve = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(resolve);
		if (!isRecord(value)) return value;
		if (isIntrinsic(value)) {
			const [name, argument] = Object.entries(value)[0]!;
			if (name === 'Ref' && typeof argument === 'string') return valueOf(argument) ?? value;
			if (name === 'Fn::Sub') {
				const [text, vars] = Array.isArray(argument) ? [argument[0], argument[1]] : [argument, undefined];
				if (typeof text !== 'string') return value;
				const local = isRecord(vars) ? Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolve(v)])) : {};
				const out = text.replace(/\$\{([^!}][^}]*)\}/g, (whole, key: string) => {
					const found = typeof local[key] === 'string' ? (local[key] as string) : valueOf(key);
					return found ?? whole;
				});
				return out.includes('${') ? {'Fn::Sub': out} : out;
			}
			if (name === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
				const parts = (argument[1] as unknown[]).map(resolve);
				return parts.every(p => typeof p === 'string') ? parts.join(argument[0]) : {'Fn::Join': [argument[0], parts]};
			}
			return value;
		}
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
	};
	const out: Record<string, {type: string; properties: Record<string, unknown>}> = {};
	for (const [id, resource] of Object.entries(template.Resources ?? {})) out[id] = {type: resource.Type ?? '', properties: resolve(resource.Properties ?? {}) as Record<string, unknown>};
	return out;
}

/**
 * A warning when a release goes back: `next` is a lower semver than the release running now. Pre-releases
 * count as semver says (1.4.1-rc.1 is lower than 1.4.1, higher than 1.4.0).
 */
export function downgradeWarning(running: string | undefined, next: string | undefined, environment: string): string | undefined {
	if (running === undefined || next === undefined) return undefined;
	const a = semver.valid(running.replace(/^v(?=\d)/, ''));
	const b = semver.valid(next.replace(/^v(?=\d)/, ''));
	if (!a || !b || !semver.lt(b, a)) return undefined;
	return `downgrade: release ${next} is older than ${running}, which runs in ${environment} now`;
}

/** Compact text of an image change: `web: 1.4.0 → 1.4.1 (sha256:1e7b5ab67f27 → …)`. */
export function imageChangeText(change: ImageChange): string {
	const side = (ref: ImageRef | undefined) => (ref === undefined ? '(none)' : (ref.tag ?? ref.digest?.slice(0, 19) ?? ref.image));
	const digest = (ref: ImageRef | undefined) => ref?.digest?.slice(0, 19) ?? '—';
	// A container that comes or goes has one side.
	if (change.before === undefined || change.after === undefined) {
		const only = change.after ?? change.before;
		return `${change.container}: ${side(only)}${only?.digest ? ` (${digest(only)})` : ''}${change.after === undefined ? ' (removed)' : ''}`;
	}
	const digests = change.before.digest || change.after.digest ? ` (${digest(change.before)} → ${digest(change.after)})` : '';
	return `${change.container}: ${side(change.before)} → ${side(change.after)}${digests}`;
}

/**
 * Where properties refer (`Ref`, `Fn::GetAtt`) to one of `ids`: a resource that refers to a replaced one
 * changes too (its new id is known only once the change is applied), which a template diff does not see.
 */
export function referencesTo(properties: unknown, ids: ReadonlySet<string>): Array<{path: string; id: string}> {
	const found: Array<{path: string; id: string}> = [];
	const walk = (value: unknown, path: Segment[]) => {
		if (Array.isArray(value)) {
			const keyOf = listKey(value, value);
			value.forEach((item, index) => walk(item, [...path, keyOf ? {key: keyOf(item)} : {index}]));
		} else if (isRecord(value)) {
			const ref = isIntrinsic(value) ? (value['Ref'] ?? (Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined)) : undefined;
			if (typeof ref === 'string' && ids.has(ref)) found.push({path: formatPath(path), id: ref});
			else for (const [key, item] of Object.entries(value)) walk(item, [...path, {name: key}]);
		}
	};
	walk(properties, []);
	return found;
}
