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
import {callAws} from '../core/aws-call.js';
import type {StackContext} from '../core/stack-context.js';

/** The stack-level statuses an operation begins with. */
const operationStarts: ReadonlySet<string> = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);

/**
 * When the stack's last operation began: the time of its stack-level CREATE_, UPDATE_, DELETE_ or
 * IMPORT_IN_PROGRESS event, on the newest page of its events (newest first). Its events, its task definition and
 * its ECS deployment come from then on; an operation that ended a moment before it is not taken for part of it.
 */
async function operationStartedAt(context: StackContext, stackId: string, stackName: string): Promise<number | undefined> {
	const page = await callAws(context, 'DescribeStackEvents', () => context.aws.cloudFormation.describeStackEvents({StackName: stackId}));
	const start = page.StackEvents?.find(e => e.LogicalResourceId === stackName && e.ResourceType === 'AWS::CloudFormation::Stack' && operationStarts.has(e.ResourceStatus ?? ''));
	return start?.Timestamp === undefined ? undefined : new Date(start.Timestamp).getTime();
}

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
		// Events of the last operation start with its own first event. Without one on the newest page: a second
		// before LastUpdatedTime (clock rounding), which may take in the end of an operation just before it.
		const since = (await operationStartedAt(context, stack.StackId ?? stackName, stackName)) ?? (started ? new Date(started).getTime() - 1000 : 0);
		host.notify({code: 'note', message: isInProgress(status) ? `re-attached to ${stackName} (${status})` : `${stackName} is ${status}; the last operation:`});
		const end = await monitorStack(context, {stackId: stack.StackId ?? stackName, stack, tokens: new Set(), since, followService: true});
		const result = operationResult(context, end, [], resultFactory(info));
		const ledger = await openLedger(deps, current.ledger === undefined ? {} : {ledger: current.ledger}, input.target, host);
		await reconcileRecords(ledger, {project: info.project, environment: input.environment, target: input.target.name}, aws, context);
		return result;
	});
}
