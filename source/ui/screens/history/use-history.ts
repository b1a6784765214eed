import {useCallback, useEffect, useReducer, useRef} from 'react';
import {errorMessage} from '../../format.js';
import {historyReducer, initialHistoryState, type HistoryAction, type Loaded} from './history-reducer.js';
import {oldestLoaded} from './history-rows.js';
import type {EnvironmentLoad} from './use-environment.js';

/** A stack events page: one DescribeStackEvents page (AWS returns up to 100 events a page). */
export const eventsPageSize = 100;

/**
 * The history browser's data: each view's is asked of the engine the first time the view is shown; stack
 * events a page at a time (`loadMoreEvents`, as the operator scrolls), and further back on their own only
 * to reach the start of a deployment the operator picked.
 */
export function useHistory(load: EnvironmentLoad) {
	const [state, dispatch] = useReducer(historyReducer, initialHistoryState);
	const context = load.state === 'ready' ? load.context : undefined;
	const live = useRef(true);
	const eventsInFlight = useRef(false);
	useEffect(() => {
		live.current = true;
		return () => {
			live.current = false;
		};
	}, []);

	const fetch = useCallback(
		(what: Loaded['what']) => {
			if (!context) return;
			const {engine, recipe, environment, target} = context;
			dispatch({type: 'loading', what});
			const call: Promise<Loaded['data']> =
				what === 'deployments' ? engine.history(recipe, environment, target) : what === 'ecs' ? engine.serviceHistory(recipe, environment, target) : engine.stack(recipe, environment, target);
			call.then(
				data => live.current && dispatch({type: 'loaded', what, data} as HistoryAction),
				(cause: unknown) => live.current && dispatch({type: 'failed', what, message: errorMessage(cause)}),
			);
		},
		[context],
	);

	const fetchEvents = useCallback(
		(nextToken: string | undefined) => {
			if (!context || eventsInFlight.current) return;
			eventsInFlight.current = true;
			const {engine, recipe, environment, target} = context;
			dispatch({type: 'events-loading'});
			engine.events(recipe, environment, target, {limit: eventsPageSize, ...(nextToken ? {nextToken} : {})}).then(
				page => {
					eventsInFlight.current = false;
					if (live.current) dispatch({type: 'events-page', page});
				},
				(cause: unknown) => {
					eventsInFlight.current = false;
					if (live.current) dispatch({type: 'events-failed', message: errorMessage(cause)});
				},
			);
		},
		[context],
	);

	// Each view's data, the first time it is shown (and again after `retry`).
	useEffect(() => {
		if (!context) return;
		if (state.view === 'deployments' && state.deployments.state === 'idle') fetch('deployments');
		if (state.view === 'stack' && state.stack.state === 'idle') fetch('stack');
		if (state.view === 'events') {
			if (state.ecs.state === 'idle') fetch('ecs');
			if (!state.events.loaded && !state.events.loading && state.events.error === undefined) fetchEvents(undefined);
		}
	}, [context, state.view, state.deployments.state, state.stack.state, state.ecs.state, state.events.loaded, state.events.loading, state.events.error, fetch, fetchEvents]);

	// A deployment's events may be further back than the pages loaded: page back to its start, no further.
	const {scope} = state.filters;
	useEffect(() => {
		const {events} = state;
		if (!scope || !events.loaded || events.loading || events.error !== undefined || events.nextToken === undefined) return;
		const oldest = oldestLoaded(events.groups);
		if (oldest === undefined || oldest > scope.from) fetchEvents(events.nextToken);
	}, [scope, state.events, fetchEvents]);

	const loadMoreEvents = useCallback(() => {
		if (state.events.nextToken !== undefined && !state.events.loading && state.events.error === undefined) fetchEvents(state.events.nextToken);
	}, [state.events, fetchEvents]);

	return {state, dispatch, loadMoreEvents, context};
}
