import type {AwsPorts, Stack} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {unconfirmedSentence} from '../../domain/serving.js';
import {isInProgress, isSuccess} from '../../domain/stack-status.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import {nextInterval} from '../core/clock.js';
import {DeploymentLifecycle} from './deployment-lifecycle.js';
import {FailureTracker} from './failure-tracker.js';
import {ServiceWatch} from './service-watch.js';
import type {StackContext} from '../core/stack-context.js';
import {StackEventFeed} from './stack-feed.js';
import {stackEcsResources} from './stack-resources.js';

export type MonitorOptions = {
	/** The stack id (ARN): a deleted stack is found by its id only. */
	stackId: string;
	/** The stack as the caller just described it: the first pass uses it instead of asking again. */
	stack?: Stack;
	/** Client request tokens of this run's operations (a cancel adds its own). Empty: every event since `since`. */
	tokens: Set<string>;
	/** Events before this time belong to earlier operations. */
	since: number;
	/** Follow the ECS deployment of the task definition the operation creates, until it ends. */
	followService: boolean;
	/** Give up waiting after this long: an update is cancelled (the previous release comes back). */
	timeoutMs?: number;
};

export type MonitorEnd = {
	stack: Stack | undefined;
	/** The final stack status (`DELETE_COMPLETE` when the stack is gone). */
	status: string;
	watch: ServiceWatch | undefined;
	failures: FailureTracker;
	/** The update was cancelled: by the operator, or after the timeout. */
	cancelled: boolean;
	/** The wait timed out. */
	timedOut: boolean;
	/** Still in progress when the timeout hit and nothing could be cancelled (a create): it goes on in AWS. */
	abandoned: boolean;
};

/** The stack, or undefined when there is none (CloudFormation: "Stack with id X does not exist"). */
export async function describeStack(context: CallContext & {aws: AwsPorts}, nameOrId: string): Promise<Stack | undefined> {
	try {
		const out = await callAws(context, 'DescribeStacks', () => context.aws.cloudFormation.describeStacks({StackName: nameOrId}));
		const stack = out.Stacks?.[0];
		// By name a deleted stack is not found; by id it is, as DELETE_COMPLETE: both mean "no stack".
		return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
	} catch (error) {
		if (classifyAwsError(error) === 'not-found') return undefined;
		throw error;
	}
}

/**
 * The one monitor loop, for a deploy, a wait for someone else's operation and a re-attach: polls the stack,
 * streams this operation's events, follows the ECS deployment of its new task definition, reports failure
 * reasons as they appear, honours cancel (an update is cancelled) and the timeout, and stops once the stack
 * is done and ECS has finished. Every wait is a pause of the run's controls (a detach throws Detached).
 * Polling is a setTimeout chain, quick while things change and slower while nothing does.
 */
export async function monitorStack(context: StackContext, options: MonitorOptions): Promise<MonitorEnd> {
	const lifecycle: {follower?: DeploymentLifecycle} = {};
	try {
		return await followStack(context, options, lifecycle);
	} finally {
		// An approval question still on screen is moot once the run stops following.
		lifecycle.follower?.close();
	}
}

