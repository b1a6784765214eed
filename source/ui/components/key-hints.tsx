import {Text} from 'ink';
import {hintsFor} from '../input/help.js';
import type {Command} from '../input/keymap.js';

type Props = {commands: readonly Command[]; extra?: readonly string[]; /** Columns the footer may take; without it, it is cut at the edge. */ width?: number};

/** The footer: hints for the commands a screen answers, read from the keymap (plus a few words of its own). */
export function KeyHints({commands, extra = [], width}: Props) {
	const hints = [...hintsFor(commands), ...extra];
	return (
		<Text dimColor wrap="truncate">
			{width === undefined ? hints.join('  ·  ') : fitHints(hints, width)}
		</Text>
	);
}

/**
 * Hints that fit in `width` columns: spaced out when there is room, closer when not, and when even that is
 * too long, the last hint (quit) is kept and the ones before it are left out from the end, since help (the
 * first) lists every key.
 */
export function fitHints(hints: readonly string[], width: number): string {
	for (const separator of ['  ·  ', ' · ']) {
		const line = hints.join(separator);
		if (line.length <= width) return line;
	}
	const last = hints.at(-1);
	const kept = hints.slice(0, -1);
	while (kept.length > 1 && [...kept, '…', last].join(' · ').length > width) kept.pop();
	return [...kept, '…', ...(last === undefined ? [] : [last])].join(' · ');
}
