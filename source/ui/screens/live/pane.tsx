import {Box, Text} from 'ink';
import {memo, type ReactNode} from 'react';
import {cursorIndex, windowStart, type PaneState} from './live-reducer.js';

type FrameProps = {title: string; focused: boolean; height: number; width?: number | string; note?: string; children: ReactNode};

/** A fixed-height pane with a title; the focused one is framed in cyan. */
export function PaneFrame({title, focused, height, width, note, children}: FrameProps) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} height={height} {...(width === undefined ? {flexGrow: 1} : {width})} overflowY="hidden">
			<Text bold={focused} color={focused ? 'cyan' : undefined} wrap="truncate">
				{title}
				{note ? <Text dimColor> {note}</Text> : null}
			</Text>
			{children}
		</Box>
	);
}

type RowsProps<T> = {
	rows: readonly T[];
	state: PaneState;
	/** Rows on screen. */
	height: number;
	focused: boolean;
	keyOf(row: T): string;
	render(row: T): ReactNode;
	empty: string;
};

/**
 * The window of a pane's rows: the tail while it follows, else around the cursor (marked when focused).
 * One memoised line per row, keyed by id, so a new event renders one new row.
 */
export function PaneRows<T>({rows, state, height, focused, keyOf, render, empty}: RowsProps<T>) {
	const lines = Math.max(1, height);
	if (rows.length === 0) return <Text dimColor>{state.query ? `nothing matches "${state.query}"` : empty}</Text>;
	const start = windowStart(state, rows.length, lines);
	const cursor = cursorIndex(state, rows.length);
	return (
		<Box flexDirection="column" height={lines} overflowY="hidden">
			{rows.slice(start, start + lines).map((row, i) => (
				<Line key={keyOf(row)} marked={focused && state.cursor !== 'follow' && start + i === cursor}>
					{render(row)}
				</Line>
			))}
		</Box>
	);
}

const Line = memo(function Line({marked, children}: {marked: boolean; children: ReactNode}) {
	return (
		<Box>
			{marked ? <Text color="cyan">❯</Text> : null}
			{/* Basis 0: the row takes what is left after the marker, never its text's width (a long row would run past the pane's border). */}
			<Box flexGrow={1} flexBasis={0}>
				{children}
			</Box>
		</Box>
	);
});

/** The filter of a pane as it is typed, or the hint. */
export function PaneFilter({state}: {state: PaneState}) {
	if (state.filtering) return <Text color="yellow">/{state.query}▌</Text>;
	if (state.query) return <Text color="yellow">filter "{state.query}"</Text>;
	return null;
}

/** A pane's rows with its filter line under them, when a filter is typed or set. */
export function FilterableRows<T>(props: RowsProps<T>) {
	const {state, height} = props;
	return (
		<>
			<PaneRows {...props} height={height - (state.query || state.filtering ? 1 : 0)} />
			<PaneFilter state={state} />
		</>
	);
}
