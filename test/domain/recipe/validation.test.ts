import semver from 'semver';
import {describe, expect, test} from 'vitest';
import {allowedOnChannel} from '../../../source/domain/image-tags.js';
import {errorLines, minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/** Resolves the minimal recipe after `change` and returns the error lines. */
function errorsAfter(change: (recipe: Record<string, any>) => void, env = 'dev'): string[] {
	const recipe = minimalRecipe();
	change(recipe);
	return errorLines(resolveObject(recipe, {environment: env}).problems);
}

const container = (recipe: Record<string, any>, i = 0) => recipe['service'].containers[i];

describe('a valid recipe', () => {
	test('resolves with defaults applied', () => {
		const {resolved, problems} = resolveObject(minimalRecipe(), {environment: 'production'});
		expect(problems).toEqual([]);
		expect(resolved?.service).toMatchObject({
			stackName: 'shop-production',
			family: 'shop-production',
			desiredCount: 3,
			deployment: {minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: {enabled: true, rollback: true}},
			wait: {mode: 'complete'},
			managedTags: true,
		});
		expect(resolved?.service.containers[0]).toMatchObject({essential: true, ports: [{containerPort: 80, protocol: 'tcp'}], logging: {type: 'auto'}});
	});

	test('an unknown environment is named with the ones that exist', () => {
		expect(errorsAfter(() => {}, 'prod')).toEqual(['environment: "prod" is not one of the recipe\'s environments (dev, staging, production)']);
	});
});

describe('task size', () => {
	test('every Fargate pair is accepted, others are refused with the allowed memory', () => {
		expect(errorsAfter(r => Object.assign(r['service'], {cpu: 1024, memory: 8192}))).toEqual([]);
		expect(errorsAfter(r => Object.assign(r['service'], {cpu: 4096, memory: 30_720}))).toEqual([]);
		expect(errorsAfter(r => Object.assign(r['service'], {cpu: 256, memory: 4096}))).toEqual([
			'service.memory: 4096 MiB does not fit a 256 CPU Fargate task: use 512, 1024, 2048 MiB',
		]);
		expect(errorsAfter(r => Object.assign(r['service'], {cpu: 1024, memory: 1024}))).toEqual([
			'service.memory: 1024 MiB does not fit a 1024 CPU Fargate task: use 2048 to 8192 MiB in steps of 1024',
		]);
		expect(errorsAfter(r => Object.assign(r['service'], {cpu: 300}))[0]).toBe(
			'service.cpu: 300 is not a Fargate task CPU value: use one of 256, 512, 1024, 2048, 4096, 8192, 16384',
		);
	});

	test('container limits must fit in the task', () => {
		expect(errorsAfter(r => Object.assign(container(r), {cpu: 512}))).toEqual(['service.containers: the containers ask for 512 CPU units in all, more than the task\'s 256']);
		expect(
			errorsAfter(r => {
				container(r).memory = 400;
				r['service'].containers.push({name: 'sidecar', image: 'web', memoryReservation: 200});
			}),
		).toEqual(['service.containers: the containers ask for 600 MiB in all, more than the task\'s 512 MiB']);
		expect(errorsAfter(r => Object.assign(container(r), {memory: 256, memoryReservation: 300}))).toContain(
			'service.containers[0].memoryReservation: 300 MiB is above the container\'s memory limit (256 MiB): the reservation must not exceed the limit',
		);
	});
});

describe('containers', () => {
	test('at least one container, names unique, image must be declared', () => {
		expect(errorsAfter(r => (r['service'].containers = []))).toEqual(['service.containers: needs at least one entry']);
		expect(errorsAfter(r => r['service'].containers.push({name: 'web', image: 'web', essential: false}))).toContain(
			'service.containers[1].name: "web" is already the name of containers[0]: container names must be unique',
		);
		expect(errorsAfter(r => (container(r).image = 'api'))).toEqual(['service.containers[0].image: "api" is not one of the recipe\'s images (web)']);
	});

	test('at most 10 containers, the ECS limit per task definition', () => {
		const containers = (count: number) => Array.from({length: count}, (_, i) => ({name: `c${i}`, image: 'web', essential: i === 0}));
		expect(errorsAfter(r => (r['service'].containers = containers(10)))).toEqual([]);
		expect(errorsAfter(r => (r['service'].containers = containers(11)))).toEqual(['service.containers: must have at most 10 entries']);
	});

	test('at least one essential container', () => {
		expect(errorsAfter(r => (container(r).essential = false))).toEqual(['service.containers: at least one container must be essential (essential: true)']);
	});

	test('ports: range, host port equals container port, no duplicates', () => {
		expect(errorsAfter(r => (container(r).ports = [{containerPort: 70_000}]))).toEqual(['service.containers[0].ports[0].containerPort: must be at most 65535']);
		expect(errorsAfter(r => (container(r).ports = [{containerPort: 80, hostPort: 8080}]))).toEqual([
			'service.containers[0].ports[0].hostPort: must equal containerPort (80) on Fargate, or be left out',
		]);
		expect(errorsAfter(r => (container(r).ports = [80, {containerPort: 80, protocol: 'udp'}]))).toEqual([]);
		expect(errorsAfter(r => r['service'].containers.push({name: 'b', image: 'web', ports: [80]}))).toEqual([
			'service.containers[1].ports[0].containerPort: 80/tcp is already used by service.containers[0].ports[0]: tasks share one network interface',
		]);
	});

	test('health check ranges follow AWS', () => {
		const withCheck = (check: Record<string, unknown>) => errorsAfter(r => (container(r).healthCheck = {command: 'true', ...check}));
		expect(withCheck({interval: 5, timeout: 2, retries: 10, startPeriod: 300})).toEqual([]);
		expect(withCheck({interval: 4})).toEqual(['service.containers[0].healthCheck.interval: must be at least 5']);
		expect(withCheck({timeout: 121})).toEqual(['service.containers[0].healthCheck.timeout: must be at most 120']);
		expect(withCheck({retries: 0})).toEqual(['service.containers[0].healthCheck.retries: must be at least 1']);
		expect(withCheck({startPeriod: 301})).toEqual(['service.containers[0].healthCheck.startPeriod: must be at most 300']);
		expect(withCheck({command: ['RUN', 'x']})).toEqual(['service.containers[0].healthCheck.command[0]: must be CMD or CMD-SHELL (or write the command as one string to run it in a shell)']);
	});

	test('mount points must name a declared volume', () => {
		expect(errorsAfter(r => (container(r).mountPoints = [{volume: 'data', path: '/data'}]))).toEqual([
			'service.containers[0].mountPoints[0].volume: "data" is not declared in service.volumes (none declared)',
		]);
		expect(
			errorsAfter(r => {
				r['service'].volumes = [{name: 'data', type: 'bind'}];
				container(r).mountPoints = [{volume: 'data', path: 'data'}];
			}),
		).toEqual(['service.containers[0].mountPoints[0].path: must be an absolute path starting with /']);
	});

	test('dependsOn: known container, not itself, HEALTHY needs a health check, no loops', () => {
		const two = (r: Record<string, any>, dependsOn: unknown[], extra: Record<string, unknown> = {}) => {
			r['service'].containers.push({name: 'init', image: 'web', essential: false, ...extra});
			container(r).dependsOn = dependsOn;
		};
		expect(errorsAfter(r => two(r, [{container: 'init', condition: 'SUCCESS'}]))).toEqual([]);
		expect(errorsAfter(r => two(r, [{container: 'nope'}]))).toEqual([
			'service.containers[0].dependsOn[0].container: "nope" is not a container of this task (web, init)',
		]);
		expect(errorsAfter(r => two(r, [{container: 'web'}]))).toContain('service.containers[0].dependsOn[0].container: a container cannot depend on itself');
		expect(errorsAfter(r => two(r, [{container: 'init', condition: 'HEALTHY'}]))).toEqual([
			'service.containers[0].dependsOn[0].condition: HEALTHY needs a health check on "init"; it has none',
		]);
		expect(errorsAfter(r => two(r, [{container: 'init', condition: 'SUCCESS'}], {essential: true}))).toEqual([
			'service.containers[0].dependsOn[0].condition: SUCCESS needs "init" to be non-essential (it is expected to exit)',
		]);
		expect(errorsAfter(r => two(r, [{container: 'init'}], {dependsOn: [{container: 'web'}]}))).toContain(
			'service.containers[0].dependsOn: containers depend on each other in a loop: web → init → web',
		);
	});

	test('secrets: ARN or parameter name, unique, not also a plain variable', () => {
		const secret = (valueFrom: string) => ({name: 'TOKEN', valueFrom});
		expect(errorsAfter(r => (container(r).secrets = [secret('arn:aws:secretsmanager:eu-west-1:111122223333:secret:token-AbCdEf')]))).toEqual([]);
		expect(errorsAfter(r => (container(r).secrets = [secret('arn:aws:ssm:eu-west-1:111122223333:parameter/app/token')]))).toEqual([]);
		expect(errorsAfter(r => (container(r).secrets = [secret('arn:aws:s3:::bucket/token')]))).toEqual([
			'service.containers[0].secrets[0].valueFrom: must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name',
		]);
		expect(
			errorsAfter(r => {
				container(r).secrets = [secret('/app/token')];
				container(r).environment = {TOKEN: 'x'};
			}),
		).toEqual(['service.containers[0].secrets[0].name: "TOKEN" is also a plain environment variable of this container: keep one']);
	});

	test('environment files are S3 object ARNs ending in .env', () => {
		expect(errorsAfter(r => (container(r).environmentFiles = ['arn:aws:s3:::my-bucket/app.env']))).toEqual([]);
		expect(errorsAfter(r => (container(r).environmentFiles = ['s3://my-bucket/app.env']))).toEqual([
			'service.containers[0].environmentFiles[0]: must be the ARN of an S3 object ending in .env, like arn:aws:s3:::my-bucket/app.env',
		]);
	});

	test('logging: awsfirelens needs a router, auto retention from the CloudWatch list', () => {
		expect(errorsAfter(r => (container(r).logging = {type: 'manual', driver: 'awsfirelens', options: {Name: 'stdout'}}))).toEqual([
			'service.containers[0].logging.driver: awsfirelens needs a log router: give one container a firelens section',
		]);
		expect(errorsAfter(r => (container(r).logging = {type: 'auto', retentionDays: 31}))[0]).toMatch(/^service\.containers\[0\]\.logging\.retentionDays: must be one of 1, 3, 5, 7, 14, 30/);
		expect(errorsAfter(r => (container(r).logging = {type: 'manual', driver: 'awslogs'}))).toEqual([
			'service.containers[0].logging.options: awslogs needs an awslogs-group option (or use type: auto to have the log group created)',
		]);
		expect(errorsAfter(r => (container(r).logging = 'none'))).toEqual([]);
	});

	test('logging: only the log drivers Fargate supports', () => {
		// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_logging
		expect(errorsAfter(r => (container(r).logging = {type: 'manual', driver: 'splunk', options: {'splunk-url': 'https://splunk.example.com'}}))).toEqual([]);
		for (const driver of ['fluentd', 'gelf', 'json-file', 'journald', 'syslog', 'logentries']) {
			expect(errorsAfter(r => (container(r).logging = {type: 'manual', driver}))).toEqual([
				`service.containers[0].logging.driver: must be one of "awslogs", "splunk", "awsfirelens" (the log drivers Fargate supports), got "${driver}"`,
			]);
		}
	});

	test('only one FireLens router', () => {
		expect(
			errorsAfter(r => {
				container(r).firelens = {type: 'fluentbit'};
				r['service'].containers.push({name: 'b', image: 'web', firelens: {type: 'fluentd'}});
			}),
		).toEqual(['service.containers: only one container may be the FireLens log router; found web, b']);
	});
});

describe('service settings', () => {
	test('stack name and family follow AWS naming rules', () => {
		expect(errorsAfter(r => (r['service'].stackName = '#{Project}_#{Environment}'))).toEqual([
			'service.stackName: "shop_dev" is not a valid CloudFormation stack name: start with a letter, then use only letters, digits and hyphens (128 characters at most)',
		]);
		expect(errorsAfter(r => (r['service'].family = 'shop dev'))).toEqual([
			'service.family: "shop dev" is not a valid task definition family: up to 255 letters, digits, hyphens and underscores',
		]);
	});

	test('roles are IAM role ARNs', () => {
		expect(errorsAfter(r => (r['service'].taskRole = 'arn:aws:iam::111122223333:role/app'))).toEqual([]);
		expect(errorsAfter(r => (r['service'].executionRole = 'ecsTaskExecutionRole'))).toEqual([
			'service.executionRole: must be an IAM role ARN like arn:aws:iam::123456789012:role/my-role',
		]);
	});

	test('network: at least one subnet, ids in AWS form, at most five security groups', () => {
		expect(errorsAfter(r => (r['service'].network.subnets = []))).toEqual(['service.network.subnets: needs at least one entry']);
		expect(errorsAfter(r => (r['service'].network.subnets = ['subnet-xyz']))).toEqual(['service.network.subnets[0]: must be a subnet id like subnet-0123456789abcdef0']);
		expect(errorsAfter(r => (r['service'].network.securityGroups = Array.from({length: 6}, (_, i) => `sg-0000000${i}`)))).toEqual([
			'service.network.securityGroups: must have at most 5 entries',
		]);
	});

	test('deployment percentages must let ECS make progress', () => {
		const deployment = (d: Record<string, unknown>) => errorsAfter(r => (r['service'].deployment = d));
		expect(deployment({minimumHealthyPercent: 50, maximumPercent: 100})).toEqual([]);
		expect(deployment({minimumHealthyPercent: 100, maximumPercent: 100})).toEqual([
			'service.deployment.maximumPercent: with minimumHealthyPercent 100, maximumPercent must be above 100, or ECS can neither start a new task nor stop an old one',
		]);
		expect(deployment({minimumHealthyPercent: 80, maximumPercent: 50})).toEqual(['service.deployment.maximumPercent: 50 is below minimumHealthyPercent (80)']);
		expect(deployment({minimumHealthyPercent: 101})).toEqual(['service.deployment.minimumHealthyPercent: must be at most 100']);
	});

	test('circuit breaker defaults on with rollback, and can be turned off', () => {
		const {resolved} = resolveObject({...minimalRecipe(), service: {...minimalRecipe()['service'], deployment: {circuitBreaker: {enabled: false}}}});
		expect(resolved?.service.deployment.circuitBreaker).toEqual({enabled: false, rollback: true});
	});

	test('tags: at most 20, unique keys, allowed characters and lengths, reserved prefixes', () => {
		const tags = (list: unknown[]) => errorsAfter(r => (r['service'].tags = list));
		expect(tags(Array.from({length: 20}, (_, i) => ({key: `k${i}`, value: 'v'})))).toEqual([]);
		expect(tags(Array.from({length: 21}, (_, i) => ({key: `k${i}`, value: 'v'})))).toEqual(['service.tags: has 21 tags; at most 20 are allowed']);
		expect(tags([{key: 'team', value: 'a'}, {key: 'team', value: 'b'}])).toEqual(['service.tags[1].key: "team" is already the key of tags[0]: tag keys must be unique']);
		expect(tags([{key: 'a'.repeat(129), value: 'x'}])).toEqual(['service.tags[0].key: must be at most 128 characters long']);
		expect(tags([{key: 'k', value: 'v'.repeat(257)}])).toEqual(['service.tags[0].value: must be at most 256 characters long']);
		expect(tags([{key: 'cost#center', value: 'x'}])).toEqual(['service.tags[0].key: may use letters, digits, spaces and _ . : / = + - @ only']);
		expect(tags([{key: 'aws:team', value: 'x'}])).toEqual(['service.tags[0].key: the aws: prefix is reserved by AWS']);
		expect(tags([{key: 'ecs-deployer:project', value: 'x'}])).toEqual(['service.tags[0].key: the ecs-deployer: prefix is reserved for the tags this tool adds']);
	});

	test('tag keys are checked for uniqueness after substitution', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Key', value: 'team'}];
		recipe['service'].tags = [{key: '#{Key}', value: 'a'}, {key: 'team', value: 'b'}];
		expect(errorLines(resolveObject(recipe).problems)).toEqual(['service.tags[1].key: "team" is already the key of tags[0]: tag keys must be unique']);
	});

	test('wait option: none, complete, or a timeout in minutes', () => {
		const wait = (value: unknown) => resolveObject({...minimalRecipe(), service: {...minimalRecipe()['service'], wait: value}});
		expect(wait('none').resolved?.service.wait).toEqual({mode: 'none'});
		expect(wait({timeoutMinutes: 15}).resolved?.service.wait).toEqual({mode: 'timeout', timeoutMinutes: 15});
		expect(errorLines(wait({timeoutMinutes: 0}).problems)).toEqual(['service.wait.timeoutMinutes: must be at least 1']);
	});

	test('load balancer mappings must match a container and one of its ports', () => {
		const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/0123456789abcdef';
		const lb = (mapping: Record<string, unknown>) => errorsAfter(r => (r['service'].loadBalancers = [{targetGroupArn: arn, ...mapping}]));
		expect(lb({container: 'web', port: 80})).toEqual([]);
		expect(lb({container: 'api', port: 80})).toEqual(['service.loadBalancers[0].container: "api" is not a container of this task (web)']);
		expect(lb({container: 'web', port: 8080})).toEqual(['service.loadBalancers[0].port: 8080 is not a port of container "web" (its ports: 80)']);
		expect(errorsAfter(r => (r['service'].loadBalancers = [{container: 'web', port: 80, targetGroupArn: 'my-tg'}]))[0]).toMatch(
			/^service\.loadBalancers\[0\]\.targetGroupArn: must be a target group ARN/,
		);
	});

	test('EFS volumes: ids, encryption in transit with IAM or access points, root directory', () => {
		const efs = (volume: Record<string, unknown>) => errorsAfter(r => (r['service'].volumes = [{name: 'data', type: 'efs', fileSystemId: 'fs-0123abcd', ...volume}]));
		expect(efs({transitEncryption: true, iamAuthorization: true, accessPointId: 'fsap-0123456789abcdef0'})).toEqual([]);
		expect(efs({iamAuthorization: true})).toEqual([
			'service.volumes[0].transitEncryption: must be true when iamAuthorization or accessPointId is used (EFS requires encryption in transit for them)',
		]);
		expect(efs({transitEncryption: true, accessPointId: 'fsap-0123456789abcdef0', rootDirectory: '/data'})).toEqual([
			'service.volumes[0].rootDirectory: must be left out (or be /) with an access point: the access point sets the directory',
		]);
		expect(efs({fileSystemId: 'efs-1'})).toEqual(['service.volumes[0].fileSystemId: must be an EFS file system id like fs-0123abcd']);
		expect(errorsAfter(r => (r['service'].volumes = [{name: 'data', type: 'nfs'}]))[0]).toMatch(/^service\.volumes\[0\]\.type: must be one of "bind", "efs"/);
	});

	test('unknown fields are named, with their path', () => {
		expect(errorsAfter(r => (r['service'].desiredcount = 2))).toEqual([
			'service.desiredcount: is not a known field (check the spelling; docs/recipe.md lists every field)',
		]);
	});

	test('all problems are reported at once', () => {
		const errors = errorsAfter(r => {
			Object.assign(r['service'], {cpu: 256, memory: 4096});
			container(r).image = 'nope';
			r['service'].tags = [{key: 'aws:x', value: 'y'}];
		});
		expect(errors).toHaveLength(3);
	});
});

