/** Time for the engine: injectable, so tests run a whole deployment with fake timers or no waiting at all. */
export type Clock = {
	now(): number;
	/** Resolves after `ms`; resolves early when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: (ms, signal) =>
		new Promise(resolve => {
			if (signal?.aborted) return resolve();
			// A setTimeout chain: the next poll is scheduled only after the previous one finished.
			const timer = setTimeout(done, ms);
			function done() {
				signal?.removeEventListener('abort', done);
				clearTimeout(timer);
				resolve();
			}
			signal?.addEventListener('abort', done, {once: true});
		}),
};

/** Polling cadence: quick while things change, slower when idle, with jitter so many operators do not poll in step. */
export type PollingOptions = {
	/** @default 2000 */
	activeMs: number;
	/** @default 8000 */
	idleMs: number;
	/** Fraction of the interval added or taken at random. @default 0.2 */
	jitter: number;
	/** First backoff after throttling, doubled per throttled call. @default 2000 */
	throttleBaseMs: number;
	/** @default 60000 */
	throttleMaxMs: number;
	random: () => number;
	/**
	 * Once a stack operation has succeeded, how long ECS may take to show its PRIMARY deployment on the new
	 * task definition (eventual consistency) before the verdict says it could not be confirmed. @default 20000
	 */
	confirmGraceMs?: number;
	/** Once a stack operation has succeeded, how long an ECS rollout still in progress is followed. @default 600000 */
	settleMs?: number;
};

export const defaultPolling: PollingOptions = {activeMs: 2000, idleMs: 8000, jitter: 0.2, throttleBaseMs: 2000, throttleMaxMs: 60_000, random: Math.random};

/** The next interval: active when the last poll saw a change, growing toward idle while nothing changes. */
export function nextInterval(options: PollingOptions, quietPolls: number): number {
	const base = Math.min(options.idleMs, options.activeMs * 2 ** Math.max(0, quietPolls - 1));
	const spread = base * options.jitter;
	return Math.max(0, Math.round(base - spread + options.random() * 2 * spread));
}
