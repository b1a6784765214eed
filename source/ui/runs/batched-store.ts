/** How a store's subscribers are told: at most once per `flushMs`, on timers that tests may inject. */
export type BatchOptions = {
	/** Notifications are batched: at most one per this many ms. @default 50 */
	flushMs?: number;
	/** Timers, injectable for tests. */
	schedule?: (callback: () => void, ms: number) => unknown;
};

/**
 * A store outside React that engine events fill as fast as they come, read by components with
 * useSyncExternalStore: a subclass takes the events and calls `later()`; at most every `flushMs` a new snapshot
 * (made by `nextSnapshot`, a new object with a greater version) is published and the subscribers told, so a burst
 * of thousands of events is one render.
 */
export abstract class BatchedStore<S extends {version: number}> {
	private readonly flushMs: number;
	private readonly schedule: (callback: () => void, ms: number) => unknown;
	private readonly listeners = new Set<() => void>();
	private pending = false;

	constructor(
		protected snapshot: S,
		options: BatchOptions,
	) {
		this.flushMs = options.flushMs ?? 50;
		this.schedule = options.schedule ?? ((callback, ms) => setTimeout(callback, ms));
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): S => this.snapshot;

	/** Publishes a new snapshot now. */
	flush(): void {
		this.pending = false;
		this.snapshot = this.nextSnapshot(this.snapshot.version + 1);
		for (const listener of this.listeners) listener();
	}

	/** The snapshot to publish, with this version. */
	protected abstract nextSnapshot(version: number): S;

	/** A flush within `flushMs`, unless one is already due. */
	protected later(): void {
		if (this.pending) return;
		this.pending = true;
		this.schedule(() => this.flush(), this.flushMs);
	}
}
