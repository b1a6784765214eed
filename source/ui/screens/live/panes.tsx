import {Box, Text} from 'ink';
import type {DeploymentView, StackEventView, TaskView} from '../../../engine/host.js';
import {printable} from '../../../domain/text.js';
import {bar, fit, formatClock, formatElapsed, lastPart, statusColor} from '../../format.js';
import type {RunSnapshot} from '../../runs/run-store.js';
import {FilterableRows, PaneRows} from './pane.js';
import {filterRows, type PaneState} from './use-live.js';

export type PaneProps = {snapshot: RunSnapshot; state: PaneState; height: number; width: number; focused: boolean};

/** Stack events of this operation (and its rollback): time, resource, status, reason cut to one row. */
export function StackEventsPane({snapshot, state, height, width, focused}: PaneProps) {
	const rows = stackEventRows(snapshot, state.query);
	const idWidth = Math.min(24, Math.max(12, Math.floor(width / 5)));
	// The row: marker, time, resource, status, then the reason in what is left.
	const reasonWidth = Math.max(1, width - 1 - 9 - idWidth - 28 - 1);
	return (
		<FilterableRows
			rows={rows}
			state={state}
			height={height}
			focused={focused}
			keyOf={e => e.id}
			empty="no stack events yet"
			render={e => (
				<Text wrap="truncate">
					<Text dimColor>{formatClock(e.timestamp)} </Text>
					{printable(e.logicalId).slice(0, idWidth - 1).padEnd(idWidth)}
					<Text color={statusColor(e.status)}>{e.status.padEnd(28)}</Text>
					<Text dimColor>{e.reason ? ` ${fit(printable(e.reason), reasonWidth)}` : ''}</Text>
				</Text>
			)}
		/>
	);
}

export function stackEventRows(snapshot: RunSnapshot, query: string): readonly StackEventView[] {
	return filterRows(snapshot.stackEvents, query, e => `${e.logicalId} ${e.status} ${e.resourceType} ${e.reason ?? ''}`);
}

/** The new ECS deployment against the old one: rollout, tasks as a progress bar, failures, age. */
export function DeploymentPane({snapshot, width, now}: PaneProps & {now: number}) {
	const {new: fresh, old} = snapshot.deployments;
	if (!fresh && !old) return <Text dimColor wrap="truncate">the ECS deployment starts when CloudFormation updates the service</Text>;
	return (
		<Box flexDirection="column">
			{fresh ? <DeploymentLine label="new" deployment={fresh} width={width} now={now} /> : <Text dimColor>new: not started yet</Text>}
			{old ? <DeploymentLine label="old" deployment={old} width={width} now={now} /> : null}
		</Box>
	);
}

function DeploymentLine({label, deployment: d, width, now}: {label: string; deployment: DeploymentView; width: number; now: number}) {
	const barWidth = Math.max(6, Math.min(24, width - 52));
	const state = d.rolloutState ?? d.status;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				<Text bold>{label.padEnd(4)}</Text>
				<Text color={statusColor(state)}>{state.padEnd(12)}</Text>
				<Text color="green">{bar(d.running, d.desired, barWidth)}</Text> {d.running}/{d.desired} running
				{d.pending > 0 ? `, ${d.pending} pending` : ''}
				{d.failed > 0 ? <Text color="red">, {d.failed} failed</Text> : null}
				<Text dimColor>{d.createdAt ? `  ${formatElapsed(now - d.createdAt)}` : ''}</Text>
			</Text>
			<Text dimColor wrap="truncate">
				{'    '}
				{d.id} · {lastPart(d.taskDefinition)}
				{d.rolloutStateReason ? ` · ${printable(d.rolloutStateReason)}` : ''}
			</Text>
		</Box>
	);
}

/** The new deployment's tasks: id, revision, status, health, times, stopped reason and exit codes. */
export function TasksPane({snapshot, state, height, focused}: PaneProps) {
	const rows = filterRows(snapshot.tasks, state.query, t => `${t.id} ${t.lastStatus} ${t.stoppedReason ?? ''}`);
	return <FilterableRows rows={rows} state={state} height={height} focused={focused} keyOf={t => t.id} empty="no tasks yet" render={t => <TaskLine task={t} />} />;
}

