/*
 * A long list's state, as a pure reducer: which item is selected, which rows are on screen (the window), and
 * the filter being typed. Lists with thousands of items (image tags, events) render only the window, and
 * filtering is one pass over the items' search text per keystroke.
 */

export type ListState = {
	/** Index into the visible (filtered) items. */
	selected: number;
	/** First visible row. */
	offset: number;
	/** The filter text; empty = no filter. */
	query: string;
	/** Where the cursor is in the filter text. */
	queryCursor: number;
	/** The filter is being typed: printable keys go to it. */
	filtering: boolean;
	/** Rows on screen. */
	height: number;
	/** How many items pass the filter. */
	count: number;
};

export type ListAction =
	| {type: 'up'}
	| {type: 'down'}
	| {type: 'page-up'}
	| {type: 'page-down'}
	| {type: 'first'}
	| {type: 'last'}
	| {type: 'select'; index: number}
	| {type: 'filter-start'}
	/** The filter changed (typed, erased, kept with Enter, cleared with Esc), and where the selection went. */
	| {type: 'filter'; query: string; cursor: number; filtering: boolean; selected: number; count: number}
	/** The items or the height changed: keep the selection in range and on screen. */
	| {type: 'resize'; height: number; count: number};

export function initialListState(count: number, height: number, selected = 0): ListState {
	return keep({selected, offset: 0, query: '', queryCursor: 0, filtering: false, height: Math.max(1, height), count});
}

/** Keeps the selection within the items and the window around it. */
function keep(state: ListState): ListState {
	const selected = state.count === 0 ? 0 : Math.min(Math.max(0, state.selected), state.count - 1);
	let offset = Math.min(state.offset, Math.max(0, state.count - state.height));
	if (selected < offset) offset = selected;
	if (selected >= offset + state.height) offset = selected - state.height + 1;
	return {...state, selected, offset: Math.max(0, offset)};
}

export function listReducer(state: ListState, action: ListAction): ListState {
	switch (action.type) {
		case 'up':
			return keep({...state, selected: state.selected - 1});
		case 'down':
			return keep({...state, selected: state.selected + 1});
		case 'page-up':
			return keep({...state, selected: state.selected - state.height, offset: state.offset - state.height});
		case 'page-down':
			return keep({...state, selected: state.selected + state.height, offset: state.offset + state.height});
		case 'first':
			return keep({...state, selected: 0, offset: 0});
		case 'last':
			return keep({...state, selected: state.count - 1});
		case 'select':
			return keep({...state, selected: action.index});
		case 'filter-start':
			return {...state, filtering: true, queryCursor: state.query.length};
		case 'filter':
			return keep({...state, query: action.query, queryCursor: action.cursor, filtering: action.filtering, selected: action.selected, count: action.count});
		case 'resize':
			return keep({...state, height: Math.max(1, action.height), count: action.count});
	}
}

/**
 * The items that pass a filter: every word of the query must appear in the item's search text (case
 * insensitive). `texts` are lower-cased search texts, in item order; returns item indexes.
 */
export function filterIndexes(texts: readonly string[], query: string): number[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	const out: number[] = [];
	for (let i = 0; i < texts.length; i++) {
		const text = texts[i]!;
		if (words.every(w => text.includes(w))) out.push(i);
	}
	return out;
}

/**
 * Where the selection goes when the filter changes: on the same item while it still passes (`previous`, an
 * item index); else on the first item that passes and is preferred (a stable release, not a pre-release or a
 * failure tag); else on the first that passes. `passing` are item indexes; returns an index into them.
 */
export function reselect(previous: number | undefined, passing: readonly number[], preferred?: readonly boolean[]): number {
	const same = previous === undefined ? -1 : passing.indexOf(previous);
	if (same !== -1) return same;
	const stable = preferred ? passing.findIndex(i => preferred[i]) : -1;
	return Math.max(0, stable);
}
