import type {ResourceChangeDetail} from '@aws-sdk/client-cloudformation';
import {sandboxAccount, sandboxRegion} from './state.js';

/*
 * What DescribeChangeSet says about a modified resource, the way CloudFormation says it: `Details` (one per
 * changed property: Target.Attribute/Name/RequiresRecreation, Evaluation, ChangeSource, CausingEntity), and
 * with IncludePropertyValues the property values too: one detail per changed value with its `Path`
 * (`/Properties/ContainerDefinitions/0/Image`), `BeforeValue`, `AfterValue` and `AttributeChangeType`, and
 * the resource's `BeforeContext`/`AfterContext` (JSON of `{"Properties": {…}}`, resolved). A value known only
 * once the change set runs (the physical id of a resource it creates or replaces) reads
 * `{{changeSet:KNOWN_AFTER_APPLY}}`; NoEcho parameters read `****`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceTargetDefinition.html
 */

type Json = Record<string, unknown>;
type Template = {Parameters?: Record<string, {NoEcho?: unknown; Default?: unknown}>; Resources?: Record<string, {Type?: string; Properties?: Json}>};

export const knownAfterApply = '{{changeSet:KNOWN_AFTER_APPLY}}';

/** Top-level properties whose change replaces the resource (the resource reference's "Update requires: Replacement"). */
const replacing: Readonly<Record<string, readonly string[]>> = {
	'AWS::ECS::Service': ['Cluster', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName', 'DeploymentController'],
	'AWS::Logs::LogGroup': ['LogGroupName'],
	'AWS::IAM::Role': ['RoleName', 'Path'],
	'AWS::SecretsManager::Secret': ['Name'],
};

/** Whether changing a property recreates the resource: every task definition property but Tags does (task definitions are immutable). */
export function requiresRecreation(type: string, property: string): 'Always' | 'Never' {
	if (type === 'AWS::ECS::TaskDefinition') return property === 'Tags' ? 'Never' : 'Always';
	return replacing[type]?.includes(property) ? 'Always' : 'Never';
}

/** How to resolve a template's values: the parameters (NoEcho ones `****`), physical ids, and what is not known yet. */
export type Resolution = {parameters: Readonly<Record<string, string>>; physicalIds: ReadonlyMap<string, string>; unknown: ReadonlySet<string>; stackName: string};

/** A resource's properties with parameters, pseudo parameters and references resolved as CloudFormation would show them. */
export function resolvedProperties(body: string, logicalId: string, resolution: Resolution): Json | undefined {
	const template = JSON.parse(body) as Template;
	const resource = template.Resources?.[logicalId];
	if (!resource) return undefined;
	const noEcho = new Set(Object.entries(template.Parameters ?? {}).filter(([, p]) => p.NoEcho === true || p.NoEcho === 'true').map(([k]) => k));
	const pseudo: Record<string, string> = {'AWS::AccountId': sandboxAccount, 'AWS::Region': sandboxRegion, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws', 'AWS::StackName': resolution.stackName};
	const name = (ref: string): string => {
		if (noEcho.has(ref)) return '****';
		if (pseudo[ref] !== undefined) return pseudo[ref];
		if (resolution.parameters[ref] !== undefined) return resolution.parameters[ref];
		if (resolution.unknown.has(ref)) return knownAfterApply;
		return resolution.physicalIds.get(ref) ?? knownAfterApply;
	};
	const attribute = (id: string, attr: string): string => {
		if (resolution.unknown.has(id)) return knownAfterApply;
		const physical = resolution.physicalIds.get(id);
		if (physical === undefined) return knownAfterApply;
		const type = template.Resources?.[id]?.Type;
		if (attr === 'Arn' && type === 'AWS::IAM::Role') return `arn:aws:iam::${sandboxAccount}:role/${physical}`;
		return physical;
	};
	const resolve = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(resolve);
		if (value === null || typeof value !== 'object') return value;
		const o = value as Json;
		const keys = Object.keys(o);
		if (keys.length === 1 && keys[0] === 'Ref' && typeof o['Ref'] === 'string') return name(o['Ref']);
		if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(o['Fn::GetAtt'])) return attribute(String(o['Fn::GetAtt'][0]), String(o['Fn::GetAtt'][1]));
		if (keys.length === 1 && keys[0] === 'Fn::Sub') {
			const [text, vars] = Array.isArray(o['Fn::Sub']) ? [o['Fn::Sub'][0], o['Fn::Sub'][1]] : [o['Fn::Sub'], undefined];
			const local = vars !== null && typeof vars === 'object' ? (vars as Json) : {};
			return String(text).replace(/\$\{([^!}][^}]*)\}/g, (_, key: string) => {
				if (local[key] !== undefined) return String(resolve(local[key]));
				const [id, attr] = key.split('.');
				return attr === undefined ? name(key) : attribute(id!, attr);
			});
		}
		if (keys.length === 1 && keys[0] === 'Fn::Join' && Array.isArray(o['Fn::Join'])) {
			const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
			return parts.map(p => String(resolve(p))).join(separator);
		}
		return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
	};
	return resolve(resource.Properties ?? {}) as Json;
}

