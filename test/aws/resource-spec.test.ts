import {readFile} from 'node:fs/promises';
import * as ecs from '@aws-sdk/client-ecs';
import {loadAwsServiceSpecSync} from '@aws-cdk/aws-service-spec';
import type {SpecDatabase} from '@aws-cdk/service-spec-types';
import {describe, expect, test} from 'vitest';
import {fargateLogDrivers, knownProperties, schemaEnums, taskDefinitionValues} from '../../source/aws/sandbox/resource-spec.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {buildTemplate} from '../../source/domain/template/build.js';
import {fargateTemplate, sandbox} from './sandbox-driver.js';

/*
 * The sandbox's copy of the CloudFormation resource specification checked against the published one
 * (@aws-cdk/aws-service-spec, a dev dependency), so the tables cannot drift; then what the sandbox does
 * with a value they refuse.
 */

type PropertyType = {type: string; allowedValues?: Array<string | number>; element?: PropertyType; types?: PropertyType[]; reference?: {$ref: string}};
type Property = {type: PropertyType; documentation?: string};

let database: SpecDatabase | undefined;
const db = () => (database ??= loadAwsServiceSpecSync());
const resource = (type: string) => db().lookup('resource', 'cloudFormationType', 'equals', type)[0]!;

/** The property at a path (`*` = list items) of a resource type in the specification. */
function propertyAt(type: string, path: string): Property {
	let properties = resource(type).properties as unknown as Record<string, Property>;
	let found: Property | undefined;
	const names = path.split('/').filter(name => name !== '*');
	for (const [i, name] of names.entries()) {
		found = properties[name];
		if (!found) throw new Error(`${type}: no property ${names.slice(0, i + 1).join('/')} in the specification`);
		let t = found.type;
		while (t.type === 'array' || t.type === 'map') t = t.element!;
		if (t.type === 'ref') properties = (db().get('typeDefinition', t.reference!.$ref) as unknown as {properties: Record<string, Property>}).properties;
	}
	return found!;
}

function leafType(property: Property): PropertyType {
	let t = property.type;
	while (t.type === 'array' || t.type === 'map') t = t.element!;
	return t;
}

/** Every enumerated path (with `*` for list items) of a resource type, to the depth our templates use. */
function enumeratedPaths(type: string): Map<string, Array<string | number>> {
	const found = new Map<string, Array<string | number>>();
	const walk = (properties: Record<string, Property>, prefix: string, depth: number) => {
		if (depth > 5) return;
		for (const [name, property] of Object.entries(properties)) {
			let t = property.type;
			let path = `${prefix}${name}`;
			while (t.type === 'array' || t.type === 'map') {
				t = t.element!;
				path += '/*';
			}
			if (t.allowedValues) found.set(path, t.allowedValues);
			if (t.type === 'ref') walk((db().get('typeDefinition', t.reference!.$ref) as unknown as {properties: Record<string, Property>}).properties, `${path}/`, depth + 1);
		}
	};
	walk(resource(type).properties as unknown as Record<string, Property>, '', 0);
	return found;
}

