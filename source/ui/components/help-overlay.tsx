import {Box, Text} from 'ink';
import {helpLines, layoutHelp} from '../input/help.js';
import type {Command} from '../input/keymap.js';

type Props = {commands: readonly Command[]; width: number; height: number};

/** Rows the overlay uses besides the help: its border (2) and its title (1). */
export const helpChrome = 3;

/**
 * `?`: every key of the screen and of the global layer, each once, with what it does, from the keymap the
 * handlers use; in columns when one does not fit the screen.
 */
export function HelpOverlay({commands, width, height}: Props) {
	const layout = layoutHelp(helpLines(commands), width - 4, height - helpChrome);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width} height={height}>
			<Text bold>Keys of this screen</Text>
			<Box>
				{layout.columns.map((column, c) => (
					<Box key={c} flexDirection="column" width={layout.columnWidth} marginLeft={c === 0 ? 0 : 2}>
						{column.map((row, i) => (
							<Text key={i} wrap="truncate">
								<Text color="cyan">{row.keys.padEnd(layout.keyWidth)}</Text> {row.text}
							</Text>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
