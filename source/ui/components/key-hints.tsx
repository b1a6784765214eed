import {Text} from 'ink';
import {hintsFor, type Command} from '../input/keymap.js';

/** The footer: hints for the commands a screen answers, read from the keymap (plus a few words of its own). */
export function KeyHints({commands, extra = []}: {commands: readonly Command[]; extra?: readonly string[]}) {
	return (
		<Text dimColor wrap="truncate">
			{[...hintsFor(commands), ...extra].join('  ·  ')}
		</Text>
	);
}
