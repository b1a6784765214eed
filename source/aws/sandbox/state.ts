import type {DeploymentLifecycleHookStage, DeploymentLifecycleHookStatus, DeploymentRolloutState, DeploymentStrategy, HealthStatus, ServiceDeploymentLifecycleStage, ServiceDeploymentStatus, TaskStopCode} from '@aws-sdk/client-ecs';
import {checkStateTextOf, isCheckedText, parseStateText, readStateText, shownPath, StateFileError, writeStateFile, type HeldLock, type StateFileFormat} from '../../io/state-file.js';
import type {ContainerDefinitionData, TaskDefinitionData} from './task-definition.js';
import type {Behaviour, ContainerModel} from './template-model.js';
import {seedRepositories} from './seed.js';

/*
 * The sandbox account's state: plain data, saved to a JSON file after every change, so a deploy started in
 * one process can be watched from another and history survives restarts. Operations are lists of steps
 * with absolute times; whoever reads the state applies the steps that are due.
 */

export const sandboxAccount = '123456789012';
export const sandboxRegion = 'eu-west-1';
export const sandboxCluster = 'sandbox';

export type StackEventData = {
	eventId: string;
	logicalId: string;
	physicalId: string;
	resourceType: string;
	status: string;
	reason?: string;
	timestamp: number;
	token?: string;
	operationId: string;
};

export type ChangeSetData = {id: string; name: string; type: 'CREATE' | 'UPDATE'; status: string; reason?: string; body: string; parameters: Record<string, string>; tags: Array<{Key: string; Value: string}>; created: number};

export type StackData = {
	id: string;
	name: string;
	status: string;
	reason?: string;
	created: number;
	updated?: number;
	deleted?: number;
	body?: string;
	parameters: Record<string, string>;
	tags: Array<{Key: string; Value: string}>;
	outputs: Record<string, string>;
	events: StackEventData[];
	changeSets: ChangeSetData[];
	/** The committed state to go back to when an update rolls back. */
	previous?: {body?: string; parameters: Record<string, string>; tags: Array<{Key: string; Value: string}>; outputs: Record<string, string>};
	taskDefinitionRevision: number;
	/**
	 * NoEcho parameters are stored as `****`, as DescribeStacks shows them; these keyed digests (HMAC-SHA256)
	 * of their values tell a changed value from an unchanged one. The key is the account object's, in memory
	 * only (see AccountClock): the file holds nothing that could confirm a guessed value. `changeSets` by
	 * change set id; `previous` goes with `previous` above.
	 */
	noEcho?: {current: Record<string, string>; previous?: Record<string, string>; changeSets: Record<string, Record<string, string>>};
};

export type TaskData = {
	arn: string;
	taskDefinitionArn: string;
	startedBy: string;
	lastStatus: string;
	desiredStatus: string;
	healthStatus: HealthStatus;
	stopCode?: TaskStopCode;
	stoppedReason?: string;
	containers: Array<{name: string; image: string; lastStatus: string; exitCode?: number; reason?: string; healthStatus: HealthStatus}>;
	createdAt: number;
	/** When the task reached RUNNING, and when it stopped (DescribeTasks startedAt, stoppedAt). */
	startedAt?: number;
	stoppedAt?: number;
};

export type DeploymentData = {
	id: string;
	status: string;
	taskDefinition: string;
	desiredCount: number;
	pendingCount: number;
	runningCount: number;
	failedTasks: number;
	rolloutState: DeploymentRolloutState;
	rolloutStateReason: string;
	createdAt: number;
	updatedAt: number;
	/** Blue/green, canary and linear deployments: where the deployment is in its lifecycle. */
	lifecycle?: LifecycleData;
};

/**
 * A lifecycle stage the sandbox plays: ECS's service deployment stages, and PRE_PRODUCTION_TRAFFIC_SHIFT, a hook
 * stage (DeploymentLifecycleHookStage) that ServiceDeploymentLifecycleStage does not list, played before each
 * production traffic shift so that PAUSE hooks there wait.
 */
export type SandboxStage = ServiceDeploymentLifecycleStage | DeploymentLifecycleHookStage;

/** A PAUSE hook of a deployment, as DescribeServiceDeployments shows it (lifecycleHookDetails). */
export type HookData = {id: string; stage: SandboxStage; status: DeploymentLifecycleHookStatus; expiresAt: number; timeoutAction: 'CONTINUE' | 'ROLLBACK'};

/** The lifecycle of a blue/green, canary or linear deployment (DescribeServiceDeployments). */
export type LifecycleData = {
	strategy: DeploymentStrategy;
	/** The lifecycle stage. */
	stage: SandboxStage;
	/** Percent of production traffic on the new revision. */
	production: number;
	/** Whether test traffic reaches the new revision. */
	test: boolean;
	/** Set when the deployment rolls back (ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL). */
	status?: ServiceDeploymentStatus;
	hooks: HookData[];
	/**
	 * While a PAUSE hook waits: what follows once it is answered (or times out), planned from the moment it
	 * paused (`at`); played shifted to when the answer comes.
	 */
	paused?: {hookId: string; at: number; rest: Step[]; rollback: Step[]};
};

