/** Colours of CloudFormation and ECS statuses. */
export function statusColor(status: string): string | undefined {
	if (/FAILED|ROLLBACK/.test(status)) return status.endsWith('_COMPLETE') && status.includes('ROLLBACK') ? 'yellow' : 'red';
	if (status.endsWith('_COMPLETE') || status === 'COMPLETED' || status === 'RUNNING' || status === 'HEALTHY' || status === 'SUCCESSFUL') return 'green';
	if (status.endsWith('_IN_PROGRESS') || status === 'IN_PROGRESS' || status === 'PENDING' || status === 'PROVISIONING' || status === 'ACTIVATING') return 'cyan';
	if (status === 'STOPPED' || status === 'UNHEALTHY') return 'red';
	return undefined;
}

/** `10:04:05` in UTC (the clock AWS reports in). */
export function clockTime(time: number | undefined): string {
	return time === undefined ? '--:--:--' : new Date(time).toISOString().slice(11, 19);
}

/** A text bar: `█████░░░░░` for `done` of `total`. */
export function bar(done: number, total: number, width: number): string {
	const cells = Math.max(1, width);
	const filled = total <= 0 ? 0 : Math.round((Math.min(done, total) / total) * cells);
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/**
 * `text` cut to `columns` with an ellipsis, before Ink sees it: Ink would cut it too, but character by
 * character through its ANSI tokenizer on every frame, which is most of a frame's cost under a long stream.
 */
export function fit(text: string, columns: number): string {
	if (text.length <= columns) return text;
	return columns <= 1 ? '…'.slice(0, Math.max(0, columns)) : `${text.slice(0, columns - 1)}…`;
}