describe('the sandbox tables match the CloudFormation resource specification', () => {
	test.each(Object.entries(knownProperties))('%s: top-level properties', (type, properties) => {
		expect([...properties].sort()).toEqual(Object.keys(resource(type).properties).sort());
	});

	test.each(Object.entries(schemaEnums).flatMap(([type, paths]) => Object.entries(paths).map(([path, values]) => [type, path, values] as const)))('%s %s: the schema allows exactly these values', (type, path, values) => {
		expect([...values].sort()).toEqual((leafType(propertyAt(type, path)).allowedValues ?? []).map(String).sort());
	});

	test('every schema enumeration of a value the built templates set is in the table', async () => {
		const templates = [
			await built('recipes/hello-color.yaml', {web: '1.4.0'}),
			await built('recipes/orders-api.yaml', {api: '1.4.0'}),
			await built('recipes/invoice-worker.yaml', {worker: '1.4.0', 'log-router': '2.32.0'}),
			// Rolling in dev, canary in staging, blue/green with the approval gate in production.
			await built('recipes/checkout-api.yaml', {api: '1.4.0'}),
			await built('recipes/checkout-api.yaml', {api: '1.4.0'}, 'staging'),
			await built('recipes/checkout-api.yaml', {api: '1.4.0'}, 'production'),
		];
		const missing: string[] = [];
		for (const template of templates) {
			for (const r of Object.values(template.Resources ?? {})) {
				for (const path of enumeratedPaths(r.Type).keys()) {
					if (valuesAt(r.Properties ?? {}, path.split('/')).length > 0 && !schemaEnums[r.Type]?.[path]) missing.push(`${r.Type} ${path}`);
				}
			}
		}
		expect(missing).toEqual([]);
	});

	// AWS::ECS::TaskDefinition's schema has plain strings: the ECS API checks the values (its model has them).
	test.each(taskDefinitionValues)('AWS::ECS::TaskDefinition $path: the values the ECS API accepts', ({path, values}) => {
		expect(propertyAt('AWS::ECS::TaskDefinition', path)).toBeDefined();
		const model: Record<string, Record<string, string>> = {
			NetworkMode: ecs.NetworkMode,
			'RequiresCompatibilities/*': ecs.Compatibility,
			'RuntimePlatform/CpuArchitecture': ecs.CPUArchitecture,
			'RuntimePlatform/OperatingSystemFamily': ecs.OSFamily,
			'ContainerDefinitions/*/LogConfiguration/LogDriver': ecs.LogDriver,
			'ContainerDefinitions/*/FirelensConfiguration/Type': ecs.FirelensConfigurationType,
			'ContainerDefinitions/*/DependsOn/*/Condition': ecs.ContainerCondition,
		};
		expect([...values].sort()).toEqual(Object.values(model[path]!).sort());
		// Where the specification's documentation names values, they are among them.
		const named = [...(propertyAt('AWS::ECS::TaskDefinition', path).documentation ?? '').matchAll(/`([A-Za-z0-9_-]+)`/g)].map(m => m[1]!);
		expect(named.filter(v => Object.values(model[path]!).includes(v)).every(v => values.includes(v))).toBe(true);
	});

	test('AWS::IAM::Role PermissionsBoundary, which the builder sets from permissionsBoundary, is the ARN of a managed policy', async () => {
		const property = propertyAt('AWS::IAM::Role', 'PermissionsBoundary') as Property & {relationshipRefs?: Array<{cloudFormationType: string; propertyName: string}>};
		expect(property.type.type).toBe('string');
		expect(property.relationshipRefs).toContainEqual({cloudFormationType: 'AWS::IAM::ManagedPolicy', propertyName: 'PolicyArn'});
		const template = await built('recipes/hello-color.yaml', {web: '1.4.0'});
		expect(template.Resources?.['TaskExecutionRole']?.Properties?.['PermissionsBoundary']).toEqual({'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/ecs-deployer-boundary'});
	});

	test('the Fargate log drivers are the ones the specification names for Fargate', () => {
		const documentation = propertyAt('AWS::ECS::TaskDefinition', 'ContainerDefinitions/*/LogConfiguration/LogDriver').documentation ?? '';
		const sentence = /For tasks on AWS Fargate[^.]*\./.exec(documentation)?.[0] ?? '';
		expect([...sentence.matchAll(/`([a-z-]+)`/g)].map(m => m[1]).sort()).toEqual([...fargateLogDrivers].sort());
	});
});

async function built(file: string, images: Record<string, string>, environment = 'dev') {
	const recipe = parseRecipe(await readFile(file, 'utf8')).recipe!;
	const {resolved, problems} = resolveRecipe({
		recipe,
		environment,
		images: Object.fromEntries(Object.entries(images).map(([ref, tag]) => [ref, {tag}])),
		releaseVersion: '1.4.0',
		target: {region: 'eu-west-1', cluster: 'sandbox', accountId: '123456789012'},
	});
	if (!resolved) throw new Error(JSON.stringify(problems));
	return buildTemplate(resolved).template as {Resources?: Record<string, {Type: string; Properties?: Record<string, unknown>}>};
}

function valuesAt(value: unknown, path: string[]): unknown[] {
	if (path.length === 0) return value === undefined ? [] : [value];
	const [head, ...rest] = path;
	if (head === '*') return Array.isArray(value) ? value.flatMap(item => valuesAt(item, rest)) : [];
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
	return valuesAt((value as Record<string, unknown>)[head!], rest);
}

