import {readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, test} from 'vitest';
import {boundedCache, boundedTextCaches, cachedTextWidth, lazyEmojiPattern, sameStylesShortcut, sharedOutputCaches, sharedStyles} from '../../scripts/build-patches.mjs';
import {repoRoot} from '../helpers/cli.js';

// The build changes the source of packages Ink renders with (scripts/build-patches.mjs): each patched file must
// answer as the package's own does. Both are loaded from copies written beside the package's file (so their
// imports resolve): the test workers load the packages themselves with the patches applied
// (test/helpers/package-patches.mjs), so an import of the package would compare the patch with itself.

/**
 * A package file as the package has it (no `patch`) or as the build bundles it, from a copy written beside it,
 * imported and removed again. A patch must change the file.
 */
async function packageModule<T>(folder: string, file: string, patch?: (source: string) => string): Promise<T> {
	const original = await readFile(path.join(repoRoot, folder, file), 'utf8');
	const source = patch ? patch(original) : original;
	if (patch) expect(source).not.toBe(original);
	const copy = path.join(repoRoot, folder, `${file.replace(/\.js$/, '')}-${patch ? 'patched' : 'original'}-${process.pid}.js`);
	await writeFile(copy, source);
	try {
		return (await import(pathToFileURL(copy).href)) as T;
	} finally {
		await rm(copy, {force: true});
	}
}

type Width = (text: string) => number;

describe('string-width as bundled', () => {
	test('every single code point with the Emoji property, and strings of every kind, measure as the package measures them', async () => {
		const {default: stringWidth} = await packageModule<{default: Width}>('node_modules/string-width', 'index.js');
		const {default: patched} = await packageModule<{default: Width}>('node_modules/string-width', 'index.js', lazyEmojiPattern);
		const emoji = /^\p{Emoji}$/u;
		const samples: string[] = [];
		for (let c = 0; c <= 0x10ffff; c++) {
			if (c >= 0xd800 && c <= 0xdfff) continue;
			const text = String.fromCodePoint(c);
			if (emoji.test(text)) samples.push(text, `${text}\uFE0F`, `${text}\uFE0E`);
		}
		// Over a thousand emoji among them (the shortcut must not hide one).
		expect(samples.filter(s => stringWidth(s) === 2).length).toBeGreaterThan(1000);
		samples.push(
			'ecs-deployer · sandbox ✓ 1.4.0 ↺ 1.4.1 ✗ ⟳ ❯ ● ✎ … ‹ ›',
			'🇩🇪🇯🇵', '#️⃣', '1️⃣', '#⃣', '👨‍👩‍👧‍👦', '👍🏽', '🏳️‍🌈', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', '❤', '☺︎', '🫠',
			'日本語のテキスト', 'ｶﾞｷﾞ', 'ﾞﾟｰ', '한국어', '\u1100\u1161\u11A8', 'é', 'e\u0301', 'a\u200Bb', '\u0007\u001B[31mred\u001B[39m', '\t', 'Ａ', '🀄', '🆗',
		);
		for (const text of samples) expect(patched(text), JSON.stringify(text)).toBe(stringWidth(text));
	});

	test('a source that is not as expected is left as it was', () => {
		const other = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/u;\nexport default () => 0;\n';
		expect(lazyEmojiPattern(other)).toBe(other);
	});
});

type Code = {type: 'ansi'; code: string; endCode: string};
type Diff = (from: Code[], to: Code[]) => Code[];

/** ansi-tokenize's diff.js as the build bundles it. */
async function patchedDiff(): Promise<Diff> {
	return (await packageModule<{diffAnsiCodes: Diff}>('node_modules/@alcalzone/ansi-tokenize/build', 'diff.js', sameStylesShortcut)).diffAnsiCodes;
}

describe('ansi-tokenize as bundled', () => {
	test('diffAnsiCodes answers as the package does for styles alike and different, as Ink frames hold them', async () => {
		const patched = await patchedDiff();
		const {diffAnsiCodes} = await packageModule<{diffAnsiCodes: Diff}>('node_modules/@alcalzone/ansi-tokenize/build', 'diff.js');
		const {styledCharsFromTokens, tokenize} = (await import('@alcalzone/ansi-tokenize')) as unknown as {styledCharsFromTokens(tokens: unknown): Array<{styles: Code[]}>; tokenize(text: string): unknown};
		// Every style of each character of text in colours, bold, dim, underlined, inverse, with links: the styles Ink's cells carry.
		const text = [
			'plain',
			'\u001B[1mbold\u001B[22m',
			'\u001B[2mdim\u001B[1mand bold\u001B[22m',
			'\u001B[31mred\u001B[39m',
			'\u001B[32;1mgreen bold\u001B[0m',
			'\u001B[38;5;208morange\u001B[39m',
			'\u001B[48;2;10;20;30mbackground\u001B[49m',
			'\u001B[4m\u001B[36munderlined cyan\u001B[39m\u001B[24m',
			'\u001B[7minverse\u001B[27m',
			'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
		].join(' ');
		const styles = [[], ...styledCharsFromTokens(tokenize(text)).map(c => c.styles)];
		let alike = 0;
		for (const from of styles) {
			for (const to of styles) {
				// A copy, as each cell has its own list.
				const same = [...to];
				expect(patched(from, same)).toEqual(diffAnsiCodes(from, same));
				if (diffAnsiCodes(from, same).length === 0) alike++;
			}
		}
		expect(alike).toBeGreaterThan(styles.length);
	});

	test('a source that is not as expected is left as it was', () => {
		const other = 'export function diffAnsiCodes(a, b) {\n    return [];\n}\n';
		expect(sameStylesShortcut(other)).toBe(other);
	});
});

