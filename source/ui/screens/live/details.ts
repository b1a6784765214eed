import type {DeploymentView, StackEventView, TaskView} from '../../../engine/core/host.js';
import type {Details} from '../../components/details-view.js';
import {logRows} from '../../components/logs-pane.js';
import type {TextLine} from '../../components/scroll-text.js';
import {formatClock, formatTime, lastPart, statusColor} from '../../format.js';
import type {LogSnapshot} from '../../runs/log-store.js';
import type {RunSnapshot} from '../../runs/run-store.js';
import {problemLines, serviceEventRows, stackEventRows, taskRows, type ProblemLine} from './panes.js';
import {cursorIndex, type Pane, type PaneState} from './live-reducer.js';

/*
 * Enter on a row of the live view: the row opened whole (a reason, a hint, a task's containers, log lines are
 * longer than a pane is wide). The row is remembered by its key, so new rows arriving do not change what is open.
 */

/** The key of the row under a pane's cursor, or undefined when the pane has no rows. */
export function selectedKey(pane: Pane, snapshot: RunSnapshot, state: PaneState, logs?: LogSnapshot): string | undefined {
	const keys = rowKeys(pane, snapshot, state.query, logs);
	return keys[cursorIndex(state, keys.length)];
}

/** The keys of a pane's rows, in the order shown. */
export function rowKeys(pane: Pane, snapshot: RunSnapshot, query: string, logs?: LogSnapshot): string[] {
	switch (pane) {
		case 'logs':
			return logs ? logRows(logs, query).map(line => String(line.seq)) : [];
		case 'events':
			return stackEventRows(snapshot, query).map(e => e.id);
		case 'tasks':
			return taskRows(snapshot, query).map(t => t.id);
		case 'service':
			return serviceEventRows(snapshot, query).map(e => e.id);
		case 'problems':
			return problemLines(snapshot).map(line => line.key);
		case 'deployment':
			return snapshot.deployments.new || snapshot.deployments.old ? ['deployments'] : [];
	}
}

/** The details of a row, or undefined when it is gone (trimmed from the pane's ring). */
export function detailsOf(pane: Pane, key: string, snapshot: RunSnapshot, logs?: LogSnapshot): Details | undefined {
	switch (pane) {
		case 'logs': {
			const line = logs?.lines.find(l => String(l.seq) === key);
			return line ? {title: `Log of ${line.container} (task ${line.taskId})`, lines: [{text: formatTime(line.timestamp), dim: true}, {text: line.message}]} : undefined;
		}
		case 'events': {
			const event = snapshot.stackEvents.find(e => e.id === key);
			return event ? eventDetails(event) : undefined;
		}
		case 'tasks': {
			const task = snapshot.tasks.find(t => t.id === key);
			return task ? taskDetails(task) : undefined;
		}
		case 'service': {
			const event = snapshot.serviceEvents.find(e => e.id === key);
			return event ? {title: `Service event ${formatTime(event.createdAt)}`, lines: [{text: event.message}]} : undefined;
		}
		case 'problems': {
			const line = problemLines(snapshot).find(l => l.key === key);
			return line ? problemDetails(snapshot, line) : undefined;
		}
		case 'deployment':
			return deploymentDetails(snapshot);
	}
}

export function eventDetails(event: StackEventView): Details {
	return {
		title: `${event.logicalId} ${event.status}`,
		lines: [
			{text: `${formatTime(event.timestamp)} · ${event.resourceType}${event.operationId ? ` · operation ${event.operationId}` : ''}`, dim: true},
			{text: event.reason ?? '(no reason given)', color: statusColor(event.status)},
		],
	};
}

export function taskDetails(task: TaskView): Details {
	const lines: TextLine[] = [
		{text: `task ${task.id}${task.revision ? ` · ${task.revision}` : ''}`, dim: true},
		{text: `${task.lastStatus} (desired ${task.desiredStatus})${task.healthStatus && task.healthStatus !== 'UNKNOWN' ? ` · ${task.healthStatus}` : ''}`, color: statusColor(task.lastStatus)},
	];
	if (task.startedAt || task.stoppedAt) lines.push({text: `${task.startedAt ? `started ${formatClock(task.startedAt)}` : ''}${task.startedAt && task.stoppedAt ? ' · ' : ''}${task.stoppedAt ? `stopped ${formatClock(task.stoppedAt)}` : ''}`, dim: true});
	if (task.stoppedReason) lines.push({text: `stopped: ${task.stoppedReason}${task.stopCode ? ` (${task.stopCode})` : ''}`, color: 'red'});
	for (const c of task.containers) {
		const parts = [c.lastStatus, c.exitCode === undefined ? undefined : `exit code ${c.exitCode}`, c.healthStatus && c.healthStatus !== 'UNKNOWN' ? c.healthStatus : undefined].filter(Boolean);
		lines.push({text: `container ${c.name}: ${parts.join(' · ') || 'no status'}`});
		if (c.reason) lines.push({text: `  ${c.reason}`, color: 'red'});
	}
	return {title: `Task ${task.id.slice(0, 8)} ${task.lastStatus}`, lines};
}

function deploymentLines(label: string, d: DeploymentView): TextLine[] {
	return [
		{text: `${label} ${d.id} · ${d.status} · ${d.rolloutState ?? 'no rollout state'}`, bold: true},
		{text: `task definition ${lastPart(d.taskDefinition)} · ${d.running}/${d.desired} running, ${d.pending} pending, ${d.failed} failed${d.createdAt ? ` · created ${formatTime(d.createdAt)}` : ''}`},
		...(d.rolloutStateReason ? [{text: d.rolloutStateReason, dim: true}] : []),
	];
}

function deploymentDetails(snapshot: RunSnapshot): Details | undefined {
	const {new: fresh, old} = snapshot.deployments;
	if (!fresh && !old) return undefined;
	return {title: 'ECS deployments', lines: [...(fresh ? deploymentLines('new', fresh) : []), ...(old ? [{text: ''}, ...deploymentLines('old', old)] : [])]};
}

/** A problem whole: the reason, its hint, and the log lines of the container it is about (or every failed container's). */
function problemDetails(snapshot: RunSnapshot, line: ProblemLine): Details {
	if (line.container !== undefined && line.reason === undefined) {
		const log = snapshot.logs.find(l => l.container === line.container);
		return {title: `Last log lines of ${line.container}${log ? ` (task ${log.taskId})` : ''}`, lines: (log?.lines ?? []).map(text => ({text: `| ${text}`}))};
	}
	const reason = line.reason === undefined ? undefined : snapshot.failures[line.reason];
	if (!reason) return {title: line.title ?? 'Problem', lines: (line.whole ?? [line.text]).map(text => ({text}))};
	const logs = snapshot.logs.filter(l => reason.source !== 'container' || l.container === reason.subject);
	return {
		title: `✗ ${reason.subject}`,
		lines: [
			{text: reason.message, color: 'red'},
			...(reason.hint ? [{text: ''}, {text: `hint: ${reason.hint}`, color: 'yellow'}] : []),
			...logs.flatMap(log => [{text: ''}, {text: `last log lines of ${log.container} (task ${log.taskId}):`, dim: true}, ...log.lines.map(text => ({text: `| ${text}`}))]),
		],
	};
}
