import {readdir} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {toolTagKeys} from '../../../source/domain/template/tags.js';
import type {CfnTemplate} from '../../../source/domain/template/types.js';
import {resolveRecipe} from '../../../source/domain/recipe/resolve.js';
import {sensitiveMarker} from '../../../source/domain/variables.js';
import {readRecipeFile} from '../../../source/io/recipe-files.js';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';
import {minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/*
 * Sensitive literals (sensitive variables without valueFrom) reach the stack as NoEcho parameters. Anything
 * that puts such a parameter into the task definition makes the value readable to anyone allowed
 * ecs:DescribeTaskDefinition, so the only place a NoEcho parameter may appear is the SecretString of the
 * Secrets Manager secret the stack creates; containers read that secret through `Secrets`/`SecretOptions`.
 */

type Json = unknown;

/** Where the template uses a NoEcho parameter other than as the SecretString of an AWS::SecretsManager::Secret. */
function noEchoLeaks(template: CfnTemplate): string[] {
	const noEcho = new Set(Object.entries(template.Parameters).filter(([, p]) => p.NoEcho === true).map(([name]) => name));
	const leaks: string[] = [];
	const allowed = (path: string) => {
		const match = /^Resources\.([^.]+)\.Properties\.SecretString$/.exec(path);
		return match !== null && template.Resources[match[1]!]?.Type === 'AWS::SecretsManager::Secret';
	};
	const walk = (value: Json, path: string): void => {
		if (Array.isArray(value)) {
			value.forEach((item, i) => walk(item, `${path}[${i}]`));
			return;
		}
		if (value === null || typeof value !== 'object') return;
		const record = value as Record<string, Json>;
		if (typeof record['Ref'] === 'string' && noEcho.has(record['Ref']) && !allowed(path)) leaks.push(`${path}: Ref ${record['Ref']}`);
		if (record['Fn::Sub'] !== undefined) {
			const sub = record['Fn::Sub'];
			const text = Array.isArray(sub) ? String(sub[0]) : String(sub);
			const local = Array.isArray(sub) && sub[1] !== null && typeof sub[1] === 'object' ? Object.keys(sub[1] as object) : [];
			for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
				if (noEcho.has(match[1]!) && !local.includes(match[1]!)) leaks.push(`${path}: Fn::Sub \${${match[1]}}`);
			}
		}
		for (const [key, item] of Object.entries(record)) walk(item, `${path}.${key}`);
	};
	// Parameters only declare them; everything else (resources, outputs, conditions…) must not use them.
	for (const [section, value] of Object.entries(template)) if (section !== 'Parameters') walk(value, section);
	return leaks;
}

/** Environment entries of every container that carry a NoEcho parameter or one of the given values. */
function sensitiveEnvironment(template: CfnTemplate, values: readonly string[]): string[] {
	const found: string[] = [];
	const noEcho = Object.entries(template.Parameters).filter(([, p]) => p.NoEcho === true).map(([name]) => name);
	for (const [id, resource] of Object.entries(template.Resources)) {
		if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
		for (const container of resource.Properties['ContainerDefinitions'] as Array<Record<string, any>>) {
			for (const entry of (container['Environment'] ?? []) as Array<{Name: string; Value: Json}>) {
				const text = JSON.stringify(entry.Value);
				if (noEcho.some(p => text.includes(p)) || values.some(v => text.includes(v))) found.push(`${id} ${container['Name']} ${entry.Name}`);
			}
		}
	}
	return found;
}

