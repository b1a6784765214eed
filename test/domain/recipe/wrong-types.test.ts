import {describe, expect, test} from 'vitest';
import {formatPath} from '../../../source/domain/problems.js';
import {minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/*
 * A field that is present with a value of the wrong type must be reported as such: what was found and what is
 * allowed. "is required" is only for a field that is missing.
 */

type Kind = 'whole number' | 'text' | 'yes/no' | 'list' | 'mapping' | 'choice' | 'text or mapping' | 'text or list' | 'number or mapping';

/** What each kind must not accept, as YAML would give it. */
const wrongValues: Record<Kind, unknown[]> = {
	'whole number': [3.5, 'many', [1], {a: 1}, null],
	text: [[1], {a: 1}, null],
	'yes/no': ['maybe', 5, [1], {a: 1}, null],
	list: [{a: 1}, 5, 'text', null],
	mapping: [[1], 5, 'text', null],
	choice: [7777, [1], {a: 1}, null],
	'text or mapping': [5, [1], null],
	'text or list': [5, {a: 1}, null],
	'number or mapping': [[1], true, null],
};

type Segment = string | number;

/** Fields of every part of a recipe, with what they hold; `prepare` adds what the field needs around it. */
const fields: Array<{path: Segment[]; kind: Kind; prepare?: (recipe: Record<string, any>) => void}> = [
	{path: ['name'], kind: 'text'},
	{path: ['description'], kind: 'text'},
	{path: ['environments'], kind: 'list'},
	{path: ['environments', 2, 'desiredCount'], kind: 'whole number'},
	{path: ['environments', 2, 'variables'], kind: 'mapping'},
	{path: ['images'], kind: 'mapping'},
	{path: ['images', 'web'], kind: 'mapping'},
	{path: ['images', 'web', 'repository'], kind: 'text'},
	{path: ['variables'], kind: 'list'},
	{path: ['variables', 0], kind: 'mapping'},
	{path: ['variables', 0, 'sensitive'], kind: 'yes/no', prepare: r => (r['variables'] = [{name: 'A', value: 'x'}])},
	{path: ['variables', 0, 'environments'], kind: 'list', prepare: r => (r['variables'] = [{name: 'A', value: 'x'}])},
	{path: ['variables', 0, 'value'], kind: 'text', prepare: r => (r['variables'] = [{name: 'A'}])},
	{path: ['channels', 0, 'default'], kind: 'yes/no', prepare: r => (r['channels'] = [{name: 'stable'}])},
	{path: ['service'], kind: 'mapping'},
	{path: ['service', 'cpu'], kind: 'whole number'},
	{path: ['service', 'memory'], kind: 'whole number'},
	{path: ['service', 'desiredCount'], kind: 'whole number'},
	{path: ['service', 'stackName'], kind: 'text'},
	{path: ['service', 'family'], kind: 'text'},
	{path: ['service', 'serviceName'], kind: 'text'},
	{path: ['service', 'taskRole'], kind: 'text'},
	{path: ['service', 'cpuArchitecture'], kind: 'choice'},
	{path: ['service', 'network'], kind: 'mapping'},
	{path: ['service', 'network', 'subnets'], kind: 'list'},
	{path: ['service', 'network', 'subnets', 0], kind: 'text'},
	{path: ['service', 'network', 'assignPublicIp'], kind: 'yes/no'},
	{path: ['service', 'deployment'], kind: 'mapping'},
	{path: ['service', 'deployment', 'minimumHealthyPercent'], kind: 'whole number'},
	{path: ['service', 'deployment', 'circuitBreaker'], kind: 'mapping'},
	{path: ['service', 'deployment', 'circuitBreaker', 'rollback'], kind: 'yes/no'},
	{path: ['service', 'deployment', 'healthCheckGracePeriodSeconds'], kind: 'whole number'},
	{path: ['service', 'managedTags'], kind: 'yes/no'},
	{path: ['service', 'propagateTags'], kind: 'choice'},
	{path: ['service', 'tags'], kind: 'list'},
	{path: ['service', 'tags', 0], kind: 'mapping'},
	{path: ['service', 'tags', 0, 'key'], kind: 'text'},
	{path: ['service', 'wait'], kind: 'text or mapping'},
	{path: ['service', 'wait', 'timeoutMinutes'], kind: 'whole number'},
	{path: ['service', 'loadBalancers'], kind: 'list'},
	{path: ['service', 'loadBalancers', 0, 'port'], kind: 'whole number'},
	{path: ['service', 'volumes', 0], kind: 'mapping'},
	{path: ['service', 'containers'], kind: 'list'},
	{path: ['service', 'containers', 0], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'name'], kind: 'text'},
	{path: ['service', 'containers', 0, 'image'], kind: 'text'},
	{path: ['service', 'containers', 0, 'essential'], kind: 'yes/no'},
	{path: ['service', 'containers', 0, 'cpu'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'memory'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'memoryReservation'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'ports'], kind: 'list'},
	{path: ['service', 'containers', 0, 'ports', 0], kind: 'number or mapping'},
	{path: ['service', 'containers', 0, 'ports', 0, 'containerPort'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'ports', 0, 'protocol'], kind: 'choice', prepare: r => (r['service'].containers[0].ports = [{containerPort: 80}])},
	{path: ['service', 'containers', 0, 'healthCheck'], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'healthCheck', 'command'], kind: 'text or list'},
	{path: ['service', 'containers', 0, 'healthCheck', 'interval'], kind: 'whole number', prepare: r => (r['service'].containers[0].healthCheck = {command: 'true'})},
	{path: ['service', 'containers', 0, 'healthCheck', 'startPeriod'], kind: 'whole number', prepare: r => (r['service'].containers[0].healthCheck = {command: 'true'})},
	{path: ['service', 'containers', 0, 'entryPoint'], kind: 'list'},
	{path: ['service', 'containers', 0, 'command', 0], kind: 'text'},
	{path: ['service', 'containers', 0, 'environment'], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'environment', 'A'], kind: 'text'},
	{path: ['service', 'containers', 0, 'secrets', 0], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'mountPoints', 0, 'readOnly'], kind: 'yes/no'},
	{path: ['service', 'containers', 0, 'dependsOn', 0, 'condition'], kind: 'choice'},
	{path: ['service', 'containers', 0, 'logging'], kind: 'text or mapping'},
	{path: ['service', 'containers', 0, 'logging', 'retentionDays'], kind: 'choice', prepare: r => (r['service'].containers[0].logging = {type: 'auto'})},
	{path: ['service', 'containers', 0, 'firelens'], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'user'], kind: 'text'},
	{path: ['service', 'containers', 0, 'readonlyRootFilesystem'], kind: 'yes/no'},
	{path: ['service', 'containers', 0, 'startTimeout'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'stopTimeout'], kind: 'whole number'},
	{path: ['service', 'containers', 0, 'ulimits'], kind: 'list'},
	{path: ['service', 'containers', 0, 'ulimits', 0, 'softLimit'], kind: 'whole number', prepare: r => (r['service'].containers[0].ulimits = [{name: 'nofile', hardLimit: 10}])},
	{path: ['service', 'containers', 0, 'dockerLabels'], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'volumesFrom', 0, 'readOnly'], kind: 'yes/no', prepare: r => (r['service'].containers[0].volumesFrom = [{container: 'web'}])},
	{path: ['service', 'containers', 0, 'linuxParameters'], kind: 'mapping'},
	{path: ['service', 'containers', 0, 'linuxParameters', 'capabilities', 'add'], kind: 'list'},
	{path: ['service', 'containers', 0, 'systemControls', 0], kind: 'mapping'},
	{path: ['service', 'ephemeralStorage'], kind: 'whole number'},
	{path: ['service', 'runtimePlatform'], kind: 'mapping'},
	{path: ['service', 'runtimePlatform', 'cpuArchitecture'], kind: 'choice'},
	{path: ['service', 'platformVersion'], kind: 'text'},
	{path: ['service', 'capacityProviderStrategy'], kind: 'list'},
	{path: ['service', 'capacityProviderStrategy', 0, 'weight'], kind: 'whole number', prepare: r => (r['service'].capacityProviderStrategy = [{capacityProvider: 'FARGATE'}])},
	{path: ['service', 'enableExecuteCommand'], kind: 'yes/no'},
	{path: ['service', 'availabilityZoneRebalancing'], kind: 'yes/no'},
	{path: ['service', 'deployment', 'alarms'], kind: 'mapping'},
	{path: ['service', 'deployment', 'alarms', 'rollback'], kind: 'yes/no', prepare: r => (r['service'].deployment = {alarms: {names: ['a']}})},
	{path: ['service', 'serviceTags'], kind: 'list'},
	{path: ['service', 'deployment', 'strategy'], kind: 'choice'},
	{path: ['service', 'deployment', 'bakeTimeMinutes'], kind: 'whole number'},
	{path: ['service', 'deployment', 'canary'], kind: 'mapping'},
	{path: ['service', 'deployment', 'approval'], kind: 'mapping'},
	{path: ['service', 'deployment', 'approval', 'stage'], kind: 'choice'},
	{path: ['service', 'deployment', 'approval', 'timeoutMinutes'], kind: 'whole number'},
	{path: ['environments', 0, 'deployment'], kind: 'mapping', prepare: r => (r['environments'][0] = {name: 'dev'})},
	{path: ['environments', 0, 'deployment', 'strategy'], kind: 'choice', prepare: r => (r['environments'][0] = {name: 'dev'})},
];

