import type {DeployRun} from '../../engine/deploy-release.js';
import {RunStore} from './run-store.js';

/** A run started (or attached to) from the app. */
export type AppRun = {
	id: string;
	kind: 'deploy' | 'rollback' | 'attach' | 'redeploy';
	recipeFile: string;
	project: string;
	environment: string;
	run: DeployRun;
	store: RunStore;
	/** The operator detached: the engine stopped watching; the operation may go on in AWS. */
	detached: boolean;
	ended: boolean;
	/** When the app started (or attached to) it. */
	startedAt: number;
};

/**
 * The runs of this session, outside React: the live view shows one, the dashboard marks the environments
 * they run in. A detached run stays listed (ended) so the dashboard can offer to attach again.
 */
export class RunRegistry {
	private runs: AppRun[] = [];
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
	add(details: Omit<AppRun, 'id' | 'run' | 'store' | 'detached' | 'ended' | 'startedAt'>, start: (store: RunStore) => DeployRun): AppRun {
		const store = new RunStore();
		const entry: AppRun = {...details, id: `run-${++this.seq}`, store, run: start(store), detached: false, ended: false, startedAt: Date.now()};
		this.runs = [...this.runs.filter(r => !(r.ended && r.recipeFile === details.recipeFile && r.environment === details.environment)), entry];
		this.emit();
		entry.run.result.then(
			() => this.update(entry.id, {ended: true}),
			() => this.update(entry.id, {ended: true}),
		);
		return entry;
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
