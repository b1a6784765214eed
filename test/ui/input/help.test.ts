import {describe, expect, test} from 'vitest';
import {helpLines, hintsFor, layoutHelp, wrapWords} from '../../../source/ui/input/help.js';
import {keymap, type Command} from '../../../source/ui/input/keymap.js';

describe('the help, from the keymap', () => {
	test('every key once: ↑ and ↓ both, PgUp and PgDn both, Esc only once', () => {
		const lines = helpLines(['up', 'down', 'pageUp', 'pageDown', 'formLeave']);
		const keys = lines.map(line => line.keys);
		expect(keys).toEqual(['↑ / k', '↓ / j', 'PgUp', 'PgDn', 'Esc', '?', 'q / Ctrl+C']);
		expect(lines.find(line => line.keys === 'Esc')?.help).toBe(keymap.formLeave.help);
	});

	test('the footer says ↑↓ once', () => {
		expect(hintsFor(['up', 'down', 'pageUp', 'pageDown', 'textLeft'])).toEqual(['↑↓ move', 'pgup/pgdn page']);
	});

	test('lines too many for one column go into two, every line whole, none taller than the room', () => {
		const commands = Object.keys(keymap).slice(0, 20) as Command[];
		const lines = helpLines(commands);
		const layout = layoutHelp(lines, 76, 10);
		expect(layout.columns.length).toBeGreaterThan(1);
		for (const column of layout.columns) {
			expect(column.length).toBeLessThanOrEqual(10);
			for (const row of column) expect(row.keys.padEnd(layout.keyWidth).length + 1 + row.text.length).toBeLessThanOrEqual(layout.columnWidth);
		}
		// Every word of every help text is there.
		const shown = layout.columns.flat().map(row => row.text).join(' ');
		for (const line of lines) for (const word of line.help.split(' ')) expect(shown).toContain(word);
	});

	test('one column when it fits', () => {
		expect(layoutHelp(helpLines(['up']), 76, 16).columns).toHaveLength(1);
	});

	test('words wrap at spaces; a word longer than the line is cut', () => {
		expect(wrapWords('one two three', 7)).toEqual(['one two', 'three']);
		expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});
});
