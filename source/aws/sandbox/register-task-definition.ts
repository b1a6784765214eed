import type {RegisterTaskDefinitionCommandInput, RegisterTaskDefinitionCommandOutput, StopTaskCommandInput, StopTaskCommandOutput} from '@aws-sdk/client-ecs';
import {sandboxError} from './errors.js';
import {describeOneOff} from './run-task.js';
import {sandboxAccount, sandboxCluster, sandboxRegion, type SandboxState} from './state.js';
import type {ContainerDefinitionData, TaskDefinitionData} from './task-definition.js';

/*
 * RegisterTaskDefinition outside CloudFormation (the task definition of a beforeDeploy task) and StopTask of
 * a task started with RunTask, as ECS answers them
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html).
 */

const familyPattern = /^[A-Za-z0-9_-]{1,255}$/;

export function registerTaskDefinition(state: SandboxState, input: RegisterTaskDefinitionCommandInput): RegisterTaskDefinitionCommandOutput {
	const family = input.family ?? '';
	if (!familyPattern.test(family)) throw sandboxError('ClientException', 'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.');
	const containers = input.containerDefinitions ?? [];
	if (containers.length === 0) throw sandboxError('ClientException', 'Container list cannot be empty.');
	for (const c of containers) if (!c.name || !c.image) throw sandboxError('ClientException', 'Container.image should not be null or empty.');
	if (input.requiresCompatibilities?.includes('FARGATE') && (!input.cpu || !input.memory)) throw sandboxError('ClientException', "Fargate requires that 'cpu' be defined at the task level.");
	const list = (state.taskDefinitions[family] ??= []);
	const revision = (list.at(-1)?.revision ?? 0) + 1;
	const arn = `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:task-definition/${family}:${revision}`;
	const definitions = containers.map(c => ({cpu: 0, essential: true, environment: [], mountPoints: [], volumesFrom: [], portMappings: [], ...c}) as unknown as ContainerDefinitionData);
	const task: TaskDefinitionData = {
		...(input.cpu ? {cpu: input.cpu} : {}),
		...(input.memory ? {memory: input.memory} : {}),
		...(input.networkMode ? {networkMode: input.networkMode} : {}),
		...(input.executionRoleArn ? {executionRoleArn: input.executionRoleArn} : {}),
		...(input.taskRoleArn ? {taskRoleArn: input.taskRoleArn} : {}),
		...(input.requiresCompatibilities ? {requiresCompatibilities: [...input.requiresCompatibilities]} : {}),
	};
	list.push({revision, arn, tags: (input.tags ?? []).map(t => ({key: t.key ?? '', value: t.value ?? ''})), containers: definitions, task});
	return {
		taskDefinition: {taskDefinitionArn: arn, family, revision, status: 'ACTIVE', ...(task as object), containerDefinitions: definitions},
		...(input.tags ? {tags: input.tags} : {}),
		$metadata: {},
	};
}

/** Stops a task started with RunTask: at once here (ECS sends SIGTERM, then SIGKILL after the stop timeout). */
export function stopOneOff(state: SandboxState, input: StopTaskCommandInput, now: number): StopTaskCommandOutput {
	const cluster = (input.cluster ?? 'default').split(':cluster/').at(-1);
	if (cluster !== sandboxCluster && cluster !== 'sandbox-blue') throw sandboxError('ClusterNotFoundException', 'Cluster not found.');
	const task = (state.oneOffTasks ?? []).find(t => t.arn === input.task || t.arn.endsWith(`/${input.task ?? ''}`));
	if (!task) throw sandboxError('InvalidParameterException', 'The referenced task was not found.');
	if (task.lastStatus !== 'STOPPED') {
		task.desiredStatus = 'STOPPED';
		task.lastStatus = 'STOPPED';
		task.stoppedAt = now;
		task.stopCode = 'UserInitiated';
		task.stoppedReason = input.reason ?? 'Task stopped by user';
		// SIGTERM: the container's exit code is 143 (128 + 15).
		for (const c of task.containers) {
			c.lastStatus = 'STOPPED';
			c.exitCode = 143;
		}
		state.steps = state.steps.filter(s => !(s.kind === 'one-off' && s.data.taskArn === task.arn));
	}
	return {task: describeOneOff(task), $metadata: {}};
}
