import {readdir} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {hasErrors} from '../../../source/domain/problems.js';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {renderTemplate} from '../../../source/domain/template/render.js';
import {toolTagKeys} from '../../../source/domain/template/tags.js';
import {readRecipeFile} from '../../../source/io/recipe-files.js';
import {resolveRecipe} from '../../../source/domain/recipe/resolve.js';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';
import {minimalRecipe, resolveObject} from '../../helpers/recipes.js';

const target = {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'};

function build(recipe: Record<string, any>, options: Parameters<typeof resolveObject>[1] = {}) {
	const {resolved, problems} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0', ...options});
	if (!resolved) throw new Error(`recipe does not resolve: ${JSON.stringify(problems)}`);
	const built = buildTemplate(resolved);
	expect(checkTemplateAgainstSpec(built.template)).toEqual([]);
	return built;
}

const props = (built: ReturnType<typeof build>, id: string) => built.template.Resources[id]!.Properties as Record<string, any>;
const firstContainer = (built: ReturnType<typeof build>) => props(built, 'TaskDefinition')['ContainerDefinitions'][0];

describe('every recipe in recipes/', async () => {
	const files = (await readdir('recipes')).filter(f => f.endsWith('.yaml')).map(f => `recipes/${f}`);
	test('there are example recipes', () => expect(files.length).toBeGreaterThanOrEqual(3));
	for (const file of files) {
		test(`${file} resolves for every environment and builds a template CloudFormation accepts`, async () => {
			const parsed = await readRecipeFile(file);
			expect(parsed.problems).toEqual([]);
			const recipe = parsed.recipe!;
			for (const {name} of recipe.environments) {
				const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '1.2.3'}]));
				const {resolved, problems} = resolveRecipe({recipe, environment: name, images, releaseVersion: '1.2.3', target});
				expect(problems.filter(p => p.severity === 'error'), `${file} ${name}`).toEqual([]);
				expect(hasErrors(problems)).toBe(false);
				const built = buildTemplate(resolved!);
				expect(checkTemplateAgainstSpec(built.template), `${file} ${name}`).toEqual([]);
				expect(renderTemplate(built.template, 'yaml')).toContain('AWS::ECS::Service');
			}
		});
	}
});

