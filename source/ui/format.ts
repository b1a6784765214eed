import {wordingOf} from '../domain/vocabulary.js';
import {describeAwsError} from '../domain/aws-errors.js';
import {printable} from '../domain/text.js';

/*
 * How the screens write times, durations, AWS identifiers and statuses, in one place so that each reads the
 * same everywhere. Times are UTC (CloudFormation and ECS report UTC; every operator of a team sees the same
 * text).
 */

/** `2026-11-29 23:22:12` (UTC) from epoch milliseconds or an ISO date; `—` when unknown. */
export function formatTime(at: number | string | undefined): string {
	if (at === undefined) return '—';
	const time = typeof at === 'number' ? at : Date.parse(at);
	if (!Number.isFinite(time)) return '—';
	return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2026-11-29 23:22` (UTC): a date with minutes, for lists of releases, deployments and tags. */
export function formatMinute(at: number | string | undefined): string {
	const full = formatTime(at);
	return full === '—' ? full : full.slice(0, 16);
}

/** `23:22:12` (UTC): the time of day, for events under an operation or a run that names the date. */
export function formatClock(at: number | undefined): string {
	// Straight to the slice: the live view writes one per row on every frame.
	if (at === undefined || !Number.isFinite(at)) return '—';
	return new Date(at).toISOString().slice(11, 19);
}

/** `850ms`, `42s`, `3m 05s`, `1h 02m`; `—` when unknown. */
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
	if (ms < 1000) return `${Math.round(ms)}ms`;
	return formatElapsed(ms);
}

/** `12s`, `1m 05s`, `1h 02m`: whole seconds, never below `0s`, for a clock that ticks while a run goes on. */
export function formatElapsed(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The first 12 hex digits of a digest (`sha256:1e7b5ab67f27`), as `docker images` shortens them. */
export function shortDigest(digest: string | undefined): string {
	if (!digest) return 'no digest';
	const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
	return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}

/** The last part of an ARN or id (`…/hello-color-dev:3` → `hello-color-dev:3`). */
export function lastPart(arn: string): string {
	return arn.split('/').at(-1) ?? arn;
}

/**
 * `text` cut to `columns` with an ellipsis, before Ink sees it: Ink would cut it too, but character by
 * character through its ANSI tokenizer on every frame, which is most of a frame's cost under a long stream.
 */
export function fit(text: string, columns: number): string {
	if (text.length <= columns) return text;
	return columns <= 1 ? '…'.slice(0, Math.max(0, columns)) : `${text.slice(0, columns - 1)}…`;
}

/** Text as a column of `width`: cut like `fit`, padded to the width when shorter. */
export function column(text: string, width: number): string {
	return fit(text, width).padEnd(width);
}

/** A text bar: `█████░░░░░` for `done` of `total`. */
export function bar(done: number, total: number, width: number): string {
	const cells = Math.max(1, width);
	const filled = total <= 0 ? 0 : Math.round((Math.min(done, total) / total) * cells);
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/** Colours of CloudFormation and ECS statuses: failing or failed red, rolled back yellow, in progress cyan, done green. */
export function statusColor(status: string): string | undefined {
	if (/FAILED|ROLLBACK/.test(status)) return status.endsWith('_COMPLETE') && status.includes('ROLLBACK') ? 'yellow' : 'red';
	if (status.endsWith('_COMPLETE') || status === 'COMPLETED' || status === 'RUNNING' || status === 'HEALTHY' || status === 'SUCCESSFUL') return 'green';
	if (status.endsWith('_IN_PROGRESS') || status === 'IN_PROGRESS' || status === 'PENDING' || status === 'PROVISIONING' || status === 'ACTIVATING') return 'cyan';
	if (status === 'STOPPED' || status === 'UNHEALTHY') return 'red';
	return undefined;
}

/** Colours of a deployment's outcome, from the one vocabulary: served, failed, came back, unconfirmed, still going. */
export function outcomeColor(outcome: string): string | undefined {
	return ({good: 'green', bad: 'red', warn: 'yellow', busy: 'cyan', quiet: undefined} as const)[wordingOf(outcome).tone];
}

/** The message of a failed engine call (an AWS error, usually, with its name), shown in place of what did not load. */
export function errorMessage(cause: unknown): string {
	return printable(describeAwsError(cause));
}
