/*
 * Times, durations and AWS identifiers as the history browser and the rollback screen show them. Times are
 * UTC (CloudFormation and ECS report UTC; every operator of a team sees the same text).
 */

/** `2026-11-29 23:22:12` (UTC) from epoch milliseconds or an ISO date; `—` when unknown. */
export function formatTime(at: number | string | undefined): string {
	if (at === undefined) return '—';
	const time = typeof at === 'number' ? at : Date.parse(at);
	if (!Number.isFinite(time)) return '—';
	return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2026-11-29 23:22` (UTC): a date with minutes, for lists of releases and deployments. */
export function formatMinute(at: number | string | undefined): string {
	const full = formatTime(at);
	return full === '—' ? full : full.slice(0, 16);
}

/** `23:22:12` (UTC): the time of day, for events under an operation that names the date. */
export function formatClock(at: number | undefined): string {
	const full = formatTime(at);
	return full === '—' ? full : full.slice(11);
}

/** `850ms`, `42s`, `3m 05s`, `1h 02m`; `—` when unknown. */
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
	if (ms < 1000) return `${Math.round(ms)}ms`;
	const seconds = Math.round(ms / 1000);
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

/** Pads or cuts text to a column width (the last character of a cut column is `…`). */
export function column(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
	return text.padEnd(width);
}

/** Outcome colours: served, failed, came back, still going. */
export function outcomeColor(outcome: string): string | undefined {
	if (outcome === 'succeeded' || outcome === 'no-op') return 'green';
	if (outcome === 'failed' || outcome === 'timed-out' || outcome === 'access-denied') return 'red';
	if (outcome === 'rolled-back' || outcome === 'cancelled') return 'yellow';
	if (outcome === 'in progress' || outcome === 'started' || outcome === 'detached') return 'cyan';
	return undefined;
}
