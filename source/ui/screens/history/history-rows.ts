import {isFailure} from '../../../domain/stack-status.js';
import {progressGroups, progressLine} from '../../../domain/lifecycle.js';
import {printable} from '../../../domain/text.js';
import type {OperationEvents} from '../../../engine/history/history.js';
import type {StackEventView} from '../../../engine/core/host.js';
import type {ServiceDeploymentRow, ServiceHistory} from '../../../engine/history/service-history.js';
import type {StackDetails} from '../../../engine/history/stack-details.js';
import {formatDuration, formatTime, lastPart} from '../../format.js';

/*
 * What the history browser lists, as pure functions of what the engine returned: stack events under their
 * operation (paged in, filtered by resource, status and a deployment's time), the ECS side, and the stack.
 */

/** The events of one CloudFormation operation loaded so far, newest first. */
export type EventGroup = {operation: string; events: StackEventView[]};

/**
 * Adds a page of events (the engine groups each page by operation, each group old to new) to the groups
 * loaded so far. Pages go further back in time, so an operation cut by a page boundary continues at the end:
 * its older events are appended to the group already there.
 */
export function mergeEventPage(groups: readonly EventGroup[], page: readonly OperationEvents[]): EventGroup[] {
	const out = groups.map(g => ({...g, events: [...g.events]}));
	for (const {operation, events} of page) {
		const newestFirst = [...events].reverse();
		const existing = out.find(g => g.operation === operation);
		if (existing) existing.events.push(...newestFirst);
		else out.push({operation, events: newestFirst});
	}
	return out;
}

/** The oldest event loaded (epoch ms), or undefined when none is. */
export function oldestLoaded(groups: readonly EventGroup[]): number | undefined {
	let oldest: number | undefined;
	for (const group of groups) for (const event of group.events) if (oldest === undefined || event.timestamp < oldest) oldest = event.timestamp;
	return oldest;
}

/** The kinds of status the events can be narrowed to, in the order `s` cycles through them. */
export const statusFilters = ['all', 'failed', 'rollback', 'in progress', 'complete'] as const;
/** A kind of CloudFormation status the events can be narrowed to. */
export type StatusFilter = (typeof statusFilters)[number];

/** Whether a CloudFormation status is of the kind. */
export function matchesStatus(status: string, filter: StatusFilter): boolean {
	switch (filter) {
		case 'all':
			return true;
		case 'failed':
			return isFailure(status);
		case 'rollback':
			return status.includes('ROLLBACK');
		case 'in progress':
			return status.endsWith('_IN_PROGRESS');
		case 'complete':
			return status.endsWith('_COMPLETE') && !status.includes('ROLLBACK');
	}
}

/** The status filter after `filter` (`s`). */
export function nextStatusFilter(filter: StatusFilter): StatusFilter {
	return statusFilters[(statusFilters.indexOf(filter) + 1) % statusFilters.length]!;
}

/** A deployment's time: its operation is the one whose events fall in it. */
export type EventScope = {label: string; from: number; to: number};

/** The events view's own filters (`/` is the list's): a resource, a kind of status, a deployment's time. */
export type EventFilters = {resource?: string; status: StatusFilter; scope?: EventScope};

/** How an operation went, from its stack-level events: how it began and how it ended (so far). */
export type OperationSummary = {operation: string; began?: string; ended?: string; at?: number; count: number};

/** A row of the events list: an operation's heading, or one of its events. `text` is what `/` searches. */
export type EventRow =
	| {kind: 'operation'; key: string; summary: OperationSummary; text: string}
	| {kind: 'event'; key: string; event: StackEventView; operation: string; text: string};

/** What `/` searches in an event: resource, type, status and reason. */
function eventText(event: StackEventView): string {
	return `${event.logicalId} ${event.resourceType} ${event.status} ${event.reason ?? ''}`;
}

