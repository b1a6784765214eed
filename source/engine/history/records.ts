import type {AwsPorts, StackEvent} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {isInProgress, isSuccess} from '../../domain/stack-status.js';
import type {DeploymentRecord} from '../../domain/records.js';
import {callAws, type CallContext} from '../core/aws-call.js';

/** Record outcomes that are not final: the run ended (detached, killed) before the operation did. */
export const openOutcomes: ReadonlySet<string> = new Set(['in progress', 'detached', 'started', 'interrupted', 'timed-out-waiting']);

/** Outcomes of a deploy that left the release serving. */
export const servingOutcomes: ReadonlySet<string> = new Set(['succeeded', 'no-op']);

/**
 * How the operation of a record ended, read from AWS: its stack rows (those from the row carrying the
 * record's client request token up to the next operation started by someone else) say how it ended; the
 * rollback of a failed update is part of it even when its rows carry another token (or none).
 */
export function outcomeFromStackRows(rows: readonly StackEvent[], token: string): {outcome: string; status: string; at: number} | undefined {
	const stackRows = rows.filter(r => r.ResourceType === 'AWS::CloudFormation::Stack').sort((a, b) => time(a) - time(b));
	const start = stackRows.findIndex(r => r.ClientRequestToken === token);
	if (start < 0) return undefined;
	let last = stackRows[start]!;
	for (const row of stackRows.slice(start + 1)) {
		// The next operation someone started (another token, "User Initiated"): ours ended before it.
		if (row.ResourceStatusReason === 'User Initiated' && row.ClientRequestToken !== token) break;
		last = row;
	}
	const status = last.ResourceStatus ?? '';
	const at = time(last);
	if (isInProgress(status)) return {outcome: 'in progress', status, at};
	if (isSuccess(status)) return {outcome: 'succeeded', status, at};
	if (status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'ROLLBACK_COMPLETE') return {outcome: 'rolled-back', status, at};
	return {outcome: 'failed', status, at};
}

function time(event: StackEvent): number {
	return event.Timestamp ? new Date(event.Timestamp).getTime() : 0;
}

/**
 * Which of two versions of a record to keep when another process wrote it meanwhile (a shared ledger):
 * theirs when it is settled and ours only learned from AWS or is still open; else ours (the run's own word).
 * Undefined = keep theirs.
 */
export function mergeRecords(theirs: DeploymentRecord, ours: DeploymentRecord): DeploymentRecord | undefined {
	if (!openOutcomes.has(theirs.outcome) && (ours.reconciled || openOutcomes.has(ours.outcome))) return undefined;
	return ours;
}

/** Where records are read and written: a ledger (the workspace file or a shared bucket). */
export type RecordBook = {
	deployments(project: string): Promise<DeploymentRecord[]>;
	recordDeployment(record: DeploymentRecord): Promise<void>;
};

/** Whose records a reconciliation may settle: one environment of a project, deployed through one target. */
export type RecordScope = {project: string; environment: string; target: string};

/**
 * Brings the records of `scope` that were left open (the process was killed, detached, or its session
 * expired) up to date with AWS, and saves what it learned: the outcome and when the operation ended (its last
 * stack row, not when this learned of it). Only records deployed through the target `aws` reaches are
 * looked at: another target's stack would look missing from here. A record without a token (older versions)
 * or whose stack rows are gone is marked `unknown`, with no end time. Reads at most the events since the
 * oldest open record. Returns every record of the project.
 */
export async function reconcileRecords(book: RecordBook, scope: RecordScope, aws: AwsPorts, context: CallContext): Promise<DeploymentRecord[]> {
	const {project} = scope;
	const records = await book.deployments(project);
	const open = records.filter(r => openOutcomes.has(r.outcome) && r.environment === scope.environment && r.target === scope.target);
	if (open.length === 0) return records;
	const byStack = new Map<string, DeploymentRecord[]>();
	for (const record of open) byStack.set(record.stackId ?? record.stackName, [...(byStack.get(record.stackId ?? record.stackName) ?? []), record]);
	for (const [stack, list] of byStack) {
		const since = Math.min(...list.map(r => Date.parse(r.startedAt))) - 60_000;
		let events: StackEvent[];
		try {
			events = await stackEventsSince(aws, context, stack, since);
		} catch (error) {
			if (classifyAwsError(error) !== 'not-found') throw error;
			events = [];
		}
		for (const record of list) {
			const found = record.token === undefined ? undefined : outcomeFromStackRows(events, record.token);
			if (found?.outcome === 'in progress') continue;
			const updated: DeploymentRecord = {
				...record,
				outcome: found?.outcome ?? 'unknown',
				...(found ? {stackStatus: found.status} : {}),
				...(record.finishedAt === undefined && found ? {finishedAt: new Date(found.at).toISOString()} : {}),
				reconciled: true,
			};
			await book.recordDeployment(updated);
		}
	}
	return book.deployments(project);
}

/** A stack's events newer than `since`, newest first (DescribeStackEvents pages newest first). */
export async function stackEventsSince(aws: AwsPorts, context: CallContext, stack: string, since: number): Promise<StackEvent[]> {
	const events: StackEvent[] = [];
	let nextToken: string | undefined;
	do {
		const page = await callAws(context, 'DescribeStackEvents', () => aws.cloudFormation.describeStackEvents({StackName: stack, ...(nextToken === undefined ? {} : {NextToken: nextToken})}));
		for (const event of page.StackEvents ?? []) {
			if (time(event) < since) return events;
			events.push(event);
		}
		nextToken = page.NextToken;
	} while (nextToken);
	return events;
}

/** The newest record of each environment (reconciled records first). */
export function latestByEnvironment(records: readonly DeploymentRecord[]): Map<string, DeploymentRecord> {
	const latest = new Map<string, DeploymentRecord>();
	for (const record of [...records].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) latest.set(record.environment, record);
	return latest;
}
