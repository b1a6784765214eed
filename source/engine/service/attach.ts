import {error as problem} from '../../domain/problems.js';
import {isInProgress} from '../../domain/stack-status.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import {startRun, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import {openLedger} from '../releases/ledger.js';
import {reconcileRecords} from '../history/records.js';
import {releaseFromStack} from '../releases/release-lookup.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import {operationResult} from '../deploy/stack-deploy.js';
import {monitorStack} from '../monitor/stack-monitor.js';
import {resultFactory} from '../core/stack-results.js';

export type AttachInput = CurrentStackInput;

/**
 * Re-attaches to an environment's stack: follows the operation in progress to its end (CloudFormation and
 * ECS, with everything that happened since it started), or, when none runs, reports how the last one
 * ended and why. Open deployment records of the environment are brought up to date afterwards.
 */
export function attach(input: AttachInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runAttach(control, input, deps, host));
}

async function runAttach(control: RunControl, input: AttachInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	return onCurrentStack(control, input, deps, host, 'watch', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		if (!stack) return resultFactory(info).make({outcome: 'invalid', problems: [problem('--env', `there is no stack ${stackName}: ${input.environment} has not been deployed`)], message: `nothing to watch: ${input.environment} has not been deployed (no stack ${stackName})`});
		const status = stack.StackStatus ?? '';
		const release = releaseFromStack(stack, info.project);
		if (release) {
			info.release = {version: release.version, images: release.images, source: 'aws'};
			context.resolved = {...context.resolved, releaseVersion: release.version};
			host.notify({code: 'release', release: info.release});
		}
		const started = stack.LastUpdatedTime ?? stack.CreationTime;
		// An operation in progress is timed from when it began, not from when it was re-attached to.
		if (started && isInProgress(status)) info.startedAt = new Date(started).getTime();
		notifyStart(host, current, input, info.release, isInProgress(status) ? info.startedAt : undefined);
		// Events of the last operation start when it did; a second earlier covers clock rounding.
		const since = started ? new Date(started).getTime() - 1000 : 0;
		host.notify({code: 'note', message: isInProgress(status) ? `re-attached to ${stackName} (${status})` : `${stackName} is ${status}; the last operation:`});
		const end = await monitorStack(context, {stackId: stack.StackId ?? stackName, stack, tokens: new Set(), since, followService: true});
		const result = operationResult(context, end, [], resultFactory(info));
		const ledger = await openLedger(deps, current.ledger === undefined ? {} : {ledger: current.ledger}, input.target, host);
		await reconcileRecords(ledger, {project: info.project, environment: input.environment, target: input.target.name}, aws, context);
		return result;
	});
}
