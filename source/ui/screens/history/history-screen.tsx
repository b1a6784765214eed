import {Box, Text} from 'ink';
import {useMemo, useRef, useState} from 'react';
import {DetailsView, detailHeight, detailRows} from '../../components/details-view.js';
import {scrollOffset} from '../../components/scroll-text.js';
import {printable} from '../../../domain/text.js';
import type {DeploymentRow} from '../../../engine/history/history.js';
import {matches, type Command} from '../../input/keymap.js';
import type {Key} from '../../input/keys.js';
import {useKeys} from '../../input/use-keys.js';
import {filteringCommands, listCommands, useList, type ListController} from '../../lists/use-list.js';
import {useCommands} from '../../services.js';
import {DeploymentsView} from './deployments-view.js';
import {EventsView} from './events-view.js';
import {EventsNotice, Tabs} from './history-bars.js';
import {deploymentScope, escapeAction, reachesEnd, type HistoryState} from './history-reducer.js';
import {ecsRows, eventDetail, eventRows, operationDetail, stackLines, type EcsRow, type EventRow, type StackLine} from './history-rows.js';
import {Loading} from './load-notice.js';
import {StackView} from './stack-view.js';
import {useEnvironment} from './use-environment.js';
import {useHistory} from './use-history.js';

type Props = {file: string; environment: string; height: number; width: number};

const none: readonly never[] = [];

/**
 * `h`: the history of an environment in three views: its deployments (Enter: that deployment's stack
 * events), the stack events by operation with the ECS side, and the stack itself.
 */
