import {readdir, readFile} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {keymap} from '../../source/ui/input/keymap.js';

/*
 * Every key goes through the keymap: outside source/ui/input, no screen compares raw keys (`input === 'd'`,
 * `key.escape`) or reads stdin itself (Ink's useInput, ink-text-input, ink-select-input). The footer and the
 * help render from the keymap, so a key checked elsewhere would be a key they cannot tell about.
 */
const raw = /input === '|key\.(escape|return|tab|upArrow|downArrow|leftArrow|rightArrow|backspace|delete|pageUp|pageDown|home|end|ctrl|meta|shift|input|paste)\b|useInput\(|ink-text-input|ink-select-input/;

describe('source/ui checks keys only through the keymap', async () => {
	const files = (await readdir('source/ui', {recursive: true})).filter(f => /\.tsx?$/.test(f) && !f.startsWith('input/'));
	test.each(files)('%s', async file => {
		const lines = (await readFile(`source/ui/${file}`, 'utf8')).split('\n');
		expect(lines.filter(line => raw.test(line))).toEqual([]);
	});
});

test('every command has keys and help; hints are short', () => {
	for (const [name, binding] of Object.entries(keymap)) {
		expect(binding.keys.length, name).toBeGreaterThan(0);
		expect(binding.help.length, name).toBeGreaterThan(0);
		expect(binding.hint.length, name).toBeLessThanOrEqual(24);
	}
});
