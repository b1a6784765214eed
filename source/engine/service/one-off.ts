import {error as problem} from '../../domain/problems.js';
import type {ContainerSpec, ServiceSpec} from '../../domain/recipe/schema.js';
import {formatList, quote} from '../../domain/text.js';
import {callAws} from '../core/aws-call.js';
import {followTask} from '../monitor/task-follow.js';
import {notifyStart, onCurrentStack, type CurrentStackInput} from './current-stack.js';
import type {EngineDeps} from '../core/deps.js';
import type {EngineHost} from '../core/host.js';
import type {DeployResult} from '../core/results.js';
import {RunControl} from '../core/run-control.js';
import {taskView} from '../monitor/service-watch.js';
import {stackEcsResources} from '../monitor/stack-resources.js';
import {resultFactory, stackOutputs} from '../core/stack-results.js';

export type OneOffInput = CurrentStackInput & {
	/** The container whose command runs and whose exit code counts. @default the first essential container */
	container?: string;
	/** The command instead of the image's (`["npm", "run", "migrate"]`). */
	command?: string[];
};

/** How a one-off task ended: the container's exit code, or why it never ran; `run` when the run itself ended first. */
export type OneOffResult =
	| {kind: 'exited'; taskId: string; container: string; exitCode: number; stoppedReason?: string; message: string}
	| {kind: 'not-run'; taskId?: string; container: string; reason: string; message: string}
	| {kind: 'run'; result: DeployResult};

export type OneOffRun = {readonly result: Promise<OneOffResult>; readonly control: RunControl};

/** `startedBy` of the tasks this tool runs (ECS takes up to 128 characters). */
export const oneOffStartedBy = 'ecs-deployer/run';

/**
 * Runs a one-off task (a migration, a script) the way the environment's service runs: the task definition
 * of its PRIMARY deployment (the release that runs), its subnets, security groups, public IP and capacity,
 * with the command overridden when asked. Follows the task to its end, streaming its state and its log
 * lines, and ends with the container's exit code.
 */
