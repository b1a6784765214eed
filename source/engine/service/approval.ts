import type {AwsPorts, ServiceDeployment} from '../../aws/ports.js';
import {error as problem} from '../../domain/problems.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import {onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import {gateAction} from '../monitor/deployment-lifecycle.js';
import {startRun, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import {stackEcsResources} from '../monitor/stack-resources.js';
import {resultFactory} from '../core/stack-results.js';

export type ApprovalInput = CurrentStackInput & {
	/** Promote the waiting revision (ContinueServiceDeployment CONTINUE) or roll back (ROLLBACK). */
	action: 'promote' | 'rollback';
};

/** A deployment waiting at its approval gate: the service deployment and its PAUSE hook. */
export type WaitingGate = {deploymentArn: string; hookId: string; stage?: string; expiresAt?: number};

/**
 * Answers the approval gate of an environment's deployment from anywhere (the headless `approve` and
 * `reject` commands, `p` and `r` in the app): finds the service deployment whose PAUSE hook is
 * AWAITING_ACTION and continues it or rolls it back. The deploy that waits (in this process or another)
 * sees the hook move on at its next poll. Ends `started` (the deployment goes on in AWS; follow it with
 * watch), or `invalid` when nothing waits for approval.
 */
export function answerGate(input: ApprovalInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runAnswer(control, input, deps, host));
}

async function runAnswer(control: RunControl, input: ApprovalInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	const verb = input.action === 'promote' ? 'approve' : 'reject';
	return onCurrentStack(control, input, deps, host, verb, async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		const results = resultFactory(info);
		const nothing = (why: string) => results.make({outcome: 'invalid', problems: [problem('--env', why)], message: `nothing to ${verb} in ${input.environment}: ${why}`}, stack);
		if (!stack) return nothing(`${input.environment} has no stack ${stackName}`);
		const {service} = await stackEcsResources(context, stack.StackId ?? stackName);
		if (!service) return nothing(`stack ${stackName} holds no ECS service`);
		const gate = await findWaitingGate(context, aws, input.target.cluster, service);
		if ('none' in gate) return nothing(gate.none);
		try {
			await callAws(context, 'ContinueServiceDeployment', () => aws.ecs.continueServiceDeployment({serviceDeploymentArn: gate.deploymentArn, hookId: gate.hookId, action: gateAction[input.action]}));
		} catch (error) {
			// The hook moved on between the look and the answer (answered elsewhere, timed out): ECS says so.
			const name = (error as Error).name;
			if (name === 'InvalidParameterException' || name === 'ServiceDeploymentNotFoundException') {
				const message = `ECS refused the ${input.action === 'promote' ? 'promotion' : 'rollback'}: ${(error as Error).message}`;
				return results.make({outcome: 'invalid', problems: [problem('--env', message)], message}, stack);
			}
			throw error;
		}
		const what = input.action === 'promote' ? `promoted past ${gate.stage ?? 'the approval gate'}: ECS goes on with the deployment` : `rejected at ${gate.stage ?? 'the approval gate'}: ECS rolls back to the old revision`;
		host.notify({code: 'note', message: what});
		return results.make({outcome: 'started', changes: [], reattach: input.reattach, message: `${what}; follow it with: ${input.reattach}`}, stack);
	});
}

/**
 * The service's deployment in progress whose PAUSE hook waits (AWAITING_ACTION), or why there is none (no
 * deployment in progress, or one at another stage).
 */
export async function findWaitingGate(context: CallContext, aws: AwsPorts, cluster: string, service: string): Promise<WaitingGate | {none: string}> {
	const listed = await callAws(context, 'ListServiceDeployments', () => aws.ecs.listServiceDeployments({cluster, service, status: ['PENDING', 'IN_PROGRESS']}));
	const arns = (listed.serviceDeployments ?? []).flatMap(d => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : [])).slice(0, 20);
	if (arns.length === 0) return {none: 'no deployment of the service is in progress'};
	const described = await callAws(context, 'DescribeServiceDeployments', () => aws.ecs.describeServiceDeployments({serviceDeploymentArns: arns}));
	const all: ServiceDeployment[] = described.serviceDeployments ?? [];
	for (const deployment of all) {
		const hook = (deployment.lifecycleHookDetails ?? []).find(h => h.status === 'AWAITING_ACTION' && h.targetType !== 'AWS_LAMBDA');
		if (hook?.hookId && deployment.serviceDeploymentArn) {
			return {
				deploymentArn: deployment.serviceDeploymentArn,
				hookId: hook.hookId,
				...(deployment.lifecycleStage ? {stage: deployment.lifecycleStage} : {}),
				...(hook.expiresAt ? {expiresAt: new Date(hook.expiresAt).getTime()} : {}),
			};
		}
	}
	const stage = all.find(d => d.lifecycleStage)?.lifecycleStage;
	return {none: `the deployment in progress does not wait for approval${stage ? ` (it is at ${stage})` : ''}`};
}
