import {error as problem} from '../../domain/problems.js';
import {revisionOf, unconfirmedSentence} from '../../domain/serving.js';
import {callAws} from '../core/aws-call.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import {startRun, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import {openLedger} from '../releases/ledger.js';
import {reconcileRecords} from '../history/records.js';
import {releaseFromStack} from '../releases/release-lookup.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import {runningNow} from '../monitor/running-now.js';
import {monitorStack} from '../monitor/stack-monitor.js';
import {resultFactory} from '../core/stack-results.js';

export type ContinueRollbackInput = CurrentStackInput;

/**
 * Gets a stack out of UPDATE_ROLLBACK_FAILED (a failed update whose rollback failed too): asks first, then
 * ContinueUpdateRollback (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html)
 * and follows the stack to its end. Once it is UPDATE_ROLLBACK_COMPLETE, the result is `rolled-back` with the
 * verdict of what serves (ECS evidence: the release the running task definition carries); still failed, it
 * is `stuck` with why. A stack in any other state has nothing to continue.
 */
export function continueRollback(input: ContinueRollbackInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runContinueRollback(control, input, deps, host));
}

async function runContinueRollback(control: RunControl, input: ContinueRollbackInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	return onCurrentStack(control, input, deps, host, 'continue the rollback of', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		const results = resultFactory(info);
		if (!stack) return results.make({outcome: 'invalid', problems: [problem('--env', `there is no stack ${stackName}: ${input.environment} has not been deployed`)], message: `nothing to continue: ${input.environment} has no stack ${stackName}`});
		const release = releaseFromStack(stack, info.project);
		if (release) info.release = {version: release.version, images: release.images, source: 'aws'};
		notifyStart(host, current, input, info.release, undefined, 'Continuing the rollback of');
		if (stack.StackStatus !== 'UPDATE_ROLLBACK_FAILED') {
			return results.make({outcome: 'invalid', problems: [problem('--env', `stack ${stackName} is ${stack.StackStatus}, not UPDATE_ROLLBACK_FAILED`)], message: `nothing to continue: stack ${stackName} is ${stack.StackStatus}, not stuck in UPDATE_ROLLBACK_FAILED`}, stack);
		}
		const go = await host.request({
			kind: 'confirm',
			id: 'continue-rollback',
			message: `Stack ${stackName} is UPDATE_ROLLBACK_FAILED. Continue the rollback? CloudFormation puts the previous template back; the running service stays up.`,
			defaultAnswer: true,
			flag: '--yes',
		});
		if (!go) return results.declined('continue-rollback', '--yes', `stack ${stackName} stays UPDATE_ROLLBACK_FAILED; nothing was changed`, stack);
		const token = context.newId();
		const since = deps.clock.now();
		const stackId = stack.StackId ?? stackName;
		await callAws(context, 'ContinueUpdateRollback', () => aws.cloudFormation.continueUpdateRollback({StackName: stackId, ClientRequestToken: token}));
		host.notify({code: 'stack.operation', operation: 'continue-rollback'});
		const end = await monitorStack(context, {stackId, tokens: new Set([token]), since, followService: false});
		const ledger = await openLedger(deps, current.ledger === undefined ? {} : {ledger: current.ledger}, input.target, host);
		await reconcileRecords(ledger, {project: info.project, environment: input.environment, target: input.target.name}, aws, context);
		if (end.status !== 'UPDATE_ROLLBACK_COMPLETE') {
			const reasons = end.failures.reasons;
			return results.make({outcome: 'stuck', reasons, changes: [], message: `the rollback could not be completed; the stack is ${end.status}${reasons[0] ? `: ${reasons[0].message}` : ''}`}, end.stack ?? stack);
		}
		// What serves now is ECS's to say: the release the running task definition carries.
		const after = end.stack ?? stack;
		const back = releaseFromStack(after, info.project);
		if (back) info.release = {version: back.version, images: back.images, source: 'aws'};
		const now = await runningNow({...context, aws}, after, input.target.cluster, {images: context.resolved.images}, await ledger.releases(info.project));
		const serves =
			now.verdict.kind === 'serving'
				? `release ${now.version ?? '?'} serves (${now.taskDefinition ? revisionOf(now.taskDefinition) : 'its task definition'}; ${now.verdict.confirmed.join('; ')})`
				: `what serves could not be confirmed: ${unconfirmedSentence(now.verdict)}`;
		return results.make({outcome: 'rolled-back', reasons: [], changes: [], message: `the rollback was completed: the stack is UPDATE_ROLLBACK_COMPLETE and ${serves}`}, after);
	});
}
