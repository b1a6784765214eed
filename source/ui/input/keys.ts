/*
 * One key as the screens see it, and how a terminal's bytes become keys. A terminal read can hold several
 * keys (a paste, a fast typist, Tab Tab, five Backspaces, an arrow key's escape sequence): `splitKeys` cuts it
 * into one sequence per key and `parseKey` names each, so every key reaches the handlers on its own.
 */

/** A key: the flags name it (Ink's names, so a handler reads `key.escape`, `key.upArrow`). */
export type Key = {
	/**
	 * What the key types: its character (`a`, `A`, `?`, a space), the letter of a Ctrl+letter, or the text of
	 * a paste; empty for the other keys (arrows, Enter, Esc…).
	 */
	input: string;
	upArrow: boolean;
	downArrow: boolean;
	leftArrow: boolean;
	rightArrow: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home: boolean;
	end: boolean;
	return: boolean;
	escape: boolean;
	tab: boolean;
	/** Backspace (DEL or ^H): erases before the cursor. */
	backspace: boolean;
	/** The Delete key (`ESC [3~`): erases under the cursor. */
	delete: boolean;
	ctrl: boolean;
	/** Alt/Option (the key came after an ESC). */
	meta: boolean;
	shift: boolean;
	/** Text pasted at once (bracketed paste): `input` holds all of it. */
	paste: boolean;
};

type Flag = Exclude<keyof Key, 'input'>;

const none: Key = {
	input: '',
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageUp: false,
	pageDown: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	tab: false,
	backspace: false,
	delete: false,
	ctrl: false,
	meta: false,
	shift: false,
	paste: false,
};

/** A key from its flags (tests, and the parser below). */
export const keyOf = (flags: Partial<Key> = {}): Key => ({...none, ...flags});

const escape = '\u001B';

/** The key named by the final byte of `ESC [ … X` / `ESC O X`, or by the number of `ESC [ n ~`. */
const byFinal: Record<string, Flag> = {A: 'upArrow', B: 'downArrow', C: 'rightArrow', D: 'leftArrow', H: 'home', F: 'end', Z: 'tab'};
const byNumber: Record<string, Flag> = {'1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete', '5': 'pageUp', '6': 'pageDown'};

/**
 * Cuts text read from a terminal into one sequence per key: escape sequences whole (CSI `ESC [ … final`, SS3
 * `ESC O x`, Alt+key `ESC x`), `\r\n` as one Enter, every other character (a whole code point) on its own.
 */
export function splitKeys(text: string): string[] {
	const out: string[] = [];
	let i = 0;
	while (i < text.length) {
		const length = text[i] === escape ? escapeLength(text, i) : text.startsWith('\r\n', i) ? 2 : (text.codePointAt(i)! > 0xff_ff ? 2 : 1);
		out.push(text.slice(i, i + length));
		i += length;
	}
	return out;
}

/** How long the escape sequence at `start` is (1: a lone Esc). */
function escapeLength(text: string, start: number): number {
	const next = text[start + 1];
	if (next === undefined) return 1;
	if (next === '[') {
		let i = start + 2;
		// Legacy function keys: ESC [ [ A.
		if (text[i] === '[') i++;
		while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x3f) i++;
		const final = text.charCodeAt(i);
		// Not a complete sequence: Alt+[ and what follows as keys of their own.
		return final >= 0x40 && final <= 0x7e ? i - start + 1 : 2;
	}
	if (next === 'O' && start + 2 < text.length) return 3;
	// ESC ESC [ A: Alt (Option) with an arrow key. A second ESC alone is a key of its own.
	if (next === escape) return text[start + 2] === '[' || text[start + 2] === 'O' ? 1 + escapeLength(text, start + 1) : 1;
	return text.codePointAt(start + 1)! > 0xff_ff ? 3 : 2;
}

/** Names one key's sequence (one item of `splitKeys`). */
export function parseKey(sequence: string): Key {
	if (sequence === '\r' || sequence === '\n' || sequence === '\r\n') return keyOf({return: true});
	if (sequence === '\t') return keyOf({tab: true});
	if (sequence === '\u007F' || sequence === '\b') return keyOf({backspace: true});
	if (sequence === escape) return keyOf({escape: true});
	if (sequence.startsWith(escape)) return parseEscape(sequence.slice(1));
	const code = sequence.codePointAt(0) ?? 0;
	if (code === 0) return keyOf({ctrl: true, input: ' '});
	if (code < 0x20) return code <= 0x1a ? keyOf({ctrl: true, input: String.fromCharCode(code + 96)}) : keyOf();
	return keyOf({input: sequence, shift: /^[A-Z]$/.test(sequence)});
}

function parseEscape(rest: string): Key {
	// ESC ESC [ A: Alt with the key that follows.
	if (rest.startsWith(escape)) return {...parseEscape(rest.slice(1)), meta: true};
	const csi = /^\[\[?([\d;]*)([\x40-\x7e])$/.exec(rest);
	if (csi) {
		const [number = '', modifier] = csi[1]!.split(';');
		const flag = csi[2] === '~' ? byNumber[number] : byFinal[csi[2]!];
		if (!flag) return keyOf();
		// xterm modifiers: 1 + (shift 1 | alt 2 | ctrl 4).
		const bits = modifier === undefined ? 0 : Math.max(0, Number(modifier) - 1);
		return keyOf({[flag]: true, shift: csi[2] === 'Z' || (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0});
	}
	const ss3 = /^O([A-Z])$/.exec(rest);
	if (ss3) {
		const flag = byFinal[ss3[1]!];
		return flag ? keyOf({[flag]: true}) : keyOf();
	}
	if (rest === '\r') return keyOf({return: true, meta: true});
	if (rest === '\u007F' || rest === '\b') return keyOf({backspace: true, meta: true});
	if (rest.startsWith('[') || rest.startsWith('O')) return keyOf({meta: true, input: rest[0]!});
	return {...parseKey(rest), meta: true};
}

const pasteStart = `${escape}[200~`;
const pasteEnd = `${escape}[201~`;

/**
 * Reads a terminal's input chunk by chunk and hands back its keys, in order. A bracketed paste (the terminal
 * wraps it in `ESC [200~ … ESC [201~`, possibly across chunks) is one key holding the text pasted.
 */
export function createKeyReader(): {push(chunk: string): Key[]} {
	let pasting: string | undefined;
	return {
		push(chunk) {
			const keys: Key[] = [];
			let rest = chunk;
			while (rest !== '') {
				if (pasting !== undefined) {
					const end = rest.indexOf(pasteEnd);
					if (end === -1) {
						pasting += rest;
						break;
					}
					keys.push(keyOf({paste: true, input: pasting + rest.slice(0, end)}));
					pasting = undefined;
					rest = rest.slice(end + pasteEnd.length);
					continue;
				}
				const start = rest.indexOf(pasteStart);
				keys.push(...splitKeys(start === -1 ? rest : rest.slice(0, start)).map(parseKey));
				if (start === -1) break;
				pasting = '';
				rest = rest.slice(start + pasteStart.length);
			}
			return keys;
		},
	};
}
