import {Box, Text} from 'ink';
import type {FailureReason} from '../../../domain/failures.js';
import {printable} from '../../../domain/text.js';
import {wordingOf} from '../../../domain/vocabulary.js';
import {stepWords, type DeployResult} from '../../../engine/core/results.js';
import {reasonsOf} from '../../../engine/core/results.js';
import {wrapLines, type TextLine} from '../../components/scroll-text.js';
import {toneColor} from '../../hooks/use-status-cells.js';
import {formatElapsed, statusColor} from '../../format.js';
import type {RunSnapshot} from '../../runs/run-store.js';

/** A verdict's mark, colour and words, from the one vocabulary. */
function verdictOf(outcome: DeployResult['outcome']): {mark: string; color: string; words: string} {
	const wording = wordingOf(outcome);
	return {mark: wording.mark, words: wording.words, color: toneColor[wording.tone] ?? 'white'};
}

/** Outcomes whose summary leads with what went wrong (and after which Problems takes the focus). */
export const troubled: ReadonlySet<DeployResult['outcome']> = new Set(['failed', 'rolled-back', 'stuck', 'timed-out', 'error', 'unconfirmed', 'access-denied', 'cancelled']);


/** The status line while it runs: stack status, release, target, elapsed. */
export function RunStatus({snapshot, elapsed, width}: {snapshot: RunSnapshot; elapsed: number; width: number}) {
	return (
		<Text wrap="truncate">
			{snapshot.step === 'before-deploy' && !snapshot.result ? (
				<Text color="cyan">{beforeDeployWords(snapshot)}</Text>
			) : (
				<Text color={statusColor(snapshot.stackStatus ?? '')}>{snapshot.stackStatus ?? stepWords[snapshot.step ?? 'recipe']}</Text>
			)}
			{snapshot.stackStatusReason ? <Text dimColor> {printable(snapshot.stackStatusReason).slice(0, Math.max(10, width - 60))}</Text> : null}
			{snapshot.release ? ` · release ${snapshot.release.version}` : ''}
			{snapshot.stackName ? ` · stack ${snapshot.stackName}` : ''}
			<Text dimColor> · {formatElapsed(elapsed)}</Text>
			{snapshot.notes.length > 0 ? <Text color="yellow"> · {printable(snapshot.notes.at(-1)!.message)}</Text> : null}
		</Text>
	);
}

/** `running the beforeDeploy tasks: migrate RUNNING`: the step, and the task it waits for with its state. */
export function beforeDeployWords(snapshot: RunSnapshot): string {
	const current = snapshot.beforeDeploy.at(-1);
	const state = current?.taskId ? snapshot.tasks.find(t => t.id === current.taskId)?.lastStatus : undefined;
	return `${stepWords['before-deploy']}${current ? `: ${current.task} ${state ?? current.state}` : ''}`;
}

export type SummaryOptions = {
	/** The environment `p` promotes to, once this release serves. */
	next?: string;
	/** False when the run only looked at an operation that had ended before (an attach): no duration (it would be `0s`). */
	timed?: boolean;
	/** Columns inside the box. */
	width: number;
	/** Rows inside the box at most. */
	rows: number;
};

/** Wraps `line` to the width and keeps its first `most` rows (the last one ending in … when cut). */
function clipped(line: TextLine, width: number, most: number): TextLine[] {
	const rows = wrapLines([line], width);
	if (rows.length <= most) return rows;
	const kept = rows.slice(0, most);
	const last = kept.at(-1)!;
	kept[kept.length - 1] = {...last, text: `${last.text.slice(0, Math.max(0, width - 1))}…`};
	return kept;
}

/**
 * The log lines that tell the most in `count` rows: around the last line that reads like an error (the
 * one before it and what follows), else the last ones.
 */
export function telling(lines: readonly string[], count: number): string[] {
	const error = lines.findLastIndex(line => /error|exception|fatal|panic|traceback|killed|denied/i.test(line));
	if (error === -1) return lines.slice(-count);
	const start = Math.max(0, Math.min(error - 1, lines.length - count));
	return lines.slice(start, start + count);
}

/** The root cause: the first reason the result gives (the engine orders them root cause first), else the run's. */
function rootCause(result: DeployResult, snapshot: RunSnapshot): FailureReason | undefined {
	return reasonsOf(result)[0] ?? snapshot.failures[0];
}

/**
 * A finished run's summary as rows: the verdict, then — when it went wrong — the root cause, its hint and the
 * failing container's last log lines, wrapped to the box; otherwise the evidence and the outputs; last, what
 * to do next. Cut to `rows` with the keys kept.
 */