/** An operation's summary from its events (newest first). */
export function summarize(group: EventGroup): OperationSummary {
	const stackRows = group.events.filter(e => e.resourceType === 'AWS::CloudFormation::Stack');
	const oldest = group.events.at(-1);
	return {
		operation: group.operation,
		...(stackRows.at(-1) ? {began: stackRows.at(-1)!.status} : {}),
		...(stackRows[0] && stackRows.length > 1 ? {ended: stackRows[0].status} : {}),
		...(oldest ? {at: oldest.timestamp} : {}),
		count: group.events.length,
	};
}

/**
 * The rows of the events list: each operation (newest first) as a heading, then its events that pass the
 * filters, newest first. An operation none of whose events pass is left out. A heading's search text holds
 * its events' texts, so `/` keeps the heading of every event it finds.
 */
export function eventRows(groups: readonly EventGroup[], filters: EventFilters): EventRow[] {
	const rows: EventRow[] = [];
	for (const group of groups) {
		if (filters.scope && !group.events.some(e => e.timestamp >= filters.scope!.from && e.timestamp <= filters.scope!.to)) continue;
		const events = group.events.filter(e => (filters.resource === undefined || e.logicalId === filters.resource) && matchesStatus(e.status, filters.status));
		if (events.length === 0) continue;
		const texts = events.map(eventText);
		rows.push({kind: 'operation', key: `op:${group.operation}`, summary: summarize(group), text: `${group.operation} ${texts.join(' ')}`});
		events.forEach((event, i) => rows.push({kind: 'event', key: `ev:${event.id}`, event, operation: group.operation, text: texts[i]!}));
	}
	return rows;
}

/** An event row shown whole (Enter): every field, the reason unabridged. */
export function eventDetail(event: StackEventView): {title: string; lines: string[]} {
	return {
		title: `${printable(event.logicalId)} ${event.status}`,
		lines: [
			`time       ${formatTime(event.timestamp)} UTC`,
			`resource   ${printable(event.logicalId)} (${printable(event.resourceType)})`,
			`status     ${event.status}`,
			...(event.operationId ? [`operation  ${printable(event.operationId)}`] : []),
			`reason     ${event.reason ? printable(event.reason) : '—'}`,
		],
	};
}

/** An operation heading shown whole. */
export function operationDetail(summary: OperationSummary): {title: string; lines: string[]} {
	return {
		title: `operation ${printable(summary.operation)}`,
		lines: [`began      ${summary.began ?? '—'} at ${formatTime(summary.at)} UTC`, `ended      ${summary.ended ?? '(not in the events loaded)'}`, `events     ${summary.count} loaded`],
	};
}

/** One row of the ECS side. */
export type EcsRow = {key: string; kind: 'heading' | 'reason' | 'deployment' | 'task' | 'note'; text: string; tone?: 'bad' | 'good' | 'dim'; detail: string[]};

