import {error as problem} from '../../domain/problems.js';
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
import {monitorStack} from '../monitor/stack-monitor.js';
import {resultFactory} from '../core/stack-results.js';

export type CancelInput = CurrentStackInput;

/**
 * Cancels the update in progress on an environment's stack (CancelUpdateStack): CloudFormation rolls back to
 * the previous template, so the previous release comes back. Only an update can be cancelled
 * (UPDATE_IN_PROGRESS); anything else is said and nothing is changed. Asks first; follows the rollback to its
 * end; open deployment records are brought up to date afterwards.
 */
export function cancelUpdate(input: CancelInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runCancel(control, input, deps, host));
}

async function runCancel(control: RunControl, input: CancelInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	return onCurrentStack(control, input, deps, host, 'cancel', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		const results = resultFactory(info);
		if (!stack) return results.make({outcome: 'invalid', problems: [problem('--env', `${input.environment} has no stack ${stackName}`)], message: `nothing to cancel: ${input.environment} has not been deployed`});
		const status = stack.StackStatus ?? '';
		if (status !== 'UPDATE_IN_PROGRESS') {
			return results.make({outcome: 'invalid', problems: [problem('--env', `stack ${stackName} is ${status}: CloudFormation can only cancel an update in progress (UPDATE_IN_PROGRESS)`)], message: `nothing to cancel in ${input.environment}: the stack is ${status}`}, stack);
		}
		const release = releaseFromStack(stack, info.project);
		if (release) info.release = {version: release.version, images: release.images, source: 'aws'};
		notifyStart(host, current, input, info.release, stack.LastUpdatedTime ? new Date(stack.LastUpdatedTime).getTime() : undefined, 'Cancelling the update of');
		const go = await host.request({
			kind: 'confirm',
			id: 'cancel-update',
			message: `Cancel the update of ${stackName}${release ? ` to release ${release.version}` : ''}? CloudFormation rolls back and the previous release comes back.`,
			defaultAnswer: false,
			flag: '--yes',
		});
		if (!go) return results.declined('cancel-update', '--yes', 'the update goes on; nothing was changed', stack);
		const token = context.newId();
		const since = deps.clock.now();
		await callAws(context, 'CancelUpdateStack', () => aws.cloudFormation.cancelUpdateStack({StackName: stack.StackId ?? stackName, ClientRequestToken: token}));
		host.notify({code: 'stack.operation', operation: 'cancel-update'});
		const end = await monitorStack(context, {stackId: stack.StackId ?? stackName, tokens: new Set([token]), since, followService: false});
		const ledger = await openLedger(deps, current.ledger === undefined ? {} : {ledger: current.ledger}, input.target, host);
		await reconcileRecords(ledger, {project: info.project, environment: input.environment, target: input.target.name}, aws, context);
		if (end.status === 'UPDATE_ROLLBACK_COMPLETE') {
			return results.make({outcome: 'cancelled', reasons: end.failures.reasons, changed: true, message: `the update was cancelled and rolled back; the stack is ${end.status}, the previous release serves again`}, end.stack);
		}
		return results.make({outcome: 'failed', reasons: end.failures.reasons, changes: [], message: `the update was cancelled, but its rollback ended ${end.status}`}, end.stack);
	});
}