/** Sets a value deep in a recipe, creating the lists and mappings on the way. */
function set(recipe: Record<string, any>, path: Segment[], value: unknown): void {
	let node: any = recipe;
	path.slice(0, -1).forEach((segment, i) => {
		if (node[segment] === undefined || node[segment] === null || typeof node[segment] !== 'object') node[segment] = typeof path[i + 1] === 'number' ? [] : {};
		node = node[segment];
	});
	node[path.at(-1)!] = value;
}

/** How a message names the value found: 3.5, "many", a list, a mapping, an empty value. */
function found(value: unknown): string {
	if (value === null) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const cases = fields.flatMap(field => wrongValues[field.kind].map(value => ({...field, value, where: formatPath(field.path)})));

describe('a present field of the wrong type says what was found, never "is required"', () => {
	test('the table covers many fields and every kind of wrong value', () => {
		expect(cases.length).toBeGreaterThan(250);
	});

	test.each(cases)('$where = $value', ({path, value, prepare, where}) => {
		const recipe = minimalRecipe();
		prepare?.(recipe);
		set(recipe, path, value);
		const {problems} = resolveObject(recipe);
		const problem = problems.find(p => p.path === where);
		expect(problem, `no problem at ${where}; got ${JSON.stringify(problems)}`).toBeDefined();
		expect(problem!.severity).toBe('error');
		expect(problem!.message).not.toMatch(/is required/);
		expect(problem!.message).toContain(`got ${found(value)}`);
		expect(problems.every(p => !/is required/.test(p.message) || p.path !== where)).toBe(true);
	});
});

describe('the messages say what is allowed', () => {
	const message = (change: (recipe: Record<string, any>) => void, where: string) => {
		const recipe = minimalRecipe();
		change(recipe);
		return resolveObject(recipe).problems.find(p => p.path === where)?.message;
	};

	test('a fraction where seconds are counted', () => {
		expect(message(r => (r['service'].containers[0].healthCheck = {command: 'true', startPeriod: 3.5}), 'service.containers[0].healthCheck.startPeriod')).toBe(
			'must be a whole number of seconds, got 3.5',
		);
	});

	test('a list where text belongs', () => {
		expect(message(r => (r['service'].containers[0].name = ['web']), 'service.containers[0].name')).toBe('must be text, got a list');
	});

	test('a word where yes/no belongs', () => {
		expect(message(r => (r['service'].containers[0].essential = 'maybe'), 'service.containers[0].essential')).toBe('must be yes/no (true or false), got "maybe"');
	});

	test('a field that may be written two ways names both', () => {
		expect(message(r => (r['service'].wait = 5), 'service.wait')).toBe('must be none, complete, or a mapping with timeoutMinutes, got 5');
		expect(message(r => (r['service'].containers[0].ports = [[80]]), 'service.containers[0].ports[0]')).toBe(
			'must be a port number or a mapping with containerPort, got a list',
		);
	});

	test('a choice names the choices and what was found', () => {
		expect(message(r => (r['service'].cpuArchitecture = 'x86'), 'service.cpuArchitecture')).toBe('must be one of "X86_64", "ARM64", got "x86"');
	});

	test('a missing field is still "is required"', () => {
		expect(message(r => delete r['service'].cpu, 'service.cpu')).toBe('is required');
	});
});