describe('document rules', () => {
	test('variable scopes, channels and image refs must name things that exist', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'X', value: '1', environments: ['qa']}];
		recipe['channels'] = [
			{name: 'beta', versionRange: 'not a range', prereleaseTag: '(', images: ['api'], environments: ['prod']},
			{name: 'beta'},
		];
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'variables[0].environments[0]: "qa" is not one of the recipe\'s environments (dev, staging, production)',
			'channels[0].versionRange: "not a range" is not a semver range (examples: ">=1.2.0 <2.0.0", "^1.4", "1.x")',
			'channels[0].prereleaseTag: "(" is not a pattern this tool can match (RE2 syntax, without look-around or back-references): missing closing ): `(` (examples: "^$" for no pre-release, "^beta")',
			'channels[0].images[0]: "api" is not one of the recipe\'s images (web)',
			'channels[0].environments[0]: "prod" is not one of the recipe\'s environments (dev, staging, production)',
			'channels[1].name: "beta" is declared twice: channel names must be unique',
		]);
	});

	test('pre-release rules that backtrack for ever in JavaScript are matched in linear time (RE2), with the right answers', () => {
		// Each of these took minutes (doubling per character) with a backtracking matcher on the tags below.
		const rules = ['^(a+)+$', '^(a|a)*$', `${'.*'.repeat(24)}x`, '^(a|aa)*$'];
		const recipe = minimalRecipe();
		recipe['channels'] = rules.map((prereleaseTag, i) => ({name: `c${i}`, prereleaseTag}));
		expect(errorLines(resolveObject(recipe).problems)).toEqual([]);
		const hostile = semver.parse(`1.0.0-${'a'.repeat(200)}b`)!;
		const fitting = semver.parse(`1.0.0-${'a'.repeat(200)}`)!;
		for (const prereleaseTag of rules) {
			expect(allowedOnChannel(hostile, {name: 'c', prereleaseTag}, 'web'), prereleaseTag).toBe(false);
			expect(allowedOnChannel(fitting, {name: 'c', prereleaseTag}, 'web'), prereleaseTag).toBe(!prereleaseTag.endsWith('x'));
		}
		expect(allowedOnChannel(semver.parse(`1.0.0-${'a'.repeat(200)}x`)!, {name: 'c', prereleaseTag: rules[2]!}, 'web')).toBe(true);
		expect(allowedOnChannel(semver.parse('1.0.0-beta.1')!, {name: 'beta', prereleaseTag: '^beta'}, 'web')).toBe(true);
		expect(allowedOnChannel(semver.parse('1.0.0')!, {name: 'stable', prereleaseTag: '^$'}, 'web')).toBe(true);
		expect(allowedOnChannel(semver.parse('1.0.0-rc.1')!, {name: 'stable', prereleaseTag: '^$'}, 'web')).toBe(false);
	});

	test('a pre-release rule RE2 cannot run (look-around, back-references) or a long one is refused with the reason, and admits no tag', () => {
		const recipe = minimalRecipe();
		recipe['channels'] = [
			{name: 'a', prereleaseTag: '^(?!rc)'},
			{name: 'b', prereleaseTag: '^(a)\\1$'},
			{name: 'c', prereleaseTag: `^(${'beta|'.repeat(50)}rc)`},
		];
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'channels[0].prereleaseTag: "^(?!rc)" is not a pattern this tool can match (RE2 syntax, without look-around or back-references): invalid or unsupported Perl syntax: `(?!` (examples: "^$" for no pre-release, "^beta")',
			'channels[1].prereleaseTag: "^(a)\\\\1$" is not a pattern this tool can match (RE2 syntax, without look-around or back-references): invalid escape sequence: `\\1` (examples: "^$" for no pre-release, "^beta")',
			expect.stringMatching(/^channels\[2\]\.prereleaseTag: "\^\(beta\|.*" \(255 characters\) is longer than the 200 characters a pre-release rule may have /),
		]);
		expect(allowedOnChannel(semver.parse('1.0.0-beta')!, {name: 'a', prereleaseTag: '^(?!rc)'}, 'web')).toBe(false);
	});

	test('environment names are unique', () => {
		expect(errorsAfter(r => (r['environments'] = ['dev', 'Dev']))).toContain('environments[1].name: "Dev" is already environments[0]: environment names must be unique');
	});

	test('a sensitive value written in the recipe is refused: it is in git already, and would be copied into AWS', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Color', value: 'red'}, {name: 'Db.Password', value: 'abc', sensitive: true}];
		container(recipe).environment = {DB_PASSWORD: '#{Db.Password}'};
		for (const environment of ['dev', 'production']) {
			const {problems, resolved} = resolveObject(recipe, {environment});
			expect(resolved).toBeUndefined();
			expect(errorLines(problems)).toEqual([
				'variables[1].value: Db.Password is sensitive but its value is written in the recipe, where anyone with the repository can read it: remove `value` and give the value when deploying (the app asks for it; a headless deploy reads the ECS_DEPLOYER_SECRET_DB_PASSWORD environment variable), or keep it in Secrets Manager or SSM Parameter Store and use `valueFrom`',
			]);
			// The value itself is never repeated in a message.
			expect(JSON.stringify(problems)).not.toContain('abc');
		}
	});

	test('a sensitive variable without a value (given at deploy time) or with valueFrom still works', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Token', sensitive: true}, {name: 'Db', sensitive: true, valueFrom: '/shop/db'}];
		container(recipe).environment = {TOKEN: '#{Token}', DB: '#{Db}'};
		const {problems, resolved} = resolveObject(recipe);
		expect(problems).toEqual([]);
		expect(resolved?.sensitive).toEqual({Token: {name: 'Token'}, Db: {name: 'Db', valueFrom: '/shop/db'}});
	});

	test('per-environment desiredCount overrides the service', () => {
		expect(resolveObject(minimalRecipe(), {environment: 'production'}).resolved?.service.desiredCount).toBe(3);
		expect(resolveObject(minimalRecipe(), {environment: 'dev'}).resolved?.service.desiredCount).toBe(1);
	});

	test('the service value an environment overrides is still checked, for every environment', () => {
		for (const environment of ['dev', 'production']) {
			expect(errorsAfter(r => (r['service'].desiredCount = {count: 2}), environment)).toEqual(['service.desiredCount: must be a whole number, got a mapping']);
			expect(errorsAfter(r => (r['service'].desiredCount = 20_000), environment)).toEqual(['service.desiredCount: must be at most 10000']);
		}
		// The override itself is checked where it is written.
		expect(errorsAfter(r => (r['environments'][2] = {name: 'production', desiredCount: -1}), 'dev')).toEqual(['environments[2].desiredCount: must be at least 0']);
	});

	test('release image tags must name declared images and be valid tags', () => {
		expect(errorLines(resolveObject(minimalRecipe(), {images: {api: {tag: '1.0.0'}}}).problems)).toEqual([
			'images.api: the release names image "api", which the recipe does not declare (declared: web)',
		]);
		expect(errorLines(resolveObject(minimalRecipe(), {images: {web: {tag: '-bad'}}}).problems)).toEqual([
			'images.web: "-bad" is not a valid image tag: up to 300 letters, digits, _ . and -, not starting with . or -',
		]);
	});
});

