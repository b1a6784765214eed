import type {AwsPorts} from '../../aws/ports.js';
import type {EngineFiles} from '../../io/files.js';
import type {LedgerObjectCache} from '../../store/s3-ledger.js';
import type {Target} from '../../domain/records.js';
import type {CallContext} from './aws-call.js';
import {RunControl} from './run-control.js';
import {defaultPolling, type Clock, type PollingOptions} from './clock.js';
import type {EngineHost} from './host.js';
import type {Workspace} from './workspace.js';
import type {VerifyCache} from '../recipes/verify.js';

/** What every use case needs from outside: the workspace, AWS for a target, time and ids. */
export type EngineDeps = {
	workspace: Workspace;
	/** The AWS calls for a target: the real SDK adapters, or the sandbox account for the sandbox target. */
	awsFor(target: Target): Promise<AwsPorts>;
	/** Polling cadence for a target (the sandbox plays faster than AWS). @default defaultPolling */
	pollingFor?(target: Target): PollingOptions;
	clock: Clock;
	/** Unique ids for change sets and client request tokens. */
	newId(): string;
	/** The files the engine reads and writes (recipes, exported templates): io/files.ts on the local disk. */
	files: EngineFiles;
	/** The built-in sandbox target: it always exists. */
	sandboxTarget: Target;
	/** Every command runs on the sandbox (`--sandbox`). */
	sandboxOnly?: boolean;
	/** Who deploys, for the records (user@host). */
	actor?: string;
	/** Where an S3 ledger's objects are cached between runs (a file in the workspace). @default memory only */
	ledgerCache?: (location: {bucket: string; prefix: string}) => LedgerObjectCache;
	/** Where the pre-flight verify keeps passed results for a few minutes (a file in the workspace). @default none: every check runs */
	verifyCache?: VerifyCache;
	/** The profile names of the shared AWS config files (the target wizard offers them). */
	listProfiles?: () => Promise<string[]>;
};

export function pollingFor(deps: EngineDeps, target: Target): PollingOptions {
	return deps.pollingFor?.(target) ?? defaultPolling;
}

/**
 * The one way a call context is made: what every AWS call on a target shares (where to report, the clock,
 * the target's polling cadence, the run's controls, how to renew credentials). A short use case (status,
 * history, tags) gets controls of its own: nothing to detach from.
 */
export function callContextFor(deps: EngineDeps, target: Target, aws: AwsPorts, host: EngineHost, control: RunControl = new RunControl()): CallContext {
	return {host, clock: deps.clock, polling: pollingFor(deps, target), control, ...(aws.refreshCredentials ? {refreshCredentials: aws.refreshCredentials} : {})};
}

/** AWS and a call context for a short use case on a target. */
export async function connect(deps: EngineDeps, target: Target, host: EngineHost): Promise<{aws: AwsPorts; context: CallContext}> {
	const aws = await deps.awsFor(target);
	return {aws, context: callContextFor(deps, target, aws, host)};
}
