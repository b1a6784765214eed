import type {AwsPorts, Stack} from '../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../domain/aws-errors.js';
import {serviceEventReasons, stackRootCause, taskReasons, type FailureReason} from '../domain/failures.js';
import type {ResolvedRecipe} from '../domain/recipe/resolved.js';
import {isInProgress, isNoChangesReason, isSuccess, planDeployment} from '../domain/stack-status.js';
import type {BuiltTemplate} from '../domain/template/types.js';
import {AwsAccessError, callAws, type CallContext} from './aws-call.js';
import {defaultPolling, nextInterval, type Clock, type PollingOptions} from './clock.js';
import type {EngineHost} from './events.js';
import {changeViews, discardChangeSet, waitForChangeSet} from './change-set.js';
import {fetchFailedContainerLogs} from './logs.js';
import {ServiceWatch} from './service-watch.js';
import {StackEventFeed} from './stack-feed.js';

export type DeployOptions = {
	/** Show the change set and stop. */
	preview?: boolean;
	/** Fail instead of waiting when another operation is running on the stack. */
	noWaitForBusy?: boolean;
	/** Overrides the recipe's wait option. */
	wait?: ResolvedRecipe['service']['wait'];
	/** Cancel the update when interrupted, instead of leaving it running. */
	cancelOnInterrupt?: boolean;
	/** Values of NoEcho parameters (sensitive literals), by parameter name. Never logged. */
	secretValues?: Record<string, string>;
	/** The command that re-attaches, for messages. @default `ecs-deployer watch --env <environment>` */
	reattachCommand?: string;
};

/** How to re-attach to this deploy, as the operator would type it. */
export function reattach(context: Context): string {
	return context.options.reattachCommand ?? `ecs-deployer watch --env ${context.resolved.environment}`;
}

export type DeployDeps = {
	aws: AwsPorts;
	host: EngineHost;
	clock: Clock;
	polling?: PollingOptions;
	/** Aborted on Ctrl+C: stop watching. */
	signal?: AbortSignal;
	/** Unique ids for change sets and client request tokens. */
	newId: () => string;
};

export type DeployOutcome =
	| 'succeeded'
	| 'no-op'
	| 'previewed'
	| 'started'
	| 'failed'
	| 'rolled-back'
	| 'timed-out'
	| 'declined'
	| 'busy'
	| 'detached'
	| 'access-denied';

export type DeployResult = {
	outcome: DeployOutcome;
	stackName: string;
	stackStatus?: string;
	message: string;
	reasons: FailureReason[];
};

export type Context = CallContext & {aws: AwsPorts; resolved: ResolvedRecipe; built: BuiltTemplate; options: DeployOptions; newId: () => string; cluster: string};

/**
 * Deploys a built template: plans from the stack's state, recovers a failed stack (with confirmation),
 * applies the change through a change set, and watches CloudFormation and ECS until this release is
 * serving, or explains why not. Reports through the host; never prints.
 */
export async function deploy(resolved: ResolvedRecipe, built: BuiltTemplate, options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
	const context = createContext(resolved, built, options, deps);
	deps.host.notify({
		code: 'deploy.start',
		project: resolved.project,
		environment: resolved.environment,
		stackName: built.stackName,
		...(resolved.releaseVersion === undefined ? {} : {releaseVersion: resolved.releaseVersion}),
	});
	try {
		return await run(context);
	} catch (error) {
		if (error instanceof AwsAccessError) return accessResult(context, error);
		throw error;
	}
}

/** The state one engine run carries around. */
export function createContext(resolved: ResolvedRecipe, built: BuiltTemplate, options: DeployOptions, deps: DeployDeps): Context {
	const cluster = resolved.target?.cluster;
	if (!cluster) throw new Error('the engine needs a target cluster');
	return {
		host: deps.host,
		clock: deps.clock,
		polling: deps.polling ?? defaultPolling,
		...(deps.signal ? {signal: deps.signal} : {}),
		aws: deps.aws,
		...(deps.aws.refreshCredentials ? {refreshCredentials: deps.aws.refreshCredentials} : {}),
		resolved,
		built,
		options,
		newId: deps.newId,
		cluster,
	};
}