/** Text in the styles, widths and shapes Ink's frames hold. */
const styledTexts = [
	'plain',
	'\u001B[1mbold\u001B[22m then plain',
	'\u001B[2mdim\u001B[1mand bold\u001B[22m',
	'\u001B[31mred\u001B[39m \u001B[32;1mgreen bold\u001B[0m',
	'\u001B[38;5;208morange\u001B[39m and \u001B[48;2;10;20;30mbackground\u001B[49m',
	'\u001B[4m\u001B[36munderlined cyan\u001B[39m\u001B[24m',
	'\u001B[7minverse\u001B[27m ✓ 1.4.0 ↺ ❯',
	'\u001B[31mred\u001B[32mgreen\u001B[1mbold\u001B[34mblue to the end',
	'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
	'日本語 🇩🇪 👍🏽 ｶﾞ e\u0301',
	'\u001B[33m⟳ deploying\u001B[39m\n\u001B[90msecond line\u001B[39m\nthird',
];

type StyledChar = {value: string; styles: unknown[]};
type Tokenize = {styledCharsFromTokens(tokens: unknown): StyledChar[]; styledCharsToString(chars: StyledChar[]): string; tokenize(text: string): unknown};

describe('ansi-tokenize styled characters as bundled', () => {
	test('rows made of several texts and blank cells read back as the package reads them', async () => {
		const {tokenize} = (await import('@alcalzone/ansi-tokenize')) as unknown as Tokenize;
		const original = {...(await packageModule<Tokenize>('node_modules/@alcalzone/ansi-tokenize/build', 'styledChars.js')), tokenize};
		const patched = await packageModule<Tokenize>('node_modules/@alcalzone/ansi-tokenize/build', 'styledChars.js', sharedStyles);
		const blank = {type: 'char', value: ' ', fullWidth: false, styles: []};
		const texts = styledTexts.flatMap(text => text.split('\n'));
		for (const a of texts) {
			const ours = patched.styledCharsFromTokens(original.tokenize(a));
			const theirs = original.styledCharsFromTokens(original.tokenize(a));
			expect(ours).toEqual(theirs);
			for (const b of texts) {
				// As in an Ink row: one text, shared blank cells, fresh blank cells, another text, the two side by side.
				const row = (chars: (text: string) => StyledChar[]) => [...chars(a), blank, blank, {...blank, styles: []}, ...chars(b), blank, ...chars(a), ...chars(b)];
				expect(patched.styledCharsToString(row(text => patched.styledCharsFromTokens(original.tokenize(text))))).toBe(
					original.styledCharsToString(row(text => original.styledCharsFromTokens(original.tokenize(text)))),
				);
			}
		}
	});

	test('a source that is not as expected is left as it was', () => {
		const other = 'export function styledCharsFromTokens(tokens) {\n    return tokens;\n}\n';
		expect(sharedStyles(other)).toBe(other);
	});
});

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type InkOutput = {write(x: number, y: number, text: string, options: {transformers: Array<(line: string, index: number) => string>}): void; clip(clip: Clip): void; unclip(): void; get(): {output: string; height: number}};
type OutputClass = new (size: {width: number; height: number}) => InkOutput;

