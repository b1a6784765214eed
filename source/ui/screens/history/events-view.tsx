import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {printable} from '../../../domain/text.js';
import type {ServiceHistory} from '../../../engine/history/service-history.js';
import {ListRows} from '../../components/list-rows.js';
import {column, formatClock, formatTime, statusColor} from '../../format.js';
import type {ListController} from '../../lists/use-list.js';
import type {EventsState, HistoryState, Load} from './history-reducer.js';
import type {EcsRow, EventRow} from './history-rows.js';
import {Failure, Loading} from './load-notice.js';

type Props = {
	events: ListController<EventRow>;
	ecs: ListController<EcsRow>;
	state: Pick<HistoryState, 'events' | 'ecs' | 'pane'>;
	width: number;
	height: number;
};

/**
 * View 2: the stack's events by operation (newest first, paged in as the operator scrolls) and the ECS side
 * (the service's deployments, why tasks stopped). Wide terminals show both side by side (`e` moves between
 * them); narrow ones one at a time (`e` switches).
 */
export function EventsView({events, ecs, state, width, height}: Props) {
	const wide = width >= 120;
	const stackPane = (paneWidth: number) => (
		<Pane title="Stack events" focused={state.pane === 'stack'} hint={wide ? '' : 'e: ECS side'} width={paneWidth} height={height}>
			<StackEventsPane list={events} events={state.events} wide={paneWidth >= 140} />
		</Pane>
	);
	const ecsPane = (paneWidth: number) => (
		<Pane title="ECS service" focused={state.pane === 'ecs'} hint={wide ? '' : 'e: stack events'} width={paneWidth} height={height}>
			<EcsPane list={ecs} load={state.ecs} />
		</Pane>
	);
	if (!wide) return state.pane === 'stack' ? stackPane(width) : ecsPane(width);
	const left = Math.floor(width * 0.6);
	return (
		<Box height={height}>
			{stackPane(left)}
			{ecsPane(width - left)}
		</Box>
	);
}

function Pane({title, focused, hint, width, height, children}: {title: string; focused: boolean; hint: string; width: number; height: number; children: ReactNode}) {
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden" paddingRight={1}>
			<Text wrap="truncate">
				<Text bold={focused} color={focused ? 'cyan' : undefined} dimColor={!focused}>
					{title}
				</Text>
				<Text dimColor>{hint ? `  (${hint})` : ''}</Text>
			</Text>
			{children}
		</Box>
	);
}

function StackEventsPane({list, events, wide}: {list: ListController<EventRow>; events: EventsState; wide: boolean}) {
	if (!events.loaded && events.error === undefined) return <Loading what="asking CloudFormation for the stack's events…" />;
	if (!events.loaded && events.error !== undefined) return <Failure message={events.error} />;
	return (
		<Box flexDirection="column">
			<ListRows list={list} keyOf={row => row.key} empty={events.nextToken ? 'nothing here yet: scroll down to load older events' : 'no events'} render={row => <EventLine row={row} wide={wide} />} />
			{events.error !== undefined ? <Failure message={events.error} /> : null}
		</Box>
	);
}

function EventLine({row, wide}: {row: EventRow; wide: boolean}) {
	if (row.kind === 'operation') {
		const {summary} = row;
		return (
			<Text wrap="truncate" bold>
				{summary.began ?? 'operation'}
				{summary.ended ? <Text color={statusColor(summary.ended)}> → {summary.ended}</Text> : null}
				<Text dimColor>
					{'  '}
					{formatTime(summary.at)} · {summary.count} events · op {printable(summary.operation).slice(0, 8)}
				</Text>
			</Text>
		);
	}
	const {event} = row;
	return (
		<Text wrap="truncate">
			{'  '}
			<Text dimColor>{formatClock(event.timestamp)}</Text> {column(printable(event.logicalId), wide ? 24 : 18)} {wide ? <Text dimColor>{column(printable(event.resourceType), 26)} </Text> : null}
			<Text color={statusColor(event.status)}>{column(event.status, wide ? 34 : 26)}</Text> <Text dimColor>{event.reason ? printable(event.reason) : ''}</Text>
		</Text>
	);
}

const tones = {bad: 'red', good: 'green', dim: 'gray'} as const;

function EcsPane({list, load}: {list: ListController<EcsRow>; load: Load<ServiceHistory>}) {
	if (load.state === 'idle' || load.state === 'loading') return <Loading what="asking ECS for the service's deployments and stopped tasks…" />;
	if (load.state === 'error') return <Failure message={load.message} />;
	return (
		<ListRows
			list={list}
			keyOf={row => row.key}
			render={row => (
				<Text wrap="truncate" bold={row.kind === 'heading'} {...(row.tone ? {color: tones[row.tone]} : {})}>
					{row.kind === 'heading' ? row.text : `  ${row.text}`}
				</Text>
			)}
		/>
	);
}
