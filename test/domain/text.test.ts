import {describe, expect, test} from 'vitest';
import {error, formatPath} from '../../source/domain/problems.js';
import {formatCount, formatList, printable, quote} from '../../source/domain/text.js';
import {errorLines, minimalRecipe, resolveObject} from '../helpers/recipes.js';
import {parseRecipe} from '../../source/domain/recipe/parse.js';

/** Every C0 and C1 control character, and DEL. */
const controls = [
	...Array.from({length: 0x20}, (_, i) => String.fromCharCode(i)),
	'\u007f',
	...Array.from({length: 0x20}, (_, i) => String.fromCharCode(0x80 + i)),
];

describe('printable', () => {
	test('leaves ordinary text alone, including accents, CJK and emoji', () => {
		for (const text of ['', 'hello world', 'café-Ærø', '東京', '🚀 deploy', 'a\\u001b stays as typed']) expect(printable(text)).toBe(text);
	});

	test('turns every control character into a visible escape', () => {
		for (const c of controls) {
			const out = printable(`a${c}b`);
			expect(out, `U+${c.charCodeAt(0).toString(16)}`).toMatch(/^a\\(u00[0-9a-f]{2}|[nrt])b$/);
		}
		expect(printable('\u001b[2J\u001b[H')).toBe('\\u001b[2J\\u001b[H');
		expect(printable('line 1\nline 2\r\tend')).toBe('line 1\\nline 2\\r\\tend');
		expect(printable('\u009b31m')).toBe('\\u009b31m');
	});

	test('escapes characters that reorder or split what is shown (bidirectional overrides, line separators)', () => {
		expect(printable('abc\u202Egfed')).toBe('abc\\u202egfed');
		expect(printable('\u2066x\u2069\u2028')).toBe('\\u2066x\\u2069\\u2028');
	});

	test('is idempotent and its output has no control characters', () => {
		const all = controls.join('');
		expect(printable(printable(all))).toBe(printable(all));
		expect(printable(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	});
});

describe('quote', () => {
	test('quotes, escapes and shortens what a user wrote', () => {
		expect(quote('web')).toBe('"web"');
		expect(quote('say "hi"')).toBe('"say \\"hi\\""');
		expect(quote('\u001b[2J')).toBe('"\\u001b[2J"');
		const long = quote('x'.repeat(500));
		expect(long).toBe(`"${'x'.repeat(80)}…" (500 characters)`);
	});
});

describe('formatCount and formatList', () => {
	test('counts with separators, the same on every machine', () => {
		expect([0, 999, 1000, 65_536, 4_194_304].map(n => formatCount(n))).toEqual(['0', '999', '1,000', '65,536', '4,194,304']);
	});

	test('lists are cut after ten names', () => {
		expect(formatList(['a', 'b'])).toBe('a, b');
		expect(formatList(Array.from({length: 3000}, (_, i) => `env${i}`))).toBe('env0, env1, env2, env3, env4, env5, env6, env7, env8, env9 and 2,990 more');
	});

	test('a recipe with thousands of environments still gets a short message', () => {
		const recipe = minimalRecipe();
		recipe['environments'] = Array.from({length: 3000}, (_, i) => `env${i}`);
		const [line] = errorLines(resolveObject(recipe, {environment: 'prod'}).problems);
		expect(line).toBe('environment: "prod" is not one of the recipe\'s environments (env0, env1, env2, env3, env4, env5, env6, env7, env8, env9 and 2,990 more)');
	});
});

describe('problems never carry control characters to the screen', () => {
	test('error() and warning() make the path and the message printable', () => {
		expect(error(formatPath(['service', 'a\u001bb']), 'bad \u001b[2J value')).toEqual({path: 'service["a\\u001bb"]', message: 'bad \\u001b[2J value', severity: 'error'});
	});

	test('a container name with an escape sequence is quoted visibly', () => {
		const recipe = minimalRecipe();
		recipe['service'].containers.push({name: 'init', image: 'web', essential: false});
		recipe['service'].containers[0].dependsOn = [{container: '\u001b[2Jevil'}];
		const lines = errorLines(resolveObject(recipe).problems);
		expect(lines.join('\n')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
		expect(lines).toContain('service.containers[0].dependsOn[0].container: "\\u001b[2Jevil" is not a container of this task (web, init)');
	});

	test('a YAML key and an unknown variable with control characters', () => {
		const recipe = minimalRecipe();
		recipe['service']['x\u009b2J'] = 1;
		recipe['service'].family = '#{No\u0007pe}';
		const problems = resolveObject(recipe).problems;
		for (const p of problems) expect(`${p.path}: ${p.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
		expect(problems.map(p => p.path)).toContain('service["x\\u009b2J"]');
	});

	test('YAML syntax errors and duplicate keys quote what they found printably', () => {
		const problems = parseRecipe('name: shop\n"a\\e[2J": 1\n"a\\e[2J": 2\n').problems;
		expect(problems.length).toBeGreaterThan(0);
		for (const p of problems) expect(`${p.path}: ${p.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	});
});