describe("Ink's Output as bundled", () => {
	/** The same frame drawn by Ink's Output and the bundled one: text, clipped text, transformed text. */
	const draw = (Output: OutputClass, lines: readonly string[], shift: number) => {
		const output = new Output({width: 60, height: 12});
		lines.forEach((text, i) => output.write((i * 7 + shift) % 40, i % 12, text, {transformers: []}));
		output.clip({x1: 5, x2: 30, y1: 2, y2: 8});
		lines.forEach((text, i) => output.write(shift % 10, (i + shift) % 12, text, {transformers: i % 2 === 0 ? [] : [(line, index) => `${index}:${line}`]}));
		output.unclip();
		output.clip({x1: 10, x2: 20});
		output.write(8, 11, lines[shift % lines.length]!, {transformers: []});
		output.unclip();
		return output.get();
	};

	test('frame after frame, each is what a fresh Output makes of it, also once the caches have turned over', async () => {
		const {default: Original} = await packageModule<{default: OutputClass}>('node_modules/ink/build', 'output.js');
		const {default: Patched} = await packageModule<{default: OutputClass}>('node_modules/ink/build', 'output.js', sharedOutputCaches);
		// Frames that repeat the ones before (what the shared caches are for), then many new lines (more than the
		// caches keep), then the first frames again.
		// Then frames that differ from the one before in one cell of one row (a counter that ticks, a colour that changes).
		const ticking = [1, 2, 2, 3].flatMap(n => [{lines: [`tasks ${n}/3 running`, 'same line', '\u001B[32m✓ serving\u001B[39m'], shift: 0}, {lines: [`tasks ${n}/3 running`, 'same line', '\u001B[31m✓ serving\u001B[39m'], shift: 0}]);
		const frames = [...[0, 1, 2, 0, 1].map(shift => ({lines: styledTexts, shift})), ...ticking, ...Array.from({length: 300}, (_, i) => ({lines: Array.from({length: 12}, (_, j) => `\u001B[3${j % 8}mline ${i}-${j}\u001B[39m ${'x'.repeat(j)}`), shift: i})), ...[0, 1, 2].map(shift => ({lines: styledTexts, shift}))];
		for (const {lines, shift} of frames) expect(draw(Patched, lines, shift)).toEqual(draw(Original, lines, shift));
		// Bounded: two generations of at most 1,000 entries each.
		const caches = (new Patched({width: 1, height: 1}) as unknown as {caches: Record<'widths' | 'styledChars', {newer: Map<string, unknown>; older: Map<string, unknown>}>}).caches;
		for (const cache of [caches.widths, caches.styledChars]) expect(cache.newer.size + cache.older.size).toBeLessThanOrEqual(2000);
		expect(caches.styledChars.newer.size + caches.styledChars.older.size).toBeGreaterThan(1000);
	});

	test('a source that is not as expected is left as it was', () => {
		const other = 'export default class Output {\n    caches = new Map();\n}\n';
		expect(sharedOutputCaches(other)).toBe(other);
	});
});

type Cache = {get(key: string): unknown; set(key: string, value: unknown): Cache; newer: Map<string, unknown>; older: Map<string, unknown>};

describe("Ink's text caches as bundled", () => {
	test('the bounded cache keeps at most twice its limit, and what was read lately', () => {
		const BoundedCache = new Function(`${boundedCache}\nreturn BoundedCache;`)() as new (limit: number) => Cache;
		const cache = new BoundedCache(100);
		for (let i = 0; i < 1000; i++) {
			cache.set(`text ${i}`, i);
			// Text 0 is read as often as a header is drawn: it stays.
			if (i % 50 === 0) expect(cache.get('text 0')).toBe(0);
			expect(cache.newer.size + cache.older.size).toBeLessThanOrEqual(200);
		}
		expect(cache.get('text 999')).toBe(999);
		expect(cache.get('text 0')).toBe(0);
		expect(cache.get('text 500')).toBeUndefined();
	});

	test('measureText and wrapText answer as the package does, also once the caches have turned over', async () => {
		type Measure = {default(text: string): {width: number; height: number}};
		type Wrap = {default(text: string, width: number, wrap: string): string};
		const folder = 'node_modules/ink/build';
		const [measure, patchedMeasure, wrap, patchedWrap] = await Promise.all([
			packageModule<Measure>(folder, 'measure-text.js'),
			packageModule<Measure>(folder, 'measure-text.js', boundedTextCaches),
			packageModule<Wrap>(folder, 'wrap-text.js'),
			packageModule<Wrap>(folder, 'wrap-text.js', boundedTextCaches),
		]);
		const same = (texts: readonly string[], types: readonly string[]) => {
			for (const text of texts) {
				expect(patchedMeasure.default(text)).toEqual(measure.default(text));
				for (const type of types) expect(patchedWrap.default(text, 9, type)).toBe(wrap.default(text, 9, type));
			}
		};
		const types = ['wrap', 'truncate', 'truncate-middle', 'truncate-start'];
		same([...styledTexts, ''], types);
		// More texts than the caches keep (5,000 in each of two generations), then the first ones again.
		same(Array.from({length: 10_500}, (_, i) => `\u001B[3${i % 8}mevent ${i}\u001B[39m${i % 3 === 0 ? ' 日本語' : ''}`), ['truncate']);
		same(styledTexts, types);
	});

	test("renderNodeToOutput's text width is measureText's, which is widestLine's", async () => {
		const {default: measureText} = await packageModule<{default(text: string): {width: number}}>('node_modules/ink/build', 'measure-text.js', boundedTextCaches);
		const {default: widestLine} = (await import('widest-line')) as {default(text: string): number};
		for (const text of styledTexts) expect(measureText(text).width).toBe(widestLine(text));
		const source = await readFile(path.join(repoRoot, 'node_modules/ink/build/render-node-to-output.js'), 'utf8');
		expect(cachedTextWidth(source)).toContain('const currentWidth = measureText(text).width;');
	});

	test('sources that are not as expected are left as they were', () => {
		const other = 'const cache = {};\nexport default text => cache[text];\n';
		expect(boundedTextCaches(other)).toBe(other);
		const render = 'const width = widestLine(text);\n';
		expect(cachedTextWidth(render)).toBe(render);
	});
});
