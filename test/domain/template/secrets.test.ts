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
		// The whole SecretString, or a part of it (a value composed with Fn::Join).
		const match = /^Resources\.([^.]+)\.Properties\.SecretString(?:$|[.[])/.exec(path);
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
				ComposedValue: {Type: 'AWS::SecretsManager::Secret', Properties: {SecretString: {'Fn::Join': ['', ['a:', {Ref: 'SecretKey'}]]}, Description: {Ref: 'SecretKey'}}},
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
			'Resources.ComposedValue.Properties.Description: Ref SecretKey',
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

	test('a recipe execution role reads the created secrets through their resource policies: the stack changes no role', () => {
		const recipe = recipeWithSensitiveLiterals();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/team/app/exec-role';
		const built = build(recipe);
		expect(built.template.Resources['TaskExecutionRole']).toBeUndefined();
		expect(Object.values(built.template.Resources).filter(r => r.Type.startsWith('AWS::IAM::'))).toEqual([]);
		const policies = Object.entries(built.template.Resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::ResourcePolicy');
		expect(policies.map(([id]) => id)).toEqual(['ApiKeySecretPolicy', 'DbPasswordSecretPolicy', 'SplunkTokenSecretPolicy']);
		expect(built.template.Resources['DbPasswordSecretPolicy']).toEqual({
			Type: 'AWS::SecretsManager::ResourcePolicy',
			Properties: {
				SecretId: {Ref: 'DbPasswordSecret'},
				ResourcePolicy: {
					Version: '2012-10-17',
					Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::111122223333:role/team/app/exec-role'}, Action: 'secretsmanager:GetSecretValue', Resource: '*'}],
				},
				BlockPublicPolicy: true,
			},
		});
		// Tasks start only once the role can read the secrets, and the service goes before the policies on delete.
		expect(built.template.Resources['Service']?.DependsOn).toEqual(['ApiKeySecretPolicy', 'DbPasswordSecretPolicy', 'SplunkTokenSecretPolicy']);
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

	test('a variable read from Secrets Manager inside a longer value is refused by the builder, naming the field: it cannot be composed', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'DbUrl', sensitive: true, valueFrom: '/shop/db-url'}];
		recipe['service'].containers[0].environment = {DATABASE_URL: '#{DbUrl}'};
		const {resolved} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}});
		// Validation is the place to report this as a recipe problem; the builder is the last line, so it is
		// given the spliced value directly here.
		resolved!.service.containers[0]!.environment['DATABASE_URL'] = `${sensitiveMarker('DbUrl')}?sslmode=require`;
		expect(() => buildTemplate(resolved!)).toThrow(
			'service.containers[0].environment.DATABASE_URL: sensitive variable DbUrl is read from Secrets Manager or SSM (valueFrom), so it must be the whole value: the stack cannot compose it with text',
		);
	});
});

/** A recipe whose web container composes values with the sensitive literal DbPassword. */
function recipeWithComposedValues(): Record<string, any> {
	const recipe = minimalRecipe();
	recipe['variables'] = [
		{name: 'DbUser', value: 'app'},
		{name: 'DbPassword', sensitive: true},
		{name: 'Token', sensitive: true},
	];
	recipe['service'].containers[0].environment = {
		DSN: 'postgres://#{DbUser}:#{DbPassword}@db/app',
		PLAIN: 'x',
		// A literal ${…} is text, not a CloudFormation reference.
		TEMPLATE: '${HOME}/#{Token}/#{DbPassword}',
	};
	return recipe;
}