describe('the leak detectors used below', () => {
	test('find a NoEcho parameter in Ref, Fn::Sub (both forms) and Fn::Join, and allow it only as a secret\'s SecretString', () => {
		const template = {
			AWSTemplateFormatVersion: '2010-09-09',
			Description: 'd',
			Parameters: {SecretKey: {Type: 'String', Description: 'k', NoEcho: true}, Plain: {Type: 'String', Description: 'p'}},
			Resources: {
				KeySecret: {Type: 'AWS::SecretsManager::Secret', Properties: {SecretString: {Ref: 'SecretKey'}}},
				Other: {Type: 'AWS::SSM::Parameter', Properties: {Value: {Ref: 'SecretKey'}}},
				TaskDefinition: {
					Type: 'AWS::ECS::TaskDefinition',
					Properties: {
						ContainerDefinitions: [
							{
								Name: 'web',
								Environment: [
									{Name: 'A', Value: {'Fn::Sub': 'x ${SecretKey} ${!SecretKey}'}},
									{Name: 'B', Value: {'Fn::Sub': ['${Local}', {Local: {Ref: 'SecretKey'}}]}},
									{Name: 'C', Value: {'Fn::Join': ['', ['a', {Ref: 'SecretKey'}]]}},
									{Name: 'D', Value: {'Fn::Sub': ['${SecretKey}', {SecretKey: 'shadowed'}]}},
									{Name: 'E', Value: {Ref: 'Plain'}},
								],
							},
						],
					},
				},
			},
			Outputs: {Leak: {Description: 'o', Value: {Ref: 'SecretKey'}}},
		} as unknown as CfnTemplate;
		expect(noEchoLeaks(template)).toEqual([
			'Resources.Other.Properties.Value: Ref SecretKey',
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].Environment[0].Value: Fn::Sub ${SecretKey}',
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].Environment[1].Value.Fn::Sub[1].Local: Ref SecretKey',
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].Environment[2].Value.Fn::Join[1][1]: Ref SecretKey',
			'Outputs.Leak.Value: Ref SecretKey',
		]);
		expect(sensitiveEnvironment(template, ['shadowed'])).toEqual(['TaskDefinition web A', 'TaskDefinition web B', 'TaskDefinition web C', 'TaskDefinition web D']);
	});
});

describe('every recipe in recipes/, every environment', async () => {
	const files = (await readdir('recipes')).filter(f => f.endsWith('.yaml')).map(f => `recipes/${f}`);
	for (const file of files) {
		test(`${file}: no NoEcho parameter outside a secret, and the template passes the specification`, async () => {
			const recipe = (await readRecipeFile(file)).recipe!;
			for (const {name} of recipe.environments) {
				const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '1.2.3'}]));
				const {resolved} = resolveRecipe({recipe, environment: name, images, releaseVersion: '1.2.3', target: {region: 'eu-west-1', cluster: 'main'}});
				const {template} = buildTemplate(resolved!);
				expect(checkTemplateAgainstSpec(template), `${file} ${name}`).toEqual([]);
				expect(noEchoLeaks(template), `${file} ${name}`).toEqual([]);
				expect(sensitiveEnvironment(template, []), `${file} ${name}`).toEqual([]);
			}
		});
	}
});

