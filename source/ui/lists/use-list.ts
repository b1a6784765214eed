import {useMemo, useReducer, useRef, useState} from 'react';
import {matches, textCommands, type Command} from '../input/keymap.js';
import type {Key} from '../input/keys.js';
import {editText, type TextBuffer} from '../input/text-edit.js';
import {filterIndexes, initialListState, listReducer, reselect, type ListAction, type ListState} from './list-state.js';

/** The keys of a list, for a screen's footer and help. */
export const listCommands: readonly Command[] = ['up', 'down', 'pageUp', 'pageDown', 'first', 'last', 'filter'];

/** The keys while a list's filter is typed. */
export const filteringCommands: readonly Command[] = ['filterKeep', 'filterClear', 'moveUp', 'moveDown', 'pageUp', 'pageDown', ...textCommands];

/** A long list's controls: the screen's one input handler offers each key to `handleKey` first. */
export type ListController<T> = {
	state: ListState;
	/** The items that pass the filter. */
	visible: readonly T[];
	selected: T | undefined;
	/** The rows on screen: the visible items from `state.offset`, `state.height` of them. */
	window: ReadonlyArray<{item: T; index: number}>;
	/**
	 * Handles the list's keys: moving, paging, `/` and the filter's text while it is typed, Esc to clear a
	 * filter. True when the key was the list's (a screen goes back on Esc only when the list had no filter).
	 */
	handleKey(key: Key): boolean;
	select(index: number): void;
};

export type ListOptions<T> = {
	/** The text the filter searches. */
	text(item: T): string;
	/** Rows on screen. */
	height: number;
	/** The item selected first (e.g. the default tag). */
	initial?: (item: T) => boolean;
	/**
	 * Items the selection prefers when the filter drops the selected one (stable releases over pre-releases
	 * and failure tags). @default every item
	 */
	preferred?: (item: T) => boolean;
	/** Whether `/` filters this list. @default true */
	filterable?: boolean;
};

/**
 * A list with a window, paging and a filter typed after `/`. Only the window is rendered; filtering is one
 * pass over precomputed lower-case texts, so a list of 10,000 tags stays quick to type in. While the filter
 * changes, the selection stays on its item if it still passes, else goes to the first preferred item.
 */
export function useList<T>(items: readonly T[], options: ListOptions<T>): ListController<T> {
	const texts = useMemo(() => items.map(item => options.text(item).toLowerCase()), [items]);
	const preferred = useMemo(() => (options.preferred ? items.map(options.preferred) : undefined), [items]);
	const initialIndex = useMemo(() => Math.max(0, options.initial ? items.findIndex(options.initial) : 0), [items]);
	const [state, react] = useReducer(listReducer, undefined, () => initialListState(items.length, options.height, initialIndex));
	// The state as of the last key: the reducer is pure, so running it here as well as in React gives the same state.
	const current = useRef(state);
	current.current = state;
	const dispatch = (action: ListAction) => {
		current.current = listReducer(current.current, action);
		react(action);
	};
	// The item indexes that pass a query (the last one asked is kept: each key asks for the one before it).
	const cache = useRef<{texts: readonly string[]; query: string; indexes: readonly number[] | undefined}>({texts, query: '', indexes: undefined});
	const passing = (query: string): readonly number[] | undefined => {
		if (query === '') return undefined;
		if (cache.current.texts !== texts || cache.current.query !== query) cache.current = {texts, query, indexes: filterIndexes(texts, query)};
		return cache.current.indexes;
	};
	const itemAt = (query: string, selected: number) => {
		const indexes = passing(query);
		return indexes === undefined ? (selected < items.length ? selected : undefined) : indexes[selected];
	};
	const setFilter = (buffer: TextBuffer, filtering: boolean) => {
		const now = current.current;
		const previous = itemAt(now.query, now.selected);
		const after = passing(buffer.text) ?? items.map((_, i) => i);
		dispatch({type: 'filter', query: buffer.text, cursor: buffer.cursor, filtering, selected: reselect(previous, after, preferred), count: after.length});
	};

	const indexes = passing(state.query);
	const visible = useMemo(() => (indexes === undefined ? items : indexes.map(i => items[i]!)), [items, indexes]);
	// A new height or item count, and new items (a reload: the initial item, when it passes the filter), are
	// taken while rendering, as React allows for state that follows props: no frame shows the old window or
	// selection over the new items.
	const [seen, setSeen] = useState({height: options.height, count: visible.length, items, initialIndex});
	const resized = seen.height !== options.height || seen.count !== visible.length;
	const reloaded = seen.items !== items || seen.initialIndex !== initialIndex;
	if (resized || reloaded) {
		setSeen({height: options.height, count: visible.length, items, initialIndex});
		if (resized) dispatch({type: 'resize', height: options.height, count: visible.length});
		if (reloaded) {
			const shown = passing(current.current.query);
			dispatch({type: 'select', index: shown === undefined ? initialIndex : reselect(initialIndex, shown, preferred)});
		}
	}

	const rows = Math.max(1, options.height);
	const window = useMemo(() => visible.slice(state.offset, state.offset + rows).map((item, i) => ({item, index: state.offset + i})), [visible, state.offset, rows]);
	const filterable = options.filterable ?? true;
	return {
		state,
		visible,
		selected: visible[state.selected],
		window,
		select: index => dispatch({type: 'select', index}),
		handleKey(key) {
			const now = current.current;
			if (now.filtering) {
				if (matches('filterKeep', key)) setFilter({text: now.query, cursor: now.queryCursor}, false);
				else if (matches('filterClear', key)) setFilter({text: '', cursor: 0}, false);
				// Only the arrows and the paging keys move while the filter is typed: j and k are letters of it,
				// Home and End move in its text.
				else if (matches('moveUp', key)) dispatch({type: 'up'});
				else if (matches('moveDown', key)) dispatch({type: 'down'});
				else if (matches('pageUp', key)) dispatch({type: 'page-up'});
				else if (matches('pageDown', key)) dispatch({type: 'page-down'});
				else {
					const edited = editText({text: now.query, cursor: now.queryCursor}, key);
					if (edited === undefined) return false;
					setFilter(edited, true);
				}
				return true;
			}
			if (filterable && matches('filter', key)) dispatch({type: 'filter-start'});
			else if (filterable && matches('filterClear', key) && now.query !== '') setFilter({text: '', cursor: 0}, false);
			else return move(key, dispatch);
			return true;
		},
	};
}

/** The moving keys of a list; true when the key was one. */
function move(key: Key, dispatch: (action: ListAction) => void): boolean {
	if (matches('up', key)) dispatch({type: 'up'});
	else if (matches('down', key)) dispatch({type: 'down'});
	else if (matches('pageUp', key)) dispatch({type: 'page-up'});
	else if (matches('pageDown', key)) dispatch({type: 'page-down'});
	else if (matches('first', key)) dispatch({type: 'first'});
	else if (matches('last', key)) dispatch({type: 'last'});
	else return false;
	return true;
}
