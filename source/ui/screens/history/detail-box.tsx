import {Box, Text} from 'ink';
import type {Detail} from './history-reducer.js';

/**
 * A row shown whole (reasons are long): a box with the row's lines wrapped, as tall as they need and never
 * taller than the screen gives it. Text in it has been made printable by whoever built the detail.
 */
export function DetailBox({detail, width, height}: {detail: Detail; width: number; height: number}) {
	// Borders and padding take 4 columns; title, "closes" line and borders take 4 rows.
	const inner = Math.max(10, width - 4);
	const needed = 4 + detail.lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / inner)), 0);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width} height={Math.max(3, Math.min(height, needed))} overflowY="hidden">
			<Text bold wrap="truncate">
				{detail.title}
			</Text>
			{detail.lines.map((line, i) => (
				<Text key={i} wrap="wrap">
					{line}
				</Text>
			))}
			<Text dimColor wrap="truncate">
				↵ or esc closes
			</Text>
		</Box>
	);
}
