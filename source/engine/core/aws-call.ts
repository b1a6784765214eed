import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import type {Clock, PollingOptions} from './clock.js';
import type {EngineHost} from './host.js';
import {RunControl} from './run-control.js';

/** AWS refused access (expired session, missing permission, no credentials): the run cannot go on from here. */
export class AwsAccessError extends Error {
	override name = 'AwsAccessError';
	constructor(
		readonly kind: 'expired-credentials' | 'access',
		readonly operation: string,
		cause: unknown,
	) {
		super(describeAwsError(cause), {cause});
	}
}

/** What every AWS call of a run needs: where to report retries, the clock, the polling cadence and the run's controls. */
export type CallContext = {
	host: EngineHost;
	clock: Clock;
	polling: PollingOptions;
	control: RunControl;
	/** Called once when a session expires, before giving up: a renewed session may be there. */
	refreshCredentials?: () => void;
};

/** Transient failures (dropped connections, 5xx) are tried this often before they count. */
const transientAttempts = 5;

/**
 * Calls AWS, backing off on throttling (as long as it takes: a rate limit is never a failed deploy) and on
 * transient errors (a few times). Access problems become AwsAccessError; a detach during a backoff throws
 * Detached (never the AWS error); anything else is rethrown.
 */
export async function callAws<T>(context: CallContext, operation: string, call: () => Promise<T>): Promise<T> {
	let refreshed = false;
	for (let attempt = 1; ; attempt++) {
		context.control.check();
		try {
			return await call();
		} catch (error) {
			const kind = classifyAwsError(error);
			if (kind === 'expired-credentials' && context.refreshCredentials && !refreshed) {
				refreshed = true;
				context.host.notify({code: 'note', message: `the AWS session expired during ${operation}; trying fresh credentials`});
				context.refreshCredentials();
				continue;
			}
			if (kind === 'expired-credentials' || kind === 'access') throw new AwsAccessError(kind, operation, error);
			if (kind !== 'throttling' && (kind !== 'transient' || attempt >= transientAttempts)) throw annotate(error, operation);
			const {throttleBaseMs, throttleMaxMs, random} = context.polling;
			const delayMs = Math.round(Math.min(throttleMaxMs, throttleBaseMs * 2 ** (attempt - 1)) * (0.75 + random() * 0.5));
			context.host.notify({code: 'aws.retry', operation, kind, attempt, delayMs});
			await context.control.pause(context.clock, delayMs);
		}
	}
}

const failedOperations = new WeakMap<object, string>();

/** Remembers which AWS call an error came from, so the run's result can name it. */
function annotate(error: unknown, operation: string): unknown {
	if (typeof error === 'object' && error !== null && !failedOperations.has(error)) failedOperations.set(error, operation);
	return error;
}

/** The AWS call an error came from (through {@link callAws}), if it did. */
export function operationOf(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null ? failedOperations.get(error) : undefined;
}
