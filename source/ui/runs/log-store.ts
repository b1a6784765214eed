import type {EngineEvent, LogLine} from '../../engine/core/host.js';
import type {LogsResult} from '../../engine/service/service-logs.js';

/** What a logs pane shows: the newest lines (bounded), what the engine said, and how it ended. */
export type LogSnapshot = {
	/** Grows with every flush; a changed snapshot is a new object (for useSyncExternalStore). */
	version: number;
	/** The newest lines, oldest first (at most `capacity`), each with a sequence number as its key. */
	lines: ReadonlyArray<LogLine & {seq: number}>;
	/** How many lines arrived in all (the pane keeps only the newest). */
	received: number;
	/** The engine's last note (`following 2 log streams (…)`). */
	note?: string;
	/** How reading ended (stopped, an error), once it has. */
	ended?: LogsResult;
};

export type LogStoreOptions = {
	/** Lines kept. @default 2000 */
	capacity?: number;
	/** Notifications are batched: at most one per this many ms. @default 50 */
	flushMs?: number;
	schedule?: (callback: () => void, ms: number) => unknown;
};

/**
 * A log follower's lines, outside React: a ring of the newest `capacity` lines (memory stays bounded however
 * long it follows), subscribers told at most every `flushMs` (a burst of thousands of lines is one render).
 */
export class LogStore {
	private readonly capacity: number;
	private readonly flushMs: number;
	private readonly schedule: (callback: () => void, ms: number) => unknown;
	private readonly listeners = new Set<() => void>();
	private lines: Array<LogLine & {seq: number}> = [];
	private received = 0;
	private note: string | undefined;
	private ended: LogsResult | undefined;
	private pending = false;
	private snapshot: LogSnapshot = {version: 0, lines: [], received: 0};

	constructor(options: LogStoreOptions = {}) {
		this.capacity = options.capacity ?? 2000;
		this.flushMs = options.flushMs ?? 50;
		this.schedule = options.schedule ?? ((callback, ms) => setTimeout(callback, ms));
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): LogSnapshot => this.snapshot;

	push(event: EngineEvent): void {
		if (event.code === 'log.lines') {
			for (const line of event.lines) this.lines.push({...line, seq: this.received++});
			// Trim in batches: amortised O(1) per line, never more than 1.5 × capacity kept.
			if (this.lines.length > this.capacity * 1.5) this.lines = this.lines.slice(-this.capacity);
		} else if (event.code === 'note' || event.code === 'warning') this.note = event.message;
		else if (event.code === 'aws.retry') this.note = `${event.operation} ${event.kind === 'throttling' ? 'throttled' : 'failed'}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`;
		else return;
		this.later();
	}

	end(result: LogsResult): void {
		this.ended = result;
		this.flush();
	}

	private later(): void {
		if (this.pending) return;
		this.pending = true;
		this.schedule(() => this.flush(), this.flushMs);
	}

	flush(): void {
		this.pending = false;
		this.snapshot = {
			version: this.snapshot.version + 1,
			lines: this.lines.slice(-this.capacity),
			received: this.received,
			...(this.note === undefined ? {} : {note: this.note}),
			...(this.ended === undefined ? {} : {ended: this.ended}),
		};
		for (const listener of this.listeners) listener();
	}
}
