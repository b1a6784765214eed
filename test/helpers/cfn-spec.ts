import {loadAwsServiceSpecSync} from '@aws-cdk/aws-service-spec';
import type {SpecDatabase} from '@aws-cdk/service-spec-types';

/*
 * Checks a template against the published CloudFormation resource specification (the database the AWS CDK
 * generates its L1 constructs from), the way CloudFormation's own template validation would reject it:
 * resource types, property names at every depth, required properties, primitive types, the values of
 * enumerated properties (where the specification lists them: PropagateTags, Protocol, LaunchType…), and
 * the names that Ref / Fn::GetAtt / Fn::Sub point to.
 */

type PropertyType =
	| {type: 'string' | 'number' | 'integer'; allowedValues?: Array<string | number>}
	| {type: 'boolean' | 'json' | 'date-time' | 'null' | 'tag'}
	| {type: 'ref'; reference: {$ref: string}}
	| {type: 'array' | 'map'; element: PropertyType}
	| {type: 'union'; types: PropertyType[]};
type Property = {type: PropertyType; required?: boolean};
type Properties = Record<string, Property>;

let database: SpecDatabase | undefined;
/** Loaded once per test file (about half a second). */
function db(): SpecDatabase {
	database ??= loadAwsServiceSpecSync();
	return database;
}

const pseudoParameters = new Set([
	'AWS::AccountId',
	'AWS::NotificationARNs',
	'AWS::NoValue',
	'AWS::Partition',
	'AWS::Region',
	'AWS::StackId',
	'AWS::StackName',
	'AWS::URLSuffix',
]);

type Template = {Parameters?: Record<string, unknown>; Resources?: Record<string, {Type?: string; Properties?: Record<string, unknown>}>; Outputs?: Record<string, {Value?: unknown}>};

/** Returns the problems CloudFormation would report; an empty list means the template passes. */
export function checkTemplateAgainstSpec(template: unknown): string[] {
	const t = template as Template;
	const problems: string[] = [];
	const parameters = new Set(Object.keys(t.Parameters ?? {}));
	const resources = t.Resources ?? {};
	const types = new Map<string, string>();
	for (const [id, resource] of Object.entries(resources)) {
		const found = db().lookup('resource', 'cloudFormationType', 'equals', resource.Type ?? '');
		const spec = found[0];
		if (!spec) {
			problems.push(`Resources.${id}: unknown resource type ${String(resource.Type)}`);
			continue;
		}
		types.set(id, resource.Type!);
		checkObject(resource.Properties ?? {}, spec.properties as unknown as Properties, `Resources.${id}.Properties`, problems);
	}
	const names = {parameters, resources: new Set(Object.keys(resources)), types};
	checkReferences(t.Resources, 'Resources', names, problems);
	checkReferences(t.Outputs, 'Outputs', names, problems);
	return problems;
}

function checkObject(value: Record<string, unknown>, properties: Properties, path: string, problems: string[]): void {
	for (const key of Object.keys(value)) {
		if (!(key in properties)) problems.push(`${path}.${key}: not a property of this type (known: ${Object.keys(properties).sort().join(', ')})`);
	}
	for (const [name, property] of Object.entries(properties)) {
		const item = value[name];
		if (item === undefined) {
			if (property.required) problems.push(`${path}.${name}: required property is missing`);
			continue;
		}
		checkValue(item, property.type, `${path}.${name}`, problems);
	}
}

