/*
 * The live view's state, as pure reducers: which pane has the focus, and per pane where its cursor is (the
 * newest row while it follows the tail), its filter, and whether a row is opened whole.
 */

export const panes = ['events', 'deployment', 'tasks', 'service', 'problems', 'logs'] as const;
export type Pane = (typeof panes)[number];

/** A pane's cursor: `follow` keeps it on the newest row as rows arrive. */
export type PaneState = {cursor: number | 'follow'; query: string; filtering: boolean};

/** A row opened whole: which pane, which row (by key, so new rows do not change it), and how far it is scrolled. */
export type OpenDetails = {pane: Pane; key: string; offset: number};

export type LiveState = {
	focus: Pane;
	panes: Record<Pane, PaneState>;
	details?: OpenDetails;
	confirmCancel: boolean;
	/** The operator picked a pane (Tab): a failure no longer moves the focus to Problems. */
	focusChosen: boolean;
	/** The focus went to Problems once for this run's failure. */
	failureShown: boolean;
	/** The logs pane was opened (`l`, or Tab to it): the new tasks' logs are followed from then on. */
	logsShown: boolean;
};

export type LiveAction =
	/** Tab: the next pane; Shift+Tab: the one before (`by: -1`). */
	| {type: 'next-pane'; by?: 1 | -1}
	| {type: 'move'; by: number; count: number}
	| {type: 'first'}
	| {type: 'follow'}
	| {type: 'filter-start'}
	| {type: 'filter-type'; text: string}
	| {type: 'filter-erase'}
	| {type: 'filter-end'; keep: boolean}
	/** Enter: the row `key` of the focused pane opened whole; closed with Enter or Esc. */
	| {type: 'details'; key: string}
	| {type: 'details-close'}
	| {type: 'details-scroll'; offset: number}
	/** A failure was found (or the run ended badly): Problems takes the focus, unless the operator chose a pane. */
	| {type: 'failure'}
	/** `l`: the logs pane, in view and focused. */
	| {type: 'show-logs'}
	| {type: 'confirm-cancel'; open: boolean};

const pane = (): PaneState => ({cursor: 'follow', query: '', filtering: false});

export function initialLive(): LiveState {
	// Problems read from the top (the root cause first); the other panes follow their newest rows.
	return {focus: 'events', panes: {events: pane(), deployment: pane(), tasks: pane(), service: pane(), problems: {...pane(), cursor: 0}, logs: pane()}, confirmCancel: false, focusChosen: false, failureShown: false, logsShown: false};
}

/** The cursor's row among `count` rows. */
export function cursorIndex(state: PaneState, count: number): number {
	return state.cursor === 'follow' ? count - 1 : Math.max(0, Math.min(state.cursor, count - 1));
}

/** The first row of a window of `height` rows that keeps the cursor in view (on the bottom row when it can). */
export function windowStart(state: PaneState, count: number, height: number): number {
	const cursor = cursorIndex(state, count);
	return Math.max(0, Math.min(cursor - height + 1, count - height));
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
	const current = state.panes[state.focus];
	const set = (change: Partial<PaneState>) => ({...state, panes: {...state.panes, [state.focus]: {...current, ...change}}});
	switch (action.type) {
		case 'next-pane': {
			const {details: _closed, ...rest} = state;
			const focus = panes[(panes.indexOf(state.focus) + (action.by ?? 1) + panes.length) % panes.length]!;
			return {...rest, focus, focusChosen: true, logsShown: state.logsShown || focus === 'logs'};
		}
		case 'show-logs': {
			const {details: _closed, ...rest} = state;
			return {...rest, focus: 'logs', focusChosen: true, logsShown: true};
		}
		case 'move': {
			const from = cursorIndex(current, action.count);
			const to = Math.max(0, Math.min(action.count - 1, from + action.by));
			return set({cursor: to >= action.count - 1 && action.by > 0 ? 'follow' : to});
		}
		case 'first':
			return set({cursor: 0});
		case 'follow':
			return set({cursor: 'follow'});
		case 'filter-start':
			return set({filtering: true});
		case 'filter-type':
			return set({query: current.query + action.text, cursor: 'follow'});
		case 'filter-erase':
			return set({query: current.query.slice(0, -1), cursor: 'follow'});
		case 'filter-end':
			return set(action.keep ? {filtering: false} : {filtering: false, query: '', cursor: 'follow'});
		case 'details':
			return {...state, details: {pane: state.focus, key: action.key, offset: 0}};
		case 'details-close': {
			const {details: _closed, ...rest} = state;
			return rest;
		}
		case 'details-scroll':
			return state.details ? {...state, details: {...state.details, offset: action.offset}} : state;
		case 'failure':
			if (state.failureShown || state.focusChosen) return {...state, failureShown: true};
			return {...state, focus: 'problems', failureShown: true, panes: {...state.panes, problems: {...state.panes.problems, cursor: 0}}};
		case 'confirm-cancel':
			return {...state, confirmCancel: action.open};
	}
}

/** Rows whose text has every word of the query (case-insensitive). */
export function filterRows<T>(rows: readonly T[], query: string, text: (row: T) => string): readonly T[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return rows;
	return rows.filter(row => {
		const t = text(row).toLowerCase();
		return words.every(w => t.includes(w));
	});
}

/** The layout for a terminal: panes side by side when there is room, else one pane at a time (tabs). */
export function liveLayout(width: number, height: number): 'grid' | 'tabs' {
	return width >= 110 && height >= 30 ? 'grid' : 'tabs';
}
