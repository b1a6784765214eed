import type {Stack} from '../../aws/ports.js';
import type {FailureReason} from '../../domain/failures.js';
import type {ResolvedRecipe} from '../../domain/recipe/resolved.js';
import {isNoChangesReason, isSuccess, planDeployment} from '../../domain/stack-status.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import type {BuiltTemplate} from '../../domain/template/types.js';
import {callAws} from '../core/aws-call.js';
import {runBeforeDeploy} from './before-deploy.js';
import {changeLines, changeSetParameters, describeChanges, discardChangeSet, waitForChangeSet} from './change-set.js';
import type {ChangeView} from '../core/host.js';
import type {DeployResult} from '../core/results.js';
import {describeStack, monitorStack, type MonitorEnd} from '../monitor/stack-monitor.js';
import type {StackContext} from '../core/stack-context.js';
import {isNoUpdatesError, stackOutputs, type ResultFactory} from '../core/stack-results.js';

export type StackDeployOptions = {
	/** Show the change set and stop. */
	preview?: boolean;
	/** Fail instead of waiting when another operation is running on the stack. */
	noWaitForBusy?: boolean;
	/** Overrides the recipe's wait option. */
	wait?: ResolvedRecipe['service']['wait'];
	/** Values of NoEcho parameters (sensitive values given at deploy time), by parameter name. Never reported. */
	secretValues?: Record<string, string>;
	/** Do not run the recipe's beforeDeploy tasks (`deploy --skip-before-deploy`). */
	skipBeforeDeploy?: boolean;
	/** Called when the change set is executed: the deploy has started changing AWS (records are written then). */
	onExecute?: (execution: {token: string; stackId: string; kind: 'create' | 'update'}) => void;
};

/**
 * Deploys a built template to its stack: plans from the stack's state, recovers a stack that cannot be
 * updated (asking first), applies the change through a change set (asking first), and monitors
 * CloudFormation and ECS until this release is serving, or explains why not. Reports through the host.
 */
export async function deployStack(context: StackContext, built: BuiltTemplate, options: StackDeployOptions, results: ResultFactory): Promise<DeployResult> {
	const {host, control} = context;
	for (;;) {
		context.onStep?.('plan');
		const stack = await describeStack(context, built.stackName);
		const plan = planDeployment(stack?.StackStatus);
		host.notify({code: 'plan', plan, ...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {})});
		if (control.cancelRequested) return results.make({outcome: 'cancelled', reasons: [], changed: false, message: 'nothing was changed'}, stack);
		switch (plan.kind) {
			case 'wait': {
				const who = busyWith(stack);
				if (options.noWaitForBusy) return results.make({outcome: 'busy', message: `another operation runs on stack ${built.stackName} (${plan.status}${who}); try again when it is done`}, stack);
				host.notify({code: 'stack.busy', status: `${plan.status}${who}`});
				const started = stack?.LastUpdatedTime ?? stack?.CreationTime;
				await monitorStack(context, {stackId: stack?.StackId ?? built.stackName, ...(stack ? {stack} : {}), tokens: new Set(), since: started ? new Date(started).getTime() : context.clock.now(), followService: false});
				continue;
			}
			case 'continue-rollback': {
				const stopped = await continueRollback(context, built, stack!, results);
				if (stopped) return stopped;
				continue;
			}
			case 'recreate': {
				const yes = await host.request({
					kind: 'confirm',
					id: 'recreate-stack',
					message: `Stack ${built.stackName} is ${plan.status}: ${plan.reason}. Delete it and create it again?`,
					defaultAnswer: false,
					flag: '--yes',
				});
				if (!yes) return results.declined('recreate-stack', '--yes', `stack ${built.stackName} is ${plan.status}; nothing was changed (confirm to delete and recreate it)`, stack);
				const stopped = await deleteStack(context, built, stack!, results);
				if (stopped) return stopped;
				continue;
			}
			case 'create':
			case 'update': {
				const applied = await applyChange(context, built, plan.kind, stack, options, results);
				if (applied !== raced) return applied;
				// Another operator's change reached the stack between our read and our change: read it again, then
				// wait for that operation and apply ours after it (or say no change is left to make).
				host.notify({code: 'note', message: `another operator changed stack ${built.stackName} meanwhile; waiting for that operation, then applying this one`});
				continue;
			}
		}
	}
}

