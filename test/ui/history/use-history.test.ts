import {describe, expect, test} from 'vitest';
import type {DeploymentRow} from '../../../source/engine/history/history.js';
import {deploymentScope, escapeAction, historyReducer, initialHistoryState, reachesEnd, type HistoryState} from '../../../source/ui/screens/history/history-reducer.js';

const row: DeploymentRow = {project: 'app', environment: 'dev', version: '1.2.0', target: 'prod', stackName: 'app-dev', startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:04:00.000Z', outcome: 'succeeded', current: true, running: true};

describe('history browser state', () => {
	test('1-3 and Tab switch views; e switches the events side; opening a row closes when the view changes', () => {
		let state = historyReducer(initialHistoryState, {type: 'next-view'});
		expect(state.view).toBe('events');
		state = historyReducer(historyReducer(state, {type: 'next-view'}), {type: 'next-view'});
		expect(state.view).toBe('deployments');
		state = historyReducer({...state, detail: {title: 't', lines: []}}, {type: 'view', view: 'stack'});
		expect(state).toMatchObject({view: 'stack', detail: undefined});
		expect(historyReducer(state, {type: 'pane'}).pane).toBe('ecs');
	});

	test("Enter on a deployment: the events view, scoped to the deployment's time (now, while it runs)", () => {
		const state = historyReducer({...initialHistoryState, filters: {status: 'failed', resource: 'Service'}}, {type: 'show-deployment', scope: deploymentScope(row, 0)});
		expect(state).toMatchObject({view: 'events', pane: 'stack', filters: {status: 'all', scope: {label: 'deployment of 1.2.0 (succeeded)', from: Date.parse(row.startedAt), to: Date.parse(row.finishedAt!)}}});
		const {finishedAt: _, ...running} = row;
		expect(deploymentScope({...running, outcome: 'in progress'}, 12_345).to).toBe(12_345);
	});

	test('f toggles the resource; s cycles the status; Esc closes a row first, then drops the filters, then goes back', () => {
		let state: HistoryState = {...initialHistoryState, view: 'events'};
		state = historyReducer(state, {type: 'resource', resource: 'Service'});
		expect(state.filters.resource).toBe('Service');
		expect(historyReducer(state, {type: 'resource', resource: 'Service'}).filters.resource).toBeUndefined();
		state = historyReducer(state, {type: 'status'});
		expect(state.filters.status).toBe('failed');
		state = {...state, detail: {title: 'x', lines: []}};
		expect(escapeAction(state)).toEqual({type: 'close-detail'});
		state = historyReducer(state, escapeAction(state)!);
		expect(escapeAction(state)).toEqual({type: 'clear-filters'});
		state = historyReducer(state, escapeAction(state)!);
		expect(state.filters).toEqual({status: 'all'});
		expect(escapeAction(state)).toBeUndefined();
	});

	test('events arrive in pages; a failed page keeps what was loaded; r asks again only for what failed in the view', () => {
		let state = historyReducer({...initialHistoryState, view: 'events'}, {type: 'events-loading'});
		state = historyReducer(state, {type: 'events-page', page: {operations: [{operation: 'op', events: []}], nextToken: '100'}});
		expect(state.events).toMatchObject({loaded: true, loading: false, pages: 1, nextToken: '100'});
		state = historyReducer(historyReducer(state, {type: 'events-loading'}), {type: 'events-failed', message: 'Throttling: Rate exceeded'});
		state = historyReducer(state, {type: 'failed', what: 'ecs', message: 'AccessDenied'});
		state = historyReducer(state, {type: 'failed', what: 'stack', message: 'AccessDenied'});
		expect(state.events).toMatchObject({pages: 1, nextToken: '100', error: 'Throttling: Rate exceeded'});
		state = historyReducer(state, {type: 'retry'});
		expect(state.events.error).toBeUndefined();
		expect(state.ecs).toEqual({state: 'idle'});
		expect(state.stack).toEqual({state: 'error', message: 'AccessDenied'});
		state = historyReducer(state, {type: 'events-page', page: {operations: []}});
		expect(state.events.nextToken).toBeUndefined();
	});

	test('the next page is asked for once a move down brings the selection within a page of the end', () => {
		expect(reachesEnd('row', 0, 16, 100)).toBe(false);
		expect(reachesEnd('row', 82, 16, 100)).toBe(true);
		expect(reachesEnd('page', 60, 16, 100)).toBe(false);
		expect(reachesEnd('page', 70, 16, 100)).toBe(true);
		expect(reachesEnd('end', 0, 16, 100)).toBe(true);
		// Nothing passes the filters: moving down asks for more.
		expect(reachesEnd('row', 0, 16, 0)).toBe(true);
	});
});