/** A leaf that differs: its JSON-pointer path under the resource, and the values (absent on the side without it). */
type Leaf = {path: string[]; before?: unknown; after?: unknown};

function leaves(before: unknown, after: unknown, path: string[] = []): Leaf[] {
	if (JSON.stringify(before) === JSON.stringify(after)) return [];
	const object = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
	if (object(before) && object(after)) {
		return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap(k => leaves(before[k], after[k], [...path, k]));
	}
	if (Array.isArray(before) && Array.isArray(after)) {
		return Array.from({length: Math.max(before.length, after.length)}, (_, i) => leaves(before[i], after[i], [...path, String(i)])).flat();
	}
	return [{path, ...(before === undefined ? {} : {before}), ...(after === undefined ? {} : {after})}];
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The parameters a value refers to (`Ref`, `${Name}` in `Fn::Sub`). */
function referencedParameters(value: unknown, parameters: ReadonlySet<string>, found = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const item of value) referencedParameters(item, parameters, found);
	else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			if (key === 'Ref' && typeof item === 'string' && parameters.has(item)) found.add(item);
			else if (key === 'Fn::Sub') {
				const t = Array.isArray(item) ? item[0] : item;
				if (typeof t === 'string') for (const m of t.matchAll(/\$\{([^!}][^}.]*)\}/g)) if (parameters.has(m[1]!)) found.add(m[1]!);
			}
			referencedParameters(item, parameters, found);
		}
	}
	return found;
}

/** What DescribeChangeSet says of a modified resource: details, with values and contexts when asked for. */
export function modifyDetails(input: {logicalId: string; type: string; previousBody: string; body: string; before: Resolution; after: Resolution; changedParameters: readonly string[]; includeValues: boolean}): {details: ResourceChangeDetail[]; beforeContext?: string; afterContext?: string} {
	const before = resolvedProperties(input.previousBody, input.logicalId, input.before) ?? {};
	const after = resolvedProperties(input.body, input.logicalId, input.after) ?? {};
	const raw = ((JSON.parse(input.body) as Template).Resources?.[input.logicalId]?.Properties ?? {}) as Json;
	const changed = new Set(input.changedParameters);
	const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(k => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
	const details: ResourceChangeDetail[] = [];
	for (const name of names) {
		const causes = [...referencedParameters(raw[name], changed)];
		const source = causes.length > 0 ? {ChangeSource: 'ParameterReference' as const, CausingEntity: causes[0]!} : {ChangeSource: 'DirectModification' as const};
		const target = {Attribute: 'Properties' as const, Name: name, RequiresRecreation: requiresRecreation(input.type, name)};
		if (!input.includeValues) {
			details.push({Target: target, Evaluation: 'Static', ...source});
			continue;
		}
		for (const leaf of leaves(before[name], after[name], [name])) {
			details.push({
				Target: {
					...target,
					Path: `/Properties/${leaf.path.join('/')}`,
					...(leaf.before === undefined ? {} : {BeforeValue: text(leaf.before)}),
					...(leaf.after === undefined ? {} : {AfterValue: text(leaf.after)}),
					AttributeChangeType: leaf.before === undefined ? 'Add' : leaf.after === undefined ? 'Remove' : 'Modify',
				},
				Evaluation: 'Static',
				...source,
			});
		}
	}
	if (!input.includeValues) return {details};
	return {details, beforeContext: JSON.stringify({Properties: before}), afterContext: JSON.stringify({Properties: after})};
}
