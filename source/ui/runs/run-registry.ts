import type {DeployRun} from '../../engine/deploy/deploy-release.js';
import {RunStore} from './run-store.js';

/** A run started (or attached to) from the app. */
export type AppRun = {
	id: string;
	kind: 'deploy' | 'rollback' | 'attach' | 'redeploy' | 'continue-rollback';
	recipeFile: string;
	project: string;
	environment: string;
	/** The target, when several serve the environment (a run per target). */
	target?: string;
	/** Its place in a deploy to several targets, one after the other; `follows`: the run before it. */
	sequence?: {index: number; count: number; follows?: string};
	run: DeployRun;
	store: RunStore;
	/** The operator detached: the engine stopped watching; the operation may go on in AWS. */
	detached: boolean;
	ended: boolean;
	/** When the app started (or attached to) it. */
	startedAt: number;
};

/** What a run is, as it is added. */
export type RunDetails = Omit<AppRun, 'id' | 'run' | 'store' | 'detached' | 'ended' | 'startedAt'>;

/**
 * The runs of this session, outside React: the live view shows one, the dashboard marks the environments
 * they run in. A detached run stays listed (ended) so the dashboard can offer to attach again.
 */
export class RunRegistry {
	private runs: AppRun[] = [];
	/** How each run was started: the same again is one call (`t` try again). */
	private readonly starts = new Map<string, {details: RunDetails; start: (store: RunStore) => DeployRun}>();
	private readonly listeners = new Set<() => void>();
	private seq = 0;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): readonly AppRun[] => this.runs;

	get(id: string): AppRun | undefined {
		return this.runs.find(r => r.id === id);
	}

	/** Registers a run: `start` receives the store the engine's events go to. */
	add(details: RunDetails, start: (store: RunStore) => DeployRun): AppRun {
		const store = new RunStore();
		const entry: AppRun = {...details, id: `run-${++this.seq}`, store, run: start(store), detached: false, ended: false, startedAt: Date.now()};
		this.starts.set(entry.id, {details, start});
		if (this.starts.size > 50) this.starts.delete(this.starts.keys().next().value!);
		this.runs = [...this.runs.filter(r => !(r.ended && r.recipeFile === details.recipeFile && r.environment === details.environment && r.target === details.target)), entry];
		this.emit();
		entry.run.result.then(
			() => this.update(entry.id, {ended: true}),
			() => this.update(entry.id, {ended: true}),
		);
		return entry;
	}

	/** Starts a run the same way as `id` was (same use case, same input, a new store); undefined when it is not known. */
	again(id: string): AppRun | undefined {
		const known = this.starts.get(id);
		return known ? this.add(known.details, known.start) : undefined;
	}

	detach(id: string): void {
		this.get(id)?.run.detach();
		this.update(id, {detached: true});
	}

	/** The run in progress for an environment, if any. */
	active(recipeFile: string, environment: string): AppRun | undefined {
		return this.runs.find(r => r.recipeFile === recipeFile && r.environment === environment && !r.ended);
	}

	/** Runs still being watched (quitting asks first while there are any). */
	watched(): AppRun[] {
		return this.runs.filter(r => !r.ended && !r.detached);
	}

	private update(id: string, change: Partial<AppRun>): void {
		this.runs = this.runs.map(r => (r.id === id ? {...r, ...change} : r));
		this.emit();
	}

	private emit(): void {
		for (const listener of this.listeners) listener();
	}
}