export function HistoryScreen({file, environment, height, width}: Props) {
	const load = useEnvironment(file, environment);
	const {state, dispatch, loadMoreEvents} = useHistory(load);
	const body = Math.max(3, height - 2);
	const deploymentItems = state.deployments.state === 'ready' ? state.deployments.data : none;
	const deployments = useList<DeploymentRow>(deploymentItems, {text: d => `${d.version} ${d.outcome} ${d.by ?? ''} ${d.startedAt}`, height: body - (width >= 120 ? 1 : 2)});
	const eventItems = useMemo(() => eventRows(state.events.groups, state.filters), [state.events.groups, state.filters]);
	// Keep the selected event selected when older pages arrive or a filter changes.
	const selectedEvent = useRef<string | undefined>(undefined);
	const events = useList<EventRow>(eventItems, {text: row => row.text, height: body - 2, initial: row => row.key === selectedEvent.current});
	selectedEvent.current = events.selected?.key;
	const ecsItems = useMemo(() => (state.ecs.state === 'ready' ? ecsRows(state.ecs.data) : none), [state.ecs]);
	const ecs = useList<EcsRow>(ecsItems, {text: row => row.text, height: body - 2});
	const stackItems = useMemo(() => (state.stack.state === 'ready' ? stackLines(state.stack.data) : none), [state.stack]);
	const stack = useList<StackLine>(stackItems, {text: line => line.text, height: body - 1});
	const active: ListController<unknown> = state.view === 'deployments' ? deployments : state.view === 'stack' ? stack : state.pane === 'ecs' ? ecs : events;

	useCommands(commandsFor(state, active.state.filtering));
	// A row opened whole scrolls (↑↓ PgUp/PgDn) when it is taller than the screen.
	const [detailOffset, setDetailOffset] = useState(0);
	const details = useMemo(() => (state.detail ? {title: state.detail.title, lines: state.detail.lines.map(text => ({text}))} : undefined), [state.detail]);
	useKeys(key => {
		if (state.detail) {
			if (matches('closeDetail', key)) dispatch({type: 'close-detail'});
			else {
				const offset = details ? scrollOffset(key, detailOffset, detailRows(details, width).length, detailHeight(body) - 1) : undefined;
				if (offset === undefined) return false;
				setDetailOffset(offset);
			}
			return true;
		}
		const move = active === events && !events.state.filtering ? downMove(key) : undefined;
		if (active.handleKey(key)) {
			if (move && reachesEnd(move, events.state.selected, events.state.height, events.visible.length)) loadMoreEvents();
			return true;
		}
		if (matches('deploymentsView', key)) dispatch({type: 'view', view: 'deployments'});
		else if (matches('eventsView', key)) dispatch({type: 'view', view: 'events'});
		else if (matches('stackView', key)) dispatch({type: 'view', view: 'stack'});
		else if (matches('nextView', key)) dispatch({type: 'next-view'});
		else if (matches('previousView', key)) dispatch({type: 'next-view', by: -1});
		else if (matches('retry', key)) dispatch({type: 'retry'});
		else if (state.view === 'deployments' && matches('deploymentEvents', key) && deployments.selected) dispatch({type: 'show-deployment', scope: deploymentScope(deployments.selected, Date.now())});
		else if (state.view === 'events' && matches('ecsSide', key)) dispatch({type: 'pane'});
		else if (active === events && matches('statusFilter', key)) dispatch({type: 'status'});
		else if (active === events && matches('resourceFilter', key) && events.selected?.kind === 'event') dispatch({type: 'resource', resource: events.selected.event.logicalId});
		else if (matches('details', key)) {
			const detail = detailOf(state, events.selected, ecs.selected, stack.selected);
			if (detail) {
				setDetailOffset(0);
				dispatch({type: 'detail', detail});
			}
		} else if (matches('back', key)) {
			// Esc clears the event filters first (the list's own filter went first), then goes back.
			const action = escapeAction(state);
			if (!action) return false;
			dispatch(action);
		} else return false;
		return true;
	});

	if (load.state !== 'ready') {
		return (
			<Box flexDirection="column" height={height}>
				<Tabs view={state.view} environment={environment} />
				{load.state === 'error' ? <Text color="red">{load.message}</Text> : <Loading what={load.state === 'connecting' ? 'connecting…' : 'reading the recipe…'} />}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Tabs view={state.view} environment={environment} />
			<Notice state={state} count={deployments.visible.length} />
			{details ? (
				<DetailsView details={details} width={width} height={body} offset={detailOffset} />
			) : state.view === 'deployments' ? (
				<DeploymentsView list={deployments} load={state.deployments} environment={environment} width={width} height={body} />
			) : state.view === 'events' ? (
				<EventsView events={events} ecs={ecs} state={state} width={width} height={body} />
			) : (
				<StackView list={stack} load={state.stack} />
			)}
		</Box>
	);
}

function Notice({state, count}: {state: HistoryState; count: number}) {
	if (state.view === 'events') return <EventsNotice events={state.events} filters={state.filters} />;
	if (state.view === 'stack') {
		const stack = state.stack.state === 'ready' ? state.stack.data : undefined;
		return <Text dimColor wrap="truncate">{stack ? `stack ${printable(stack.stackName)}${stack.status ? ` · ${stack.status}` : ''}` : ' '}</Text>;
	}
	return <Text dimColor wrap="truncate">{state.deployments.state === 'ready' ? `${count} ${count === 1 ? 'deployment' : 'deployments'}, newest first, as this workspace recorded them and AWS confirmed` : ' '}</Text>;
}

/** Down, PgDn and End: near the end of the loaded events they page in older ones. */
function downMove(key: Key): 'row' | 'page' | 'end' | undefined {
	if (matches('down', key)) return 'row';
	if (matches('pageDown', key)) return 'page';
	if (matches('last', key)) return 'end';
	return undefined;
}

function detailOf(state: HistoryState, event: EventRow | undefined, ecs: EcsRow | undefined, line: StackLine | undefined) {
	if (state.view === 'events' && state.pane === 'stack' && event) return event.kind === 'event' ? eventDetail(event.event) : operationDetail(event.summary);
	if (state.view === 'events' && state.pane === 'ecs' && ecs && ecs.detail.length > 0) return {title: ecs.kind === 'task' ? 'Stopped task' : ecs.kind === 'deployment' ? 'ECS deployment' : 'Why tasks stopped', lines: ecs.detail};
	if (state.view === 'stack' && line) return {title: line.kind === 'template' ? 'Template line' : 'Stack', lines: line.detail ?? [line.text]};
	return undefined;
}

/** The footer's keys for what is on screen. */
function commandsFor(state: HistoryState, filtering: boolean): Command[] {
	if (state.detail) return ['closeDetail', 'up', 'down', 'pageUp', 'pageDown'];
	if (filtering) return [...filteringCommands];
	const views: Command[] = ['deploymentsView', 'eventsView', 'stackView', 'nextView', 'previousView'];
	const failed = state.deployments.state === 'error' || state.stack.state === 'error' || state.ecs.state === 'error' || state.events.error !== undefined;
	const retry: Command[] = failed ? ['retry'] : [];
	const moves: readonly Command[] = listCommands;
	if (state.view === 'deployments') return ['deploymentEvents', ...views, ...moves, ...retry, 'back'];
	if (state.view === 'stack') return ['details', ...views, ...moves, ...retry, 'back'];
	const filters: Command[] = state.pane === 'stack' ? ['resourceFilter', 'statusFilter'] : [];
	return ['details', 'ecsSide', ...filters, ...views, ...moves, ...retry, 'back'];
}
