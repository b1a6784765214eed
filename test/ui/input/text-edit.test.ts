import {describe, expect, test} from 'vitest';
import {createKeyReader, keyOf} from '../../../source/ui/input/keys.js';
import {bufferOf, editText, visibleParts, type TextBuffer} from '../../../source/ui/input/text-edit.js';

/** What a field holds after the keys of one terminal read (`|` marks the cursor). */
function typed(start: TextBuffer, read: string): string {
	let buffer = start;
	for (const key of createKeyReader().push(read)) buffer = editText(buffer, key) ?? buffer;
	return `${buffer.text.slice(0, buffer.cursor)}|${buffer.text.slice(buffer.cursor)}`;
}

describe('editing a line of text', () => {
	test('typing, and the cursor: ←/→, Home/End, Ctrl+A/E', () => {
		expect(typed(bufferOf(''), 'hello')).toBe('hello|');
		expect(typed(bufferOf('world'), '\u001B[Hhello \u001B[F!')).toBe('hello world!|');
		expect(typed(bufferOf('ac'), '\u001B[Db')).toBe('ab|c');
		expect(typed(bufferOf('bc'), '\u0001a\u0005d')).toBe('abcd|');
		expect(typed(bufferOf('ab'), '\u001B[D\u001B[D\u001B[D\u001B[C')).toBe('a|b');
	});

	test('Backspace and Delete, five at once', () => {
		expect(typed(bufferOf('1.4.0'), '\u007F'.repeat(5))).toBe('|');
		expect(typed(bufferOf('1.4.0'), '\u007F'.repeat(7))).toBe('|');
		expect(typed(bufferOf('abc'), '\u001B[H\u001B[3~')).toBe('|bc');
		expect(typed(bufferOf('abc'), '\u001B[3~')).toBe('abc|');
	});

	test('Ctrl+U, Ctrl+W, Ctrl+K', () => {
		expect(typed(bufferOf('abc def'), '\u001B[D\u001B[D\u0015')).toBe('|ef');
		expect(typed(bufferOf('cluster main  '), '\u0017')).toBe('cluster |');
		expect(typed(bufferOf('a b c'), '\u001B[D\u001B[D\u000B')).toBe('a b|');
	});

	test('a paste goes in at the cursor, control characters dropped and line breaks as spaces', () => {
		expect(typed(bufferOf('[]'), '\u001B[D\u001B[200~x\ty\r\nz\u0007\u001B[201~')).toBe('[xy z|]');
		expect(typed(bufferOf(''), 'abc')).toBe('abc|');
	});

	test('keys that are not text are left to the screen', () => {
		for (const key of [keyOf({return: true}), keyOf({escape: true}), keyOf({tab: true}), keyOf({upArrow: true}), keyOf({ctrl: true, input: 's'})]) expect(editText(bufferOf('x'), key)).toBeUndefined();
	});

	test('a long text shows the part around the cursor', () => {
		const text = 'abcdefghij';
		expect(visibleParts({text, cursor: 10}, 5)).toEqual(['ghij', ' ', '']);
		expect(visibleParts({text, cursor: 0}, 5)).toEqual(['', 'a', 'bcde']);
		expect(visibleParts({text, cursor: 5}, 5)).toEqual(['bcde', 'f', '']);
		expect(visibleParts({text: 'ab', cursor: 1}, 5)).toEqual(['a', 'b', '']);
	});
});
