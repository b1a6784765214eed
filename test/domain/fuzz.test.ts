import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import semver from 'semver';
import {exitCodes} from '../../source/exit-codes.js';
import {allowedOnChannel} from '../../source/domain/image-tags.js';
import type {Problem} from '../../source/domain/problems.js';
import {parseRecipe, withLines} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {buildTemplate} from '../../source/domain/template/build.js';
import {validateCommand} from '../../source/headless/commands/validate.js';
import {createOutput} from '../../source/headless/output.js';
import {harness} from '../helpers/engine.js';
import {generate, numberLikeCases, type Case} from './fuzz-recipes.js';
import type {ResolvedRecipe} from '../../source/domain/recipe/resolved.js';

/*
 * Hostile and mangled recipes, made from the examples in recipes/ by a seeded generator: the same seed gives
 * the same cases on every run, and a failure names the seed, the case and its input.
 */

const seed = 0x5eed_1e55;
const caseCount = 400;

const cases = generate(seed, caseCount);

/** What a failure shows: the seed, the case, the mutations and the input (shortened when huge). */
function describeCase(c: Case): string {
	const text = c.text.length > 3000 ? `${c.text.slice(0, 3000)}\n… (${c.text.length} characters)` : c.text;
	return `seed ${seed.toString(16)}, case ${c.index} (${c.mutations.join(', ') || 'no change'}):\n${text}`;
}

/** Pre-release parts a backtracking matcher takes minutes to reject with the hostile rules (RE2 answers at once). */
const hostileVersions = ['1.0.0-' + 'a'.repeat(200) + 'b', '1.0.0-' + 'a'.repeat(120), '1.0.0-beta.1', '1.0.0'].map(v => semver.parse(v)!);

function check(text: string): {problems: Problem[]; resolved: boolean; value?: ResolvedRecipe} {
	const parsed = parseRecipe(text);
	if (!parsed.recipe) return {problems: parsed.problems, resolved: false};
	const result = resolveRecipe({recipe: parsed.recipe, environment: 'dev', images: Object.fromEntries(Object.keys(parsed.recipe.images).map(ref => [ref, {tag: '1.0.0'}])), releaseVersion: '1.0.0', target: {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'}});
	// A recipe that validates must also build: validation is what stands between a recipe and the template.
	if (result.resolved) buildTemplate(result.resolved);
	// Every channel rule is run on tags made to hang a backtracking matcher: this returns, whatever the rule.
	for (const channel of parsed.recipe.channels ?? []) for (const version of hostileVersions) allowedOnChannel(version, channel, 'web');
	return {problems: withLines(result.problems, parsed.lineOf), resolved: result.resolved !== undefined, ...(result.resolved ? {value: result.resolved} : {})};
}

const stackTrace = /\n\s+at /;
// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001f\u007f-\u009f]/;

/** Each case's outcome, or what it threw; computed once for the tests below. */
const outcomes = new Map<Case, ReturnType<typeof check> | {threw: unknown}>();
const outcome = (c: Case) => {
	let found = outcomes.get(c);
	if (found === undefined) {
		try {
			found = check(c.text);
		} catch (cause) {
			found = {threw: cause};
		}
		outcomes.set(c, found);
	}
	return found;
};

describe(`fuzz (seed ${seed.toString(16)}, ${caseCount} recipes)`, () => {
	test('every recipe is checked without throwing, and its problems are clear and printable', () => {
		for (const c of cases) {
			const result = outcome(c);
			if ('threw' in result) throw new Error(`threw ${(result.threw as Error).stack}\nfor ${describeCase(c)}`);
			const errors = result.problems.filter(p => p.severity === 'error');
			if (c.invalid) expect(errors.length, `no error for ${describeCase(c)}`).toBeGreaterThan(0);
			expect(errors.length === 0, `errors and a resolved recipe disagree for ${describeCase(c)}`).toBe(result.resolved);
			for (const problem of result.problems) {
				const where = `problem ${JSON.stringify(problem)} for ${describeCase(c)}`;
				expect(problem.path, where).toMatch(/^\S/);
				expect(problem.message, where).not.toBe('');
				expect(problem.message, where).not.toMatch(stackTrace);
				expect(`${problem.path}: ${problem.message}`, where).not.toMatch(control);
				expect(problem.message.length, where).toBeLessThan(2000);
				if (problem.line !== undefined) expect(problem.line, where).toBeGreaterThan(0);
			}
		}
	});

	test('number-like text typed in an environment value comes out exactly as typed', () => {
		const typed = [...numberLikeCases(), ...cases.filter(c => c.mutations.includes('a number-like text in an environment value')).map(c => ({text: c.text, raw: /^\s*FUZZ_NUMBER: (.*)$/m.exec(c.text)?.[1]}))];
		let checked = 0;
		for (const {text, raw} of typed) {
			const result = check(text);
			if (!result.value || raw === undefined) continue;
			expect(result.value.service.containers[0]!.environment['FUZZ_NUMBER'], text).toBe(raw);
			checked++;
		}
		expect(checked).toBeGreaterThanOrEqual(numberLikeCases().length);
	});

	test('the generator makes many invalid recipes and some valid ones', () => {
		expect(cases.filter(c => c.invalid).length).toBeGreaterThan(caseCount / 4);
		expect(cases.filter(c => {
			const result = outcome(c);
			return !('threw' in result) && result.resolved;
		}).length).toBeGreaterThan(0);
	});

	describe('through the validate command', () => {
		let folder: string;
		beforeAll(async () => {
			folder = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-fuzz-'));
		});
		afterAll(async () => {
			await rm(folder, {recursive: true, force: true});
		});

		test('every invalid recipe exits with 2 naming a field path, and prints no stack trace', async () => {
			const {engine} = await harness();
			const invalid = cases.filter(c => c.invalid);
			expect(invalid.length).toBeGreaterThan(caseCount / 4);
			for (const [i, c] of invalid.entries()) {
				const file = path.join(folder, `case-${c.index}.yaml`);
				await writeFile(file, c.text);
				let stdout = '';
				let stderr = '';
				const output = createOutput({stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}, env: {}});
				const code = await validateCommand({recipe: file, env: 'dev', json: i % 2 === 1}, engine, output);
				expect(code, `exit code for ${describeCase(c)}\n${stdout}${stderr}`).toBe(exitCodes.badInput);
				expect(stdout + stderr, describeCase(c)).not.toMatch(stackTrace);
				if (i % 2 === 0) {
					expect(stdout.replaceAll('\n', ' '), describeCase(c)).not.toMatch(control);
					expect(stdout, describeCase(c)).toMatch(/^ {2}error {3}[^\s:]+( \(line \d+\))?: \S/m);
				} else {
					const result = JSON.parse(stdout) as {valid: boolean; problems: Array<{path: string; severity: string}>};
					expect(result, describeCase(c)).toMatchObject({valid: false});
					expect(result.problems.some(p => p.severity === 'error' && /^\S+$/.test(p.path)), describeCase(c)).toBe(true);
				}
			}
		});
	});
});