describe('variables in the service', () => {
	test('numbers and yes/no fields may come from variables', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Count', value: '4'}, {name: 'Public', value: 'true'}];
		recipe['service'].desiredCount = '#{Count}';
		recipe['service'].network.assignPublicIp = '#{Public}';
		const {resolved} = resolveObject(recipe, {environment: 'staging'});
		expect(resolved?.service.desiredCount).toBe(4);
		expect(resolved?.service.network.assignPublicIp).toBe(true);
	});

	test('a variable problem is reported once, not again by the schema', () => {
		const recipe = minimalRecipe();
		recipe['service'].desiredCount = '#{Count}';
		expect(errorLines(resolveObject(recipe).problems)).toEqual(['service.desiredCount: refers to unknown variable Count']);
	});

	test('sensitive variables: whole values in environment are collected; elsewhere, or a valueFrom one inside other text, are errors', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [
			{name: 'Db', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf'},
			{name: 'Token', sensitive: true},
		];
		container(recipe).environment = {DB: '#{Db}', AUTH: '#{Token}'};
		const ok = resolveObject(recipe);
		expect(ok.problems).toEqual([]);
		expect(ok.resolved?.sensitive).toEqual({Db: {name: 'Db', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf'}, Token: {name: 'Token'}});

		container(recipe).environment = {DB: 'postgres://#{Db}', AUTH: 'Bearer #{Token}'};
		recipe['service'].tags = [{key: 'token', value: '#{Token}'}];
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'service.containers[0].environment.DB: uses sensitive variable Db inside other text, but Db is read from "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf" when the task starts, so nothing can compose it with the text: keep the whole value in that secret, or give Db no valueFrom (its value is then given when deploying and the stack composes the value)',
			'service.tags[0].value: uses sensitive variable Token; sensitive variables may only be used in container environment values and log options, where they stay out of the template',
		]);
	});

	test('a value composed with sensitive literals is allowed in environment values and log options: the stack makes it a secret', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'DbUser', value: 'app'}, {name: 'DbPassword', sensitive: true}, {name: 'Token', sensitive: true}];
		container(recipe).environment = {DSN: 'postgres://#{DbUser}:#{DbPassword}@db/app', AUTH: 'Bearer #{Token}'};
		container(recipe).logging = {type: 'manual', driver: 'splunk', options: {'splunk-url': 'https://splunk.example.com', 'splunk-token': 'token-#{Token}'}};
		const {resolved, problems} = resolveObject(recipe);
		expect(errorLines(problems)).toEqual([]);
		expect(resolved?.sensitive).toEqual({DbPassword: {name: 'DbPassword'}, Token: {name: 'Token'}});
	});

	test('a sensitive variable\'s valueFrom is substituted per environment; an unknown reference, a sensitive one or a result that names no secret are errors', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Db', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/#{Environment}/db-AbCdEf'}];
		container(recipe).environment = {DB: '#{Db}'};
		for (const environment of ['dev', 'production']) {
			expect(resolveObject(recipe, {environment}).resolved?.sensitive['Db']).toEqual({name: 'Db', valueFrom: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/${environment}/db-AbCdEf`});
		}
		recipe['variables'][0].valueFrom = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/#{Stage}/db-AbCdEf';
		expect(errorLines(resolveObject(recipe).problems)).toEqual(['variables[0].valueFrom: refers to unknown variable Stage']);
		recipe['variables'] = [{name: 'Key', sensitive: true}, {name: 'Db', sensitive: true, valueFrom: '/shop/#{Key}'}];
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'variables[1].valueFrom: uses sensitive variable Key: a valueFrom names where a secret is kept, so it may use only plain variables and built-ins',
		]);
		recipe['variables'] = [{name: 'Where', value: 'not a secret'}, {name: 'Db', sensitive: true, valueFrom: '#{Where}'}];
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'variables[1].valueFrom: "not a secret" must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name',
		]);
	});

	test('sensitive variables given at deploy time need names that stay apart in the template and the environment', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'Db.Password', sensitive: true}, {name: 'Db_Password', sensitive: true}, {name: 'Db-Ref', sensitive: true, valueFrom: '/db'}, {name: 'db-ref', sensitive: true, valueFrom: '/db2'}];
		container(recipe).environment = {A: '#{Db.Password}', B: '#{Db_Password}', C: '#{Db-Ref}', D: '#{db-ref}'};
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'variables[1].name: Db_Password and Db.Password would both be given at deploy time as SecretDbPassword: rename one of them',
		]);
		recipe['variables'] = [{name: '_', sensitive: true}];
		container(recipe).environment = {A: '#{_}'};
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'variables[0].name: _ needs a letter or digit in its name: the template names the parameter and secret that carry its value after it',
		]);
	});

	test('image refs that would share a template parameter are refused', () => {
		const recipe = minimalRecipe();
		recipe['images'] = {web: {repository: 'a'}, Web: {repository: 'b'}, 'log-router': {repository: 'c'}, log_router: {repository: 'd'}};
		recipe['service'].containers = ['web', 'Web', 'log-router', 'log_router'].map((image, i) => ({name: `c${i}`, image, essential: i === 0}));
		expect(errorLines(resolveObject(recipe).problems)).toEqual([
			'images.Web: "Web" and "web" would share the template parameter ImageTagWeb: rename one of them',
			'images.log_router: "log_router" and "log-router" would share the template parameter ImageTagLogRouter: rename one of them',
		]);
	});
});
