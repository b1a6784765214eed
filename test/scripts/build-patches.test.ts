import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {lazyEmojiPattern} from '../../scripts/build-patches.mjs';
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
