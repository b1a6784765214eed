import {readFileSync} from 'node:fs';
import path from 'node:path';
import {diffLines} from 'diff';
import {describe, expect, test} from 'vitest';
import {
	addDefinition,
	definitionInForce,
	moveVariable,
	openRecipe,
	readForm,
	removeVariable,
	renameReferenced,
	renameVariable,
	renderText,
	setDefinitionValue,
	setVariableSensitive,
	valueAt,
	variableGroups,
	type VariableGroup,
} from '../../../source/domain/recipe/edit.js';
import {prereleaseRuleProblem, versionRangeProblem} from '../../../source/domain/recipe/form-checks.js';
import {parseRecipe} from '../../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../../source/domain/recipe/resolve.js';
import {repoRoot} from '../../helpers/cli.js';

const read = (name: string) => readFileSync(path.join(repoRoot, 'recipes', `${name}.yaml`), 'utf8');

function edit(text: string, change: (document: ReturnType<typeof openRecipe>) => void): string {
	const document = openRecipe(text);
	change(document);
	return renderText(document, text);
}

const group = (text: string, name: string): VariableGroup => variableGroups(readForm(openRecipe(text))).find(g => g.name === name)!;

function changes(before: string, after: string): {removed: string[]; added: string[]} {
	const out = {removed: [] as string[], added: [] as string[]};
	for (const part of diffLines(before, after)) {
		const lines = part.value.split('\n').filter(Boolean);
		if (part.added) out.added.push(...lines);
		else if (part.removed) out.removed.push(...lines);
	}
	return out;
}

/** The error lines of the recipe text in an environment, as the validator reports them. */
function errors(text: string, environment: string): string[] {
	const parsed = parseRecipe(text);
	if (!parsed.recipe) return parsed.problems.map(p => `${p.path}: ${p.message}`);
	const images = Object.fromEntries(Object.keys(parsed.recipe.images).map(ref => [ref, {tag: '1.0.0'}]));
	const {problems} = resolveRecipe({recipe: parsed.recipe, environment, images, releaseVersion: '1.0.0', target: {region: 'eu-west-1', cluster: 'c', accountId: '111122223333'}});
	return problems.filter(p => p.severity === 'error').map(p => `${p.path}: ${p.message}`);
}

/** The value the validator substitutes for `#{name}` in an environment (through a container variable). */
function resolvedValue(text: string, environment: string, key: string): unknown {
	const parsed = parseRecipe(text);
	const images = Object.fromEntries(Object.keys(parsed.recipe!.images).map(ref => [ref, {tag: '1.0.0'}]));
	const {resolved} = resolveRecipe({recipe: parsed.recipe!, environment, images, releaseVersion: '1.0.0', target: {region: 'eu-west-1', cluster: 'c', accountId: '111122223333'}});
	return resolved?.service.containers[0]?.environment[key];
}

