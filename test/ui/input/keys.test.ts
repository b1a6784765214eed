import {describe, expect, test} from 'vitest';
import {keyMatches, matches} from '../../../source/ui/input/keymap.js';
import {createKeyReader, keyOf, parseKey, splitKeys} from '../../../source/ui/input/keys.js';

const names = (text: string) => splitKeys(text).map(sequence => spell(parseKey(sequence)));

/** A key in a few words: its flags and its text. */
function spell(key: ReturnType<typeof parseKey>): string {
	const flags = Object.entries(key).filter(([name, on]) => on === true && name !== 'paste').map(([name]) => name);
	return [...flags, ...(key.input ? [JSON.stringify(key.input)] : [])].join('+') || 'none';
}

describe('a terminal read is cut into keys', () => {
	test('the same key several times: each is a key of its own', () => {
		expect(names('\t\t')).toEqual(['tab', 'tab']);
		expect(names('jj')).toEqual(['"j"', '"j"']);
		expect(names('\u007F'.repeat(5))).toEqual(Array.from({length: 5}, () => 'backspace'));
		expect(names('\u001B[A\u001B[A\u001B[B')).toEqual(['upArrow', 'upArrow', 'downArrow']);
	});

	test('escape sequences stay whole, text around them is split', () => {
		expect(names('/1.4\u001B')).toEqual(['"/"', '"1"', '"."', '"4"', 'escape']);
		expect(names('a\u001B[Zb')).toEqual(['"a"', 'tab+shift', '"b"']);
		expect(names('\u001B[H\u001B[F\u001B[1~\u001B[4~')).toEqual(['home', 'end', 'home', 'end']);
		expect(names('\u001B[3~\u001B[5~\u001B[6~')).toEqual(['delete', 'pageUp', 'pageDown']);
		expect(names('\u001BOA\u001BOD')).toEqual(['upArrow', 'leftArrow']);
		expect(names('\u001B[1;5C')).toEqual(['rightArrow+ctrl']);
	});

	test('Esc Esc is two Escapes; Esc before a key is Alt with it', () => {
		expect(names('\u001B\u001B')).toEqual(['escape', 'escape']);
		expect(names('\u001Bb')).toEqual(['meta+"b"']);
		expect(names('\u001B\u001B[A')).toEqual(['upArrow+meta']);
		expect(names('\u001B\u007F')).toEqual(['backspace+meta']);
	});

	test('Enter, Backspace, Ctrl+letters and characters beyond the BMP', () => {
		expect(names('\r\r\n\n')).toEqual(['return', 'return', 'return']);
		expect(names('\u0001\u0005\u0015\u0017\u000B\u0003')).toEqual(['ctrl+"a"', 'ctrl+"e"', 'ctrl+"u"', 'ctrl+"w"', 'ctrl+"k"', 'ctrl+"c"']);
		expect(names('\b')).toEqual(['backspace']);
		expect(names('R😀é')).toEqual(['shift+"R"', '"😀"', '"é"']);
	});

	test('a bracketed paste is one key, however the terminal cuts it', () => {
		const reader = createKeyReader();
		expect(reader.push('x\u001B[200~hello ')).toEqual([keyOf({input: 'x'})]);
		expect(reader.push('wor')).toEqual([]);
		expect(reader.push('ld\u001B[201~y')).toEqual([keyOf({paste: true, input: 'hello world'}), keyOf({input: 'y'})]);
		// The markers as Ink hands them over: one event each.
		const inked = createKeyReader();
		const keys = ['\u001B[200~', 'q\tq\r', '\u001B[201~'].flatMap(chunk => inked.push(chunk));
		expect(keys).toEqual([keyOf({paste: true, input: 'q\tq\r'})]);
	});
});

describe('keys match commands exactly', () => {
	test('Shift+Tab is not Tab, Tab is not Shift+Tab', () => {
		const shiftTab = parseKey('\u001B[Z');
		expect(matches('previousPane', shiftTab)).toBe(true);
		expect(matches('nextPane', shiftTab)).toBe(false);
		expect(matches('nextPane', parseKey('\t'))).toBe(true);
		expect(matches('previousPane', parseKey('\t'))).toBe(false);
	});

	test('Ctrl+letter, a capital, a paste', () => {
		expect(keyMatches('ctrl+a', parseKey('\u0001'))).toBe(true);
		expect(keyMatches('a', parseKey('\u0001'))).toBe(false);
		expect(matches('redeploy', parseKey('R'))).toBe(true);
		expect(matches('rollback', parseKey('R'))).toBe(false);
		expect(matches('quit', keyOf({paste: true, input: 'q'}))).toBe(false);
	});
});
