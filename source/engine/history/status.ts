import type {AwsPorts, Stack} from '../../aws/ports.js';
import type {RunningImage} from '../../domain/running-images.js';
import type {ServingVerdict} from '../../domain/serving.js';
import {environmentState, type EnvironmentState} from '../../domain/vocabulary.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {isInProgress} from '../../domain/stack-status.js';
import type {Target} from '../../domain/records.js';
import type {CallContext} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {openLedger} from '../releases/ledger.js';
import {latestByEnvironment, reconcileRecords} from './records.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {runningNow} from '../monitor/running-now.js';
import {plainStackName} from '../core/plain-stack-name.js';

/** One environment of a project as the dashboard and `status` show it. */
export type EnvironmentStatus = {
	environment: string;
	target: {name: string; region: string; cluster: string; sandbox: boolean};
	stackName: string;
	/** Absent: there is no stack (never deployed). */
	stackStatus?: string;
	/** Where the environment stands, in the one vocabulary (see domain/vocabulary.ts). */
	state: EnvironmentState;
	/** The release that runs now, read from AWS (the running task definition), when it is known. */
	release?: string;
	/** The images that run now, by image ref. */
	images?: Record<string, RunningImage>;
	/** While an operation runs: the release it is deploying (the stack's release tag). */
	deploying?: string;
	/** What the stack says it has (its release tag), when it differs from what runs, and how they disagree. */
	disagreement?: string;
	/** ECS's evidence: what is confirmed and what is not. */
	verdict?: ServingVerdict;
	/** An operation runs: a stack operation, or an ECS deployment that has not finished. */
	inProgress: boolean;
	/**
	 * The rollout of the deployment that matters now: while the stack is busy, the deployment that operation
	 * started (PENDING until ECS has one); otherwise the service's PRIMARY deployment.
	 */
	rollout?: string;
	running?: number;
	desired?: number;
	/** The newest deployment record of the environment, brought up to date with AWS. */
	lastDeployment?: {version: string; outcome: string; startedAt: string; finishedAt?: string; by?: string};
};

/**
 * Where an environment stands: the stack, what runs (read from ECS: the running task definition's images and
 * release, never the stack's tags alone), the rollout and the tasks, and the last deployment record
 * (reconciled with AWS first, so a killed or detached deploy shows how it really ended).
 */
export async function environmentStatus(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost(), options: {digests?: boolean} = {}): Promise<EnvironmentStatus> {
	const {aws, context} = await connect(deps, target, host);
	// A name with variables is resolved with the recipe rules, loaded then (the dashboard's first cells wait for no more than they need).
	const stackName = plainStackName(recipe, environment) ?? (await import('../core/stack-names.js')).stackNameFor(recipe, environment, target);
	const stack = await describeStack({...context, aws}, stackName);
	const ledger = await openLedger(deps, recipe, target, host);
	const records = await reconcileRecords(ledger, {project: recipe.name, environment, target: target.name}, aws, context);
	const last = latestByEnvironment(records).get(environment);
	const row: EnvironmentStatus = {
		environment,
		target: {name: target.name, region: target.region, cluster: target.cluster, sandbox: Boolean(target.sandbox)},
		stackName,
		state: 'not-deployed',
		inProgress: false,
		...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {}),
	};
	if (last) row.lastDeployment = {version: last.version, outcome: last.outcome, startedAt: last.startedAt, ...(last.finishedAt ? {finishedAt: last.finishedAt} : {}), ...(last.by ? {by: last.by} : {})};
	if (stack && stack.StackStatus !== 'REVIEW_IN_PROGRESS') Object.assign(row, await serviceState(stack, recipe, target, aws, context, deps, options));
	row.state = environmentState({stackStatus: row.stackStatus, inProgress: row.inProgress, serving: row.verdict?.kind, lastOutcome: last?.outcome});
	return row;
}

async function serviceState(stack: Stack, recipe: RecipeDocument, target: Target, aws: AwsPorts, context: CallContext, deps: EngineDeps, options: {digests?: boolean}): Promise<Partial<EnvironmentStatus>> {
	const busy = isInProgress(stack.StackStatus ?? '');
	const now = await runningNow({...context, aws}, stack, target.cluster, recipe, await (await openLedger(deps, recipe, target)).releases(recipe.name), options);
	const found: Partial<EnvironmentStatus> = {
		...(busy && now.stack.version ? {deploying: now.stack.version} : {}),
		verdict: now.verdict,
		images: now.images,
		...(now.version ? {release: now.version} : {}),
		// While an operation runs, the stack and the service differ by design: that is not a disagreement.
		...(now.disagreement && !busy ? {disagreement: now.disagreement} : {}),
	};
	const service = now.service;
	if (!service) return {...found, inProgress: busy, ...(busy ? {rollout: 'PENDING'} : {})};
	const primary = service.deployments.find(d => d.status === 'PRIMARY');
	let current = primary;
	if (busy) {
		// While the stack is busy the PRIMARY deployment may still be the previous release's: only a deployment
		// created since the operation started is this operation's.
		const since = new Date(stack.LastUpdatedTime ?? stack.CreationTime ?? 0).getTime();
		current = service.deployments.filter(d => d.createdAt !== undefined && d.createdAt >= since - 1000).sort((a, b) => b.createdAt! - a.createdAt!)[0];
	}
	const ecsBusy = service.deployments.some(d => d.rolloutState === 'IN_PROGRESS');
	return {
		...found,
		inProgress: busy || ecsBusy,
		rollout: current?.rolloutState ?? (busy ? 'PENDING' : 'UNKNOWN'),
		running: service.running,
		desired: service.desired,
	};
}
