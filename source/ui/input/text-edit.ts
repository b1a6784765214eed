import {withoutControls} from '../../domain/text.js';
import {matches, typedText} from './keymap.js';
import type {Key} from './keys.js';

/*
 * Editing one line of text, the same in every field (the step form, the target wizard, the release picker's
 * filter and version, the dialogs): a pure reducer over the text and its cursor, and the keys that drive it.
 */

/** Text being typed, with its cursor (an index into the text, 0 to its length). */
export type TextBuffer = {text: string; cursor: number};

/** A buffer holding `text`, the cursor at its end. */
export const bufferOf = (text: string): TextBuffer => ({text, cursor: text.length});

export type TextEdit =
	/** Typed or pasted text, inserted at the cursor (control characters dropped, line breaks as spaces). */
	| {type: 'insert'; text: string}
	| {type: 'move'; to: 'left' | 'right' | 'start' | 'end'}
	| {type: 'erase'; what: 'back' | 'forward' | 'word' | 'to-start' | 'to-end'};

/** The edit a key stands for in a text field; undefined for the keys a field leaves to its screen. */
export function textEditFor(key: Key): TextEdit | undefined {
	if (matches('textLeft', key)) return {type: 'move', to: 'left'};
	if (matches('textRight', key)) return {type: 'move', to: 'right'};
	if (matches('textStart', key)) return {type: 'move', to: 'start'};
	if (matches('textEnd', key)) return {type: 'move', to: 'end'};
	if (matches('textEraseBack', key)) return {type: 'erase', what: 'back'};
	if (matches('textEraseForward', key)) return {type: 'erase', what: 'forward'};
	if (matches('textEraseWord', key)) return {type: 'erase', what: 'word'};
	if (matches('textEraseToStart', key)) return {type: 'erase', what: 'to-start'};
	if (matches('textEraseToEnd', key)) return {type: 'erase', what: 'to-end'};
	const text = typedText(key);
	return text === undefined ? undefined : {type: 'insert', text};
}

/** The buffer after an edit. */
export function applyTextEdit(buffer: TextBuffer, edit: TextEdit): TextBuffer {
	const {text, cursor} = buffer;
	switch (edit.type) {
		case 'insert': {
			const typed = withoutControls(edit.text);
			return {text: text.slice(0, cursor) + typed + text.slice(cursor), cursor: cursor + typed.length};
		}
		case 'move': {
			const to = edit.to === 'start' ? 0 : edit.to === 'end' ? text.length : cursor + (edit.to === 'left' ? -1 : 1);
			return {text, cursor: Math.max(0, Math.min(text.length, to))};
		}
		case 'erase':
			switch (edit.what) {
				case 'back':
					return cursor === 0 ? buffer : {text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1};
				case 'forward':
					return {text: text.slice(0, cursor) + text.slice(cursor + 1), cursor};
				case 'word': {
					// Like a shell's ^W: the spaces before the cursor, then the word before them.
					const start = text.slice(0, cursor).search(/\S*\s*$/);
					return {text: text.slice(0, start) + text.slice(cursor), cursor: start};
				}
				case 'to-start':
					return {text: text.slice(cursor), cursor: 0};
				case 'to-end':
					return {text: text.slice(0, cursor), cursor};
			}
	}
}

/** The buffer after a key, or undefined when the key is not a text field's. */
export function editText(buffer: TextBuffer, key: Key): TextBuffer | undefined {
	const edit = textEditFor(key);
	return edit === undefined ? undefined : applyTextEdit(buffer, edit);
}

/**
 * The part of the buffer to show in `width` columns, keeping the cursor in view: before the cursor, the
 * character under it (a space at the end), and after it.
 */
export function visibleParts(buffer: TextBuffer, width = Number.POSITIVE_INFINITY): [string, string, string] {
	const {text, cursor} = buffer;
	// The cursor may sit after the last character: one cell more than the text.
	const cells = text.length + 1;
	const columns = Math.max(1, width);
	const start = cells <= columns ? 0 : Math.max(0, Math.min(cursor - columns + 1, cells - columns));
	return [text.slice(start, cursor), text[cursor] ?? ' ', text.slice(cursor + 1, start + columns)];
}
