import type {Key} from 'ink';
import {useEffect, useMemo, useReducer, useRef} from 'react';
import {matches} from '../input/keymap.js';
import {useServices} from '../services.js';
import {filterIndexes, initialListState, listReducer, type ListAction, type ListState} from './list-state.js';

/** A long list's controls: the screen's one input handler offers each key to `handleKey` first. */
export type ListController<T> = {
	state: ListState;
	/** The items that pass the filter. */
	visible: readonly T[];
	selected: T | undefined;
	/** The rows on screen: the visible items from `state.offset`, `state.height` of them. */
	window: ReadonlyArray<{item: T; index: number}>;
	/** Handles list keys (moving, paging, filtering); true when the key was the list's. */
	handleKey(input: string, key: Key): boolean;
	select(index: number): void;
};

export type ListOptions<T> = {
	/** The text the filter searches. */
	text(item: T): string;
	/** Rows on screen. */
	height: number;
	/** The item selected first (e.g. the default tag). */
	initial?: (item: T) => boolean;
	/** Whether `/` filters this list. @default true */
	filterable?: boolean;
};

/**
 * A list with a window, paging and a filter typed after `/`. Only the window is rendered; filtering is one
 * pass over precomputed lower-case texts, so a list of 10,000 tags stays quick to type in.
 */
export function useList<T>(items: readonly T[], options: ListOptions<T>): ListController<T> {
	const texts = useMemo(() => items.map(item => options.text(item).toLowerCase()), [items]);
	const initialIndex = useMemo(() => Math.max(0, options.initial ? items.findIndex(options.initial) : 0), [items]);
	const [state, react] = useReducer(listReducer, undefined, () => initialListState(items.length, options.height, initialIndex));
	// The state as of the last key, not the last frame: a key typed (or pasted) before the next frame must
	// see what the keys before it did (after `/`, the next character is filter text). The reducer is pure, so
	// running it here as well as in React gives the same state.
	const current = useRef(state);
	current.current = state;
	const {setTyping} = useServices();
	const dispatch = (action: ListAction) => {
		const next = listReducer(current.current, action);
		// The shell must know at once that the printable keys are filter text (`/q` filters, it does not quit).
		if (next.filtering !== current.current.filtering) setTyping(next.filtering);
		current.current = next;
		react(action);
	};
	const indexes = useMemo(() => (state.query === '' ? undefined : filterIndexes(texts, state.query)), [texts, state.query]);
	const visible = useMemo(() => (indexes === undefined ? items : indexes.map(i => items[i]!)), [items, indexes]);
	useEffect(() => dispatch({type: 'resize', height: options.height, count: visible.length}), [options.height, visible.length]);
	// New items (a reload): go back to the initial selection.
	useEffect(() => {
		dispatch({type: 'select', index: initialIndex});
	}, [items, initialIndex]);

	const rows = Math.max(1, options.height);
	const window = useMemo(() => visible.slice(state.offset, state.offset + rows).map((item, i) => ({item, index: state.offset + i})), [visible, state.offset, rows]);
	const filterable = options.filterable ?? true;
	return {
		state,
		visible,
		selected: visible[state.selected],
		window,
		select: index => dispatch({type: 'select', index}),
		handleKey(input, key) {
			const state = current.current;
			if (state.filtering) {
				if (key.escape) dispatch({type: 'filter-clear'});
				else if (key.return) dispatch({type: 'filter-keep'});
				else if (key.backspace || key.delete) dispatch({type: 'filter-erase'});
				else if (key.upArrow) dispatch({type: 'up'});
				else if (key.downArrow) dispatch({type: 'down'});
				else if (input && !key.ctrl && !key.meta && !key.tab) dispatch({type: 'filter-type', text: input});
				else return false;
				return true;
			}
			if (filterable && matches('filter', input, key)) dispatch({type: 'filter-start'});
			else if (filterable && key.escape && state.query !== '') dispatch({type: 'filter-clear'});
			else if (matches('up', input, key)) dispatch({type: 'up'});
			else if (matches('down', input, key)) dispatch({type: 'down'});
			else if (matches('pageUp', input, key)) dispatch({type: 'page-up'});
			else if (matches('pageDown', input, key)) dispatch({type: 'page-down'});
			else if (matches('first', input, key)) dispatch({type: 'first'});
			else if (matches('last', input, key)) dispatch({type: 'last'});
			else return false;
			return true;
		},
	};
}