/** The ECS side as rows: why tasks stopped (with hints), the service's deployments, the stopped tasks. */
export function ecsRows(history: ServiceHistory): EcsRow[] {
	const rows: EcsRow[] = [];
	if (!history.serviceArn) return [{key: 'none', kind: 'note', text: 'no ECS service: the stack has not created one', tone: 'dim', detail: []}];
	if (history.reasons.length > 0) {
		rows.push({key: 'h:reasons', kind: 'heading', text: 'Why tasks stopped', detail: []});
		history.reasons.forEach((r, i) => {
			const subject = r.subject.startsWith(r.source) ? r.subject : `${r.source} ${r.subject}`;
			const text = `${printable(subject)}: ${printable(r.message)}`;
			rows.push({key: `r:${i}`, kind: 'reason', text: r.hint ? `${text} — ${printable(r.hint)}` : text, tone: 'bad', detail: [text, ...(r.hint ? [`hint: ${printable(r.hint)}`] : [])]});
		});
	}
	rows.push({key: 'h:deployments', kind: 'heading', text: `ECS deployments (${history.deployments.length})`, detail: []});
	if (history.deployments.length === 0) rows.push({key: 'd:none', kind: 'note', text: 'none listed', tone: 'dim', detail: []});
	for (const d of history.deployments) {
		const breaker = d.circuitBreaker ? `breaker ${d.circuitBreaker.status}${d.circuitBreaker.failureCount === undefined ? '' : ` ${d.circuitBreaker.failureCount}/${d.circuitBreaker.threshold ?? '?'}`}` : '';
		const rollback = d.rollback ? `rolled back${d.rollback.reason ? `: ${printable(d.rollback.reason)}` : ''}` : '';
		const took = d.finishedAt && d.createdAt ? formatDuration(d.finishedAt - d.createdAt) : '';
		const life = d.lifecycle ? lifecycleWords(d.status, d.lifecycle) : undefined;
		rows.push({
			key: `d:${d.arn}`,
			kind: 'deployment',
			text: [d.status, life?.short ?? '', formatTime(d.createdAt), took, breaker, rollback, d.statusReason ? printable(d.statusReason) : ''].filter(Boolean).join('  '),
			tone: /FAIL|ROLLBACK|STOPPED/.test(d.status) ? 'bad' : d.status === 'SUCCESSFUL' ? 'good' : undefined,
			detail: [
				`deployment ${printable(lastPart(d.arn))}`,
				`status     ${d.status}${d.statusReason ? ` (${printable(d.statusReason)})` : ''}`,
				`created    ${formatTime(d.createdAt)} UTC`,
				`finished   ${d.finishedAt === undefined ? '— (not yet)' : `${formatTime(d.finishedAt)} UTC`}`,
				...(breaker ? [`circuit    ${breaker}`] : []),
				...(d.rollback ? [`rollback   ${d.rollback.reason ? printable(d.rollback.reason) : 'yes'}${d.rollback.startedAt ? ` (from ${formatTime(d.rollback.startedAt)} UTC)` : ''}`] : []),
				...(d.taskDefinition ? [`revision   ${printable(d.taskDefinition)}`] : []),
				...(life?.detail ?? []),
			],
		});
	}
	rows.push({key: 'h:tasks', kind: 'heading', text: `Stopped tasks (${history.stoppedTasks.length}; ECS keeps them about an hour)`, detail: []});
	if (history.stoppedTasks.length === 0) rows.push({key: 't:none', kind: 'note', text: 'none', tone: 'dim', detail: []});
	for (const t of history.stoppedTasks) {
		const exits = t.containers.filter(c => c.exitCode !== undefined || c.reason).map(c => `${printable(c.name)}${c.exitCode === undefined ? '' : ` exit ${c.exitCode}`}${c.reason ? ` ${printable(c.reason)}` : ''}`);
		rows.push({
			key: `t:${t.id}`,
			kind: 'task',
			text: [t.id.slice(0, 8), t.revision ? printable(t.revision) : '', t.stopCode ?? '', ...exits, t.stoppedReason ? printable(t.stoppedReason) : ''].filter(Boolean).join('  '),
			tone: t.stopCode === 'ServiceSchedulerInitiated' ? 'dim' : 'bad',
			detail: [
				`task       ${t.id}${t.revision ? ` (${printable(t.revision)})` : ''}`,
				`stopped    ${formatTime(t.stoppedAt)} UTC ${t.stopCode ?? ''}`,
				`reason     ${t.stoppedReason ? printable(t.stoppedReason) : '—'}`,
				...t.containers.map(c => `container  ${printable(c.name)}: ${c.lastStatus ?? '?'}${c.exitCode === undefined ? '' : `, exit code ${c.exitCode}`}${c.reason ? `, ${printable(c.reason)}` : ''}`),
			],
		});
	}
	return rows;
}

/**
 * A blue/green, canary or linear deployment's lifecycle in words: for its row (strategy, the stage it ended
 * at or is at, the gate's answer) and its details (each stage group done, where it stopped, what did not come).
 */