async function run(context: Context): Promise<DeployResult> {
	const {host, built, options} = context;
	for (;;) {
		const stack = await describeStack(context, built.stackName);
		const plan = planDeployment(stack?.StackStatus);
		host.notify({code: 'plan', plan, ...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {})});
		switch (plan.kind) {
			case 'wait': {
				if (options.noWaitForBusy) return result(context, 'busy', `stack ${built.stackName} is busy (${plan.status}); try again when it is done`, stack);
				host.notify({code: 'stack.busy', status: plan.status});
				const ended = await waitForStack(context, stack!.StackId ?? built.stackName, new Set(), stack?.LastUpdatedTime ?? stack?.CreationTime);
				if (ended.kind !== 'done') return ended.result;
				continue;
			}
			case 'continue-rollback': {
				const recovered = await continueRollback(context, stack!);
				if (recovered) return recovered;
				continue;
			}
			case 'recreate': {
				const yes = await host.confirm({
					id: 'recreate-stack',
					message: `Stack ${built.stackName} is ${plan.status}: ${plan.reason}. Delete it and create it again?`,
					defaultAnswer: false,
					flag: '--yes',
				});
				if (!yes) return result(context, 'declined', `stack ${built.stackName} is ${plan.status}; nothing was changed (confirm to delete and recreate it)`, stack);
				const deleted = await deleteStack(context, stack!);
				if (deleted) return deleted;
				continue;
			}
			case 'create':
			case 'update':
				return applyChange(context, plan.kind, stack);
		}
	}
}

export async function describeStack(context: Context, name: string): Promise<Stack | undefined> {
	try {
		const out = await callAws(context, 'DescribeStacks', () => context.aws.cloudFormation.describeStacks({StackName: name}));
		const stack = out.Stacks?.[0];
		return stack?.StackStatus === 'DELETE_COMPLETE' ? undefined : stack;
	} catch (error) {
		// "Stack with id <name> does not exist": there is no stack yet.
		if (classifyAwsError(error) === 'not-found') return undefined;
		throw error;
	}
}

async function applyChange(context: Context, kind: 'create' | 'update', stack: Stack | undefined): Promise<DeployResult> {
	const {aws, built, host, options} = context;
	const changeSetName = `ecs-deployer-${context.newId()}`;
	const parameters = [
		...Object.entries(built.template.Parameters)
			.filter(([, p]) => p.Default !== undefined)
			.map(([key, p]) => ({ParameterKey: key, ParameterValue: p.Default!})),
		...built.secretParameters.map(({parameter}) => ({ParameterKey: parameter, ParameterValue: options.secretValues?.[parameter] ?? ''})),
	];
	const created = await callAws(context, 'CreateChangeSet', () =>
		aws.cloudFormation.createChangeSet({
			StackName: built.stackName,
			ChangeSetName: changeSetName,
			ChangeSetType: kind === 'create' ? 'CREATE' : 'UPDATE',
			TemplateBody: JSON.stringify(built.template),
			Parameters: parameters,
			Capabilities: ['CAPABILITY_IAM'],
			Tags: built.stackTags,
			ClientToken: context.newId(),
			Description: `ecs-deployer: ${context.resolved.project} ${context.resolved.releaseVersion ?? ''} to ${context.resolved.environment}`.trim(),
		}),
	);
	const stackId = created.StackId ?? stack?.StackId ?? built.stackName;
	const changeSet = await waitForChangeSet(context, created.Id ?? changeSetName, built.stackName);

	if (changeSet.Status === 'FAILED') {
		await discardChangeSet(context, changeSet, kind, stackId);
		if (isNoChangesReason(changeSet.StatusReason)) {
			host.notify({code: 'changeset.empty'});
			return verifyUnchanged(context, stack);
		}
		const reason: FailureReason = {source: 'stack', subject: 'change set', message: changeSet.StatusReason ?? 'the change set failed'};
		host.notify({code: 'failure', reasons: [reason]});
		return result(context, 'failed', `CloudFormation rejected the change: ${reason.message}`, stack, [reason]);
	}

	host.notify({code: 'changeset.ready', changes: changeViews(changeSet)});
	if (options.preview) {
		await discardChangeSet(context, changeSet, kind, stackId);
		return result(context, 'previewed', 'preview only: nothing was changed', stack);
	}
	const go = await host.confirm({id: 'execute-change-set', message: `Apply these changes to ${built.stackName}?`, defaultAnswer: true, flag: '--yes'});
	if (!go) {
		await discardChangeSet(context, changeSet, kind, stackId);
		return result(context, 'declined', 'the change set was not applied; nothing was changed', stack);
	}

	const token = context.newId();
	const since = changeSet.CreationTime ? new Date(changeSet.CreationTime).getTime() : context.clock.now();
	await callAws(context, 'ExecuteChangeSet', () =>
		aws.cloudFormation.executeChangeSet({ChangeSetName: changeSet.ChangeSetId ?? changeSetName, StackName: built.stackName, ClientRequestToken: token}),
	);
	host.notify({code: 'stack.operation', operation: kind});
	const wait = options.wait ?? context.resolved.service.wait;
	if (wait.mode === 'none') {
		return result(context, 'started', `the ${kind} has started; follow it with: ${reattach(context)}`, undefined);
	}
	return watchOperation(context, stackId, new Set([token]), since, wait.mode === 'timeout' ? wait.timeoutMinutes * 60_000 : undefined);
}

