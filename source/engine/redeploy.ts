import {error as problem} from '../domain/problems.js';
import {isInProgress} from '../domain/stack-status.js';
import {callAws} from './aws-call.js';
import {nextInterval} from './clock.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from './deps.js';
import {startRun, type DeployRun} from './deploy-release.js';
import {FailureTracker} from './failure-tracker.js';
import type {EngineHost} from './host.js';
import {releaseFromStack} from './release-lookup.js';
import type {DeployResult} from './results.js';
import type {RunControl} from './run-control.js';
import {ServiceWatch} from './service-watch.js';
import {resultFactory, stackOutputs} from './stack-results.js';

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
		const outputs = stackOutputs(stack);
		if (!stack || !outputs['ServiceArn'] || !outputs['TaskDefinitionArn']) {
			return resultFactory(info).make({outcome: 'invalid', problems: [problem('--env', `${input.environment} has no service to redeploy`)], message: `${input.environment} has not been deployed`});
		}
		if (isInProgress(stack.StackStatus ?? '')) return resultFactory(info).make({outcome: 'busy', message: `stack ${stackName} is busy (${stack.StackStatus}); try again when it is done`}, stack);
		const release = releaseFromStack(stack, info.project);
		if (release) info.release = {version: release.version, images: release.images, source: 'aws'};
		const results = resultFactory(info);
		notifyStart(host, current, input, info.release);
		const go = await host.request({
			kind: 'confirm',
			id: 'execute-change-set',
			message: `Start a fresh ECS deployment of release ${release?.version ?? '(unknown)'} in ${input.environment}? Every task is replaced; the stack is not changed.`,
			defaultAnswer: false,
			flag: '--yes',
		});
		if (!go) return results.declined('execute-change-set', '--yes', 'nothing was changed');
		const since = deps.clock.now();
		await callAws(context, 'UpdateService', () => aws.ecs.updateService({cluster: input.target.cluster, service: outputs['ServiceArn']!, forceNewDeployment: true}));
		host.notify({code: 'note', message: `started a fresh deployment of ${outputs['TaskDefinitionArn']!.split('/').at(-1)}`});
		const watch = new ServiceWatch(aws.ecs, context, host, input.target.cluster, outputs['ServiceArn']!, outputs['TaskDefinitionArn']!, since);
		const failures = new FailureTracker(context);
		for (let quiet = 1; ; ) {
			const changed = await watch.poll();
			// The stack does not change: only ECS can say why a redeploy failed.
			await failures.update(undefined, watch);
			if (watch.state === 'completed') return results.make({outcome: 'succeeded', changes: [], outputs, message: `release ${release?.version ?? ''} was redeployed: new tasks serve ${input.environment}`.replace('  ', ' ')}, stack);
			if (watch.state === 'failed' || watch.state === 'missing') {
				return results.make({outcome: 'failed', reasons: failures.reasons, changes: [], message: `the redeploy failed: ${failures.reasons[0]?.message ?? `the ECS deployment is ${watch.state}`}`}, stack);
			}
			quiet = changed ? 1 : quiet + 1;
			await control.pause(deps.clock, nextInterval(context.polling, quiet));
		}
	});
}
