import {Text} from 'ink';
import {keymap, type Command} from '../input/keymap.js';

/** The footer: hints for the commands a screen answers, read from the keymap. */
export function KeyHints({commands}: {commands: readonly Command[]}) {
	return (
		<Text dimColor wrap="truncate">
			{commands.map(command => keymap[command].hint).join('  ·  ')}
		</Text>
	);
}
