import {Box, Text} from 'ink';
import type {EventsState, HistoryView} from './history-reducer.js';
import type {EventFilters} from './history-rows.js';

const titles: Record<HistoryView, string> = {deployments: 'Deployments', events: 'Stack events · ECS', stack: 'Stack'};

/** The three views as tabs (`1`-`3`, Tab), the current one highlighted. */
export function Tabs({view, environment}: {view: HistoryView; environment: string}) {
	return (
		<Box>
			<Text wrap="truncate">
				{(Object.keys(titles) as HistoryView[]).map((name, i) => (
					<Text key={name} {...(name === view ? {inverse: true, bold: true} : {dimColor: true})}>
						{` ${i + 1} ${titles[name]} `}
					</Text>
				))}
				<Text dimColor> history of {environment}</Text>
			</Text>
		</Box>
	);
}

/** The events' filters in words, and how far back the pages loaded go. */
export function EventsNotice({events, filters}: {events: EventsState; filters: EventFilters}) {
	const parts = [
		...(filters.scope ? [filters.scope.label] : []),
		...(filters.resource ? [`resource ${filters.resource}`] : []),
		...(filters.status === 'all' ? [] : [`status ${filters.status}`]),
	];
	const pages = events.loaded ? `${events.pages} ${events.pages === 1 ? 'page' : 'pages'} loaded${events.nextToken ? ', older ones load as you scroll down' : ', all of them'}` : '';
	return (
		<Text wrap="truncate">
			{parts.length > 0 ? <Text color="yellow">showing {parts.join(' · ')} (esc shows all) </Text> : <Text dimColor>newest first </Text>}
			<Text dimColor>{events.loading && events.loaded ? 'loading older events… ' : pages}</Text>
		</Text>
	);
}