function isIntrinsic(value: unknown): boolean {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function checkValue(value: unknown, type: PropertyType, path: string, problems: string[]): void {
	if (isIntrinsic(value)) return;
	switch (type.type) {
		case 'string':
			// CloudFormation turns numbers and booleans into strings.
			if (!['string', 'number', 'boolean'].includes(typeof value)) problems.push(`${path}: expected a string, found ${describe(value)}`);
			else checkAllowed(String(value), value, type.allowedValues, path, problems);
			return;
		case 'integer':
		case 'number':
			if (!(typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)))) problems.push(`${path}: expected a number, found ${describe(value)}`);
			else if (type.type === 'integer' && !Number.isInteger(Number(value))) problems.push(`${path}: expected an integer, found ${describe(value)}`);
			else checkAllowed(Number(value), value, type.allowedValues, path, problems);
			return;
		case 'boolean':
			if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) problems.push(`${path}: expected true or false, found ${describe(value)}`);
			return;
		case 'json':
		case 'date-time':
		case 'null':
			return;
		case 'tag':
			if (!isRecord(value) || typeof value['Key'] !== 'string' || !('Value' in value)) problems.push(`${path}: expected a {Key, Value} tag, found ${describe(value)}`);
			return;
		case 'array':
			if (!Array.isArray(value)) problems.push(`${path}: expected a list, found ${describe(value)}`);
			else value.forEach((item, i) => checkValue(item, type.element, `${path}[${i}]`, problems));
			return;
		case 'map':
			if (!isRecord(value)) problems.push(`${path}: expected a map, found ${describe(value)}`);
			else for (const [key, item] of Object.entries(value)) checkValue(item, type.element, `${path}.${key}`, problems);
			return;
		case 'union': {
			const attempts = type.types.map(option => {
				const found: string[] = [];
				checkValue(value, option, path, found);
				return found;
			});
			if (!attempts.some(a => a.length === 0)) problems.push(...attempts.sort((a, b) => a.length - b.length)[0]!);
			return;
		}
		case 'ref': {
			const definition = db().get('typeDefinition', type.reference.$ref) as unknown as {properties: Properties};
			if (!isRecord(value)) problems.push(`${path}: expected an object, found ${describe(value)}`);
			else checkObject(value, definition.properties, path, problems);
			return;
		}
	}
}

/** The specification's enumerations are what the resource provider accepts, case included. */
function checkAllowed(normalised: string | number, value: unknown, allowed: ReadonlyArray<string | number> | undefined, path: string, problems: string[]): void {
	if (allowed === undefined || allowed.includes(normalised)) return;
	problems.push(`${path}: ${describe(value)} is not an allowed value (allowed: ${allowed.join(', ')})`);
}

type Names = {parameters: Set<string>; resources: Set<string>; types: Map<string, string>};

function checkReferences(value: unknown, path: string, names: Names, problems: string[]): void {
	if (Array.isArray(value)) {
		value.forEach((item, i) => checkReferences(item, `${path}[${i}]`, names, problems));
		return;
	}
	if (!isRecord(value)) return;
	for (const [key, item] of Object.entries(value)) {
		if (key === 'Ref') {
			const target = String(item);
			if (!names.parameters.has(target) && !names.resources.has(target) && !pseudoParameters.has(target)) problems.push(`${path}: Ref to unknown name ${target}`);
		} else if (key === 'Fn::GetAtt') {
			const [resource, attribute] = Array.isArray(item) ? (item as string[]) : String(item).split('.');
			const type = names.types.get(resource ?? '');
			if (!type) problems.push(`${path}: Fn::GetAtt of unknown resource ${String(resource)}`);
			else {
				const spec = db().lookup('resource', 'cloudFormationType', 'equals', type)[0]!;
				if (!(String(attribute) in spec.attributes)) problems.push(`${path}: ${type} has no attribute ${String(attribute)} (has: ${Object.keys(spec.attributes).join(', ')})`);
			}
		} else if (key === 'Fn::Sub') {
			const text = Array.isArray(item) ? String(item[0]) : String(item);
			const local = Array.isArray(item) && isRecord(item[1]) ? new Set(Object.keys(item[1])) : new Set<string>();
			for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
				const name = match[1]!.split('.')[0]!;
				if (!local.has(name) && !names.parameters.has(name) && !names.resources.has(name) && !pseudoParameters.has(match[1]!)) {
					problems.push(`${path}: Fn::Sub refers to unknown name ${match[1]}`);
				}
			}
		}
		checkReferences(item, `${path}.${key}`, names, problems);
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
	return Array.isArray(value) ? 'a list' : JSON.stringify(value) ?? String(value);
}
