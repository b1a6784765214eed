import {Text} from 'ink';
import {useRef, useState} from 'react';
import {printable} from '../../domain/text.js';
import {editText, visibleParts, type TextBuffer} from '../input/text-edit.js';
import {useKeys} from '../input/use-keys.js';

type Props = {
	value: string;
	onChange(value: string): void;
	/** The field has the keys (and shows its cursor). */
	focus: boolean;
	/** Shown instead of each character (a secret). */
	mask?: string;
	/** Shown dimmed while the value is empty. */
	placeholder?: string;
	/** Columns the field may take: a longer value scrolls to keep the cursor in view. */
	width?: number;
};

/**
 * A one-line text field on the shared editing keys (←/→, Home/End, Ctrl+A/E/U/W/K, Backspace/Delete, paste).
 * While focused it sees each key before its screen and keeps the ones that edit text; Enter, Tab, Esc and ↑↓
 * go on to the screen.
 */
export function TextInput({value, onChange, focus, mask, placeholder, width}: Props) {
	const buffer = useTextInput(value, onChange, focus);
	if (!focus && value === '' && placeholder) return <Text dimColor wrap="truncate">{placeholder}</Text>;
	const shown = mask === undefined ? buffer : {...buffer, text: mask.repeat(buffer.text.length)};
	return <BufferText buffer={shown} focus={focus} {...(width === undefined ? {} : {width})} />;
}

/**
 * A controlled value's editing: the cursor is the field's own; the value is the caller's (`onChange` after
 * each edit). A value changed from elsewhere (picked from a list, reset) puts the cursor at its end.
 */
export function useTextInput(value: string, onChange: (value: string) => void, focus: boolean): TextBuffer {
	const [cursor, setCursor] = useState(value.length);
	const typed = useRef(value);
	const at = value === typed.current ? Math.min(cursor, value.length) : value.length;
	useKeys(
		key => {
			const next = editText({text: value, cursor: at}, key);
			if (next === undefined) return false;
			typed.current = next.text;
			if (next.text !== value) onChange(next.text);
			setCursor(next.cursor);
			return true;
		},
		{isActive: focus, field: true},
	);
	return {text: value, cursor: at};
}

/** Text being typed, the cursor drawn as an inverse character, scrolled to keep it in `width` columns. */
export function BufferText({buffer, focus = true, width}: {buffer: TextBuffer; focus?: boolean; width?: number}) {
	if (!focus) return <Text wrap="truncate">{printable(buffer.text)}</Text>;
	const [before, at, after] = visibleParts(buffer, width);
	return (
		<Text wrap="truncate">
			{printable(before)}
			<Text inverse>{printable(at)}</Text>
			{printable(after)}
		</Text>
	);
}
