import type {OneOffResult} from '../../engine/service/one-off.js';
import type {EngineEvent, TaskView} from '../../engine/core/host.js';
import {BatchedStore} from './batched-store.js';

/** What the one-off task screen shows of a run: the task's state, its log lines, what the engine said, the end. */
export type TaskRunSnapshot = {
	version: number;
	task?: TaskView;
	/** The container's log lines, oldest first (the newest `capacity`). */
	lines: readonly string[];
	/** How many lines arrived in all. */
	received: number;
	/** Notes, warnings and failures, oldest first (the newest few). */
	notes: ReadonlyArray<{kind: 'note' | 'warning' | 'failure'; message: string}>;
	result?: OneOffResult;
};

/**
 * A one-off task's events, kept outside React (bounded; subscribers hear at most every `flushMs`), as the
 * run store does for deploys.
 */
export class TaskRunStore extends BatchedStore<TaskRunSnapshot> {
	private lines: string[] = [];
	private draft: Omit<TaskRunSnapshot, 'lines' | 'version'> = {received: 0, notes: []};

	constructor(
		private readonly capacity = 500,
		flushMs = 50,
	) {
		super({version: 0, lines: [], received: 0, notes: []}, {flushMs});
	}

	push(event: EngineEvent): void {
		switch (event.code) {
			case 'task':
				this.draft.task = event.task;
				break;
			case 'task.output':
				this.lines.push(...event.lines);
				this.draft.received += event.lines.length;
				if (this.lines.length > this.capacity * 1.5) this.lines = this.lines.slice(-this.capacity);
				break;
			case 'note':
			case 'warning':
				this.note(event.code, event.message);
				break;
			case 'failure':
				for (const r of event.reasons) this.note('failure', `${r.subject}: ${r.message}`);
				break;
			case 'recipe.problems':
				for (const p of event.problems) if (p.severity === 'error') this.note('failure', `${p.path}: ${p.message}`);
				break;
			default:
				// The rest (the stack, the release) is the deploy's business, not this screen's.
				return;
		}
		this.later();
	}

	/** The run's end: shown at once. */
	end(result: OneOffResult): void {
		this.draft.result = result;
		this.flush();
	}

	private note(kind: 'note' | 'warning' | 'failure', message: string): void {
		this.draft.notes = [...this.draft.notes, {kind, message}].slice(-20);
	}

	protected nextSnapshot(version: number): TaskRunSnapshot {
		return {...this.draft, version, lines: this.lines.slice(-this.capacity)};
	}
}
