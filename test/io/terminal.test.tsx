import {EventEmitter} from 'node:events';
import {Text, render} from 'ink';
import {describe, expect, test} from 'vitest';
import {terminalFrame} from '../../source/domain/text.js';
import {filteredTerminal} from '../../source/io/terminal.js';

/*
 * The app's one output filter at the terminal: Ink's frames keep colours and cursor control, and lose every
 * other control sequence, whichever screen put outside text in them.
 */

const clipboard = '\u001B]52;c;cHduZWQ=\u0007';
const title = '\u001B]0;pwned\u001B\\';

describe('terminalFrame', () => {
	test('keeps what Ink writes: colours, cursor moves, erasing, cursor hide/show, synchronized output', () => {
		const ink = '\u001B[?2026h\u001B[2K\u001B[1A\u001B[2K\u001B[G\u001B[?25l\u001B[31mred\u001B[39m \u001B[1;2mbold\u001B[22m\n\u001B[2J\u001B[3J\u001B[H\u001B[?2026l\u001B[?25h';
		expect(terminalFrame(ink)).toBe(ink);
		expect(terminalFrame('plain text, café, 東京, 🚀\ttab\r\n')).toBe('plain text, café, 東京, 🚀\ttab\r\n');
	});

	test('drops OSC (clipboard, title, hyperlinks), DCS/APC/PM/SOS strings, terminal queries, mode changes, C1 and BEL', () => {
		expect(terminalFrame(`recipes/${clipboard}x.yaml`)).toBe('recipes/x.yaml');
		expect(terminalFrame(`a${title}b`)).toBe('ab');
		expect(terminalFrame('\u001B]8;;https://evil.example\u0007link\u001B]8;;\u0007')).toBe('link');
		expect(terminalFrame('a\u001BPq#0;2;0;0;0\u001B\\b\u001B_apc\u001B\\c\u001B^pm\u0007d\u001BXsos\u001B\\e')).toBe('abcde');
		// A device status report or attributes query makes the terminal type its answer into stdin.
		expect(terminalFrame('a\u001B[6nb\u001B[cc\u001B[>0cd\u001B[18te')).toBe('abcde');
		// Mouse reporting, bracketed paste and other modes are not the app's to change from a frame.
		expect(terminalFrame('a\u001B[?1000hb\u001B[?2004hc')).toBe('abc');
		expect(terminalFrame('a\u009B31mb\u009D0;x\u0007c\u0007d\u0000e\u001Bcf\u001B7g')).toBe('a31mb0;xcdefg');
		expect(terminalFrame('abc\u202Egfed')).toBe('abcgfed');
		// An unterminated string sequence runs to the end of the write.
		expect(terminalFrame(`ok${'\u001B]52;c;'}AAAA`)).toBe('ok');
	});
});

/** A terminal-like stream that records what reaches it. */
function fakeTerminal() {
	const stream = Object.assign(new EventEmitter(), {columns: 80, rows: 24, isTTY: true, written: '', write(chunk: string) {
		stream.written += chunk;
		return true;
	}});
	return stream;
}

describe('filteredTerminal', () => {
	test('Ink rendering outside text with escape sequences through it writes colours but no clipboard, title or query', async () => {
		const terminal = fakeTerminal();
		const filtered = filteredTerminal(terminal as unknown as NodeJS.WriteStream);
		expect(filtered.columns).toBe(80);
		expect(filtered.isTTY).toBe(true);
		const instance = render(<Text color="green">{`recipes/${clipboard}${title}evil\u001B[6n.yaml`}</Text>, {stdout: filtered, patchConsole: false, exitOnCtrlC: false});
		await new Promise(resolve => setTimeout(resolve, 50));
		instance.unmount();
		expect(terminal.written).toContain('recipes/');
		expect(terminal.written).toContain('evil');
		// Ink's own control sequences pass (colours are off in tests: FORCE_COLOR=0).
		expect(terminal.written).toContain('\u001B[?25l');
		expect(terminal.written).not.toMatch(/\u001B\]|\u001B\[6n|\u0007/);
	});
});