export type ServiceData = {
	arn: string;
	name: string;
	stackName: string;
	desiredCount: number;
	deployments: DeploymentData[];
	events: Array<{id: string; createdAt: number; message: string}>;
	tasks: TaskData[];
};

/**
 * One thing that happens at a time: applied in order once the clock passes `at` to the stack with id
 * `stack`. Saved in the state file, so payloads are plain data.
 */
export type Step = {at: number; stack: string} & StepPayload;

/** What a step does, by kind (see apply.ts). */
export type StepPayload =
	/** Faults the template asked for with SANDBOX_FAULTS start now. */
	| {kind: 'faults'; data: {faults: string[]}}
	/** The stack's status changes; a stack row is written (a new operation id for "User Initiated" or `newOperation`). */
	| {kind: 'stack-status'; data: {token?: string; status: string; reason?: string; newOperation?: boolean}}
	/** A resource row. */
	| {kind: 'event'; data: {token?: string; logicalId: string; type: string; status: string; reason?: string; physicalId?: string}}
	/**
	 * `containers`: the revision's container definitions as ECS describes them (only name and image in state
	 * files from before the whole definition was kept; absent in older ones); `task`: its size, network mode, roles.
	 */
	| {kind: 'register-task-definition'; data: {family: string; revision: number; arn: string; containers?: ContainerDefinitionData[]; task?: TaskDefinitionData}}
	/** A new ECS deployment of the stack's service (the service is made on the first). */
	| {kind: 'ecs-start'; data: {taskDefinition: string; desired: number; containers: ContainerModel[]; stackName: string; maximumPercent: number; keepDesired?: boolean}}
	/** The primary deployment's tasks move on to `status`. */
	| {kind: 'tasks'; data: {status: 'PENDING' | 'ACTIVATING' | 'RUNNING'; health?: 'HEALTHY'}}
	/** A task of the primary deployment fails the way `behaviour` says; unless `last`, a replacement starts. */
	| {kind: 'task-fail'; data: {behaviour: Behaviour; failures: number; last: boolean; logGroup?: string; containers: ContainerModel[]}}
	| {kind: 'ecs-complete'; data: Record<string, never>}
	/** The new deployment enters a lifecycle stage (blue/green, canary, linear), with the traffic it then has. */
	| {kind: 'ecs-stage'; data: {strategy: DeploymentStrategy; stage: SandboxStage; production: number; test: boolean}}
	/** A PAUSE hook stops the deployment at its stage until ContinueServiceDeployment or its timeout. */
	| {kind: 'ecs-pause'; data: {hookId: string; stage: SandboxStage; timeoutMs: number; action: 'CONTINUE' | 'ROLLBACK'; rest: Step[]; rollback: Step[]}}
	/** A PAUSE hook nobody answered: ECS takes its timeout action. */
	| {kind: 'ecs-hook-timeout'; data: {hookId: string}}
	/** The service's desired count changes (UpdateService desiredCount, or a scalable target's bounds): tasks start or stop. */
	| {kind: 'service-scale'; data: {desired?: number; min?: number; max?: number}}
	/** A task started with RunTask moves on (`stack` is ''); when it stops, its log lines are written. */
	| {kind: 'one-off'; data: {taskArn: string; status: 'PENDING' | 'RUNNING' | 'STOPPED'; exitCode?: number; stopCode?: TaskStopCode; reason?: string; containerReason?: string; log?: {key: string; lines: string[]}}}
	/** The circuit breaker fails the primary deployment and goes back to the previous one. */
	/** The service goes back to its previous deployment: after the circuit breaker, or when CloudFormation rolls back a cancelled update. */
	| {kind: 'ecs-rollback'; data: {creating: boolean; reason?: 'circuit-breaker' | 'cancel' | 'hook'}}
	| {kind: 'service-delete'; data: {stackName: string}}
	/** The operation succeeded: the new outputs become the stack's. */
	| {kind: 'commit'; data: {taskDefinition: string; serviceArn: string; logGroup?: string; revision: number}}
	/** The operation rolled back: the stack goes back to its previous template, parameters and outputs. */
	| {kind: 'revert'; data: Record<string, never>};

/** An image in ECR (read-only: the seeded images are shared by every state seeded at the same time). */
export type ImageData = {readonly digest: string; readonly tags: readonly string[]; readonly pushedAt: number; readonly size: number};

