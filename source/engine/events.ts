import type {Problem} from '../domain/problems.js';
import type {FailureReason} from '../domain/failures.js';
import type {Plan} from '../domain/stack-status.js';

/** One stack event as the panes and printers show it. */
export type StackEventView = {
	id: string;
	timestamp: number;
	logicalId: string;
	resourceType: string;
	status: string;
	reason?: string;
};

/** One planned change of the change set. */
export type ChangeView = {action: string; logicalId: string; resourceType: string; replacement?: string; scope: string[]};

export type DeploymentView = {
	id: string;
	status: string;
	taskDefinition: string;
	rolloutState?: string;
	rolloutStateReason?: string;
	desired: number;
	pending: number;
	running: number;
	failed: number;
};

export type TaskView = {
	id: string;
	lastStatus: string;
	desiredStatus: string;
	healthStatus?: string;
	stopCode?: string;
	stoppedReason?: string;
	containers: Array<{name: string; lastStatus?: string; exitCode?: number; reason?: string; healthStatus?: string}>;
};

/** What the engine reports while it works. Hosts render these; the engine never prints. */
export type EngineEvent =
	| {code: 'deploy.start'; project: string; environment: string; stackName: string; releaseVersion?: string}
	| {code: 'recipe.problems'; problems: Problem[]}
	| {code: 'plan'; plan: Plan; stackStatus?: string}
	| {code: 'stack.busy'; status: string}
	| {code: 'changeset.ready'; changes: ChangeView[]}
	| {code: 'changeset.empty'}
	| {code: 'stack.operation'; operation: 'create' | 'update' | 'delete' | 'continue-rollback' | 'cancel-update'}
	| {code: 'stack.event'; event: StackEventView}
	| {code: 'stack.status'; status: string; reason?: string}
	| {code: 'service.deployment'; deployment: DeploymentView}
	| {code: 'service.event'; id: string; createdAt: number; message: string}
	| {code: 'task'; task: TaskView}
	| {code: 'aws.retry'; operation: string; kind: 'throttling' | 'transient'; attempt: number; delayMs: number}
	| {code: 'logs'; container: string; taskId: string; lines: string[]}
	| {code: 'failure'; reasons: FailureReason[]}
	| {code: 'note'; message: string};

/** A question the engine asks the operator. `defaultAnswer` is what a host without a person answers. */
export type Question = {
	id: 'execute-change-set' | 'recreate-stack' | 'continue-rollback' | 'delete-after-failed-rollback';
	message: string;
	defaultAnswer: boolean;
	/** The headless flag that answers yes. */
	flag: string;
};

/** The engine's only way out: report and ask. The TUI and the headless printer implement it. */
export type EngineHost = {
	notify(event: EngineEvent): void;
	confirm(question: Question): Promise<boolean>;
};
