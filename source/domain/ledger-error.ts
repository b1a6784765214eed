/**
 * A ledger that cannot be used: its bucket does not exist, access to it is denied, or what it holds cannot be
 * read. The message names the bucket (and the permission); `hint` says what to do. Commands print both and
 * exit with `exitCode` (2 for a bucket that does not exist: the recipe or target names it; 3 for access).
 */
export class LedgerError extends Error {
	override name = 'LedgerError';
	constructor(
		readonly kind: 'missing-bucket' | 'denied' | 'unreadable' | 'unavailable',
		message: string,
		readonly hint: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
	}

	/** The AWS error code behind it, when there was one. */
	get code(): string {
		const cause = this.cause as {name?: string} | undefined;
		return cause?.name && cause.name !== 'Error' ? cause.name : this.kind;
	}
}
