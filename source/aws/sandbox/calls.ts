import type {SandboxState, Step} from './state.js';

/* What the account gives its handlers (cloudformation.ts, services.ts), and the paging they share. */

/** Runs a handler against the state (see SandboxAccount.call). */
export type Call = <T>(api: string, handler: (state: SandboxState) => T, options?: {mutates?: boolean; faults?: boolean}) => Promise<T>;

/**
 * The account's clock and speed, how to start steps (saved, and those due played at once), and the key of
 * the NoEcho digests: random per account object and kept in memory only, never in the state file, so that
 * the digests the file holds cannot confirm a guessed value.
 */
export type AccountClock = {now: () => number; speed: number; schedule: (state: SandboxState, steps: Step[]) => void; noEchoKey: Buffer};

/**
 * One page of a list: `size` items from the offset a token holds (the sandbox's tokens are offsets), and the
 * token of the next page when there is more.
 */
export function page<T>(all: readonly T[], token: string | undefined, size: number): {items: T[]; next?: string} {
	const start = token ? Number(token) : 0;
	const items = all.slice(start, start + size);
	return start + size < all.length ? {items, next: String(start + size)} : {items};
}