/** Our change set lost a race with another operator's change to the same stack. */
const raced = Symbol('raced');

/**
 * Errors by which CloudFormation says another change got there first (aws-facts.md §1, §3): the stack exists
 * now (a CREATE lost), is busy with someone else's operation, or our change set is gone (executing a change
 * set deletes the stack's others) or out of date.
 */
function isRace(error: unknown): boolean {
	const e = error as {name?: string; message?: string} | undefined;
	const name = e?.name ?? '';
	const message = e?.message ?? '';
	if (name === 'AlreadyExistsException' || name === 'ChangeSetNotFoundException' || name === 'ChangeSetNotFound' || name === 'InvalidChangeSetStatusException' || name === 'InvalidChangeSetStatus') return true;
	return name === 'ValidationError' && (/_IN_PROGRESS state and can not be updated/.test(message) || /ChangeSet \[.*\] does not exist/.test(message));
}

/** `, release 1.4.0, since 14:03:11` for a stack another operation is changing, from its tags and times. */
function busyWith(stack: Stack | undefined): string {
	const release = stack?.Tags?.find(t => t.Key === toolTagKeys.release)?.Value;
	const since = stack?.LastUpdatedTime ?? stack?.CreationTime;
	return `${release ? `, release ${release}` : ''}${since ? `, since ${new Date(since).toISOString().slice(11, 19)} UTC` : ''}`;
}

async function applyChange(context: StackContext, built: BuiltTemplate, kind: 'create' | 'update', stack: Stack | undefined, options: StackDeployOptions, results: ResultFactory): Promise<DeployResult | typeof raced> {
	try {
		return await applyChangeSet(context, built, kind, stack, options, results);
	} catch (error) {
		if (isRace(error)) return raced;
		throw error;
	}
}

