import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {configurationChanges, configurationFromTaskDefinition, configurationOf, describeChange, masked, variablesFor} from '../../source/domain/configuration.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {repoRoot} from '../helpers/cli.js';

const target = {region: 'eu-west-1', cluster: 'main', accountId: '123456789012'};

async function orders(): Promise<RecipeDocument> {
	return parseRecipe(await readFile(path.join(repoRoot, 'recipes/orders-api.yaml'), 'utf8')).recipe!;
}

function configuration(recipe: RecipeDocument, environment: string, tag: string) {
	const {resolved, problems} = resolveRecipe({recipe, environment, images: {api: {tag, digest: `sha256:${tag.replaceAll('.', '').padEnd(64, '0')}`}}, releaseVersion: tag, target});
	if (!resolved) throw new Error(problems.map(p => p.message).join('; '));
	return configurationOf(resolved, recipe);
}

describe('the configuration of a release, field by field', () => {
	test('images, variables, sizes, desired count, ports and health check: what changed, old and new', async () => {
		const before = await orders();
		const after = structuredClone(before);
		after.variables = after.variables!.map(v => (v.name === 'LogLevel' && v.environments === undefined ? {...v, value: 'trace'} : v));
		const service = after.service as any;
		service.cpu = 1024;
		service.memory = 2048;
		service.desiredCount = 3;
		service.containers[0].ports = [{containerPort: 8080, name: 'http', appProtocol: 'http'}, {containerPort: 9090}];
		service.containers[0].healthCheck.interval = 30;
		const changes = configurationChanges(configuration(before, 'staging', '1.3.0'), configuration(after, 'staging', '1.4.0'));
		expect(changes.map(describeChange)).toEqual([
			expect.stringMatching(/^image api: "1\.3\.0 @sha256:130.*" → "1\.4\.0 @sha256:140.*"$/),
			'variable LogLevel: "debug" → "trace"',
			'task CPU: "512" → "1024"',
			'task memory: "1024 MiB" → "2048 MiB"',
			'desired count: "2" → "3"',
			'api: ports: "8080/tcp (http, http)" → "8080/tcp (http, http), 9090/tcp"',
			'api: health check: "CMD-SHELL curl -fsS http://localhost:8080/health || exit 1; every 15 s, timeout 5 s, 3 retries, start period 30 s" → "CMD-SHELL curl -fsS http://localhost:8080/health || exit 1; every 30 s, timeout 5 s, 3 retries, start period 30 s"',
			'api: APP_VERSION: "1.3.0" → "1.4.0"',
			'api: LOG_LEVEL: "debug" → "trace"',
		]);
	});

	test('an environment\'s own desired count and variables are the ones compared', async () => {
		const recipe = await orders();
		const changes = configurationChanges(configuration(recipe, 'staging', '1.3.0'), configuration(recipe, 'production', '1.3.0'));
		expect(changes.map(c => c.path)).toEqual(expect.arrayContaining(['service.desiredCount', 'variables.LogLevel', 'variables.TargetGroupArn', 'containers.api.environment.APP_ENV']));
		expect(changes.find(c => c.path === 'service.desiredCount')).toMatchObject({before: '2', after: '4'});
	});

	test('sensitive values are never shown: a sensitive variable shows its reference, a secret its name', async () => {
		const recipe = await orders();
		expect(variablesFor(recipe, 'dev')['DatabaseUrl']).toBe(`${masked} (from arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/#{Environment}/database-url-AbCdEf)`);
		const fields = configuration(recipe, 'dev', '1.3.0').fields;
		expect(fields['containers.api.secrets.DATABASE_URL']).toEqual({group: 'secret', label: 'api: secret DATABASE_URL', value: masked});
		// A value composed with a sensitive variable given at deploy time goes to the task as a secret: masked.
		const composed = structuredClone(recipe);
		composed.variables = [...composed.variables!, {name: 'Token', sensitive: true}];
		(composed.service as any).containers[0].environment.TOKEN = 'Bearer #{Token}';
		const withToken = configuration(composed, 'dev', '1.3.0').fields;
		expect(withToken['containers.api.secrets.TOKEN']?.value).toBe(masked);
		expect(withToken['containers.api.environment.TOKEN']).toBeUndefined();
		expect(withToken['variables.Token']?.value).toBe(`${masked} (given at deploy time)`);
	});

	test('against what runs (a task definition) only what a task definition says is compared', async () => {
		const recipe = await orders();
		const release = configuration(recipe, 'dev', '1.3.0');
		const running = configurationFromTaskDefinition(
			{
				cpu: '512',
				memory: '1024',
				containerDefinitions: [
					{
						name: 'api',
						image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.2.0',
						cpu: 512,
						memory: 1024,
						memoryReservation: 768,
						essential: true,
						portMappings: [{containerPort: 8080, hostPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http'} as never],
						environment: [
							{name: 'LOG_LEVEL', value: 'debug'},
							{name: 'APP_ENV', value: 'dev'},
							{name: 'APP_VERSION', value: '1.2.0'},
						],
						secrets: [{name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/dev/database-url-AbCdEf'}],
						healthCheck: {command: ['CMD-SHELL', 'curl -fsS http://localhost:8080/health || exit 1'], interval: 15, timeout: 5, retries: 3, startPeriod: 30},
					},
				],
			},
			recipe.images,
			2,
		);
		expect(configurationChanges(running, release).map(c => [c.path, c.before, c.after])).toEqual([
			['images.api', '1.2.0', expect.stringMatching(/^1\.3\.0 @sha256:/)],
			['containers.api.environment.APP_VERSION', '1.2.0', '1.3.0'],
		]);
	});

	test('an image a task definition names by tag is the same image as the release that pins that tag and its digest', async () => {
		const recipe = await orders();
		const release = configuration(recipe, 'dev', '1.3.0');
		const image = (tag: string) => configurationFromTaskDefinition({containerDefinitions: [{name: 'api', image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:${tag}`}]}, recipe.images);
		expect(configurationChanges(image('1.3.0'), release).filter(c => c.group === 'image')).toEqual([]);
		expect(configurationChanges(image('1.3.1'), release).filter(c => c.group === 'image')).toHaveLength(1);
		const pinned = (digest: string) => configurationFromTaskDefinition({containerDefinitions: [{name: 'api', image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.3.0@${digest}`}]}, recipe.images);
		expect(configurationChanges(pinned(`sha256:${'9'.repeat(64)}`), release).filter(c => c.group === 'image')).toHaveLength(1);
	});
});