function TaskLine({task: t}: {task: TaskView}) {
	const exits = t.containers.filter(c => c.exitCode !== undefined).map(c => `${c.name} exit ${c.exitCode}`);
	return (
		<Text wrap="truncate">
			{t.id.slice(0, 8)} <Text dimColor>{(t.revision ?? '').split(':').at(-1)?.padStart(3) ?? ''}</Text> <Text color={statusColor(t.lastStatus)}>{t.lastStatus.padEnd(12)}</Text>
			<Text dimColor>{`→${t.desiredStatus}`.padEnd(10)}</Text>
			<Text color={statusColor(t.healthStatus ?? '')}>{(t.healthStatus && t.healthStatus !== 'UNKNOWN' ? t.healthStatus : '').padEnd(10)}</Text>
			<Text dimColor>
				{t.startedAt ? ` ↑${formatClock(t.startedAt)}` : ''}
				{t.stoppedAt ? ` ↓${formatClock(t.stoppedAt)}` : ''}
			</Text>
			{t.stoppedReason ? <Text color="red"> {printable(t.stoppedReason)}</Text> : null}
			{exits.length > 0 ? <Text color="red"> ({exits.join(', ')})</Text> : null}
		</Text>
	);
}

/** ECS service events, newest last. */
export function ServiceEventsPane({snapshot, state, height, width, focused}: PaneProps) {
	const rows = filterRows(snapshot.serviceEvents, state.query, e => e.message);
	return (
		<FilterableRows
			rows={rows}
			state={state}
			height={height}
			focused={focused}
			keyOf={e => e.id}
			empty="no service events yet"
			render={e => (
				<Text wrap="truncate">
					<Text dimColor>{formatClock(e.createdAt)} </Text>
					{fit(printable(e.message.replace(/^\(service [^)]+\) /, '')), Math.max(1, width - 1 - 9))}
				</Text>
			)}
		/>
	);
}

type ProblemLine = {key: string; text: string; tone: 'reason' | 'hint' | 'log' | 'title'};

/**
 * The problems as lines: the root cause and its hint first, then the failing container's last log lines, then
 * the other reasons (a hint already shown is not repeated).
 */
export function problemLines(snapshot: RunSnapshot): ProblemLine[] {
	const lines: ProblemLine[] = [];
	const hints = new Set<string>();
	const reason = (i: number) => {
		const r = snapshot.failures[i]!;
		lines.push({key: `r${i}`, text: `✗ ${r.subject}: ${r.message}`, tone: 'reason'});
		if (r.hint && !hints.has(r.hint)) {
			hints.add(r.hint);
			lines.push({key: `h${i}`, text: `  hint: ${r.hint}`, tone: 'hint'});
		}
	};
	if (snapshot.failures.length > 0) reason(0);
	for (const log of snapshot.logs) {
		lines.push({key: `l${log.container}`, text: `last log lines of ${log.container} (task ${log.taskId.slice(0, 8)}):`, tone: 'title'});
		log.lines.forEach((line, i) => lines.push({key: `l${log.container}${i}`, text: `  | ${line}`, tone: 'log'}));
	}
	for (let i = 1; i < snapshot.failures.length; i++) reason(i);
	return lines;
}

/** Why it fails, as soon as the engine finds out: root causes with hints, and the failing container's last log lines. Scrolls. */
export function ProblemsPane({snapshot, state, height, focused}: PaneProps) {
	const lines = problemLines(snapshot);
	if (lines.length === 0) return <Text dimColor>no problems found</Text>;
	return (
		<PaneRows
			rows={lines}
			state={state}
			height={height}
			focused={focused}
			keyOf={line => line.key}
			empty="no problems found"
			render={line => (
				<Text wrap="truncate" color={line.tone === 'reason' ? 'red' : line.tone === 'hint' ? 'yellow' : undefined} dimColor={line.tone === 'log'}>
					{printable(line.text)}
				</Text>
			)}
		/>
	);
}