async function applyChangeSet(context: StackContext, built: BuiltTemplate, kind: 'create' | 'update', stack: Stack | undefined, options: StackDeployOptions, results: ResultFactory): Promise<DeployResult> {
	const {aws, host, control} = context;
	const changeSetName = `ecs-deployer-${context.newId()}`;
	const parameters = changeSetParameters(built, options.secretValues);
	let created;
	context.onStep?.('change-set');
	try {
		created = await callAws(context, 'CreateChangeSet', () =>
			aws.cloudFormation.createChangeSet({
				StackName: built.stackName,
				ChangeSetName: changeSetName,
				ChangeSetType: kind === 'create' ? 'CREATE' : 'UPDATE',
				TemplateBody: JSON.stringify(built.template),
				Parameters: parameters,
				Capabilities: ['CAPABILITY_IAM'],
				Tags: built.stackTags,
				ClientToken: context.newId(),
				Description: `ecs-deployer: ${context.resolved.project} ${context.resolved.releaseVersion ?? ''} to ${context.resolved.environment}`.replace('  ', ' '),
			}),
		);
	} catch (error) {
		// Some endpoints refuse an unchanged template outright ("No updates are to be performed."): nothing to do.
		if (isNoUpdatesError(error)) return verifyUnchanged(context, stack, results);
		throw error;
	}
	const stackId = created.StackId ?? stack?.StackId ?? built.stackName;
	const changeSetId = created.Id ?? changeSetName;
	const changeSet = await waitForChangeSet(context, changeSetId, built.stackName);
	const discard = () => discardChangeSet(context, changeSet.ChangeSetId ?? changeSetId, kind, stackId);

	if (control.cancelRequested) {
		await discard();
		return results.make({outcome: 'cancelled', reasons: [], changed: false, message: 'nothing was changed'}, stack);
	}
	if (changeSet.Status === 'FAILED') {
		await discard();
		if (isNoChangesReason(changeSet.StatusReason)) return verifyUnchanged(context, stack, results);
		const reason: FailureReason = {source: 'stack', subject: 'change set', message: changeSet.StatusReason ?? 'the change set failed'};
		host.notify({code: 'failure', reasons: [reason]});
		return results.make({outcome: 'failed', reasons: [reason], changes: [], message: `CloudFormation rejected the change: ${reason.message}`}, stack);
	}

	const {changes, warnings} = await describeChanges(context, changeSet, {built, kind, stack, ...(options.secretValues ? {secretValues: options.secretValues} : {})});
	for (const message of warnings) host.notify({code: 'warning', message});
	host.notify({code: 'changeset.ready', changes});
	if (options.preview) {
		await discard();
		return results.make({outcome: 'previewed', changes, message: 'preview only: nothing was changed'}, stack);
	}
	const go = await host.request({
		kind: 'confirm',
		id: 'execute-change-set',
		message: `Apply ${changes.length === 1 ? 'this change' : `these ${changes.length} changes`} to ${built.stackName} (${kind === 'create' ? 'create the stack' : 'update the stack'})?`,
		detail: [...warnings.map(w => `⚠ ${w}`), ...changeLines(changes), ...beforeDeployLines(context, options)],
		defaultAnswer: false,
		flag: '--yes',
	});
	if (!go || control.cancelRequested) {
		await discard();
		if (control.cancelRequested) return results.make({outcome: 'cancelled', reasons: [], changed: false, message: 'nothing was changed'}, stack);
		return results.declined('execute-change-set', '--yes', 'the change set was not applied; nothing was changed', stack);
	}

	// The release's migrations run once the change is approved and before it is applied: if one fails, the
	// change set is removed and the service keeps running the release it runs.
	const beforeDeploy = context.resolved.service.beforeDeploy;
	if (beforeDeploy.length > 0 && options.skipBeforeDeploy) {
		host.notify({code: 'warning', message: `the beforeDeploy tasks (${beforeDeploy.map(t => t.name).join(', ')}) were skipped (--skip-before-deploy)`});
	} else if (beforeDeploy.length > 0) {
		const before = await runBeforeDeploy(context, built, stack, beforeDeploy);
		if (before.kind === 'failed' || control.cancelRequested) {
			await discard();
			if (before.kind === 'passed') return results.make({outcome: 'cancelled', reasons: [], changed: false, message: 'nothing was changed'}, stack);
			return results.make({outcome: 'failed', reasons: before.reasons, changes, message: before.message}, stack);
		}
	}

	const token = context.newId();
	const since = changeSet.CreationTime ? new Date(changeSet.CreationTime).getTime() : context.clock.now();
	context.onStep?.('apply');
	await callAws(context, 'ExecuteChangeSet', () =>
		aws.cloudFormation.executeChangeSet({ChangeSetName: changeSet.ChangeSetId ?? changeSetId, StackName: built.stackName, ClientRequestToken: token}),
	);
	options.onExecute?.({token, stackId, kind});
	host.notify({code: 'stack.operation', operation: kind});
	const wait = options.wait ?? context.resolved.service.wait;
	if (wait.mode === 'none') {
		return results.make({outcome: 'started', changes, reattach: context.reattach, message: `the ${kind} has started; follow it with: ${context.reattach}`}, stack);
	}
	context.onStep?.('monitor');
	const end = await monitorStack(context, {
		stackId,
		tokens: new Set([token]),
		since,
		followService: true,
		...(wait.mode === 'timeout' ? {timeoutMs: wait.timeoutMinutes * 60_000} : {}),
	});
	return operationResult(context, end, changes, results);
}