export type SandboxState = {
	version: 1;
	seq: number;
	stacks: StackData[];
	services: ServiceData[];
	/** Tasks started with RunTask (not by a service); absent in state files from before they were kept. */
	oneOffTasks?: TaskData[];
	taskDefinitions: Record<string, Array<{revision: number; arn: string; tags: Array<{key: string; value: string}>; containers?: ContainerDefinitionData[]; task?: TaskDefinitionData}>>;
	/**
	 * ECR's repositories. The seeded ones (seed.ts) are not written to the file: it keeps when they were seeded
	 * (`seededAt`), and they are made again when it is read. Nothing changes them (the sandbox's ECR is read-only).
	 */
	repositories: Record<string, readonly ImageData[]>;
	/** When ECR was seeded (absent in files from before the seeded images were left out: those hold them). */
	seededAt?: number;
	logs: Record<string, Array<{timestamp: number; message: string}>>;
	steps: Step[];
	/** Calls counted per API, for fault injection (throttling bursts). */
	calls: Record<string, number>;
	/** Until this time, every call fails with an expired session (an injected fault). */
	expiredUntil?: number;
};

export function emptyState(): SandboxState {
	return {version: 1, seq: 0, stacks: [], services: [], taskDefinitions: {}, repositories: {}, logs: {}, steps: [], calls: {}};
}

/** A new id, unique in the account (a counter in the state, so ids survive restarts), shaped like a UUID. */
export function nextId(state: SandboxState): string {
	state.seq++;
	return `${state.seq.toString(16).padStart(8, '0')}-5a4d-4b0c-9e1f-${(state.seq * 7919).toString(16).padStart(12, '0')}`;
}


/** The schema check (state-check.ts), once loaded: see loadCheck. */
let checkState: ((value: unknown) => {data: unknown} | {problem: string}) | undefined;

/** Loads the schema check before a text that was not found good yet is checked (state-check.ts needs zod). */
async function loadCheck(file: string, text: string): Promise<void> {
	if (checkState || isCheckedText(file, text, sandboxStateFormat)) return;
	checkState = (await import('./state-check.js')).checkState;
}

/** How sandbox.json is checked, and how to start afresh. */
const sandboxStateFormat: StateFileFormat<SandboxState> = {
	check(value) {
		// A version this ecs-deployer does not know is named as such, not as a list of wrong fields.
		const version = value['version'];
		if (version !== 1) return {problem: `${version === undefined ? 'no version' : `version ${JSON.stringify(version)}`}: this ecs-deployer reads sandbox files of version 1 (was the file written by another version, or by hand?)`};
		if (!checkState) throw new Error('the sandbox state check is not loaded (loadCheck)');
		const checked = checkState(value);
		// The checked copy is equal to what was read (loose objects keep every field); use what was read.
		return 'problem' in checked ? checked : {data: value as unknown as SandboxState};
	},
	startAfresh: () => '`ecs-deployer sandbox reset` starts afresh (it forgets every sandbox stack, service and log)',
};

/**
 * Reads and checks the state file; undefined when there is none (a new account). A file that cannot be
 * read or is not a sandbox state throws a StateFileError: it is never taken for an empty account.
 */
export async function loadState(file: string): Promise<SandboxState | undefined> {
	const text = await readStateText(file);
	if (text === undefined) return undefined;
	await loadCheck(file, text);
	const state = parseStateText(file, text, sandboxStateFormat);
	// An older ecs-deployer kept the digests' key in the file; it is dropped (its digests then look changed once).
	for (const stack of state?.stacks ?? []) if (stack.noEcho) delete (stack.noEcho as {key?: string}).key;
	if (state?.seededAt !== undefined) seedRepositories(state, state.seededAt);
	return state;
}

/**
 * Replaces the state file in one rename (a reader never sees half a file), keeping the version replaced as
 * `sandbox.json.bak` when `backup` is set. Call it holding the file's lock.
 */
export async function saveState(file: string, state: SandboxState, options: {backup?: boolean; held?: HeldLock} = {}): Promise<void> {
	// The seeded images are made again from `seededAt` when the file is read: a deploy polls the file, and they
	// were nearly all of it (3,300 images, half a megabyte to read, check and write on every call).
	const text = JSON.stringify(state.seededAt === undefined ? state : {...state, repositories: {}});
	// Never write what the next read would refuse: that file would stop every command, and so would its `.bak`.
	// Found good, the text is remembered as the file's: reading it back is not checked again.
	await loadCheck(file, text);
	const checked = checkStateTextOf(file, text, sandboxStateFormat);
	if ('problem' in checked) {
		throw new StateFileError({
			file: shownPath(file),
			problem: `the sandbox made a state it could not read back (${checked.problem}); nothing was written`,
			fix: 'this is a bug in the sandbox, please report it; the file is as it was before this call',
			kind: 'io',
		});
	}
	await writeStateFile(file, text, options);
}