describe('buildTemplate', () => {
	test('a minimal service: Fargate task definition, service, log group and an execution role', () => {
		const built = build(minimalRecipe(), {target});
		expect(Object.entries(built.template.Resources).map(([id, r]) => `${id}:${r.Type}`)).toEqual([
			'LogGroup:AWS::Logs::LogGroup',
			'TaskExecutionRole:AWS::IAM::Role',
			'TaskDefinition:AWS::ECS::TaskDefinition',
			'Service:AWS::ECS::Service',
		]);
		expect(props(built, 'TaskDefinition')).toMatchObject({
			Family: 'shop-dev',
			Cpu: '256',
			Memory: '512',
			NetworkMode: 'awsvpc',
			RequiresCompatibilities: ['FARGATE'],
			ExecutionRoleArn: {'Fn::GetAtt': ['TaskExecutionRole', 'Arn']},
		});
		expect(props(built, 'TaskExecutionRole')['ManagedPolicyArns']).toEqual([
			{'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'},
		]);
		expect(props(built, 'LogGroup')).toMatchObject({LogGroupName: '/ecs/shop/dev', RetentionInDays: 30});
		expect(firstContainer(built)['LogConfiguration']).toEqual({
			LogDriver: 'awslogs',
			Options: {'awslogs-group': {Ref: 'LogGroup'}, 'awslogs-region': {Ref: 'AWS::Region'}, 'awslogs-stream-prefix': 'web'},
		});
		expect(props(built, 'Service')).toMatchObject({
			Cluster: {Ref: 'ClusterName'},
			LaunchType: 'FARGATE',
			DesiredCount: 1,
			NetworkConfiguration: {AwsvpcConfiguration: {Subnets: ['subnet-0a1b2c3d4e5f60718'], SecurityGroups: ['sg-0a1b2c3d4e5f60718'], AssignPublicIp: 'DISABLED'}},
		});
		expect(props(built, 'Service')['ServiceName']).toBeUndefined();
		expect(built.template.Parameters['ClusterName']?.Default).toBe('main');
	});

	test('the created execution role gets the permissions boundary: a policy name is in the stack\'s account, an ARN is used as it is', () => {
		expect(props(build(minimalRecipe(), {target}), 'TaskExecutionRole')['PermissionsBoundary']).toBeUndefined();
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = 'ecs-deployer-boundary';
		expect(props(build(recipe, {target}), 'TaskExecutionRole')['PermissionsBoundary']).toEqual({'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/ecs-deployer-boundary'});
		recipe['service'].permissionsBoundary = '/team/boundary';
		expect(props(build(recipe, {target}), 'TaskExecutionRole')['PermissionsBoundary']).toEqual({'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team/boundary'});
		recipe['service'].permissionsBoundary = 'arn:aws:iam::111122223333:policy/platform/ecs-boundary';
		expect(props(build(recipe, {target}), 'TaskExecutionRole')['PermissionsBoundary']).toBe('arn:aws:iam::111122223333:policy/platform/ecs-boundary');
	});

	test('a permissions boundary that is no managed policy is an error; with executionRole given it is ignored, with a warning', () => {
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = 'arn:aws:iam::111122223333:role/not-a-policy';
		expect(resolveObject(recipe).problems.map(p => `${p.severity} ${p.path}: ${p.message}`)).toEqual([
			'error service.permissionsBoundary: "arn:aws:iam::111122223333:role/not-a-policy" is not a managed policy: give its ARN (arn:aws:iam::123456789012:policy/ecs-deployer-boundary) or its name (ecs-deployer-boundary, in the stack\'s account)',
		]);
		recipe['service'].permissionsBoundary = 'ecs-deployer-boundary';
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
		const {resolved, problems} = resolveObject(recipe);
		expect(problems.map(p => `${p.severity} ${p.path}: ${p.message}`)).toEqual([
			'warning service.permissionsBoundary: bounds only the roles the stack creates, and with executionRole given it creates none: it is ignored here',
		]);
		expect(JSON.stringify(buildTemplate(resolved!).template)).not.toContain('PermissionsBoundary');
	});

	test('a given execution role is used and no role is created; no auto logging, no log group', () => {
		const recipe = minimalRecipe();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
		recipe['service'].containers[0].logging = 'none';
		const built = build(recipe);
		expect(Object.keys(built.template.Resources)).toEqual(['TaskDefinition', 'Service']);
		expect(props(built, 'TaskDefinition')['ExecutionRoleArn']).toBe('arn:aws:iam::111122223333:role/exec');
		expect(built.template.Outputs['LogGroupName']).toBeUndefined();
		expect(firstContainer(built)['LogConfiguration']).toBeUndefined();
	});

	test('images are tag parameters; ECR, ECR in another account, and another registry with credentials', () => {
		const recipe = minimalRecipe();
		const credentials = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub-AbCdEf';
		recipe['images'] = {
			web: {repository: 'shop-web'},
			shared: {repository: 'base/agent', account: '444455556666', region: 'us-east-1'},
			'log-router': {registry: 'docker.io', repository: 'fluent/fluent-bit', credentials},
		};
		recipe['service'].containers.push({name: 'agent', image: 'shared', essential: false}, {name: 'router', image: 'log-router', essential: false});
		const built = build(recipe, {images: {web: {tag: '2.0.0'}, shared: {tag: '7'}}});
		const images = props(built, 'TaskDefinition')['ContainerDefinitions'].map((c: any) => c.Image);
		expect(images).toEqual([
			{'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/shop-web:${ImageTagWeb}'},
			{'Fn::Sub': '444455556666.dkr.ecr.us-east-1.${AWS::URLSuffix}/base/agent:${ImageTagShared}'},
			{'Fn::Sub': 'docker.io/fluent/fluent-bit:${ImageTagLogRouter}'},
		]);
		expect(built.template.Parameters['ImageTagWeb']?.Default).toBe('2.0.0');
		expect(built.template.Parameters['ImageTagShared']?.Default).toBe('7');
		expect(built.template.Parameters['ImageTagLogRouter']?.Default).toBeUndefined();
		expect(built.imageParametersWithoutDefault).toEqual(['ImageTagLogRouter']);
		expect(props(built, 'TaskDefinition')['ContainerDefinitions'][2].RepositoryCredentials).toEqual({CredentialsParameter: credentials});
		expect(JSON.stringify(props(built, 'TaskExecutionRole')['Policies'])).toContain('arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub-AbCdEf');
	});

	test('sensitive values never reach the template: references and literals become container secrets', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [
			{name: 'DbUrl', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:url::'},
			{name: 'ApiKey', sensitive: true},
			{name: 'SmtpPassword', sensitive: true, valueFrom: '/shop/smtp'},
		];
		recipe['service'].containers[0].environment = {DATABASE_URL: '#{DbUrl}', API_KEY: '#{ApiKey}', SMTP: '#{SmtpPassword}', TEMPLATE: 'Key ${literal}', PLAIN: 'x'};
		const built = build(recipe);
		const container = firstContainer(built);
		expect(container.Secrets).toEqual([
			{Name: 'API_KEY', ValueFrom: {Ref: 'ApiKeySecret'}},
			{Name: 'DATABASE_URL', ValueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:url::'},
			{Name: 'SMTP', ValueFrom: '/shop/smtp'},
		]);
		// Plain values are plain strings: CloudFormation does not interpret ${…} outside Fn::Sub.
		expect(container.Environment).toEqual([
			{Name: 'PLAIN', Value: 'x'},
			{Name: 'TEMPLATE', Value: 'Key ${literal}'},
		]);
		expect(built.template.Parameters['SecretApiKey']).toMatchObject({Type: 'String', NoEcho: true});
		expect(built.secretParameters).toEqual([{parameter: 'SecretApiKey', variable: 'ApiKey'}]);
		const policy = JSON.stringify(props(built, 'TaskExecutionRole')['Policies']);
		expect(policy).toContain('"secretsmanager:GetSecretValue"');
		expect(policy).toContain('"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"');
		expect(policy).toContain('{"Ref":"ApiKeySecret"}');
		expect(policy).toContain('parameter/shop/smtp');
	});

	test('load balancer mapping and grace period go on the service', () => {
		const recipe = minimalRecipe();
		const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/0123456789abcdef';
		recipe['service'].loadBalancers = [{container: 'web', port: 80, targetGroupArn: arn}];
		recipe['service'].deployment = {healthCheckGracePeriodSeconds: 45};
		const built = build(recipe);
		expect(props(built, 'Service')['LoadBalancers']).toEqual([{ContainerName: 'web', ContainerPort: 80, TargetGroupArn: arn}]);
		expect(props(built, 'Service')['HealthCheckGracePeriodSeconds']).toBe(45);
	});

	test('EFS and bind volumes with mount points', () => {
		const recipe = minimalRecipe();
		recipe['service'].volumes = [
			{name: 'data', type: 'efs', fileSystemId: 'fs-0123abcd', transitEncryption: true, iamAuthorization: true, accessPointId: 'fsap-0123456789abcdef0'},
			{name: 'tmp', type: 'bind'},
		];
		recipe['service'].containers[0].mountPoints = [{volume: 'data', path: '/data', readOnly: true}, {volume: 'tmp', path: '/tmp/work'}];
		const built = build(recipe);
		expect(props(built, 'TaskDefinition')['Volumes']).toEqual([
			{
				Name: 'data',
				EFSVolumeConfiguration: {FilesystemId: 'fs-0123abcd', TransitEncryption: 'ENABLED', AuthorizationConfig: {AccessPointId: 'fsap-0123456789abcdef0', IAM: 'ENABLED'}},
			},
			{Name: 'tmp'},
		]);
		expect(firstContainer(built).MountPoints).toEqual([
			{SourceVolume: 'data', ContainerPath: '/data', ReadOnly: true},
			{SourceVolume: 'tmp', ContainerPath: '/tmp/work', ReadOnly: false},
		]);
	});

	test('FireLens router and an app container logging through it', () => {
		const recipe = minimalRecipe();
		recipe['service'].containers = [
			{name: 'router', image: 'web', firelens: {type: 'fluentbit', options: {'enable-ecs-log-metadata': 'true'}, configFile: {type: 'file', value: '/fluent-bit/etc/extra.conf'}}},
			{name: 'app', image: 'web', dependsOn: [{container: 'router'}], logging: {type: 'manual', driver: 'awsfirelens', options: {Name: 'cloudwatch_logs', region: 'eu-west-1'}}},
		];
		const built = build(recipe);
		const [router, app] = props(built, 'TaskDefinition')['ContainerDefinitions'];
		expect(router.FirelensConfiguration).toEqual({
			Type: 'fluentbit',
			Options: {'config-file-type': 'file', 'config-file-value': '/fluent-bit/etc/extra.conf', 'enable-ecs-log-metadata': 'true'},
		});
		expect(app.LogConfiguration).toEqual({LogDriver: 'awsfirelens', Options: {Name: 'cloudwatch_logs', region: 'eu-west-1'}});
		expect(app.DependsOn).toEqual([{ContainerName: 'router', Condition: 'START'}]);
	});

	test('a FireLens configuration file in S3: the execution role may read that object and locate its bucket', () => {
		const recipe = minimalRecipe();
		const configFile = 'arn:aws:s3:::shop-config/fluent-bit/extra.conf';
		recipe['service'].containers = [
			{name: 'router', image: 'web', firelens: {type: 'fluentbit', configFile: {type: 's3', value: configFile}}},
			{name: 'app', image: 'web', logging: {type: 'manual', driver: 'awsfirelens', options: {Name: 'cloudwatch_logs'}}},
		];
		const built = build(recipe);
		expect(props(built, 'TaskDefinition')['ContainerDefinitions'][0].FirelensConfiguration).toEqual({
			Type: 'fluentbit',
			Options: {'config-file-type': 's3', 'config-file-value': configFile},
		});
		expect(props(built, 'TaskExecutionRole')['Policies'][0].PolicyDocument.Statement).toEqual([
			{Effect: 'Allow', Action: ['s3:GetObject'], Resource: [configFile]},
			{Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: ['arn:aws:s3:::shop-config']},
		]);
	});

	test('environment files and a FireLens file share the S3 statements; a file inside the image needs none', () => {
		const recipe = minimalRecipe();
		recipe['service'].containers = [
			{name: 'router', image: 'web', firelens: {type: 'fluentbit', configFile: {type: 's3', value: 'arn:aws:s3:::shop-config/extra.conf'}}},
			{name: 'app', image: 'web', environmentFiles: ['arn:aws:s3:::shop-config/app.env', 'arn:aws:s3:::shop-env/dev.env']},
		];
		expect(props(build(recipe), 'TaskExecutionRole')['Policies'][0].PolicyDocument.Statement).toEqual([
			{Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::shop-config/app.env', 'arn:aws:s3:::shop-config/extra.conf', 'arn:aws:s3:::shop-env/dev.env']},
			{Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: ['arn:aws:s3:::shop-config', 'arn:aws:s3:::shop-env']},
		]);
		recipe['service'].containers[0].firelens.configFile = {type: 'file', value: '/fluent-bit/etc/extra.conf'};
		recipe['service'].containers[1].environmentFiles = [];
		expect(props(build(recipe), 'TaskExecutionRole')['Policies']).toBeUndefined();
	});

	test('health check, ports with names, entry point and command', () => {
		const recipe = minimalRecipe();
		Object.assign(recipe['service'].containers[0], {
			ports: [{containerPort: 8080, name: 'http', appProtocol: 'http'}],
			healthCheck: {command: 'curl -f http://localhost:8080/ || exit 1', startPeriod: 10},
			entryPoint: ['/bin/sh', '-c'],
			command: ['serve'],
			workingDirectory: '/app',
		});
		const c = firstContainer(build(recipe));
		expect(c.PortMappings).toEqual([{ContainerPort: 8080, HostPort: 8080, Protocol: 'tcp', Name: 'http', AppProtocol: 'http'}]);
		expect(c.HealthCheck).toEqual({Command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'], Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 10});
		expect(c).toMatchObject({EntryPoint: ['/bin/sh', '-c'], Command: ['serve'], WorkingDirectory: '/app'});
	});

	test('the circuit breaker and percentages come from the recipe', () => {
		const recipe = minimalRecipe();
		recipe['service'].deployment = {minimumHealthyPercent: 50, maximumPercent: 150, circuitBreaker: {enabled: false, rollback: false}};
		expect(props(build(recipe), 'Service')['DeploymentConfiguration']).toEqual({
			MinimumHealthyPercent: 50,
			MaximumPercent: 150,
			DeploymentCircuitBreaker: {Enable: false, Rollback: false},
		});
	});

	test('identity tags on the stack and every resource, then the recipe tags', () => {
		const recipe = minimalRecipe();
		recipe['service'].tags = [{key: 'team', value: 'shop'}];
		recipe['service'].managedTags = false;
		recipe['service'].propagateTags = 'TASK_DEFINITION';
		const built = build(recipe, {releaseVersion: '3.1.0'});
		const expected = [
			{Key: toolTagKeys.tool, Value: 'ecs-deployer'},
			{Key: toolTagKeys.project, Value: 'shop'},
			{Key: toolTagKeys.environment, Value: 'dev'},
			{Key: toolTagKeys.release, Value: '3.1.0'},
			{Key: 'team', Value: 'shop'},
		];
		// The stack also records the release's image tags (and digests when pinned), for other machines to read.
		expect(built.stackTags).toEqual([...expected.slice(0, 4), {Key: 'ecs-deployer:image:web', Value: '1.0.0'}, expected[4]]);
		for (const id of ['LogGroup', 'TaskExecutionRole', 'TaskDefinition', 'Service']) expect(props(built, id)['Tags']).toEqual(expected);
		expect(props(built, 'Service')).toMatchObject({EnableECSManagedTags: false, PropagateTags: 'TASK_DEFINITION'});
	});

	test('propagateTags NONE leaves PropagateTags out: CloudFormation only accepts SERVICE or TASK_DEFINITION', () => {
		const recipe = minimalRecipe();
		recipe['service'].propagateTags = 'NONE';
		expect(props(build(recipe), 'Service')).not.toHaveProperty('PropagateTags');
		recipe['service'].propagateTags = 'SERVICE';
		expect(props(build(recipe), 'Service')['PropagateTags']).toBe('SERVICE');
	});

	test('outputs name the service, task definition, cluster and log group', () => {
		expect(Object.keys(build(minimalRecipe()).template.Outputs)).toEqual(['ServiceArn', 'ServiceName', 'TaskDefinitionArn', 'ClusterName', 'LogGroupName']);
	});

	test('the same input gives the same template, whatever the order of environment variables', () => {
		const a = minimalRecipe();
		a['service'].containers[0].environment = {B: '2', A: '1'};
		const b = minimalRecipe();
		b['service'].containers[0].environment = {A: '1', B: '2'};
		expect(renderTemplate(build(a).template, 'yaml')).toBe(renderTemplate(build(b).template, 'yaml'));
	});

	test('YAML output quotes values CloudFormation would read as dates or booleans', () => {
		const yaml = renderTemplate(build(minimalRecipe()).template, 'yaml');
		expect(yaml).toContain('AWSTemplateFormatVersion: "2010-09-09"');
		expect(yaml).toContain('Version: "2012-10-17"');
	});
});