export function lifecycleWords(status: string, lifecycle: NonNullable<ServiceDeploymentRow['lifecycle']>): {short: string; detail: string[]} {
	const finished = status === 'SUCCESSFUL';
	const stopped = status.startsWith('ROLLBACK') || status === 'STOPPED' || status === 'STOP_REQUESTED';
	const marks = progressLine(lifecycle.stages, lifecycle.stage, finished).map(step => `${step.state === 'done' ? '✓' : step.state === 'current' ? (stopped ? '✗' : '●') : '○'} ${step.label}`);
	const gate = lifecycle.hooks.at(-1);
	const group = progressGroups.find(g => g.stages.includes(lifecycle.stage ?? ''));
	const gateWords = gate ? `gate ${gate.status}` : '';
	return {
		short: `${lifecycle.strategy}${group ? ` at ${group.label}` : ''}${gateWords ? `, ${gateWords}` : ''}`,
		detail: [
			`strategy   ${lifecycle.strategy}`,
			`stages     ${marks.join(' › ')}`,
			`stage      ${lifecycle.stage ?? '— (ECS named none)'}`,
			...lifecycle.hooks.map(h => `gate       ${h.status}${h.timeoutAction ? ` (if nobody answers: ${h.timeoutAction})` : ''}`),
		],
	};
}

/** One line of the stack view. */
export type StackLine = {key: string; kind: 'heading' | 'field' | 'secret' | 'resource' | 'template' | 'note'; text: string; tone?: 'bad' | 'good' | 'dim'; detail?: string[]};

/** The stack as lines: status, outputs, parameters (NoEcho values as `****`), resources, then the template. */
export function stackLines(details: StackDetails): StackLine[] {
	if (!details.status) return [{key: 'none', kind: 'note', text: `there is no stack ${printable(details.stackName)}: the environment has not been deployed`, tone: 'dim'}];
	const lines: StackLine[] = [];
	const add = (line: Omit<StackLine, 'key'>) => lines.push({...line, key: `l${lines.length}`});
	const tone = isFailure(details.status) ? 'bad' : details.status.endsWith('_COMPLETE') ? 'good' : undefined;
	add({kind: 'heading', text: `Stack ${printable(details.stackName)}`});
	add({kind: 'field', text: `status      ${details.status}${details.release ? `   release ${printable(details.release)}` : ''}`, ...(tone ? {tone} : {})});
	if (details.statusReason) add({kind: 'field', text: `reason      ${printable(details.statusReason)}`, detail: [printable(details.statusReason)]});
	add({kind: 'field', text: `created     ${formatTime(details.createdAt)} UTC   updated ${formatTime(details.updatedAt)} UTC`});
	add({kind: 'heading', text: `Outputs (${details.outputs.length})`});
	for (const o of details.outputs) add({kind: 'field', text: `${printable(o.key)} = ${printable(o.value)}`, detail: [`${printable(o.key)} = ${printable(o.value)}`, ...(o.description ? [printable(o.description)] : [])]});
	add({kind: 'heading', text: `Parameters (${details.parameters.length})`});
	for (const p of details.parameters) {
		// CloudFormation never returns a NoEcho value: DescribeStacks shows it as ****.
		const secret = p.value === '****';
		add({kind: secret ? 'secret' : 'field', text: `${printable(p.key)} = ${secret ? '**** (NoEcho: AWS does not show it)' : printable(p.value)}`});
	}
	add({kind: 'heading', text: `Resources (${details.resources.length})`});
	for (const r of details.resources) {
		const bad = isFailure(r.status);
		add({
			kind: 'resource',
			text: `${printable(r.logicalId)}  ${printable(r.type)}  ${r.status}  ${printable(r.physicalId)}${r.reason ? `  ${printable(r.reason)}` : ''}`,
			...(bad ? {tone: 'bad' as const} : {}),
			detail: [`${printable(r.logicalId)} (${printable(r.type)})`, `status    ${r.status}`, `physical  ${printable(r.physicalId)}`, `updated   ${formatTime(r.updatedAt)} UTC`, ...(r.reason ? [`reason    ${printable(r.reason)}`] : [])],
		});
	}
	const template = details.template?.split('\n') ?? [];
	add({kind: 'heading', text: template.length > 0 ? `Template (${template.length} lines, as CloudFormation has it)` : 'Template: not available'});
	for (const line of template) add({kind: 'template', text: printable(line.replace(/\t/g, '  '))});
	return lines;
}