/** Nothing changed: still check that the service runs what the stack says before calling it a success. */
export async function verifyUnchanged(context: Context, stack: Stack | undefined): Promise<DeployResult> {
	const output = (key: string) => stack?.Outputs?.find(o => o.OutputKey === key)?.OutputValue;
	const serviceArn = output('ServiceArn');
	const taskDefinition = output('TaskDefinitionArn');
	if (!serviceArn || !taskDefinition) return result(context, 'no-op', 'no changes: the stack already has this release', stack);
	const watch = new ServiceWatch(context.aws.ecs, context, context.host, context.cluster, serviceArn, taskDefinition, Number.POSITIVE_INFINITY);
	await watch.poll();
	if (watch.state === 'completed') return result(context, 'no-op', 'no changes: this release is already serving', stack);
	const state = watch.state === 'missing' ? 'the service is missing' : `its ECS deployment is ${watch.state}`;
	context.host.notify({code: 'note', message: `the stack has no changes, but ${state}`});
	return result(context, watch.state === 'in-progress' ? 'no-op' : 'failed', `no changes to deploy, but ${state}`, stack);
}

type WaitEnd = {kind: 'done'; status: string} | {kind: 'stopped'; result: DeployResult};

/** Waits for a stack operation that is not ours to end, streaming its events. */
async function waitForStack(context: Context, stackId: string, tokens: Set<string>, since: Date | undefined): Promise<WaitEnd> {
	const feed = new StackEventFeed(context.aws.cloudFormation, context, stackId, since ? new Date(since).getTime() : context.clock.now(), tokens);
	for (let quiet = 1; ; ) {
		const stack = await describeStack(context, stackId);
		for (const event of await feed.poll()) context.host.notify({code: 'stack.event', event});
		if (!stack || !isInProgress(stack.StackStatus ?? '')) return {kind: 'done', status: stack?.StackStatus ?? 'DELETE_COMPLETE'};
		if (context.signal?.aborted) return {kind: 'stopped', result: detached(context, stack)};
		await context.clock.sleep(nextInterval(context.polling, quiet++), context.signal);
	}
}

async function continueRollback(context: Context, stack: Stack): Promise<DeployResult | undefined> {
	const {host, built, aws} = context;
	const yes = await host.confirm({
		id: 'continue-rollback',
		message: `Stack ${built.stackName} is UPDATE_ROLLBACK_FAILED. Continue the rollback (the running service stays up), then deploy?`,
		defaultAnswer: true,
		flag: '--yes',
	});
	if (yes) {
		const token = context.newId();
		const since = context.clock.now();
		await callAws(context, 'ContinueUpdateRollback', () => aws.cloudFormation.continueUpdateRollback({StackName: stack.StackId ?? built.stackName, ClientRequestToken: token}));
		host.notify({code: 'stack.operation', operation: 'continue-rollback'});
		const ended = await waitForStack(context, stack.StackId ?? built.stackName, new Set([token]), new Date(since));
		if (ended.kind === 'stopped') return ended.result;
		if (ended.status === 'UPDATE_ROLLBACK_COMPLETE') return undefined;
	}
	const recreate = await host.confirm({
		id: 'recreate-stack',
		message: `The rollback of ${built.stackName} cannot be completed. Delete the stack (its service stops) and create it again?`,
		defaultAnswer: false,
		flag: '--recreate',
	});
	if (!recreate) return result(context, 'declined', `stack ${built.stackName} stays UPDATE_ROLLBACK_FAILED; nothing else was changed`, stack);
	return deleteStack(context, (await describeStack(context, stack.StackId ?? built.stackName)) ?? stack);
}

async function deleteStack(context: Context, stack: Stack): Promise<DeployResult | undefined> {
	const token = context.newId();
	const since = context.clock.now();
	await callAws(context, 'DeleteStack', () => context.aws.cloudFormation.deleteStack({StackName: stack.StackId ?? context.built.stackName, ClientRequestToken: token}));
	context.host.notify({code: 'stack.operation', operation: 'delete'});
	// A deleted stack is found by its id only.
	const ended = await waitForStack(context, stack.StackId ?? context.built.stackName, new Set([token]), new Date(since));
	if (ended.kind === 'stopped') return ended.result;
	if (ended.status !== 'DELETE_COMPLETE') return result(context, 'failed', `the stack could not be deleted (${ended.status})`, stack);
	return undefined;
}

