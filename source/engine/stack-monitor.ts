import type {AwsPorts, Stack} from '../aws/ports.js';
import {classifyAwsError} from '../domain/aws-errors.js';
import {isInProgress, isSuccess} from '../domain/stack-status.js';
import {callAws, type CallContext} from './aws-call.js';
import {nextInterval} from './clock.js';
import {FailureTracker} from './failure-tracker.js';
import {ServiceWatch} from './service-watch.js';
import type {StackContext} from './stack-context.js';
import {StackEventFeed} from './stack-feed.js';

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
	for (let quiet = 1; ; ) {
		const stack = described ?? (await describeStack(context, options.stackId));
		described = undefined;
		const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
		let changed = false;
		for (const event of await feed.poll()) {
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
			if (watch && (await watch.poll())) changed = true;
		}
		await failures.update(feed, watch);

		const end = (): MonitorEnd => ({stack, status, watch, failures, cancelled, timedOut, abandoned: false});
		if (!isInProgress(status)) {
			// One more look: late failure reasons arrive after the terminal status.
			for (const event of await feed.poll()) host.notify({code: 'stack.event', event});
			await failures.update(feed, watch);
			// The stack is done but ECS still rolls out (handlers that do not wait for a steady state): follow ECS to the end.
			const ecsStillRunning = isSuccess(status) && watch?.state === 'in-progress';
			if (!ecsStillRunning) return end();
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

/** Cancels an update in progress: CloudFormation rolls back to the previous template, so the previous release comes back. */
async function cancelUpdate(context: StackContext, stackId: string, tokens: Set<string>): Promise<void> {
	const token = context.newId();
	// The rollback's events carry the cancel's token: follow them too.
	tokens.add(token);
	await callAws(context, 'CancelUpdateStack', () => context.aws.cloudFormation.cancelUpdateStack({StackName: stackId, ClientRequestToken: token}));
	context.host.notify({code: 'stack.operation', operation: 'cancel-update'});
}

/** Starts following ECS once the operation's events name the service and the new task definition. */
function serviceWatchFor(context: StackContext, feed: StackEventFeed, since: number): ServiceWatch | undefined {
	const service = feed.physicalIds.get('Service');
	const taskDefinition = feed.physicalIds.get('TaskDefinition');
	if (!service?.startsWith('arn:') || !taskDefinition?.startsWith('arn:')) return undefined;
	return new ServiceWatch(context.aws.ecs, context, context.host, context.cluster, service, taskDefinition, since);
}
