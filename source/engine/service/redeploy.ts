import {error as problem} from '../../domain/problems.js';
import {revisionOf, unconfirmedSentence} from '../../domain/serving.js';
import {isInProgress} from '../../domain/stack-status.js';
import {callAws} from '../core/aws-call.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import {startRun, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import {releaseFromStack} from '../releases/release-lookup.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import {ServiceWatch} from '../monitor/service-watch.js';
import {followRollout} from '../monitor/stack-monitor.js';
import {stackEcsResources} from '../monitor/stack-resources.js';
import {resultFactory, stackOutputs} from '../core/stack-results.js';

export type RedeployInput = CurrentStackInput;

/**
 * Redeploys the release an environment runs: a fresh ECS deployment of the same task definition
 * (UpdateService with forceNewDeployment), which replaces every task: for tasks that went bad, or to pick up
 * a secret's new value. The stack is not changed. Asks first; follows the ECS deployment to its end.
 */
export function redeploy(input: RedeployInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runRedeploy(control, input, deps, host));
}

async function runRedeploy(control: RunControl, input: RedeployInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	return onCurrentStack(control, input, deps, host, 'redeploy', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		if (!stack) return resultFactory(info).make({outcome: 'invalid', problems: [problem('--env', `${input.environment} has no stack ${stackName}`)], message: `${input.environment} has not been deployed`});
		if (isInProgress(stack.StackStatus ?? '')) return resultFactory(info).make({outcome: 'busy', message: `stack ${stackName} is busy (${stack.StackStatus}); try again when it is done`}, stack);
		// The service and what it should run come from the stack's resources, not its outputs.
		const {service, taskDefinition} = await stackEcsResources(context, stack.StackId ?? stackName);
		if (!service || !taskDefinition) {
			return resultFactory(info).make({outcome: 'invalid', problems: [problem('--env', `stack ${stackName} holds no ECS service to redeploy`)], message: `${input.environment} has no service to redeploy`}, stack);
		}
		const release = releaseFromStack(stack, info.project);
		if (release) info.release = {version: release.version, images: release.images, source: 'aws'};
		const results = resultFactory(info);
		notifyStart(host, current, input, info.release, undefined, 'Redeploying');
		const go = await host.request({
			kind: 'confirm',
			id: 'redeploy',
			message: `Start a fresh ECS deployment of ${revisionOf(taskDefinition)}${release ? ` (release ${release.version})` : ''} in ${input.environment}? Every task is replaced; the stack is not changed.`,
			defaultAnswer: false,
			flag: '--yes',
		});
		if (!go) return results.declined('redeploy', '--yes', 'nothing was changed');
		const since = deps.clock.now();
		await callAws(context, 'UpdateService', () => aws.ecs.updateService({cluster: input.target.cluster, service, forceNewDeployment: true}));
		host.notify({code: 'note', message: `started a fresh deployment of ${revisionOf(taskDefinition)}`});
		// Only a deployment created since the call is this redeploy's: the old one runs the same revision.
		const watch = new ServiceWatch(aws.ecs, context, host, input.target.cluster, service, taskDefinition, since, since - 1000);
		const outputs = stackOutputs(stack);
		// The stack does not change: only ECS can say how the redeploy ended (the shared monitor follows it).
		const {failures} = await followRollout(context, watch);
		if (watch.state === 'completed') {
			return results.make({outcome: 'succeeded', changes: [], outputs, confirmed: watch.verdict.confirmed, message: `${revisionOf(taskDefinition)} was redeployed: new tasks serve ${input.environment}`}, stack);
		}
		return results.make({outcome: 'failed', reasons: failures.reasons, changes: [], message: `the redeploy failed: ${failures.reasons[0]?.message ?? unconfirmedSentence(watch.verdict)}`}, stack);
	});
}
