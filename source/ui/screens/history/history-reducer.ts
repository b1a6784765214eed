import {wordingOf} from '../../../domain/vocabulary.js';
import type {DeploymentRow, EventPage} from '../../../engine/history/history.js';
import type {ServiceHistory} from '../../../engine/history/service-history.js';
import type {StackDetails} from '../../../engine/history/stack-details.js';
import {mergeEventPage, nextStatusFilter, type EventFilters, type EventGroup, type EventScope} from './history-rows.js';

/*
 * The history browser's state as a pure reducer: which view is shown, what each view loaded from the engine
 * (stack events a page at a time), the events' filters and the row opened whole; and what keys make of it.
 */

/** Something asked of the engine: not yet, on its way, here, or the error AWS gave. */
export type Load<T> = {state: 'idle'} | {state: 'loading'} | {state: 'ready'; data: T} | {state: 'error'; message: string};

/** The history browser's views, in the order `1`-`3` and Tab go through them. */
export const historyViews = ['deployments', 'events', 'stack'] as const;
/** One of the history browser's views. */
export type HistoryView = (typeof historyViews)[number];

/** Row text shown whole in a box (Enter on a row: reasons are long). */
export type Detail = {title: string; lines: string[]};

/** The stack events loaded so far: pages of DescribeStackEvents, newest first, grouped by operation. */
export type EventsState = {groups: EventGroup[]; nextToken?: string; loading: boolean; loaded: boolean; pages: number; error?: string};

/** Everything the history browser shows and how: the view, each view's data, filters, the open row. */
export type HistoryState = {
	view: HistoryView;
	/** The events view's focused side: the stack events or the ECS service. */
	pane: 'stack' | 'ecs';
	deployments: Load<DeploymentRow[]>;
	events: EventsState;
	ecs: Load<ServiceHistory>;
	stack: Load<StackDetails>;
	filters: EventFilters;
	detail?: Detail;
};

/** What an engine call brought, by the state field it fills. */
export type Loaded = {what: 'deployments'; data: DeploymentRow[]} | {what: 'ecs'; data: ServiceHistory} | {what: 'stack'; data: StackDetails};

/** What changes the history browser's state: keys, and the engine's answers. */
export type HistoryAction =
	| {type: 'view'; view: HistoryView}
	/** Tab: the next view; Shift+Tab: the one before (`by: -1`). */
	| {type: 'next-view'; by?: 1 | -1}
	| {type: 'pane'}
	| {type: 'loading'; what: Loaded['what']}
	| ({type: 'loaded'} & Loaded)
	| {type: 'failed'; what: Loaded['what']; message: string}
	| {type: 'events-loading'}
	| {type: 'events-page'; page: Pick<EventPage, 'operations' | 'nextToken'>}
	| {type: 'events-failed'; message: string}
	/** Retry: errored loads of the view go back to idle (and are asked again). */
	| {type: 'retry'}
	/** Enter on a deployment: its events (the operations that ran in its time). */
	| {type: 'show-deployment'; scope: EventScope}
	/** `f`: only this resource's events; the same resource again: all of them. */
	| {type: 'resource'; resource: string}
	| {type: 'status'}
	| {type: 'clear-filters'}
	| {type: 'detail'; detail: Detail}
	| {type: 'close-detail'};

/** The deployments view, nothing asked of the engine yet. */
export const initialHistoryState: HistoryState = {
	view: 'deployments',
	pane: 'stack',
	deployments: {state: 'idle'},
	events: {groups: [], loading: false, loaded: false, pages: 0},
	ecs: {state: 'idle'},
	stack: {state: 'idle'},
	filters: {status: 'all'},
};

/** The history browser's state: which view, what was loaded (paged, for events), filters and the open row. */
export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
	switch (action.type) {
		case 'view':
			return {...state, view: action.view, detail: undefined};
		case 'next-view':
			return {...state, view: historyViews[(historyViews.indexOf(state.view) + (action.by ?? 1) + historyViews.length) % historyViews.length]!, detail: undefined};
		case 'pane':
			return {...state, pane: state.pane === 'stack' ? 'ecs' : 'stack', detail: undefined};
		case 'loading':
			return {...state, [action.what]: {state: 'loading'}};
		case 'loaded':
			return {...state, [action.what]: {state: 'ready', data: action.data}};
		case 'failed':
			return {...state, [action.what]: {state: 'error', message: action.message}};
		case 'events-loading':
			return {...state, events: {...state.events, loading: true, error: undefined}};
		case 'events-page': {
			const {nextToken} = action.page;
			return {
				...state,
				events: {groups: mergeEventPage(state.events.groups, action.page.operations), ...(nextToken ? {nextToken} : {}), loading: false, loaded: true, pages: state.events.pages + 1},
			};
		}
		case 'events-failed':
			return {...state, events: {...state.events, loading: false, error: action.message}};
		case 'retry': {
			const reset = <T>(load: Load<T>): Load<T> => (load.state === 'error' ? {state: 'idle'} : load);
			const events = state.events.error === undefined ? state.events : {...state.events, error: undefined};
			if (state.view === 'deployments') return {...state, deployments: reset(state.deployments)};
			if (state.view === 'stack') return {...state, stack: reset(state.stack)};
			return {...state, events, ecs: reset(state.ecs)};
		}
		case 'show-deployment':
			return {...state, view: 'events', pane: 'stack', filters: {status: 'all', scope: action.scope}, detail: undefined};
		case 'resource':
			return {...state, filters: {...state.filters, ...(state.filters.resource === action.resource ? {resource: undefined} : {resource: action.resource})}};
		case 'status':
			return {...state, filters: {...state.filters, status: nextStatusFilter(state.filters.status)}};
		case 'clear-filters':
			return {...state, filters: {status: 'all'}};
		case 'detail':
			return {...state, detail: action.detail};
		case 'close-detail':
			return {...state, detail: undefined};
	}
}

/** Whether the events have a filter of the browser's own (resource, status or a deployment's time). */
export function hasEventFilters(filters: EventFilters): boolean {
	return filters.resource !== undefined || filters.status !== 'all' || filters.scope !== undefined;
}

/** What Esc does before it goes back: close the open row, then drop the events' filters. */
export function escapeAction(state: HistoryState): HistoryAction | undefined {
	if (state.detail) return {type: 'close-detail'};
	if (state.view === 'events' && hasEventFilters(state.filters)) return {type: 'clear-filters'};
	return undefined;
}

/** The scope of a deployment's events: from when it started to when it ended (now, while it runs). */
export function deploymentScope(row: DeploymentRow, now: number): EventScope {
	return {label: `deployment of ${row.version} (${wordingOf(row.outcome).words})`, from: Date.parse(row.startedAt), to: row.finishedAt ? Date.parse(row.finishedAt) : now};
}

/**
 * Whether a move down (one row, a page, to the end) brings the selection within a page of the end of the
 * loaded events: then the next page is asked for, so it is there by the time the operator reaches it.
 */
export function reachesEnd(move: 'row' | 'page' | 'end', selected: number, height: number, count: number): boolean {
	const after = move === 'end' ? count - 1 : move === 'page' ? selected + height : selected + 1;
	return after + height >= count - 1;
}