describe('values composed with sensitive literals', () => {
	test('each becomes a secret of its own, joined in CloudFormation from the text and the NoEcho parameters', () => {
		const built = build(recipeWithComposedValues());
		const secrets = Object.entries(built.template.Resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret');
		// DbPassword and Token are never used alone: no secret of their own, only their parameters.
		expect(secrets.map(([id]) => id)).toEqual(['WebDSNValue', 'WebTEMPLATEValue']);
		expect(props(built, 'WebDSNValue')).toEqual({
			Name: {'Fn::Sub': '${AWS::StackName}/composed/WebDSNValue'},
			Description: 'environment variable DSN of container web in shop (dev), composed with sensitive variable DbPassword supplied at deploy time; managed by ecs-deployer',
			SecretString: {'Fn::Join': ['', ['postgres://app:', {Ref: 'SecretDbPassword'}, '@db/app']]},
			Tags: expect.arrayContaining([{Key: toolTagKeys.project, Value: 'shop'}]),
		});
		expect(props(built, 'WebTEMPLATEValue')['SecretString']).toEqual({'Fn::Join': ['', ['${HOME}/', {Ref: 'SecretToken'}, '/', {Ref: 'SecretDbPassword'}]]});
		expect(built.secretParameters).toEqual([
			{parameter: 'SecretDbPassword', variable: 'DbPassword'},
			{parameter: 'SecretToken', variable: 'Token'},
		]);
		expect(built.template.Parameters['SecretDbPassword']).toMatchObject({Type: 'String', NoEcho: true});
	});

	test('the container reads them through Secrets, never Environment, and the execution role may read exactly those secrets', () => {
		const built = build(recipeWithComposedValues());
		const [web] = containers(built);
		expect(web!['Environment']).toEqual([{Name: 'PLAIN', Value: 'x'}]);
		expect(web!['Secrets']).toEqual([
			{Name: 'DSN', ValueFrom: {Ref: 'WebDSNValue'}},
			{Name: 'TEMPLATE', ValueFrom: {Ref: 'WebTEMPLATEValue'}},
		]);
		const [policy] = props(built, 'TaskExecutionRole')['Policies'];
		expect(policy.PolicyDocument.Statement).toEqual([{Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [{Ref: 'WebDSNValue'}, {Ref: 'WebTEMPLATEValue'}]}]);
		// Nothing of the task definition carries a parameter or a composed value's text around the secret.
		expect(JSON.stringify(props(built, 'TaskDefinition'))).not.toMatch(/SecretDbPassword|SecretToken|postgres:/);
	});

	test('a variable used whole and inside a value gets its own secret and the composed one; log options are composed too', () => {
		const recipe = recipeWithComposedValues();
		recipe['service'].containers[0].environment = {DB_PASSWORD: '#{DbPassword}', DSN: 'postgres://app:#{DbPassword}@db/app'};
		recipe['service'].containers[0].logging = {type: 'manual', driver: 'splunk', options: {'splunk-url': 'https://splunk.example.com', 'splunk-token': 'Splunk #{Token}'}};
		const built = build(recipe);
		expect(Object.entries(built.template.Resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual(['DbPasswordSecret', 'WebDSNValue', 'WebLogSplunkTokenValue']);
		const [web] = containers(built);
		expect(web!['Secrets']).toEqual([
			{Name: 'DB_PASSWORD', ValueFrom: {Ref: 'DbPasswordSecret'}},
			{Name: 'DSN', ValueFrom: {Ref: 'WebDSNValue'}},
		]);
		expect(web!['LogConfiguration']).toEqual({LogDriver: 'splunk', Options: {'splunk-url': 'https://splunk.example.com'}, SecretOptions: [{Name: 'splunk-token', ValueFrom: {Ref: 'WebLogSplunkTokenValue'}}]});
		expect(props(built, 'WebLogSplunkTokenValue')['Description']).toMatch(/^log option splunk-token of container web/);
	});

	test('two values whose ids come out the same are told apart; a recipe execution role reads them through resource policies', () => {
		const recipe = recipeWithComposedValues();
		recipe['service'].containers[0].environment = {'DB-URL': 'a#{DbPassword}', DB_URL: 'b#{DbPassword}'};
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
		const built = build(recipe);
		expect(containers(built)[0]!['Secrets']).toEqual(
			expect.arrayContaining([
				{Name: 'DB-URL', ValueFrom: {Ref: 'WebDBURLValue'}},
				{Name: 'DB_URL', ValueFrom: {Ref: 'WebDBURL2Value'}},
			]),
		);
		expect(props(built, 'WebDBURL2Value')['Name']).toEqual({'Fn::Sub': '${AWS::StackName}/composed/WebDBURL2Value'});
		expect(built.template.Resources['Service']?.DependsOn).toEqual(['WebDBURLValuePolicy', 'WebDBURL2ValuePolicy']);
		expect(props(built, 'WebDBURL2ValuePolicy')['SecretId']).toEqual({Ref: 'WebDBURL2Value'});
	});
});
