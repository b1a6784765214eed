import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {lazyEmojiPattern, sameStylesShortcut} from '../../scripts/build-patches.mjs';
import {repoRoot} from '../helpers/cli.js';

// The build changes string-width's source for start-up time only (scripts/build-patches.mjs): the bundled
// copy must measure every string as the package does.

type Width = (text: string) => number;

/** string-width as the build bundles it, loaded from beside the package so its own imports resolve. */
async function patchedStringWidth(): Promise<Width> {
	const original = await readFile(path.join(repoRoot, 'node_modules/string-width/index.js'), 'utf8');
	const patched = lazyEmojiPattern(original);
	expect(patched).not.toBe(original);
	const folder = path.join(repoRoot, 'node_modules/.cache/build-patches');
	await mkdir(folder, {recursive: true});
	const file = path.join(folder, `string-width-${process.pid}.mjs`);
	await writeFile(file, patched);
	return ((await import(pathToFileURL(file).href)) as {default: Width}).default;
}

describe('string-width as bundled', () => {
	test('every single code point with the Emoji property, and strings of every kind, measure as the package measures them', async () => {
		const patched = await patchedStringWidth();
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

/** ansi-tokenize's diff.js as the build bundles it, written beside the package's so its own imports resolve. */
async function patchedDiff(): Promise<Diff> {
	const folder = path.join(repoRoot, 'node_modules/@alcalzone/ansi-tokenize/build');
	const original = await readFile(path.join(folder, 'diff.js'), 'utf8');
	const patched = sameStylesShortcut(original);
	expect(patched).not.toBe(original);
	const file = path.join(folder, `diff-patched-${process.pid}.js`);
	await writeFile(file, patched);
	try {
		return ((await import(pathToFileURL(file).href)) as {diffAnsiCodes: Diff}).diffAnsiCodes;
	} finally {
		await rm(file, {force: true});
	}
}

describe('ansi-tokenize as bundled', () => {
	test('diffAnsiCodes answers as the package does for styles alike and different, as Ink frames hold them', async () => {
		const patched = await patchedDiff();
		const {diffAnsiCodes, styledCharsFromTokens, tokenize} = (await import('@alcalzone/ansi-tokenize')) as unknown as {diffAnsiCodes: Diff; styledCharsFromTokens(tokens: unknown): Array<{styles: Code[]}>; tokenize(text: string): unknown};
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
