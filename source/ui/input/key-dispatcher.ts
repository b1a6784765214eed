import type {Key} from './keys.js';

/** Keys read and not yet handled, across the app (tests wait for none; a bench times the work). */
let inFlight = 0;

/** How many keys are read and not yet handled with their frame committed. */
export const keysInFlight = (): number => inFlight;

/** A key handler: true when the key was its own (no one after it sees the key). */
export type KeyHandler = (key: Key) => boolean | void;

/**
 * Who gets a key first: `system` (Ctrl+C), then an open `dialog` (it owns every key while open), else the
 * `screen`, then the `global` layer (quit, help, back) with what the screen did not use.
 */
export type KeyLayer = 'system' | 'dialog' | 'screen' | 'global';

/** What a subscription says now: read when a key arrives, so it is the latest render's handler and state. */
export type KeyTarget = {handler: KeyHandler; active: boolean; field: boolean};

export type KeySubscription = {layer: KeyLayer; read(): KeyTarget};

/**
 * Hands each key to the handlers, one key at a time, in order: system; then the open dialog's handlers (and
 * nothing else), or the screen's — a focused text field first, so letters are typed, not commands — and the
 * global layer with what the screen left.
 *
 * Keys that arrive together (one terminal read) wait for each other: React renders a key's updates later (in
 * a scheduled task), so the next key is handed out only once the frame of the one before is committed. Then
 * it meets the handlers, the state and the subscriptions that key left (a text field's new text, a dialog it
 * opened, a filter it started).
 */
export class KeyDispatcher {
	private readonly subscriptions: KeySubscription[] = [];
	private readonly queue: Key[] = [];
	/** A key was handed out and its frame is not committed yet. */
	private waiting = false;
	/** Asks React for a commit (the app's key clock); without one, keys go out at once. */
	private requestCommit: (() => void) | undefined;

	/** Keys read from the terminal, in order. */
	push(keys: readonly Key[]): void {
		this.queue.push(...keys);
		inFlight += keys.length;
		if (!this.waiting) this.next();
	}

	/** The app's key clock: `request` makes React commit a frame, which then calls `committed`. */
	setClock(request: (() => void) | undefined): void {
		this.requestCommit = request;
	}

	/** A frame was committed: the next key may go. */
	committed(): void {
		if (!this.waiting) return;
		this.waiting = false;
		inFlight--;
		if (this.queue.length === 0) return;
		// After the commit (and its layout effects) has finished.
		queueMicrotask(() => {
			if (!this.waiting) this.next();
		});
	}

	private next(): void {
		while (this.queue.length > 0) {
			const key = this.queue.shift()!;
			try {
				this.dispatch(key);
			} finally {
				if (this.requestCommit) {
					this.waiting = true;
					this.requestCommit();
				} else inFlight--;
			}
			if (this.waiting) return;
		}
	}

	subscribe(subscription: KeySubscription): () => void {
		this.subscriptions.push(subscription);
		return () => {
			const index = this.subscriptions.indexOf(subscription);
			if (index !== -1) this.subscriptions.splice(index, 1);
		};
	}

	dispatch(key: Key): void {
		if (this.offer('system', key)) return;
		if (this.active('dialog').length > 0) {
			this.offer('dialog', key);
			return;
		}
		if (this.offer('screen', key)) return;
		this.offer('global', key);
	}

	private active(layer: KeyLayer): KeySubscription[] {
		const list = this.subscriptions.filter(s => s.layer === layer && s.read().active);
		// A focused field before the rest of its layer; otherwise in the order they subscribed.
		return [...list.filter(s => s.read().field), ...list.filter(s => !s.read().field)];
	}

	private offer(layer: KeyLayer, key: Key): boolean {
		for (const subscription of this.active(layer)) {
			// A handler before it may have closed this one (a screen left, a dialog answered).
			const target = subscription.read();
			if (!this.subscriptions.includes(subscription) || !target.active) continue;
			if (target.handler(key) === true) return true;
		}
		return false;
	}
}
