import {performance} from 'node:perf_hooks';
import {describe, expect, test} from 'vitest';
import {parseRecipe, withLines} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import type {Problem} from '../../source/domain/problems.js';
import {substitutionLimits} from '../../source/domain/variables.js';

/*
 * Hostile recipes: small files that expand to huge values, nest without end, or refer to themselves.
 * Each must come back as ordinary problems naming the field, quickly, and never as a crash.
 */

/** A recipe whose container environment and variables are given as YAML lines. */
function recipeText(variables: string, environment: string): string {
	return [
		'name: shop',
		'environments: [dev, production]',
		'images: {web: {repository: shop-web}}',
		'variables:',
		variables,
		'service:',
		'  cpu: 256',
		'  memory: 512',
		'  network: {subnets: [subnet-0a1b2c3d4e5f60718]}',
		'  containers:',
		'    - name: web',
		'      image: web',
		'      environment:',
		environment,
	].join('\n');
}

/** `L0` is `seed`; every next level is ten references to the one before. */
function levels(count: number, seed: string): string {
	const lines = [`  - {name: L0, value: "${seed}"}`];
	for (let i = 1; i < count; i++) lines.push(`  - {name: L${i}, value: "${`#{L${i - 1}}`.repeat(10)}"}`);
	return lines.join('\n');
}

function check(text: string, environment = 'dev'): Problem[] {
	const parsed = parseRecipe(text);
	if (!parsed.recipe) return parsed.problems;
	return withLines(resolveRecipe({recipe: parsed.recipe, environment}).problems, parsed.lineOf);
}

const errors = (problems: readonly Problem[]) => problems.filter(p => p.severity === 'error');

describe('variable expansion is bounded', () => {
	test('a 1 KB recipe that would expand to 10 GB fails at the field, naming the chain, without building the string', () => {
		const text = recipeText(levels(10, '0123456789'), '        X: "#{L9}"');
		expect(text.length).toBeLessThan(2048);
		const start = performance.now();
		const problems = check(text);
		expect(performance.now() - start).toBeLessThan(2000);
		expect(errors(problems)).toEqual([
			expect.objectContaining({
				path: 'service.containers[0].environment.X',
				message: 'expands to more than 65,536 characters through L9 → L8 → L7 → L6 → L5 → L4 → L3: a field may hold at most 65,536 characters after substitution',
			}),
		]);
	});

	test('a bomb that stays under the old crash point (30 MB) is no longer valid', () => {
		const problems = check(recipeText(levels(8, 'abc'), '        X: "#{L7}"'));
		expect(errors(problems).map(p => p.path)).toEqual(['service.containers[0].environment.X']);
		expect(errors(problems)[0]?.message).toMatch(/^expands to more than 65,536 characters through L7 → L6 → L5 → L4:/);
	});

	test('a value just under the field limit is fine; one character more is not', () => {
		const limit = substitutionLimits.fieldLength;
		const ok = check(recipeText(`  - {name: A, value: "${'a'.repeat(limit - 1)}"}`, '        X: "#{A}b"'));
		// The field is fine; the template it makes is over CloudFormation's 51,200 bytes.
		expect(errors(ok).map(p => p.path)).toEqual(['service']);
		const over = check(recipeText(`  - {name: A, value: "${'a'.repeat(limit)}"}`, '        X: "#{A}b"'));
		expect(errors(over).map(p => `${p.path}: ${p.message}`)).toEqual([
			'service.containers[0].environment.X: expands to more than 65,536 characters through A: a field may hold at most 65,536 characters after substitution',
		]);
	});

	test('a literal field longer than the limit is refused too', () => {
		const problems = check(recipeText('  []', `        X: "${'x'.repeat(substitutionLimits.fieldLength + 1)}"`));
		expect(errors(problems).map(p => `${p.path}: ${p.message}`)).toEqual([
			'service.containers[0].environment.X: is 65,537 characters long: a field may hold at most 65,536 characters',
		]);
	});

	test('many fields under the field limit are stopped by the limit on the whole service section', () => {
		// L4 is 50,000 characters; 100 fields of it come to 5,000,000, above the 4 MiB limit for the whole section.
		const fields = Array.from({length: 100}, (_, i) => `        X${i}: "#{L4}"`).join('\n');
		const problems = errors(check(recipeText(levels(5, '12345'), fields)));
		expect(problems).toHaveLength(1);
		expect(problems[0]?.path).toMatch(/^service\.containers\[0\]\.environment\.X\d+$/);
		expect(problems[0]?.message).toBe(
			'brings the service section past 4,194,304 characters after substitution, the most a recipe may expand to: use fewer or shorter variable values',
		);
	});
});

describe('nesting is bounded', () => {
	test('a chain of 3,000 variables is a problem naming the field and the chain, not a stack overflow', () => {
		const variables = Array.from({length: 3000}, (_, i) => `  - {name: V${i}, value: "#{V${i + 1}}"}`).join('\n');
		const problems = check(recipeText(`${variables}\n  - {name: V3000, value: end}`, '        X: "#{V0}"'));
		expect(errors(problems)).toEqual([
			expect.objectContaining({
				path: 'service.containers[0].environment.X',
				message: expect.stringMatching(/^nests variables more than 64 levels deep: V0 → V1 → V2 → .* → V63 → V64 \(at most 64 levels are allowed\)$/),
			}),
		]);
	});

	test('64 levels are fine', () => {
		const variables = Array.from({length: 63}, (_, i) => `  - {name: V${i}, value: "#{V${i + 1}}"}`).join('\n');
		const problems = check(recipeText(`${variables}\n  - {name: V63, value: end}`, '        X: "#{V0}"'));
		expect(errors(problems)).toEqual([]);
	});

	test('a YAML alias inside the node it names is a problem at that line, not a stack overflow', () => {
		const text = 'name: shop\nenvironments: [dev]\nimages: {web: {repository: a}}\nservice: &s\n  cpu: 256\n  self: *s\n';
		expect(parseRecipe(text).problems).toEqual([
			{
				path: 'service.self',
				message: 'is the alias *s of the mapping that contains it (anchor &s): it would repeat forever; copy the values instead',
				severity: 'error',
				line: 6,
			},
		]);
	});

	test('an alias to an anchor that is not defined before it is a problem, not a crash', () => {
		const problems = parseRecipe('name: shop\nenvironments: [dev]\nimages: {}\nservice: {cpu: *size}\n').problems;
		expect(problems).toEqual([
			{path: 'service.cpu', message: 'refers to anchor &size, which is not defined before it: define the anchor (&size) first', severity: 'error', line: 4},
		]);
	});

	test('aliases that multiply (a "billion laughs") are a problem, not a crash', () => {
		let text = 'name: shop\nenvironments: [dev]\nimages: {}\nservice:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
		for (let i = 1; i < 10; i++) text += `  a${i}: &a${i} [${Array.from({length: 10}, () => `*a${i - 1}`).join(', ')}]\n`;
		const problems = parseRecipe(text).problems;
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({path: 'recipe', severity: 'error'});
		expect(problems[0]?.message).toMatch(/^uses YAML aliases \(\*name\) that expand to too much/);
	});

	test('a document nested deeper than a recipe ever needs is a problem naming the field', () => {
		const text = `name: shop\nenvironments: [dev]\nimages: {}\nservice:\n  deep: ${'['.repeat(40)}${']'.repeat(40)}\n`;
		const problems = parseRecipe(text).problems;
		expect(problems).toEqual([
			expect.objectContaining({path: `service.deep${'[0]'.repeat(31)}`, severity: 'error', line: 5}),
		]);
		expect(problems[0]?.message).toBe('nests more than 32 levels deep; a recipe needs far fewer');
	});

	test('text nested far deeper than a recipe may be is refused before the YAML reader builds it, with the line', () => {
		// Each was read into yaml's syntax tree first: 600 KB of `[` took 400 MB, 2 MB 1.1 GB, 10 MB exhausted the heap.
		const wide = 1000 * 1000;
		const cases = [
			{text: `name: shop\nservice:\n  deep: ${'['.repeat(wide / 2)}${']'.repeat(wide / 2)}\n`, line: 3},
			{text: `name: shop\nservice:\n  deep: ${'{a: '.repeat(wide / 8)}${'}'.repeat(wide / 8)}\n`, line: 3},
			{text: `name: shop\nservice:\n  deep:\n    ${'- '.repeat(wide / 2)}x\n`, line: 4},
			{text: `name: shop\nservice:\n${Array.from({length: 100}, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`, line: 66},
		];
		for (const {text, line} of cases) {
			expect(text.length).toBeLessThan(1024 * 1024);
			const problems = parseRecipe(text).problems;
			expect(problems).toEqual([{path: 'recipe', severity: 'error', line, message: 'nests more than 64 levels deep (at line ' + line + '); a recipe may nest at most 32 levels and needs about six'}]);
		}
	});

	test('the flat depth scan lets real recipes through: block scalars, quoted brackets and comments are no nesting', () => {
		const text = [
			'name: shop # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
			'environments: [dev]',
			'images: {web: {repository: shop-web}}',
			'description: |',
			`  ${'[{'.repeat(100)}`,
			`  ${'- '.repeat(100)}`,
			'service:',
			'  cpu: 256',
			'  memory: 512',
			'  network: {subnets: [subnet-0a1b2c3d4e5f60718]}',
			'  containers:',
			'    - name: web',
			'      image: web',
			`      command: ["${'['.repeat(100)}", '${'{'.repeat(100)}']`,
			'      environment:',
			'        A: |',
			`          ${'- a: '.repeat(100)}`,
			'        B: x',
		].join('\n');
		expect(parseRecipe(text).problems).toEqual([]);
	});

	test('a recipe over 1 MiB is refused before it is parsed, naming the limit', () => {
		const text = `name: shop\ndescription: "${'x'.repeat(1024 * 1024)}"\n`;
		expect(parseRecipe(text).problems).toEqual([{path: 'recipe', severity: 'error', message: 'is 1,048,603 characters long; a recipe may be at most 1,048,576 bytes (1 MiB)'}]);
	});

	test('an empty recipe, or one of comments only, is a clear error', () => {
		for (const text of ['', '\n\n', '# nothing here\n', '---\n# only a comment\n', '   \n']) {
			expect(parseRecipe(text).problems, JSON.stringify(text)).toEqual([
				{path: 'recipe', severity: 'error', message: 'is empty (or only comments): a recipe is a YAML mapping with name, environments, images and service'},
			]);
		}
	});
});

describe('the template must fit a CloudFormation request', () => {
	test('a template over the 51,200-byte TemplateBody is refused before AWS, naming its size and the container that takes most', () => {
		const within = check(recipeText('  []', `        X: "${'x'.repeat(45_000)}"`));
		expect(errors(within)).toEqual([]);
		const over = check(recipeText('  []', `        X: "${'x'.repeat(52_000)}"`));
		expect(errors(over)).toEqual([
			{
				path: 'service',
				severity: 'error',
				line: 7,
				message: expect.stringMatching(/^makes a CloudFormation template of 5\d,\d{3} bytes, over the 51,200 bytes CloudFormation takes in a request \(TemplateBody\); service\.containers\[0\] takes 52,\d{3} bytes of it: shorten long values/),
			},
		]);
	});

	test('the size counts UTF-8 bytes, as the request does: 20,000 three-byte characters are 60,000 bytes', () => {
		const over = check(recipeText('  []', `        X: "${'東'.repeat(20_000)}"`));
		expect(errors(over).map(p => p.path)).toEqual(['service']);
	});
});

describe('large recipes', () => {
	// How validation time grows with the size of a recipe is measured in `npm run bench`, not here: a timed
	// test fails on a busy machine.
	function environmentEntries(count: number, value: (i: number) => string): string {
		return Array.from({length: count}, (_, i) => `        VAR_${i}: ${value(i)}`).join('\n');
	}

	test('duplicate keys are still found in a large mapping', () => {
		const entries = environmentEntries(20_000, i => `v${i}`);
		const problems = parseRecipe(recipeText('  []', `${entries}\n        VAR_7: again`)).problems;
		expect(problems).toEqual([
			expect.objectContaining({path: 'service.containers[0].environment.VAR_7', severity: 'error', line: 20_014}),
		]);
	});
});
