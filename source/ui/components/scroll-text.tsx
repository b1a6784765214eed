import {Box, Text} from 'ink';
import {printable} from '../../domain/text.js';
import {matches} from '../input/keymap.js';
import type {Key} from '../input/keys.js';

/*
 * Text shown whole in a box that may be shorter than it: every line wrapped to the width (continuations
 * indented under their line), a window of rows from `offset`, and ↑↓ PgUp/PgDn Home/End to move it.
 */

/** A line of text and how it looks. */
export type TextLine = {text: string; color?: string | undefined; dim?: boolean; bold?: boolean};

/**
 * Lines cut to `width` columns at spaces (a word longer than a row is cut), each continuation indented like
 * its line plus two, so a wrapped property or log line still reads as one. Text is made printable first.
 */
export function wrapLines(lines: readonly TextLine[], width: number): TextLine[] {
	const columns = Math.max(8, width);
	const out: TextLine[] = [];
	for (const line of lines) {
		const text = printable(line.text);
		const indent = Math.min(/^ */.exec(text)![0].length + 2, Math.floor(columns / 2));
		let rest = text;
		let first = true;
		while (first || rest.length > 0) {
			const room = first ? columns : columns - indent;
			let cut = rest.length;
			if (rest.length > room) {
				const space = rest.lastIndexOf(' ', room);
				cut = space > room / 3 ? space : room;
			}
			out.push({...line, text: `${first ? '' : ' '.repeat(indent)}${rest.slice(0, cut)}`});
			rest = rest.slice(cut).replace(/^ /, '');
			first = false;
		}
	}
	return out;
}

/** The offset after a moving key (↑↓, PgUp/PgDn, Home/End), kept within the text; undefined for any other key. */
export function scrollOffset(key: Key, offset: number, total: number, rows: number): number | undefined {
	const last = Math.max(0, total - rows);
	const page = Math.max(1, rows - 1);
	let next: number;
	if (matches('up', key)) next = offset - 1;
	else if (matches('down', key)) next = offset + 1;
	else if (matches('pageUp', key)) next = offset - page;
	else if (matches('pageDown', key)) next = offset + page;
	else if (matches('first', key)) next = 0;
	else if (matches('last', key)) next = last;
	else return undefined;
	return Math.max(0, Math.min(last, next));
}

type Props = {
	/** Already wrapped (wrapLines) to the box's width. */
	rows: readonly TextLine[];
	/** Rows the text may take, the position line included when it does not all fit. */
	height: number;
	offset: number;
};

/** A window of wrapped rows; when they do not all fit, the last row says where the window is. */
export function ScrollText({rows, height, offset}: Props) {
	const fits = rows.length <= height;
	const shown = fits ? rows.length : Math.max(1, height - 1);
	const start = fits ? 0 : Math.max(0, Math.min(offset, rows.length - shown));
	return (
		<Box flexDirection="column">
			{rows.slice(start, start + shown).map((row, i) => (
				<Text key={start + i} wrap="truncate" {...(row.color ? {color: row.color} : {})} dimColor={row.dim ?? false} bold={row.bold ?? false}>
					{row.text === '' ? ' ' : row.text}
				</Text>
			))}
			{fits ? null : (
				<Text dimColor wrap="truncate">
					{`rows ${start + 1}–${start + shown} of ${rows.length}${start + shown < rows.length ? ' · ↓ PgDn for more' : ''}`}
				</Text>
			)}
		</Box>
	);
}