/** Watches this operation until the stack is done and the ECS deployment of the new task definition has ended. */
export async function watchOperation(context: Context, stackId: string, tokens: Set<string>, since: number, timeoutMs: number | undefined): Promise<DeployResult> {
	const {aws, host, options} = context;
	const feed = new StackEventFeed(aws.cloudFormation, context, stackId, since, tokens);
	const started = context.clock.now();
	let watch: ServiceWatch | undefined;
	let lastStatus = '';
	let cancelled = false;
	for (let quiet = 1; ; ) {
		const stack = await describeStack(context, stackId);
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
		const service = feed.physicalIds.get('Service');
		const taskDefinition = feed.physicalIds.get('TaskDefinition');
		if (!watch && service?.startsWith('arn:') && taskDefinition?.startsWith('arn:')) {
			watch = new ServiceWatch(aws.ecs, context, host, context.cluster, service, taskDefinition, since);
		}
		if (watch && (await watch.poll())) changed = true;

		if (!isInProgress(status)) {
			// One more look: late failure reasons arrive after the terminal status.
			for (const event of await feed.poll()) host.notify({code: 'stack.event', event});
			if (isSuccess(status) && (!watch || watch.state === 'completed')) {
				return result(context, 'succeeded', `release ${context.resolved.releaseVersion ?? ''} is serving in ${context.resolved.environment}`.replace('  ', ' '), stack);
			}
			if (isSuccess(status) && watch && watch.state === 'in-progress') {
				// The stack is done but ECS still rolls out (older handlers): follow ECS to the end.
			} else {
				return failedResult(context, feed, watch, stack, cancelled);
			}
		}
		if (context.signal?.aborted) {
			if (options.cancelOnInterrupt && status === 'UPDATE_IN_PROGRESS') await cancelUpdate(context, stackId);
			return detached(context, stack);
		}
		if (timeoutMs !== undefined && !cancelled && context.clock.now() - started > timeoutMs) {
			cancelled = true;
			host.notify({code: 'note', message: `timed out after ${Math.round(timeoutMs / 60_000)} min`});
			if (status === 'UPDATE_IN_PROGRESS') await cancelUpdate(context, stackId);
			else return result(context, 'timed-out', `timed out while the stack was ${status}; it goes on in AWS. Follow it with: ${reattach(context)}`, stack);
		}
		quiet = changed ? 1 : quiet + 1;
		await context.clock.sleep(nextInterval(context.polling, quiet), context.signal);
	}
}

async function cancelUpdate(context: Context, stackId: string): Promise<void> {
	await callAws(context, 'CancelUpdateStack', () => context.aws.cloudFormation.cancelUpdateStack({StackName: stackId, ClientRequestToken: context.newId()}));
	context.host.notify({code: 'stack.operation', operation: 'cancel-update'});
}

async function failedResult(context: Context, feed: StackEventFeed, watch: ServiceWatch | undefined, stack: Stack | undefined, timedOut: boolean): Promise<DeployResult> {
	const reasons: FailureReason[] = [];
	const root = stackRootCause(feed.events);
	const tasks = watch ? taskReasons([...watch.stoppedTasks.values()]) : [];
	// When the stack only says the circuit breaker tripped, why the tasks failed is the root cause.
	if (root && tasks.length > 0 && /Circuit Breaker/i.test(root.message)) reasons.push(...tasks, root);
	else reasons.push(...(root ? [root] : []), ...tasks);
	if (watch) reasons.push(...serviceEventReasons(watch.eventMessages));
	if (reasons.length === 0 && stack?.StackStatusReason) reasons.push({source: 'stack', subject: context.built.stackName, message: stack.StackStatusReason});
	context.host.notify({code: 'failure', reasons});
	if (watch) await fetchFailedContainerLogs(context, context.aws.logs, context.resolved, [...watch.stoppedTasks.values()]);
	const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
	if (timedOut) return result(context, 'timed-out', `timed out; the update was cancelled and the stack is ${status}`, stack, reasons);
	const rolledBack = status.includes('ROLLBACK_COMPLETE') || watch?.state === 'failed';
	const first = reasons[0]?.message ?? status;
	return result(context, rolledBack ? 'rolled-back' : 'failed', `the deploy failed (${status}): ${first}`, stack, reasons);
}

function detached(context: Context, stack: Stack | undefined): DeployResult {
	return result(context, 'detached', `stopped watching; the operation goes on in AWS. Re-attach with: ${reattach(context)}`, stack);
}

export function accessResult(context: Context, error: AwsAccessError): DeployResult {
	const message =
		error.kind === 'expired-credentials'
			? `your AWS session expired while calling ${error.operation}; sign in again, then re-attach with: ${reattach(context)}`
			: `AWS refused ${error.operation}: ${describeAwsError(error.cause)}`;
	return result(context, error.kind === 'expired-credentials' ? 'detached' : 'access-denied', message, undefined);
}

export function result(context: Context, outcome: DeployOutcome, message: string, stack: Stack | undefined, reasons: FailureReason[] = []): DeployResult {
	return {outcome, stackName: context.built.stackName, ...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {}), message, reasons};
}

