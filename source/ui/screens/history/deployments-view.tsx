import {wordingOf} from '../../../domain/vocabulary.js';
import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import type {DeploymentRow} from '../../../engine/history/history.js';
import {ListRows} from '../../components/list-rows.js';
import {SplitView} from '../../components/split-view.js';
import {column, formatDuration, formatMinute, formatTime, outcomeColor} from '../../format.js';
import type {ListController} from '../../lists/use-list.js';
import type {Load} from './history-reducer.js';
import {Failure, Loading} from './load-notice.js';

type Props = {list: ListController<DeploymentRow>; load: Load<DeploymentRow[]>; environment: string; width: number; height: number};

/**
 * View 1: the environment's deployments, newest first (release, result, duration, who), the one whose
 * release runs now marked. Wide terminals show the selected deployment whole beside the list; narrow ones
 * its reason under it.
 */
export function DeploymentsView({list, load, environment, width, height}: Props) {
	if (load.state === 'idle' || load.state === 'loading') return <Loading what={`asking AWS how the deployments of ${environment} went…`} />;
	if (load.state === 'error') return <Failure message={load.message} />;
	const wide = width >= 120 && list.visible.length > 0;
	const rows = (
		<ListRows
			list={list}
			keyOf={row => `${row.startedAt}:${row.version}`}
			empty={`no deployments of ${environment} recorded in this workspace`}
			render={row => <DeploymentLine row={row} />}
		/>
	);
	const selected = list.selected;
	if (wide) return <SplitView height={height} width={width} share={0.58} list={rows} detail={selected ? <DeploymentDetail row={selected} /> : null} />;
	return (
		<Box flexDirection="column" height={height}>
			{rows}
			<Text dimColor wrap="truncate">
				{selected ? (selected.reason ? `reason: ${printable(selected.reason)}` : `stack ${selected.stackStatus ?? 'status unknown'} · ↵ shows its stack events`) : ''}
			</Text>
		</Box>
	);
}

function DeploymentLine({row}: {row: DeploymentRow}) {
	return (
		<Text wrap="truncate">
			{column(printable(row.version), 18)} <Text color={outcomeColor(row.outcome)}>{column(wordingOf(row.outcome).words, 12)}</Text> {formatMinute(row.startedAt)}{' '}
			{column(formatDuration(row.durationMs), 7)} {row.current ? <Text color="green" bold>running now </Text> : null}
			<Text dimColor>{row.by ? printable(row.by) : ''}</Text>
		</Text>
	);
}

function DeploymentDetail({row}: {row: DeploymentRow}) {
	const lines: Array<[string, string]> = [
		['release', printable(row.version) + (row.current ? '  (running now)' : '')],
		['result', wordingOf(row.outcome).words + (row.reconciled ? '  (learned from AWS after the run)' : '')],
		['stack', `${printable(row.stackName)} ${row.stackStatus ?? ''}`],
		['started', `${formatTime(row.startedAt)} UTC`],
		['finished', `${formatTime(row.finishedAt)} UTC`],
		['took', formatDuration(row.durationMs)],
		['by', row.by ? printable(row.by) : 'unknown'],
		['target', printable(row.target)],
	];
	return (
		<Box flexDirection="column">
			{lines.map(([label, value]) => (
				<Text key={label} wrap="truncate">
					<Text dimColor>{label.padEnd(9)}</Text>
					{value}
				</Text>
			))}
			{row.reason ? (
				<Text wrap="wrap" color="red">
					{printable(row.reason)}
				</Text>
			) : null}
			<Text dimColor>↵ shows its stack events</Text>
		</Box>
	);
}
