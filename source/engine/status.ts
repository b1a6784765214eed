import type {AwsPorts, Deployment, Stack} from '../aws/ports.js';
import type {RecipeDocument} from '../domain/recipe/schema.js';
import {isInProgress} from '../domain/stack-status.js';
import {toolTagKeys} from '../domain/template/tags.js';
import type {Target} from '../store/types.js';
import {callAws, type CallContext} from './aws-call.js';
import {connect, type EngineDeps} from './deps.js';
import {listeningHost, type EngineHost} from './host.js';
import {latestByEnvironment, reconcileRecords} from './records.js';
import {stackTag} from './release-lookup.js';
import {describeStack} from './stack-monitor.js';
import {stackOutputs} from './stack-results.js';
import {stackNameFor} from './stack-names.js';

/** One environment of a project as the dashboard and `status` show it. */
export type EnvironmentStatus = {
	environment: string;
	target: {name: string; region: string; cluster: string; sandbox: boolean};
	stackName: string;
	/** Absent: there is no stack (never deployed). */
	stackStatus?: string;
	/** The release the stack has (or is getting, while an operation runs). */
	release?: string;
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
 * Where an environment stands: the stack, the release on it, the rollout and the tasks, and the last
 * deployment record (reconciled with AWS first, so a killed or detached deploy shows how it really ended).
 */
export async function environmentStatus(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<EnvironmentStatus> {
	const {aws, context} = await connect(deps, target, host);
	const stackName = stackNameFor(recipe, environment, target.cluster, target.region);
	const stack = await describeStack({...context, aws}, stackName);
	const row: EnvironmentStatus = {
		environment,
		target: {name: target.name, region: target.region, cluster: target.cluster, sandbox: Boolean(target.sandbox)},
		stackName,
		inProgress: false,
		...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {}),
	};
	const release = stackTag(stack, toolTagKeys.release);
	if (release) row.release = release;
	if (stack) Object.assign(row, await serviceState(stack, target, aws, context));
	const records = await reconcileRecords(deps.workspace, {project: recipe.name, environment, target: target.name}, aws, context);
	const last = latestByEnvironment(records).get(environment);
	if (last) {
		row.lastDeployment = {version: last.version, outcome: last.outcome, startedAt: last.startedAt, ...(last.finishedAt ? {finishedAt: last.finishedAt} : {}), ...(last.by ? {by: last.by} : {})};
	}
	return row;
}

async function serviceState(stack: Stack, target: Target, aws: AwsPorts, context: CallContext): Promise<Partial<EnvironmentStatus>> {
	const busy = isInProgress(stack.StackStatus ?? '');
	const serviceArn = stackOutputs(stack)['ServiceArn'];
	if (!serviceArn) return {inProgress: busy, ...(busy ? {rollout: 'PENDING'} : {})};
	const service = (await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster: target.cluster, services: [serviceArn]}))).services?.[0];
	if (!service) return {inProgress: busy, ...(busy ? {rollout: 'PENDING'} : {})};
	const deployments = service.deployments ?? [];
	const primary = deployments.find(d => d.status === 'PRIMARY');
	let current: Deployment | undefined = primary;
	if (busy) {
		// While the stack is busy the PRIMARY deployment may still be the previous release's: only a deployment
		// created since the operation started is this operation's.
		const since = new Date(stack.LastUpdatedTime ?? stack.CreationTime ?? 0).getTime();
		current = deployments.filter(d => d.createdAt !== undefined && new Date(d.createdAt).getTime() >= since - 1000).sort((a, b) => new Date(b.createdAt!).getTime() - new Date(a.createdAt!).getTime())[0];
	}
	const ecsBusy = deployments.some(d => d.rolloutState === 'IN_PROGRESS');
	return {
		inProgress: busy || ecsBusy,
		rollout: current?.rolloutState ?? (busy ? 'PENDING' : 'UNKNOWN'),
		running: service.runningCount ?? 0,
		desired: service.desiredCount ?? 0,
	};
}
