import {withoutControls} from '../../../domain/text.js';

/** Text being typed, with its cursor (an index into the text). */
export type TextBuffer = {text: string; cursor: number};

/** A buffer holding `text`, the cursor at its end. */
export const bufferOf = (text: string): TextBuffer => ({text, cursor: text.length});

/** Inserts text at the cursor. */
export function insert(buffer: TextBuffer, typed: string): TextBuffer {
	const text = withoutControls(typed);
	return {text: buffer.text.slice(0, buffer.cursor) + text + buffer.text.slice(buffer.cursor), cursor: buffer.cursor + text.length};
}

/** Deletes the character before the cursor (Backspace). */
export function erase(buffer: TextBuffer): TextBuffer {
	if (buffer.cursor === 0) return buffer;
	return {text: buffer.text.slice(0, buffer.cursor - 1) + buffer.text.slice(buffer.cursor), cursor: buffer.cursor - 1};
}

/** Moves the cursor by some characters, or to the start or the end. */
export function moveCursor(buffer: TextBuffer, to: number | 'start' | 'end'): TextBuffer {
	const cursor = to === 'start' ? 0 : to === 'end' ? buffer.text.length : buffer.cursor + to;
	return {...buffer, cursor: Math.max(0, Math.min(buffer.text.length, cursor))};
}

/** The buffer split around the cursor, for drawing it: before, the character under it (a space at the end), after. */
export function cursorParts(buffer: TextBuffer): [string, string, string] {
	return [buffer.text.slice(0, buffer.cursor), buffer.text[buffer.cursor] ?? ' ', buffer.text.slice(buffer.cursor + 1)];
}