describe('variables in the form', () => {
	test("a variable's definitions are one variable; each environment gets the one scoped to it, else the one for all", () => {
		const text = read('orders-api');
		const groups = variableGroups(readForm(openRecipe(text)));
		expect(groups.map(g => [g.name, g.definitions.length, g.sensitive])).toEqual([
			['TargetGroupArn', 3, false],
			['LogLevel', 2, false],
			['DatabaseUrl', 1, true],
		]);
		const logLevel = group(text, 'LogLevel');
		expect(definitionInForce(logLevel, 'production')?.value).toBe('info');
		expect(definitionInForce(logLevel, 'dev')?.value).toBe('debug');
		expect(definitionInForce(group(text, 'TargetGroupArn'), 'qa')).toBeUndefined();
	});

	test("an environment's own variables (environments[].variables) are definitions scoped to it", () => {
		const text = read('orders-api').replace('    desiredCount: 4\n', '    desiredCount: 4\n    variables: {Region: eu-central-1}\n');
		const region = group(text, 'Region');
		expect(region.definitions).toEqual([expect.objectContaining({at: ['environments', 2, 'variables', 'Region'], value: 'eu-central-1', environments: ['production']})]);
		const changed = edit(text, d => setDefinitionValue(d, region, region.definitions[0]!, 'eu-west-3'));
		expect(changes(text, changed)).toEqual({removed: ['    variables: {Region: eu-central-1}'], added: ['    variables: {Region: eu-west-3}']});
	});

	test("a value for one environment is a definition scoped to it, listed after the variable's others", () => {
		const text = read('orders-api');
		const after = edit(text, d => addDefinition(d, group(text, 'LogLevel'), 'staging', 'warn'));
		expect(changes(text, after)).toEqual({removed: [], added: ['  - name: LogLevel', '    value: warn', '    environments: [staging]']});
		expect(after).toMatch(/value: info\n {4}environments: \[production\]\n {2}- name: LogLevel\n {4}value: warn\n/);
		expect(resolvedValue(after, 'staging', 'LOG_LEVEL')).toBe('warn');
		expect(resolvedValue(after, 'dev', 'LOG_LEVEL')).toBe('debug');
	});

	test('emptying an environment value drops it (the environment takes the value for all); the only value becomes empty', () => {
		const text = read('orders-api');
		const logLevel = group(text, 'LogLevel');
		const dropped = edit(text, d => setDefinitionValue(d, logLevel, logLevel.definitions[1]!, undefined));
		expect(changes(text, dropped).removed).toEqual(['  - name: LogLevel', '    value: info', '    environments: [production]']);
		expect(resolvedValue(dropped, 'production', 'LOG_LEVEL')).toBe('debug');
		const only = group(dropped, 'LogLevel');
		const empty = edit(dropped, d => setDefinitionValue(d, only, only.definitions[0]!, undefined));
		expect(changes(dropped, empty)).toEqual({removed: ['    value: debug'], added: ['    value: ""']});
	});

	test('a sensitive variable never gets a value from the form: only where it is kept, or nothing (given when deploying)', () => {
		const text = read('orders-api').replace('  - name: DatabaseUrl\n', '  - {name: Token, sensitive: true, value: hunter2}\n  - name: DatabaseUrl\n');
		expect(errors(text, 'dev')).toContain(
			'variables[5].value: Token is sensitive but its value is written in the recipe, where anyone with the repository can read it: remove `value` and give the value when deploying (the app asks for it; a headless deploy reads the ECS_DEPLOYER_SECRET_TOKEN environment variable), or keep it in Secrets Manager or SSM Parameter Store and use `valueFrom`',
		);
		const token = group(text, 'Token');
		const fromSsm = edit(text, d => setDefinitionValue(d, token, token.definitions[0]!, '/orders/token'));
		expect(fromSsm).not.toContain('hunter2');
		expect(fromSsm).toContain('  - {name: Token, sensitive: true, valueFrom: /orders/token}');
		expect(errors(fromSsm, 'dev')).toEqual([]);
		const atDeploy = edit(text, d => setDefinitionValue(d, token, token.definitions[0]!, undefined));
		expect(atDeploy).toContain('  - {name: Token, sensitive: true}');
		// A new definition of a sensitive variable is sensitive and has no value either.
		const database = group(text, 'DatabaseUrl');
		const scoped = edit(text, d => addDefinition(d, database, 'production', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/prod-db-AbCdEf'));
		expect(changes(text, scoped).added).toEqual(['  - name: DatabaseUrl', '    environments: [production]', '    sensitive: true', '    valueFrom: arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/prod-db-AbCdEf']);
	});

	test("making a variable sensitive takes its values out of the file, the environments' own entries too", () => {
		const text = read('orders-api').replace('    desiredCount: 4\n', '    desiredCount: 4\n    variables: {LogLevel: warn}\n');
		const logLevel = group(text, 'LogLevel');
		let removed = false;
		const after = edit(text, d => (removed = setVariableSensitive(d, logLevel, true)));
		expect(removed).toBe(true);
		for (const value of ['debug', 'info', 'warn']) expect(after).not.toMatch(new RegExp(`: ${value}\\b`));
		expect(group(after, 'LogLevel').definitions.map(d => [d.at, d.sensitive, d.value, d.environments])).toEqual([
			[['variables', 3], true, undefined, undefined],
			[['variables', 4], true, undefined, ['production']],
			[['variables', 5], true, undefined, ['production']],
		]);
		const back = edit(after, d => setVariableSensitive(d, group(after, 'LogLevel'), false));
		expect(back).not.toMatch(/sensitive: true\n\s+environments: \[production\]/);
		expect(errors(back, 'dev')).toContain('variables[3].value: LogLevel needs a value');
	});

	test('renaming a variable renames its definitions and its references (not the escaped ##{…}); quoting stays', () => {
		const text = read('orders-api').replace('        APP_ENV: "#{Environment}"\n', '        APP_ENV: "#{Environment}"\n        LEVEL_TEXT: "##{LogLevel} is #{ LogLevel }"\n');
		const after = edit(text, d => renameVariable(d, group(text, 'LogLevel'), 'Verbosity'));
		expect(changes(text, after)).toEqual({
			removed: ['  - name: LogLevel', '  - name: LogLevel', '        LOG_LEVEL: "#{LogLevel}"', '        LEVEL_TEXT: "##{LogLevel} is #{ LogLevel }"'],
			added: ['  - name: Verbosity', '  - name: Verbosity', '        LOG_LEVEL: "#{Verbosity}"', '        LEVEL_TEXT: "##{LogLevel} is #{ Verbosity }"'],
		});
		expect(errors(after, 'production')).toEqual([]);
	});

	test('a variable moves as a whole, its definitions together', () => {
		const text = read('orders-api');
		const after = edit(text, d => expect(moveVariable(d, 'DatabaseUrl', -1)).toBe(true));
		expect(variableGroups(readForm(openRecipe(after))).map(g => g.name)).toEqual(['TargetGroupArn', 'DatabaseUrl', 'LogLevel']);
		expect(after.split('\n').sort()).toEqual(text.split('\n').sort());
		expect(edit(text, d => expect(moveVariable(d, 'TargetGroupArn', -1)).toBe(false))).toBe(text);
	});

	test('removing a variable removes every definition; the fields that use it then refer to an unknown variable', () => {
		const text = read('orders-api');
		const after = edit(text, d => removeVariable(d, group(text, 'TargetGroupArn')));
		expect(after).not.toContain('TargetGroupArn\n');
		expect(readForm(openRecipe(after)).variables.map(v => v.name)).toEqual(['LogLevel', 'LogLevel', 'DatabaseUrl']);
		expect(errors(after, 'dev')).toEqual(['service.loadBalancers[0].targetGroupArn: refers to unknown variable TargetGroupArn']);
	});

	test('renaming an environment renames it in the scopes of variables and channels', () => {
		const text = read('orders-api').replace('\nservice:\n', '\nchannels:\n  - {name: stable, environments: [staging, production]}\n\nservice:\n');
		const after = edit(text, d => {
			d.setIn(['environments', 1, 'name'], 'qa');
			renameReferenced(d, 'environment', 'staging', 'qa');
		});
		expect(valueAt(openRecipe(after), ['variables', 1, 'environments'])).toEqual(['qa']);
		expect(valueAt(openRecipe(after), ['channels', 0, 'environments'])).toEqual(['qa', 'production']);
		expect(errors(after, 'qa')).toEqual([]);
	});
});

describe('channel rules checked as typed', () => {
	test('the version range is an npm semver range; the pre-release rule an RE2 pattern', () => {
		expect(versionRangeProblem('>=1.2.0 <2')).toBeUndefined();
		expect(versionRangeProblem('^1.4')).toBeUndefined();
		expect(versionRangeProblem('one point four')).toBe('is not an npm semver range (examples: >=1.2.0 <2, ^1.4, 1.x)');
		expect(prereleaseRuleProblem('^$')).toBeUndefined();
		expect(prereleaseRuleProblem('^(beta|rc)')).toBeUndefined();
		expect(prereleaseRuleProblem('^(?!beta)')).toMatch(/^is not a pattern this tool can match \(RE2 syntax, without look-around or back-references\)/);
		expect(prereleaseRuleProblem('x'.repeat(201))).toMatch(/^is longer than the 200 characters/);
	});
});