export function summaryLines(result: DeployResult, snapshot: RunSnapshot, options: SummaryOptions): TextLine[] {
	const {width} = options;
	const verdict = verdictOf(result.outcome);
	const changes = 'changes' in result ? result.changes : snapshot.changes ?? [];
	const counts = ['Add', 'Modify', 'Remove'].map(a => [a, changes.filter(c => c.action === a).length] as const).filter(([, n]) => n > 0);
	const cause = rootCause(result, snapshot);
	// With the root cause on a line of its own, the verdict's sentence (which ends with it) needs one row.
	const causeShown = cause !== undefined && troubled.has(result.outcome) && result.outcome !== 'error' && result.outcome !== 'unconfirmed';
	const head: TextLine[] = [
		...clipped({text: `${verdict.mark} ${verdict.words}: ${result.message}`, color: verdict.color, bold: true}, width, causeShown ? 1 : 2),
		...clipped(
			{
				text: `${result.release ? `release ${result.release.version} · ` : ''}${result.environment}${options.timed === false ? '' : ` · ${formatElapsed(result.durationMs)}`}${result.stackStatus ? ` · ${result.stackStatus}` : ''}${counts.length > 0 ? ` · ${counts.map(([a, n]) => `${n} ${a.toLowerCase()}`).join(', ')}` : ''}`,
			},
			width,
			1,
		),
	];
	const body: TextLine[] = [];
	if (result.outcome === 'error') {
		body.push(...clipped({text: `${result.code} during ${result.step}`, color: 'red'}, width, 1), ...clipped({text: `hint: ${result.hint}`, color: 'yellow'}, width, 3));
	} else if (result.outcome === 'unconfirmed') {
		body.push(...clipped({text: `not confirmed: ${result.unconfirmed.join('; ')}`, color: 'yellow'}, width, 3), ...clipped({text: `confirmed: ${result.confirmed.join('; ') || 'nothing'}`}, width, 2));
	} else if (cause && causeShown) {
		body.push(...clipped({text: `root cause: ${cause.subject}: ${cause.message}`, color: 'red'}, width, 2));
		if (cause.hint) body.push(...clipped({text: `hint: ${cause.hint}`, color: 'yellow'}, width, 3));
		const log = snapshot.logs.find(l => cause.source !== 'container' || l.container === cause.subject) ?? snapshot.logs[0];
		// As many log lines as the box has rows left for (at most four), around the error.
		const room = Math.min(4, options.rows - head.length - 1 - body.length);
		if (log && room > 0) body.push(...telling(log.lines, room).map(line => ({text: `${log.container} | ${printable(line)}`, dim: true})));
	} else if (result.outcome === 'succeeded' || result.outcome === 'no-op') {
		body.push(...clipped({text: `confirmed: ${result.confirmed.join('; ')}`, color: 'green'}, width, 2));
	}
	if (result.outcome === 'stuck') body.push({text: 'stuck: r continues the rollback (the service keeps running)', color: 'red'});
	const outputs = 'outputs' in result && !troubled.has(result.outcome) ? Object.entries(result.outputs).map(([key, value]) => ({text: `${key}: ${value}`, dim: true})) : [];
	const keys: TextLine = {
		text: [
			options.next ? `p promote to ${options.next}` : '',
			result.outcome === 'error' ? 't try again' : '',
			result.outcome === 'stuck' ? 'r continue the rollback' : 'r roll back',
			'h history',
			'↵ details',
			'l logs',
			'esc back',
		]
			.filter(Boolean)
			.join(' · '),
		color: 'cyan',
	};
	// Cut from the bottom of what is least needed: outputs, then log lines, never the verdict or the keys.
	const room = Math.max(1, options.rows - head.length - 1);
	return [...head, ...[...body, ...outputs].slice(0, room), keys];
}

/** A finished run: the summary rows in a box coloured by the verdict. */
export function RunSummary({result, snapshot, height, width, next, timed = true}: {result: DeployResult; snapshot: RunSnapshot; height: number; width: number; next?: string; timed?: boolean}) {
	const verdict = verdictOf(result.outcome);
	const lines = summaryLines(result, snapshot, {width: width - 4, rows: Math.max(3, height - 2), timed, ...(next ? {next} : {})});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={verdict.color} paddingX={1} height={Math.min(height, lines.length + 2)} overflowY="hidden">
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate" {...(line.color ? {color: line.color} : {})} bold={line.bold ?? false} dimColor={line.dim ?? false}>
					{line.text}
				</Text>
			))}
		</Box>
	);
}

/** The rows the summary wants (border included), for the screen to give it. */
export function summaryHeight(result: DeployResult, snapshot: RunSnapshot, width: number, most: number, options: {next?: string; timed?: boolean} = {}): number {
	return Math.min(most, summaryLines(result, snapshot, {width: width - 4, rows: most - 2, ...options}).length + 2);
}
