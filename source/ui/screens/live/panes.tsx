import {Box, Text} from 'ink';
import type {DeploymentView, StackEventView, TaskView} from '../../../engine/core/host.js';
import {printable} from '../../../domain/text.js';
import {bar, fit, formatClock, formatElapsed, lastPart, statusColor} from '../../format.js';
import type {RunSnapshot} from '../../runs/run-store.js';
import {FilterableRows, PaneRows} from './pane.js';
import {filterRows, type PaneState} from './live-reducer.js';

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

/** The tasks a pane lists, filtered. */
export function taskRows(snapshot: RunSnapshot, query: string): readonly TaskView[] {
	return filterRows(snapshot.tasks, query, t => `${t.id} ${t.lastStatus} ${t.stoppedReason ?? ''}`);
}

/** The service events a pane lists, filtered. */
export function serviceEventRows(snapshot: RunSnapshot, query: string): RunSnapshot['serviceEvents'] {
	return filterRows(snapshot.serviceEvents, query, e => e.message);
}

/** The new deployment's tasks: id, revision, status, health, times, stopped reason and exit codes. */
export function TasksPane({snapshot, state, height, focused}: PaneProps) {
	const rows = taskRows(snapshot, state.query);
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
	const rows = serviceEventRows(snapshot, state.query);
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

/** One line of the Problems pane: a reason (`reason`: its index), its hint, a container's log (`container`), or what the result says. */
export type ProblemLine = {key: string; text: string; tone: 'reason' | 'hint' | 'log' | 'title'; reason?: number; container?: string; title?: string; whole?: string[]};

/**
 * The problems as lines: the root cause and its hint first, then the failing container's last log lines, then
 * the other reasons (a hint already shown is not repeated). A run that ended without failure reasons but
 * with an error or an unconfirmed verdict says that here too.
 */
export function problemLines(snapshot: RunSnapshot): ProblemLine[] {
	const lines: ProblemLine[] = [];
	const hints = new Set<string>();
	const reason = (i: number) => {
		const r = snapshot.failures[i]!;
		lines.push({key: `r${i}`, text: `✗ ${r.subject}: ${r.message}`, tone: 'reason', reason: i});
		if (r.hint && !hints.has(r.hint)) {
			hints.add(r.hint);
			lines.push({key: `h${i}`, text: `  hint: ${r.hint}`, tone: 'hint', reason: i});
		}
	};
	if (snapshot.failures.length > 0) reason(0);
	for (const log of snapshot.logs) {
		lines.push({key: `l${log.container}`, text: `last log lines of ${log.container} (task ${log.taskId.slice(0, 8)}):`, tone: 'title', container: log.container});
		log.lines.forEach((line, i) => lines.push({key: `l${log.container}${i}`, text: `  | ${line}`, tone: 'log', container: log.container}));
	}
	for (let i = 1; i < snapshot.failures.length; i++) reason(i);
	if (lines.length === 0) lines.push(...resultProblems(snapshot));
	return lines;
}

/** What an ended run's result says is wrong, when the engine found no failure reasons (an error, an unconfirmed verdict). */
function resultProblems(snapshot: RunSnapshot): ProblemLine[] {
	const result = snapshot.result;
	if (!result) return [];
	switch (result.outcome) {
		case 'error': {
			const whole = [`${result.code} during ${result.step}: ${result.message}`, '', `hint: ${result.hint}`];
			return [
				{key: 'e', text: `✗ ${result.code} during ${result.step}: ${result.message}`, tone: 'reason', title: `✗ ${result.code}`, whole},
				{key: 'eh', text: `  hint: ${result.hint}`, tone: 'hint', title: `✗ ${result.code}`, whole},
			];
		}
		case 'unconfirmed': {
			const whole = [`not confirmed: ${result.unconfirmed.join('; ')}`, '', `confirmed: ${result.confirmed.join('; ') || 'nothing'}`];
			return result.unconfirmed.map((text, i) => ({key: `u${i}`, text: `? not confirmed: ${text}`, tone: 'reason', title: '? Not confirmed', whole}));
		}
		case 'access-denied':
			return [{key: 'a', text: `✗ ${result.message}`, tone: 'reason', title: '✗ Access denied', whole: [result.message, '', 'check your credentials (AWS_PROFILE, --profile, or aws sso login) and the permissions ecs-deployer needs (ecs-deployer iam-policy --recipe FILE)']}];
		default:
			return [];
	}
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