/** How a monitored operation ended, as a result: serving (on ECS evidence), or why not. */
export function operationResult(context: StackContext, end: MonitorEnd, changes: ChangeView[], results: ResultFactory): DeployResult {
	const {stack, status, watch, failures} = end;
	if (end.abandoned) {
		return results.make({outcome: 'timed-out', reasons: failures.reasons, changes, message: `timed out while the stack was ${status}; it goes on in AWS. Follow it with: ${context.reattach}`}, stack);
	}
	if (isSuccess(status)) return servingResult(context, end, changes, results, 'operation');
	// The tracker has reported its reasons as they came; the stack's own reason is the last resort.
	const reasons = [...failures.reasons];
	if (reasons.length === 0 && stack?.StackStatusReason) {
		reasons.push({source: 'stack', subject: context.resolved.service.stackName, message: stack.StackStatusReason});
		context.host.notify({code: 'failure', reasons});
	}
	if (end.timedOut) return results.make({outcome: 'timed-out', reasons, changes, message: `timed out; the update was cancelled and the stack is ${status}`}, stack);
	if (end.cancelled) return results.make({outcome: 'cancelled', reasons, changed: true, message: `the update was rolled back and the stack is ${status}`}, stack);
	const first = reasons[0]?.message ?? status;
	if (status === 'UPDATE_ROLLBACK_FAILED') {
		return results.make({outcome: 'stuck', reasons, changes, message: `the update failed and so did its rollback; the stack is UPDATE_ROLLBACK_FAILED (continue the rollback to recover): ${first}`}, stack);
	}
	const rolledBack = status.includes('ROLLBACK_COMPLETE') || watch?.state === 'failed';
	return results.make({outcome: rolledBack ? 'rolled-back' : 'failed', reasons, changes, message: `the deploy failed (${status}): ${first}`}, stack);
}

/**
 * The verdict once the stack holds what was asked: `succeeded` (or `no-op`) only when the ECS evidence
 * says this release serves; a rollout ECS failed is a rollback; anything short of it is `unconfirmed`,
 * saying what was confirmed and what was not.
 */
function servingResult(context: StackContext, end: MonitorEnd, changes: ChangeView[], results: ResultFactory, kind: 'operation' | 'unchanged'): DeployResult {
	const {stack, status, watch, failures} = end;
	const release = context.resolved.releaseVersion;
	const outputs = stackOutputs(stack);
	const verdict = watch?.verdict ?? {kind: 'unconfirmed' as const, confirmed: [], unconfirmed: ['the stack holds no ECS service and task definition that could be read (ListStackResources)']};
	const stackLine = `stack ${status}`;
	switch (verdict.kind) {
		case 'serving': {
			const confirmed = [stackLine, ...verdict.confirmed];
			if (kind === 'unchanged') return results.make({outcome: 'no-op', outputs, confirmed, message: `release ${release ?? ''} is already serving in ${context.resolved.environment}`.replace('  ', ' ')}, stack);
			return results.make({outcome: 'succeeded', changes, outputs, confirmed, message: `release ${release ?? ''} is serving in ${context.resolved.environment}`.replace('  ', ' ')}, stack);
		}
		case 'rollout-failed': {
			const reasons = failures.reasons.length > 0 ? failures.reasons : [{source: 'service' as const, subject: 'service', message: verdict.reason}];
			return results.make({outcome: 'rolled-back', reasons, changes, message: `ECS rolled the service back although the stack is ${status}: ${reasons[0]!.message}`}, stack);
		}
		default: {
			const unconfirmed = verdict.kind === 'rolling-out' ? [verdict.waiting] : verdict.unconfirmed;
			const did = kind === 'unchanged' ? `the stack had nothing to change (${status})` : `the stack is ${status}`;
			return results.make(
				{outcome: 'unconfirmed', changes, outputs, confirmed: [stackLine, ...verdict.confirmed], unconfirmed, message: `${did}, but release ${release ?? ''} could not be confirmed serving: ${unconfirmed.join('; ')}. Check again with: ${context.reattach}`.replace('  ', ' ')},
				stack,
			);
		}
	}
}

