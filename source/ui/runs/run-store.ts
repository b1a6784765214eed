import type {FailureReason} from '../../domain/failures.js';
import type {ChangeView, DeploymentView, EngineEvent, LifecycleView, ReleaseView, StackEventView, StackOperation, TargetView, TaskView} from '../../engine/core/host.js';
import type {DeployResult, RunStep} from '../../engine/core/results.js';
import {BatchedStore, type BatchOptions} from './batched-store.js';

/** What the live view shows of a run: everything the engine reported, bounded. */
export type RunSnapshot = {
	/** Grows with every flush; a changed snapshot is a new object (for useSyncExternalStore). */
	version: number;
	project?: string;
	environment?: string;
	stackName?: string;
	/** When the operation followed began, if before the run (a re-attach). */
	operationStartedAt?: number;
	target?: TargetView;
	release?: ReleaseView;
	stackStatus?: string;
	stackStatusReason?: string;
	operations: StackOperation[];
	changes?: ChangeView[];
	/** The newest stack events, oldest first (at most `capacity`). */
	stackEvents: readonly StackEventView[];
	/** The new deployment against the one it replaces. */
	deployments: {new?: DeploymentView; old?: DeploymentView};
	/** A blue/green, canary or linear deployment's lifecycle stage and approval gate, as last reported. */
	lifecycle?: LifecycleView;
	/** The new deployment's tasks, newest first. */
	tasks: readonly TaskView[];
	serviceEvents: ReadonlyArray<{id: string; createdAt: number; message: string}>;
	/** The reasons the engine found so far (root cause first). */
	failures: readonly FailureReason[];
	logs: ReadonlyArray<{container: string; taskId: string; lines: string[]}>;
	/** Notes, warnings and retries, oldest first (bounded). */
	notes: ReadonlyArray<{kind: 'note' | 'warning' | 'retry'; message: string}>;
	/** How many events the run reported in all (the panes keep only the newest). */
	received: number;
	/** The recipe's beforeDeploy tasks as they ran (in order), with their state. */
	beforeDeploy: ReadonlyArray<{task: string; container: string; state: 'running' | 'passed' | 'failed' | 'skipped'; taskId?: string; exitCode?: number; message: string}>;
	/** Where the run is before the stack moves (reading the recipe, the pre-flight checks, the change set…). */
	step?: RunStep;
	result?: DeployResult;
};

export type RunStoreOptions = BatchOptions & {
	/** How many stack events (and service events) to keep. @default 1000 */
	capacity?: number;
};

/**
 * A run's events, kept outside React: the engine pushes as fast as it reports, the store keeps bounded
 * lists (a ring of the newest `capacity` events) and tells subscribers at most every `flushMs`, so the live
 * view renders at most ~20 times a second whatever the event rate. Panes read it with useSyncExternalStore.
 */
export class RunStore extends BatchedStore<RunSnapshot> {
	private readonly capacity: number;
	private draft: Omit<RunSnapshot, 'stackEvents' | 'serviceEvents' | 'tasks' | 'notes'>;
	private stackEvents: StackEventView[] = [];
	private serviceEvents: Array<{id: string; createdAt: number; message: string}> = [];
	private readonly tasks = new Map<string, TaskView>();
	private notes: Array<{kind: 'note' | 'warning' | 'retry'; message: string}> = [];

	constructor(options: RunStoreOptions = {}) {
		super({version: 0, operations: [], stackEvents: [], deployments: {}, tasks: [], serviceEvents: [], failures: [], logs: [], notes: [], beforeDeploy: [], received: 0}, options);
		this.capacity = options.capacity ?? 1000;
		this.draft = {...this.snapshot};
	}