async function followStack(context: StackContext, options: MonitorOptions, lifecycle: {follower?: DeploymentLifecycle}): Promise<MonitorEnd> {
	const {aws, host, control} = context;
	const feed = new StackEventFeed(aws.cloudFormation, context, options.stackId, options.since, options.tokens);
	const failures = new FailureTracker(context);
	const started = context.clock.now();
	let watch: ServiceWatch | undefined;
	let lastStatus = '';
	let cancelled = false;
	let cancelHandled = false;
	let timedOut = false;
	let described = options.stack;
	/** When the stack reached a terminal status: ECS is given a while after it to confirm. */
	let doneAt: number | undefined;
	let waitingNoted = false;
	let last: Stack | undefined;
	for (let quiet = 1; ; ) {
		// While an approval gate waits nothing moves but its hook (and, rarely, a task): the stack, its events
		// and the tasks are read every fourth look only; the hook at each (DescribeServiceDeployments).
		const light = lifecycle.follower?.waiting === true && quiet % 4 !== 0 && !control.cancelRequested && last !== undefined;
		const stack = light ? last : (described ?? (await describeStack(context, options.stackId)));
		described = undefined;
		last = stack;
		const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
		let changed = false;
		for (const event of light ? [] : await feed.poll()) {
			host.notify({code: 'stack.event', event});
			changed = true;
		}
		if (status !== lastStatus) {
			host.notify({code: 'stack.status', status, ...(stack?.StackStatusReason ? {reason: stack.StackStatusReason} : {})});
			lastStatus = status;
			changed = true;
		}
		if (options.followService) {
			watch ??= serviceWatchFor(context, feed, options.since);
			if (watch && !light && (await watch.poll())) changed = true;
			// Blue/green, canary, linear: the lifecycle stages and the approval gate.
			if (watch && DeploymentLifecycle.strategyOf(context.resolved.service)) {
				lifecycle.follower ??= new DeploymentLifecycle(context, watch.service, options.since);
				if (await lifecycle.follower.poll()) changed = true;
			}
		}
		if (!light) await failures.update(feed, watch);

		const end = (): MonitorEnd => ({stack, status, watch, failures, cancelled, timedOut, abandoned: false});
		if (!isInProgress(status)) {
			// One more look: late failure reasons arrive after the terminal status.
			if (doneAt === undefined) {
				doneAt = context.clock.now();
				for (const event of await feed.poll()) host.notify({code: 'stack.event', event});
			}
			if (!options.followService || !isSuccess(status)) {
				await failures.update(feed, watch);
				return end();
			}
			// Serving is a claim about ECS: the service and the task definition are read from the stack's
			// resources when its events did not name them (outputs and events are not evidence enough).
			if (!watch) {
				watch = await serviceWatchFromResources(context, stack?.StackId ?? options.stackId, options.since);
				if (watch) await watch.poll();
			}
			await failures.update(feed, watch);
			if (!watch || !stillConfirming(context, watch, doneAt, options, started)) return end();
			if (!waitingNoted) {
				waitingNoted = true;
				host.notify({code: 'note', message: `stack ${status}; waiting for ECS to show this release serving (${unconfirmedSentence(watch.verdict)})`});
			}
		}
		if (control.cancelRequested && !cancelHandled) {
			cancelHandled = true;
			if (status === 'UPDATE_IN_PROGRESS') {
				await cancelUpdate(context, options.stackId, options.tokens);
				cancelled = true;
			} else if (isInProgress(status)) {
				host.notify({code: 'note', message: `${status}: CloudFormation can only cancel an update in progress; this operation goes on (detach to stop watching)`});
			}
		}
		if (options.timeoutMs !== undefined && !timedOut && context.clock.now() - started > options.timeoutMs) {
			timedOut = true;
			host.notify({code: 'note', message: `timed out after ${Math.round(options.timeoutMs / 60_000)} min`});
			if (status === 'UPDATE_IN_PROGRESS' && !cancelled) {
				await cancelUpdate(context, options.stackId, options.tokens);
				cancelled = true;
			} else if (!cancelled) {
				return {...end(), abandoned: true};
			}
		}
		quiet = changed ? 1 : quiet + 1;
		await control.pause(context.clock, nextInterval(context.polling, quiet));
	}
}

/**
 * Follows an ECS rollout on its own, when no stack operation drives it (a forced new deployment): polls the
 * service until the rollout completes, fails or the service is gone, reporting failure reasons as they come.
 */
export async function followRollout(context: StackContext, watch: ServiceWatch): Promise<{failures: FailureTracker}> {
	const failures = new FailureTracker(context);
	for (let quiet = 1; ; ) {
		const changed = await watch.poll();
		await failures.update(undefined, watch);
		if (watch.state === 'completed' || watch.state === 'failed' || watch.state === 'missing') return {failures};
		quiet = changed ? 1 : quiet + 1;
		await context.control.pause(context.clock, nextInterval(context.polling, quiet));
	}
}

/** Cancels an update in progress: CloudFormation rolls back to the previous template, so the previous release comes back. */
async function cancelUpdate(context: StackContext, stackId: string, tokens: Set<string>): Promise<void> {
	const token = context.newId();
	// The rollback's events carry the cancel's token: follow them too.
	tokens.add(token);
	await callAws(context, 'CancelUpdateStack', () => context.aws.cloudFormation.cancelUpdateStack({StackName: stackId, ClientRequestToken: token}));
	context.host.notify({code: 'stack.operation', operation: 'cancel-update'});
}

/**
 * After the stack succeeded, whether ECS is still worth waiting for: a rollout in progress is followed (up to
 * `settleMs`, or the run's timeout); a PRIMARY deployment not yet on the new task definition, or a service
 * ECS does not show yet, gets `confirmGraceMs` (eventual consistency) before the verdict says so.
 */
function stillConfirming(context: StackContext, watch: ServiceWatch, doneAt: number, options: MonitorOptions, started: number): boolean {
	const now = context.clock.now();
	if (options.timeoutMs !== undefined && now - started > options.timeoutMs) return false;
	if (watch.state === 'in-progress') return now - doneAt < (context.polling.settleMs ?? 600_000);
	if (watch.state === 'pending' || watch.state === 'missing') return now - doneAt < (context.polling.confirmGraceMs ?? 20_000);
	return false;
}

/** A watch of the service and task definition the stack's resources name, when it has both. */
async function serviceWatchFromResources(context: StackContext, stackId: string, since: number): Promise<ServiceWatch | undefined> {
	const {service, taskDefinition} = await stackEcsResources(context, stackId);
	if (!service || !taskDefinition) return undefined;
	return new ServiceWatch(context.aws.ecs, context, context.host, context.cluster, service, taskDefinition, since);
}

/** Starts following ECS once the operation's events name the service and the new task definition. */
function serviceWatchFor(context: StackContext, feed: StackEventFeed, since: number): ServiceWatch | undefined {
	const service = feed.physicalIds.get('Service');
	const taskDefinition = feed.physicalIds.get('TaskDefinition');
	if (!service?.startsWith('arn:') || !taskDefinition?.startsWith('arn:')) return undefined;
	return new ServiceWatch(context.aws.ecs, context, context.host, context.cluster, service, taskDefinition, since);
}
