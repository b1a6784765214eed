import type {Clock} from './clock.js';

/** Thrown at the next wait after the operator detached: the engine stops watching (the operation goes on in AWS). */
export class Detached extends Error {
	override name = 'Detached';
	constructor() {
		super('stopped watching');
	}
}

/**
 * The controls of one run (a deploy, a rollback, a re-attach): detach and cancel can be called at any time,
 * from a key press or a signal. Every wait of the engine goes through `pause`, so a detach is seen at once
 * (never a busy loop: a detached run stops waiting and throws) and a cancel wakes the monitor early.
 */
export class RunControl {
	private readonly detachController = new AbortController();
	private wakeController = new AbortController();
	private cancelled = false;

	get detached(): boolean {
		return this.detachController.signal.aborted;
	}

	/** True once the operator asked to cancel. */
	get cancelRequested(): boolean {
		return this.cancelled;
	}

	/** Stop watching; the operation goes on in AWS. */
	detach(): void {
		this.detachController.abort();
	}

	/** Ask the engine to cancel: before anything changed it stops there; during an update it cancels the update. */
	cancel(): void {
		if (this.cancelled) return;
		this.cancelled = true;
		this.wakeController.abort();
		this.wakeController = new AbortController();
	}

	/** Ends the current pause early (something the run waits for happened, like an answered approval). */
	wake(): void {
		this.wakeController.abort();
		this.wakeController = new AbortController();
	}

	/** Throws {@link Detached} when the operator detached. */
	check(): void {
		if (this.detached) throw new Detached();
	}

	/** Waits `ms` (a setTimeout chain through the clock); returns early on cancel, throws {@link Detached} on detach. */
	async pause(clock: Clock, ms: number): Promise<void> {
		this.check();
		await clock.sleep(ms, AbortSignal.any([this.detachController.signal, this.wakeController.signal]));
		this.check();
	}
}

/** Links an outside signal (Ctrl+C, SIGTERM) to a run: detach, or cancel when `cancel` is set. */
export function linkSignal(control: RunControl, signal: AbortSignal | undefined, action: 'detach' | 'cancel' = 'detach'): void {
	if (!signal) return;
	const act = () => (action === 'cancel' ? control.cancel() : control.detach());
	if (signal.aborted) act();
	else signal.addEventListener('abort', act, {once: true});
}
