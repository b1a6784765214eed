import {Box, Text} from 'ink';
import {helpLines, type Command} from '../input/keymap.js';

/** `?`: every key of the screen and what it does, from the keymap the handlers use. */
export function HelpOverlay({commands}: {commands: readonly Command[]}) {
	const lines = helpLines([...new Set<Command>([...commands, 'back', 'help', 'quit'])]);
	const width = Math.max(...lines.map(l => l.keys.length));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>Keys of this screen</Text>
			{lines.map(line => (
				<Text key={line.keys} wrap="truncate">
					<Text color="cyan">{line.keys.padEnd(width)}</Text> {line.help}
				</Text>
			))}
			<Text dimColor>Esc or ? closes this help.</Text>
		</Box>
	);
}