	/** Takes one engine event; subscribers hear of it at the next flush. */
	push(event: EngineEvent): void {
		const d = this.draft;
		d.received++;
		switch (event.code) {
			case 'deploy.start':
				Object.assign(d, {project: event.project, environment: event.environment, stackName: event.stackName, ...(event.target ? {target: event.target} : {}), ...(event.startedAt === undefined ? {} : {operationStartedAt: event.startedAt})});
				break;
			case 'release':
				d.release = event.release;
				break;
			case 'stack.status':
				d.stackStatus = event.status;
				if (event.reason === undefined) delete d.stackStatusReason;
				else d.stackStatusReason = event.reason;
				break;
			case 'stack.operation':
				d.operations = [...d.operations, event.operation];
				break;
			case 'changeset.ready':
				d.changes = event.changes;
				break;
			case 'stack.event':
				this.stackEvents.push(event.event);
				// Trim in batches: amortised O(1) per event, never more than 1.5 × capacity kept.
				if (this.stackEvents.length > this.capacity * 1.5) this.stackEvents = this.stackEvents.slice(-this.capacity);
				break;
			case 'service.deployment':
				d.deployments = {...d.deployments, [event.role]: event.deployment};
				break;
			case 'service.lifecycle':
				d.lifecycle = event.lifecycle;
				break;
			case 'service.event':
				this.serviceEvents.push({id: event.id, createdAt: event.createdAt, message: event.message});
				if (this.serviceEvents.length > this.capacity * 1.5) this.serviceEvents = this.serviceEvents.slice(-this.capacity);
				break;
			case 'task':
				this.tasks.delete(event.task.id);
				this.tasks.set(event.task.id, event.task);
				if (this.tasks.size > 200) this.tasks.delete(this.tasks.keys().next().value!);
				break;
			case 'failure':
				d.failures = event.reasons;
				break;
			case 'logs':
				d.logs = [...d.logs.filter(l => l.container !== event.container), {container: event.container, taskId: event.taskId, lines: event.lines}];
				break;
			case 'note':
			case 'warning':
				this.note(event.code, event.message);
				break;
			case 'aws.retry':
				this.note('retry', `${event.operation} ${event.kind === 'throttling' ? 'throttled' : 'failed'}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`);
				break;
			case 'plan':
				if (event.stackStatus) d.stackStatus = event.stackStatus;
				break;
			case 'deploy.end':
				d.result = event.result;
				if (event.result.stackStatus) d.stackStatus = event.result.stackStatus;
				// The end is shown at once.
				this.flush();
				return;
			case 'stack.busy':
				this.note('note', `another operation is running (${event.status}); waiting for it to end`);
				break;
			case 'changeset.empty':
				this.note('note', 'no changes to apply');
				break;
			case 'recipe.problems':
				for (const p of event.problems) this.note(p.severity === 'error' ? 'warning' : 'note', `${p.path}: ${p.message}`);
				break;
			case 'step':
				d.step = event.step;
				break;
			case 'before-deploy': {
				const {code: _code, lastLines: _lines, ...entry} = event;
				d.beforeDeploy = [...d.beforeDeploy.filter(t => t.task !== event.task), entry];
				this.note(event.state === 'failed' || event.state === 'skipped' ? 'warning' : 'note', event.message);
				break;
			}
			case 'task.output': {
				// A beforeDeploy task's log shows with the run (a one-off task's has a screen of its own).
				if (!d.beforeDeploy.some(t => t.taskId === event.taskId)) return;
				const kept = d.logs.find(l => l.taskId === event.taskId)?.lines ?? [];
				d.logs = [...d.logs.filter(l => l.taskId !== event.taskId), {container: event.container, taskId: event.taskId, lines: [...kept, ...event.lines].slice(-20)}];
				break;
			}
			// Followed logs have a pane and a command of their own.
			case 'log.lines':
				return;
			default: {
				// Every event the engine reports is handled above: a new one fails to compile here.
				const unhandled: never = event;
				return unhandled;
			}
		}
		this.later();
	}

	private note(kind: 'note' | 'warning' | 'retry', message: string): void {
		this.notes.push({kind, message});
		if (this.notes.length > 300) this.notes = this.notes.slice(-200);
	}

	protected nextSnapshot(version: number): RunSnapshot {
		return {
			...this.draft,
			version,
			stackEvents: this.stackEvents.slice(-this.capacity),
			serviceEvents: this.serviceEvents.slice(-this.capacity),
			tasks: [...this.tasks.values()].reverse(),
			notes: this.notes.slice(-200),
		};
	}
}
