import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';

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
};

export type TaskData = {
	arn: string;
	taskDefinitionArn: string;
	startedBy: string;
	lastStatus: string;
	desiredStatus: string;
	healthStatus: string;
	stopCode?: string;
	stoppedReason?: string;
	containers: Array<{name: string; image: string; lastStatus: string; exitCode?: number; reason?: string; healthStatus: string}>;
	createdAt: number;
};

export type DeploymentData = {
	id: string;
	status: string;
	taskDefinition: string;
	desiredCount: number;
	pendingCount: number;
	runningCount: number;
	failedTasks: number;
	rolloutState: string;
	rolloutStateReason: string;
	createdAt: number;
	updatedAt: number;
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

/** One thing that happens at a time: applied in order once the clock passes `at`. */
export type Step = {at: number; stack: string; kind: string; data: Record<string, unknown>};

export type ImageData = {digest: string; tags: string[]; pushedAt: number; size: number};

export type SandboxState = {
	version: 1;
	seq: number;
	stacks: StackData[];
	services: ServiceData[];
	taskDefinitions: Record<string, Array<{revision: number; arn: string; tags: Array<{key: string; value: string}>}>>;
	repositories: Record<string, ImageData[]>;
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

/** Reads the state file; a missing or unreadable file starts a fresh account. */
export async function loadState(file: string | undefined): Promise<SandboxState | undefined> {
	if (!file) return undefined;
	try {
		const parsed = JSON.parse(await readFile(file, 'utf8')) as SandboxState;
		return parsed.version === 1 ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Writes atomically (write then rename), so a reader never sees half a file. */
export async function saveState(file: string | undefined, state: SandboxState): Promise<void> {
	if (!file) return;
	await mkdir(path.dirname(file), {recursive: true});
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, JSON.stringify(state));
	await rename(temporary, file);
}