describe('values the specification does not allow fail the resource during the operation', () => {
	test('PropagateTags NONE: the service fails schema validation, the stack rolls back', async () => {
		const {apply, events} = sandbox();
		const {stack} = await apply(
			'tags',
			fargateTemplate(t => void (t.Resources['Service']!.Properties['PropagateTags'] = 'NONE')),
		);
		expect(stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
		const all = await events('tags');
		const failed = all.find(e => e.ResourceStatus === 'CREATE_FAILED');
		expect(failed).toMatchObject({
			LogicalResourceId: 'Service',
			ResourceStatusReason: 'Properties validation failed for resource Service with message: [#/PropagateTags: failed validation constraint for keyword [enum]]',
		});
		// It fails when CloudFormation reaches it: after the task definition, which the rollback deletes.
		const order = all.map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
		expect(order.indexOf('TaskDefinition CREATE_COMPLETE')).toBeLessThan(order.indexOf('Service CREATE_FAILED'));
		expect(order).toContain('TaskDefinition DELETE_COMPLETE');
		expect(all.find(e => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason).toBe('The following resource(s) failed to create: [Service]. Rollback requested by user.');
	});

	test('nested values and values from parameters are checked too; every message is listed', async () => {
		const {apply, events} = sandbox();
		const body = fargateTemplate(t => {
			t.Parameters['PublicIp'] = {Type: 'String', Default: 'YES'};
			const service = t.Resources['Service']!.Properties;
			service['NetworkConfiguration'] = {AwsvpcConfiguration: {Subnets: ['subnet-1'], AssignPublicIp: {Ref: 'PublicIp'}}};
			service['DeploymentController'] = {Type: 'BLUE_GREEN'};
		});
		await apply('nested', body);
		expect((await events('nested')).find(e => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe(
			'Properties validation failed for resource Service with message: [#/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp: failed validation constraint for keyword [enum], #/DeploymentController/Type: failed validation constraint for keyword [enum]]',
		);
	});

	test('an update with a refused value fails that resource and rolls back to the running version', async () => {
		const {apply, events} = sandbox();
		await apply('upd', fargateTemplate());
		const {stack} = await apply('upd', fargateTemplate(t => void (t.Resources['Service']!.Properties['LaunchType'] = 'SPOT')));
		expect(stack?.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
		const all = await events('upd');
		expect(all.find(e => e.ResourceStatus === 'UPDATE_FAILED')).toMatchObject({LogicalResourceId: 'Service', ResourceStatusReason: expect.stringContaining('#/LaunchType: failed validation constraint for keyword [enum]')});
		// The new task definition revision it made is deleted in the rollback's cleanup.
		expect(all.filter(e => e.LogicalResourceId === 'TaskDefinition' && e.ResourceStatus === 'DELETE_COMPLETE').map(e => e.PhysicalResourceId)).toEqual(['arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-dev:2']);
	});

	test('a log driver Fargate cannot use fails the task definition in its handler, as the ECS API refuses it', async () => {
		const {apply, events} = sandbox();
		const {stack} = await apply(
			'logs',
			fargateTemplate(t => {
				const containers = t.Resources['TaskDefinition']!.Properties['ContainerDefinitions'] as Array<Record<string, unknown>>;
				containers[0]!['LogConfiguration'] = {LogDriver: 'fluentd'};
			}),
		);
		expect(stack?.StackStatus).toBe('ROLLBACK_COMPLETE');
		const failed = (await events('logs')).find(e => e.ResourceStatus === 'CREATE_FAILED');
		expect(failed?.LogicalResourceId).toBe('TaskDefinition');
		expect(failed?.ResourceStatusReason).toMatch(/^Resource handler returned message: "Invalid request provided: Create TaskDefinition: Log driver fluentd is not supported .*awslogs, splunk, awsfirelens.*HandlerErrorCode: InvalidRequest\)$/);
	});

	test.each([
		['NetworkMode', (p: Record<string, unknown>) => void (p['NetworkMode'] = 'bridge'), 'Fargate only supports network mode ‘awsvpc’.'],
		['CpuArchitecture', (p: Record<string, unknown>) => void (p['RuntimePlatform'] = {OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM'}), "Value 'ARM' at 'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [ARM64, X86_64]"],
		[
			'DependsOn.Condition',
			(p: Record<string, unknown>) => void ((p['ContainerDefinitions'] as Array<Record<string, unknown>>)[0]!['DependsOn'] = [{ContainerName: 'web', Condition: 'READY'}]),
			"Value 'READY' at 'containerDefinitions.1.member.dependsOn.1.member.condition'",
		],
	])('a task definition %s the ECS API refuses', async (_, change, message) => {
		const {apply, events} = sandbox();
		await apply('td', fargateTemplate(t => change(t.Resources['TaskDefinition']!.Properties)));
		const failed = (await events('td')).find(e => e.ResourceStatus === 'CREATE_FAILED');
		expect(failed?.LogicalResourceId).toBe('TaskDefinition');
		expect(failed?.ResourceStatusReason).toContain(message);
	});

	test('a template with composed secrets read by a recipe execution role passes: each resource policy after its secret, and deleted before it', async () => {
		const {apply, events, aws, advance} = sandbox();
		const recipe = parseRecipe(await readFile('recipes/orders-api.yaml', 'utf8')).recipe!;
		recipe.variables!.push({name: 'DbPassword', sensitive: true});
		(recipe.service['containers'] as Array<{environment: Record<string, string>}>)[0]!.environment['DSN'] = 'postgres://app:#{DbPassword}@db/orders';
		const {resolved, problems} = resolveRecipe({recipe, environment: 'dev', images: {api: {tag: '1.4.0'}}, releaseVersion: '1.4.0', target: {region: 'eu-west-1', cluster: 'sandbox', accountId: '123456789012'}});
		if (!resolved) throw new Error(JSON.stringify(problems));
		const built = buildTemplate(resolved);
		expect(built.template.Resources['ApiDSNValuePolicy']?.Type).toBe('AWS::SecretsManager::ResourcePolicy');
		// No IAM resource: no capability is needed.
		const {stack} = await apply('orders', JSON.stringify(built.template), {parameters: {SecretDbPassword: 'Canary-7f1e'}, capabilities: []});
		expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
		const order = (await events('orders')).map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
		expect(order.indexOf('ApiDSNValue CREATE_COMPLETE')).toBeLessThan(order.indexOf('ApiDSNValuePolicy CREATE_IN_PROGRESS'));
		expect(order.indexOf('ApiDSNValuePolicy CREATE_COMPLETE')).toBeLessThan(order.indexOf('TaskDefinition CREATE_IN_PROGRESS'));
		// A new password changes the composed secret (its Fn::Join refers to the parameter), as in CloudFormation.
		const changed = await apply('orders', JSON.stringify(built.template), {parameters: {SecretDbPassword: 'Canary-8a2f'}, capabilities: []});
		expect(changed.changeSet.Changes?.map(c => c.ResourceChange?.LogicalResourceId)).toContain('ApiDSNValue');
		expect(changed.stack?.StackStatus).toBe('UPDATE_COMPLETE');
		await aws.cloudFormation.deleteStack({StackName: 'orders'});
		advance(120_000);
		const deleted = (await events(stack!.StackId!)).map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`);
		expect(deleted).toContain('orders DELETE_COMPLETE');
		expect(deleted.indexOf('ApiDSNValuePolicy DELETE_COMPLETE')).toBeLessThan(deleted.indexOf('ApiDSNValue DELETE_IN_PROGRESS'));
	});

	test('the templates the builder makes pass', async () => {
		const {apply} = sandbox();
		const template = await built('recipes/invoice-worker.yaml', {worker: '1.4.0', 'log-router': '2.32.0'});
		const {stack} = await apply('worker', JSON.stringify(template));
		expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
		// ARM64 on Fargate Spot, ephemeral storage, ECS Exec, deployment alarms, hardened containers.
		const checkout = await built('recipes/checkout-api.yaml', {api: '1.4.0'});
		expect((await apply('checkout', JSON.stringify(checkout), {capabilities: []})).stack?.StackStatus).toBe('CREATE_COMPLETE');
	});
});