export function runOneOff(input: OneOffInput, deps: EngineDeps, host: EngineHost): OneOffRun {
	const control = new RunControl();
	let outcome: OneOffResult | undefined;
	const result = onCurrentStack(control, input, deps, host, 'run a task in', async ({current, aws, context, stack}) => {
		const {info, stackName} = current;
		const results = resultFactory(info);
		const invalid = (path: string, why: string) => results.make({outcome: 'invalid', problems: [problem(path, why)], message: `cannot run a task in ${input.environment}: ${why}`}, stack);
		if (!stack) return invalid('--env', `${input.environment} has not been deployed (no stack ${stackName})`);
		const container = pickContainer(context.resolved.service, input.container);
		if ('problem' in container) return invalid('--container', container.problem);
		const {service: serviceArn} = await stackEcsResources(context, stack.StackId ?? stackName);
		if (!serviceArn) return invalid('--env', `stack ${stackName} holds no ECS service to take the task definition and network from`);
		const described = await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster: input.target.cluster, services: [serviceArn]}));
		const service = described.services?.[0];
		const primary = service?.deployments?.find(d => d.status === 'PRIMARY');
		const taskDefinition = primary?.taskDefinition ?? service?.taskDefinition;
		if (!service || !taskDefinition) return invalid('--env', `ECS does not show the service ${serviceArn} with a task definition`);
		notifyStart(host, current, input, undefined, undefined, 'Running a one-off task of');
		const network = service.networkConfiguration ?? {awsvpcConfiguration: {subnets: context.resolved.service.network.subnets, securityGroups: context.resolved.service.network.securityGroups, assignPublicIp: context.resolved.service.network.assignPublicIp ? 'ENABLED' : 'DISABLED'}};
		const capacity = service.capacityProviderStrategy?.length ? {capacityProviderStrategy: service.capacityProviderStrategy} : {launchType: 'FARGATE' as const};
		const started = await callAws(context, 'RunTask', () =>
			aws.ecs.runTask({
				cluster: input.target.cluster,
				taskDefinition,
				count: 1,
				startedBy: oneOffStartedBy,
				networkConfiguration: network,
				...capacity,
				...(service.platformVersion ? {platformVersion: service.platformVersion} : {}),
				overrides: {containerOverrides: [{name: container.name, ...(input.command ? {command: input.command} : {})}]},
			}),
		);
		const task = started.tasks?.[0];
		if (!task?.taskArn) {
			const why = started.failures?.map(f => `${f.reason ?? 'failed'}${f.detail ? `: ${f.detail}` : ''}`).join('; ') || 'ECS started no task';
			outcome = {kind: 'not-run', container: container.name, reason: why, message: `the task did not start: ${why}`};
			return results.make({outcome: 'failed', reasons: [{source: 'task', subject: 'RunTask', message: why}], changes: [], message: outcome.message}, stack);
		}
		const taskId = task.taskArn.split('/').at(-1)!;
		host.notify({code: 'note', message: `started task ${taskId} of ${taskDefinition.split('/').at(-1)} (${container.name}${input.command ? `: ${input.command.join(' ')}` : ''})`});
		const logs = logStream(context.resolved.service, container.spec, taskId, stackOutputs(stack)['LogGroupName']);
		const {task: stopped} = await followTask({...context, aws}, {cluster: input.target.cluster, taskArn: task.taskArn, container: container.name, logs});
		const view = taskView(stopped ?? task);
		const ran = view.containers.find(c => c.name === container.name);
		if (ran?.exitCode === undefined) {
			const reason = ran?.reason ?? view.stoppedReason ?? 'the task stopped before the container ran';
			outcome = {kind: 'not-run', taskId, container: container.name, reason, message: `task ${taskId} stopped before ${container.name} ran: ${reason}`};
			return results.make({outcome: 'failed', reasons: [{source: 'task', subject: `task ${taskId.slice(0, 12)}`, message: reason}], changes: [], message: outcome.message}, stack);
		}
		outcome = {kind: 'exited', taskId, container: container.name, exitCode: ran.exitCode, ...(view.stoppedReason ? {stoppedReason: view.stoppedReason} : {}), message: `task ${taskId} ended: ${container.name} exited ${ran.exitCode}`};
		return results.make({outcome: 'started', changes: [], reattach: input.reattach, message: outcome.message}, stack);
	});
	return {control, result: result.then(r => outcome ?? {kind: 'run', result: r})};
}

/** The container to run: the one named, or the first essential one. */
function pickContainer(service: ServiceSpec, name: string | undefined): {name: string; spec: ContainerSpec} | {problem: string} {
	const names = service.containers.map(c => c.name);
	const spec = name === undefined ? (service.containers.find(c => c.essential) ?? service.containers[0]) : service.containers.find(c => c.name === name);
	if (!spec) return {problem: `${quote(name ?? '')} is not a container of the service (${formatList(names)})`};
	return {name: spec.name, spec};
}

/** Where ECS writes the container's log: awslogs, as the recipe configures it (auto: the stack's log group). */
function logStream(service: ServiceSpec, container: ContainerSpec, taskId: string, stackLogGroup: string | undefined): {group: string; stream: string} | undefined {
	const logging = container.logging;
	if (logging.type === 'auto') {
		const group = stackLogGroup;
		return group === undefined ? undefined : {group, stream: `${logging.streamPrefix ?? container.name}/${container.name}/${taskId}`};
	}
	if (logging.type === 'manual' && logging.driver === 'awslogs') {
		const group = logging.options?.['awslogs-group'];
		const prefix = logging.options?.['awslogs-stream-prefix'];
		return group === undefined || prefix === undefined ? undefined : {group, stream: `${prefix}/${container.name}/${taskId}`};
	}
	void service;
	return undefined;
}
