import type {EngineEvent, LogLine} from '../../engine/core/host.js';
import type {LogsResult} from '../../engine/service/service-logs.js';
import {BatchedStore, type BatchOptions} from './batched-store.js';

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

export type LogStoreOptions = BatchOptions & {
	/** Lines kept. @default 2000 */
	capacity?: number;
};

/**
 * A log follower's lines, outside React: a ring of the newest `capacity` lines (memory stays bounded however
 * long it follows), subscribers told at most every `flushMs` (a burst of thousands of lines is one render).
 */
export class LogStore extends BatchedStore<LogSnapshot> {
	private readonly capacity: number;
	private lines: Array<LogLine & {seq: number}> = [];
	private received = 0;
	private note: string | undefined;
	private ended: LogsResult | undefined;

	constructor(options: LogStoreOptions = {}) {
		super({version: 0, lines: [], received: 0}, options);
		this.capacity = options.capacity ?? 2000;
	}

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

	protected nextSnapshot(version: number): LogSnapshot {
		return {
			version,
			lines: this.lines.slice(-this.capacity),
			received: this.received,
			...(this.note === undefined ? {} : {note: this.note}),
			...(this.ended === undefined ? {} : {ended: this.ended}),
		};
	}
}
