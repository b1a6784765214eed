import {Box, Text} from 'ink';
import {ScrollText, wrapLines, type TextLine} from './scroll-text.js';

/** A row opened whole: a title and its text (reasons, hints, log lines are long). */
export type Details = {title: string; lines: readonly TextLine[]};

/** Columns the border and padding take; rows the border, the title and the key line take. */
const sides = 4;
const chrome = 4;

/** The details' rows as the box wraps them at `width` (for keys that scroll: they need the total). */
export function detailRows(details: Details, width: number): TextLine[] {
	return wrapLines(details.lines, width - sides);
}

/** The rows of text the box shows at `height`. */
export function detailHeight(height: number): number {
	return Math.max(1, height - chrome);
}

/**
 * A row shown whole: its text wrapped to the box, scrollable (↑↓ PgUp/PgDn Home/End) when it is taller than
 * the box, closed with Enter or Esc. As tall as its text needs, never taller than `height`.
 */
export function DetailsView({details, width, height, offset}: {details: Details; width: number; height: number; offset: number}) {
	const rows = detailRows(details, width);
	const text = detailHeight(height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width} height={Math.min(height, rows.length + chrome + (rows.length > text ? 1 : 0))} overflowY="hidden">
			<Text bold wrap="truncate">
				{details.title}
			</Text>
			<ScrollText rows={rows} height={text} offset={offset} />
			<Text dimColor wrap="truncate">
				{rows.length > text ? '↑↓ PgUp/PgDn scroll · ' : ''}↵ or esc closes
			</Text>
		</Box>
	);
}
