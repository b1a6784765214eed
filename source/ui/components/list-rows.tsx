import {Box, Text} from 'ink';
import {memo, type ReactNode} from 'react';
import type {ListController} from '../lists/use-list.js';
import {BufferText} from './text-input.js';

type Props<T> = {
	list: ListController<T>;
	/** One row: it must fit one line (use `wrap="truncate"`). */
	render(item: T, selected: boolean): ReactNode;
	keyOf(item: T): string;
	/** What to say when nothing is listed. */
	empty?: string;
	/** Show the position and the filter under the rows. @default true */
	footer?: boolean;
};

/**
 * The window of a long list: the selected row marked with ❯, the filter as it is typed, and where the
 * window is (`120–140 of 3,200`). Only the rows on screen are rendered.
 */
export function ListRows<T>({list, render, keyOf, empty = 'nothing to show', footer = true}: Props<T>) {
	const {state, window, visible} = list;
	return (
		<Box flexDirection="column">
			<Box flexDirection="column" height={state.height} overflowY="hidden">
				{visible.length === 0 ? <Text dimColor>{state.query ? `nothing matches "${state.query}"` : empty}</Text> : null}
				{window.map(({item, index}) => (
					<Row key={keyOf(item)} selected={index === state.selected}>
						{render(item, index === state.selected)}
					</Row>
				))}
			</Box>
			{footer ? <ListFooter query={state.query} cursor={state.queryCursor} filtering={state.filtering} first={state.offset} shown={window.length} count={visible.length} /> : null}
		</Box>
	);
}

const Row = memo(function Row({selected, children}: {selected: boolean; children: ReactNode}) {
	return (
		<Box>
			<Text color="cyan">{selected ? '❯ ' : '  '}</Text>
			{/* Basis 0: the row takes what is left after the marker, never its text's width (a long text would push it one column past the edge). */}
			<Box flexGrow={1} flexBasis={0}>
				{children}
			</Box>
		</Box>
	);
});

function ListFooter({query, cursor, filtering, first, shown, count}: {query: string; cursor: number; filtering: boolean; first: number; shown: number; count: number}) {
	const position = count > shown ? `${first + 1}–${first + shown} of ${count.toLocaleString('en-US')}` : `${count.toLocaleString('en-US')} ${count === 1 ? 'item' : 'items'}`;
	return (
		<Text dimColor wrap="truncate">
			{filtering ? (
				<Text color="yellow">
					/<BufferText buffer={{text: query, cursor}} width={40} />{' '}
				</Text>
			) : query ? (
				<Text color="yellow">filter "{query}" (esc clears) </Text>
			) : null}
			{position}
		</Text>
	);
}