/** Nothing changed: the verdict still comes from ECS, as after an operation. */
async function verifyUnchanged(context: StackContext, stack: Stack | undefined, results: ResultFactory): Promise<DeployResult> {
	context.host.notify({code: 'changeset.empty'});
	context.onStep?.('verify');
	if (!stack) return results.make({outcome: 'unconfirmed', changes: [], outputs: {}, confirmed: [], unconfirmed: ['the stack could not be read'], message: 'no changes to deploy, but the stack could not be read'});
	const end = await monitorStack(context, {stackId: stack.StackId ?? context.resolved.service.stackName, stack, tokens: new Set(), since: context.clock.now(), followService: true});
	if (!isSuccess(end.status)) return operationResult(context, end, [], results);
	return servingResult(context, end, [], results, 'unchanged');
}

async function continueRollback(context: StackContext, built: BuiltTemplate, stack: Stack, results: ResultFactory): Promise<DeployResult | undefined> {
	const {host, aws} = context;
	const stackId = stack.StackId ?? built.stackName;
	const yes = await host.request({
		kind: 'confirm',
		id: 'continue-rollback',
		message: `Stack ${built.stackName} is UPDATE_ROLLBACK_FAILED. Continue the rollback (the running service stays up), then deploy?`,
		defaultAnswer: true,
		flag: '--yes',
	});
	if (yes) {
		const token = context.newId();
		const since = context.clock.now();
		await callAws(context, 'ContinueUpdateRollback', () => aws.cloudFormation.continueUpdateRollback({StackName: stackId, ClientRequestToken: token}));
		host.notify({code: 'stack.operation', operation: 'continue-rollback'});
		const end = await monitorStack(context, {stackId, tokens: new Set([token]), since, followService: false});
		if (end.status === 'UPDATE_ROLLBACK_COMPLETE') return undefined;
	}
	const recreate = await host.request({
		kind: 'confirm',
		id: 'replace-stack',
		message: `The rollback of ${built.stackName} cannot be completed. Delete the stack (its service stops) and create it again?`,
		defaultAnswer: false,
		flag: '--recreate',
	});
	if (!recreate) return results.declined('replace-stack', '--recreate', `stack ${built.stackName} stays UPDATE_ROLLBACK_FAILED; nothing else was changed`, stack);
	return deleteStack(context, built, (await describeStack(context, stackId)) ?? stack, results);
}

async function deleteStack(context: StackContext, built: BuiltTemplate, stack: Stack, results: ResultFactory): Promise<DeployResult | undefined> {
	const token = context.newId();
	const since = context.clock.now();
	const stackId = stack.StackId ?? built.stackName;
	await callAws(context, 'DeleteStack', () => context.aws.cloudFormation.deleteStack({StackName: stackId, ClientRequestToken: token}));
	context.host.notify({code: 'stack.operation', operation: 'delete'});
	// A deleted stack is found by its id only.
	const end = await monitorStack(context, {stackId, tokens: new Set([token]), since, followService: false});
	if (end.status !== 'DELETE_COMPLETE') {
		return results.make({outcome: 'failed', reasons: end.failures.reasons, changes: [], message: `the stack could not be deleted (${end.status})`}, end.stack ?? stack);
	}
	return undefined;
}

/** What the question says of the beforeDeploy tasks: they run first, and the change waits for them. */
function beforeDeployLines(context: StackContext, options: StackDeployOptions): string[] {
	const tasks = context.resolved.service.beforeDeploy;
	if (tasks.length === 0) return [];
	if (options.skipBeforeDeploy) return ['', `beforeDeploy tasks skipped (--skip-before-deploy): ${tasks.map(t => t.name).join(', ')}`];
	return ['', 'First, with this release (each must exit 0, or nothing is changed):', ...tasks.map(t => `    beforeDeploy ${t.name}: ${t.container}: ${t.command.join(' ')} (at most ${t.timeoutMinutes} min)`)];
}