/** A recipe with sensitive literals in two containers' environment and in log options, and one reference. */
function recipeWithSensitiveLiterals(): Record<string, any> {
	const recipe = minimalRecipe();
	recipe['variables'] = [
		{name: 'ApiKey', sensitive: true},
		{name: 'db-password', sensitive: true},
		{name: 'SplunkToken', sensitive: true},
		{name: 'DbUrl', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:url::'},
	];
	recipe['service'].containers = [
		{name: 'web', image: 'web', environment: {API_KEY: '#{ApiKey}', DB_PASSWORD: '#{db-password}', DATABASE_URL: '#{DbUrl}', PLAIN: 'x'}},
		{
			name: 'worker',
			image: 'web',
			essential: false,
			environment: {API_KEY: '#{ApiKey}'},
			logging: {type: 'manual', driver: 'splunk', options: {'splunk-url': 'https://splunk.example.com:8088', 'splunk-token': '#{SplunkToken}'}},
		},
	];
	return recipe;
}

function build(recipe: Record<string, any>) {
	const {resolved, problems} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
	if (!resolved) throw new Error(`recipe does not resolve: ${JSON.stringify(problems)}`);
	const built = buildTemplate(resolved);
	expect(checkTemplateAgainstSpec(built.template)).toEqual([]);
	expect(noEchoLeaks(built.template)).toEqual([]);
	expect(sensitiveEnvironment(built.template, [])).toEqual([]);
	return built;
}

const props = (built: ReturnType<typeof build>, id: string) => built.template.Resources[id]!.Properties as Record<string, any>;
const containers = (built: ReturnType<typeof build>) => props(built, 'TaskDefinition')['ContainerDefinitions'] as Array<Record<string, any>>;

describe('sensitive literals', () => {
	test('each becomes a Secrets Manager secret of the stack, named after it, tagged, holding the NoEcho parameter', () => {
		const built = build(recipeWithSensitiveLiterals());
		const secrets = Object.entries(built.template.Resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret');
		expect(secrets.map(([id]) => id)).toEqual(['ApiKeySecret', 'DbPasswordSecret', 'SplunkTokenSecret']);
		expect(props(built, 'DbPasswordSecret')).toEqual({
			// Named after the stack: two environments (two stacks) in one account and region do not clash.
			Name: {'Fn::Sub': '${AWS::StackName}/db-password'},
			Description: 'Sensitive variable db-password of shop (dev), supplied at deploy time; managed by ecs-deployer',
			SecretString: {Ref: 'SecretDbPassword'},
			Tags: [
				{Key: toolTagKeys.tool, Value: 'ecs-deployer'},
				{Key: toolTagKeys.project, Value: 'shop'},
				{Key: toolTagKeys.environment, Value: 'dev'},
				{Key: toolTagKeys.release, Value: '1.0.0'},
			],
		});
		expect(built.template.Parameters['SecretDbPassword']).toMatchObject({Type: 'String', NoEcho: true});
		expect(built.template.Parameters['SecretDbPassword']?.Default).toBeUndefined();
		expect(built.secretParameters).toEqual([
			{parameter: 'SecretApiKey', variable: 'ApiKey'},
			{parameter: 'SecretDbPassword', variable: 'db-password'},
			{parameter: 'SecretSplunkToken', variable: 'SplunkToken'},
		]);
	});

	test('containers read them through Secrets and SecretOptions (Ref of the secret is its ARN), never Environment', () => {
		const [web, worker] = containers(build(recipeWithSensitiveLiterals()));
		expect(web!['Environment']).toEqual([{Name: 'PLAIN', Value: 'x'}]);
		expect(web!['Secrets']).toEqual([
			{Name: 'API_KEY', ValueFrom: {Ref: 'ApiKeySecret'}},
			{Name: 'DATABASE_URL', ValueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:url::'},
			{Name: 'DB_PASSWORD', ValueFrom: {Ref: 'DbPasswordSecret'}},
		]);
		expect(worker!['Environment']).toBeUndefined();
		expect(worker!['Secrets']).toEqual([{Name: 'API_KEY', ValueFrom: {Ref: 'ApiKeySecret'}}]);
		expect(worker!['LogConfiguration']).toEqual({
			LogDriver: 'splunk',
			Options: {'splunk-url': 'https://splunk.example.com:8088'},
			SecretOptions: [{Name: 'splunk-token', ValueFrom: {Ref: 'SplunkTokenSecret'}}],
		});
	});

	test('the execution role the stack creates may read exactly those secrets and the referenced ones', () => {
		const built = build(recipeWithSensitiveLiterals());
		const [policy] = props(built, 'TaskExecutionRole')['Policies'];
		expect(policy.PolicyDocument.Statement).toEqual([
			{
				Effect: 'Allow',
				Action: ['secretsmanager:GetSecretValue'],
				Resource: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf', {Ref: 'ApiKeySecret'}, {Ref: 'DbPasswordSecret'}, {Ref: 'SplunkTokenSecret'}],
			},
		]);
		expect(Object.values(built.template.Resources).some(r => r.Type === 'AWS::IAM::Policy')).toBe(false);
	});

	test('a recipe execution role gets an inline policy reading the created secrets only, by role name', () => {
		const recipe = recipeWithSensitiveLiterals();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/team/app/exec-role';
		const built = build(recipe);
		expect(built.template.Resources['TaskExecutionRole']).toBeUndefined();
		expect(built.template.Resources['ExecutionRoleSecretsPolicy']).toEqual({
			Type: 'AWS::IAM::Policy',
			Properties: {
				// One policy per stack: environments that share the role do not overwrite each other's policy.
				PolicyName: {'Fn::Sub': '${AWS::StackName}-read-secrets'},
				PolicyDocument: {
					Version: '2012-10-17',
					Statement: [{Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [{Ref: 'ApiKeySecret'}, {Ref: 'DbPasswordSecret'}, {Ref: 'SplunkTokenSecret'}]}],
				},
				// A role at path /team/app/ is still named by its last segment.
				Roles: ['exec-role'],
			},
		});
		// Tasks start only once the role can read the secrets, and the service goes before the policy on delete.
		expect(built.template.Resources['Service']?.DependsOn).toEqual(['ExecutionRoleSecretsPolicy']);
	});

	test('without sensitive literals there is no secret, no parameter and no extra policy', () => {
		const recipe = minimalRecipe();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
		const built = build(recipe);
		expect(Object.keys(built.template.Resources)).toEqual(['LogGroup', 'TaskDefinition', 'Service']);
		expect(built.template.Resources['Service']?.DependsOn).toBeUndefined();
		expect(Object.keys(built.template.Parameters).filter(p => p.startsWith('Secret'))).toEqual([]);
	});

	test('two sensitive literals whose names make the same parameter are refused, not merged into one secret', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [
			{name: 'api-key', sensitive: true},
			{name: 'api_key', sensitive: true},
		];
		recipe['service'].containers[0].environment = {A: '#{api-key}', B: '#{api_key}'};
		// Validation refuses the recipe first, naming the variables.
		const refused = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}});
		expect(refused.resolved).toBeUndefined();
		expect(refused.problems.map(p => p.message).join('\n')).toMatch(/api_key and api-key would both .*SecretApiKey/);
		// The builder is the last line of defence: given such a service anyway, it refuses too.
		recipe['service'].containers[0].environment = {A: '#{api-key}'};
		recipe['variables'] = [{name: 'api-key', sensitive: true}];
		const {resolved} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}});
		resolved!.service.containers[0]!.environment['B'] = sensitiveMarker('api_key');
		resolved!.sensitive['api_key'] = {name: 'api_key'};
		expect(() => buildTemplate(resolved!)).toThrow('service.containers[0].environment.B: sensitive variables api-key and api_key would share the parameter SecretApiKey; rename one');
	});

	test('a sensitive literal inside a longer value is refused by the builder, naming the field: it is never inlined', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'ApiKey', sensitive: true}];
		recipe['service'].containers[0].environment = {AUTH_HEADER: '#{ApiKey}'};
		const {resolved} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}});
		// Validation is the place to report this as a recipe problem; the builder is the last line, so it is
		// given the spliced value directly here.
		resolved!.service.containers[0]!.environment['AUTH_HEADER'] = `Key ${sensitiveMarker('ApiKey')}`;
		expect(() => buildTemplate(resolved!)).toThrow(
			'service.containers[0].environment.AUTH_HEADER: sensitive variable ApiKey must be the whole value (ECS injects secrets as whole values; it cannot splice them into text)',
		);
		resolved!.service.containers[0]!.environment = {};
		resolved!.service.containers[0]!.logging = {type: 'manual', driver: 'splunk', options: {'splunk-token': `${sensitiveMarker('ApiKey')}!`}};
		expect(() => buildTemplate(resolved!)).toThrow('service.containers[0].logging.options.splunk-token: sensitive variable ApiKey must be the whole value');
	});
});
