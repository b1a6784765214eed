import {randomBytes} from 'node:crypto';
import type {AwsPorts} from '../ports.js';
import {withFileLock, type LockOptions} from '../../io/state-file.js';
import {applyOneOff, applyStep} from './apply.js';
import type {AccountClock, Call} from './calls.js';
import {cloudFormationPorts} from './cloudformation.js';
import {sandboxError} from './errors.js';
import {preflightPorts} from './preflight.js';
import {sandboxRegistry} from './registry.js';
import {SandboxS3} from './s3.js';
import {seedRepositories} from './seed.js';
import {servicePorts} from './services.js';
import {emptyState, loadState, saveState, type SandboxState, type Step} from './state.js';

export type SandboxOptions = {
	/** The state file; absent = in memory only (tests). */
	file?: string;
	/** @default Date.now */
	now?: () => number;
	/** How much faster than a real deployment: 1 plays a create in about 20 s. @default 1 */
	speed?: number;
	/** Waiting for another process's lock on the file (tests shorten it). */
	lock?: LockOptions;
};

/**
 * A simulated AWS account behind the same ports as the real adapters: CloudFormation, ECS, ECR, STS and
 * CloudWatch Logs, played in process. Every call loads the state (another process may have moved it),
 * applies the steps that are due, answers, and saves. See sandbox.md for its behaviour.
 */
export class SandboxAccount {
	private memory: SandboxState | undefined;
	/** When this object seeded ECR for a new account (see `fresh`). */
	private seededAt: number | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private readonly now: () => number;
	private readonly speed: number;
	/** The key of the NoEcho digests (see AccountClock): in memory only. */
	private readonly noEchoKey = randomBytes(32);
	/** S3 (the ledger buckets), kept in a file of its own next to the account's: see s3.ts. */
	private readonly s3: SandboxS3;

	constructor(private readonly options: SandboxOptions = {}) {
		this.now = options.now ?? (() => Date.now());
		this.speed = options.speed ?? 1;
		this.s3 = new SandboxS3({now: this.now, ...(options.file ? {file: options.file.replace(/\.json$/, '') + '-s3.json'} : {}), ...(options.lock ? {lock: options.lock} : {})});
	}

	/**
	 * Forgets every stack, service and log line; ECR is seeded again. Works on a state file that cannot be
	 * read (it is the way out of one). A good file is kept as sandbox.json.bak, so a reset can be undone; a
	 * bad one is not, so it cannot replace the last good copy.
	 */
	async reset(): Promise<void> {
		this.seededAt = undefined;
		const state = this.fresh();
		this.memory = state;
		await this.s3.reset();
		const file = this.options.file;
		if (!file) return;
		await withFileLock(
			file,
			async held => {
				const readable = await loadState(file).then(
					() => true,
					() => false,
				);
				await saveState(file, state, {backup: readable, held});
			},
			this.options.lock,
		);
	}

	/**
	 * Runs one call against the state, one call of this object at a time. With a file, other processes share
	 * the state: a call that changes it (or finds steps due) holds the file's lock and works on what the file
	 * holds at that moment; a call that only reads needs no lock, as the file is replaced in one rename.
	 */
	private call<T>(api: string, handler: (state: SandboxState) => T, options: {mutates?: boolean; faults?: boolean} = {}): Promise<T> {
		const run = async (): Promise<T> => {
			const file = this.options.file;
			if (!file) return this.play((this.memory ??= this.fresh()), this.now(), api, handler, options).result;
			if (!options.mutates) {
				const state = (await loadState(file)) ?? this.fresh();
				const now = this.now();
				if (!state.steps.some(s => s.at <= now)) return this.play(state, now, api, handler, options).result;
			}
			return withFileLock(
				file,
				async held => {
					const state = (await loadState(file)) ?? this.fresh();
					const {result, changed} = this.play(state, this.now(), api, handler, options);
					if (changed) await saveState(file, state, {backup: true, held});
					return result;
				},
				this.options.lock,
			);
		};
		const next = this.queue.then(run, run);
		this.queue = next.catch(() => undefined);
		return next;
	}

	/** Applies the steps due by `now`, injects faults, and answers; `changed` when the state must be saved. */
	private play<T>(state: SandboxState, now: number, api: string, handler: (state: SandboxState) => T, options: {mutates?: boolean; faults?: boolean}): {result: T; changed: boolean} {
		const moved = this.advance(state, now);
		if (options.faults !== false) this.injectFaults(state, api, now);
		const result = handler(state);
		return {result, changed: moved || Boolean(options.mutates)};
	}

	/**
	 * A new account's state. ECR is seeded when this object first needs it: every read before the file exists
	 * (each starts from a new account, as nothing is saved) sees the same images, made once.
	 */
	private fresh(): SandboxState {
		const state = emptyState();
		seedRepositories(state, (this.seededAt ??= this.now()));
		return state;
	}

	private advance(state: SandboxState, now: number): boolean {
		let moved = false;
		// A step may start others (an answered or timed-out PAUSE hook plays what follows it): play those too.
		for (;;) {
			const due = state.steps.filter(s => s.at <= now).sort((a, b) => a.at - b.at);
			if (due.length === 0) return moved;
			moved = true;
			state.steps = state.steps.filter(s => s.at > now);
			for (const step of due) {
				// A task started with RunTask belongs to no stack.
				if (step.kind === 'one-off') {
					applyOneOff({state, now: step.at, speed: this.speed}, step.data);
					continue;
				}
				const stack = state.stacks.find(s => s.id === step.stack);
				if (stack) applyStep({state, now: step.at, speed: this.speed}, stack, step);
			}
		}
	}

	/** Starts steps: saved with the state, and those already due played at once. */
	private schedule(state: SandboxState, steps: Step[]): void {
		state.steps.push(...steps);
		this.advance(state, this.now());
	}

	/** Faults a recipe asked for with SANDBOX_FAULTS: bursts of throttling, and a session that expires for a while. */
	private injectFaults(state: SandboxState, api: string, now: number): void {
		if (state.expiredUntil !== undefined && now < state.expiredUntil && api !== 'GetCallerIdentity') {
			throw sandboxError(api.startsWith('Describe') && !api.includes('Stack') ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', 403);
		}
		const until = state.calls['throttle-until'];
		if (until !== undefined && now < until) {
			state.calls[api] = (state.calls[api] ?? 0) + 1;
			// Three throttled calls in every five.
			if (state.calls[api]! % 5 < 3) throw sandboxError(api.includes('Stack') ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
		}
	}

	ports(): AwsPorts {
		const call: Call = (api, handler, options) => this.call(api, handler, options);
		const clock: AccountClock = {now: () => this.now(), speed: this.speed, schedule: (state, steps) => this.schedule(state, steps), noEchoKey: this.noEchoKey};
		return {...cloudFormationPorts(call, clock), ...servicePorts(call, clock), ...preflightPorts(call), s3: this.s3.port(), registry: sandboxRegistry()};
	}
}
