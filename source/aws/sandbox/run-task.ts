import {createHash} from 'node:crypto';
import type {RunTaskCommandInput, RunTaskCommandOutput} from '@aws-sdk/client-ecs';
import {failureTags} from './seed.js';
import {sandboxError} from './errors.js';
import {nextId, sandboxAccount, sandboxCluster, sandboxRegion, type SandboxState, type Step, type TaskData} from './state.js';
import {readTemplate} from './template-model.js';

/*
 * RunTask: a one-off task from a registered task definition (a migration, a script). The sandbox plays it
 * PROVISIONING → PENDING → RUNNING → STOPPED and decides how it ends from its command and image tag:
 * a command that ends in `exit N` exits N (else 0); the failure tags of the seed crash (exit 1, an error in
 * its log) or cannot be pulled (stopped before it ran, no exit code), the failing-migration tag exits 2 with a
 * migration error, the slow tag runs ten minutes. Log lines go where the task's awslogs
 * configuration says, as for a service's tasks.
 */

/** The exit code a command asks for (`… exit 3`, `exit 3`), else 0. */
export function exitCodeOf(command: readonly string[] | undefined): number {
	const text = (command ?? []).join(' ');
	const match = /(?:^|[;&|\s])exit\s+(\d{1,3})\s*$/.exec(text);
	return match ? Number(match[1]) % 256 : 0;
}

export function runTask(state: SandboxState, input: RunTaskCommandInput, now: number, speed: number): {output: RunTaskCommandOutput; steps: Step[]} {
	const cluster = (input.cluster ?? 'default').split(':cluster/').at(-1);
	if (cluster !== sandboxCluster && cluster !== 'sandbox-blue') throw sandboxError('ClusterNotFoundException', 'Cluster not found.');
	const wanted = input.taskDefinition ?? '';
	const found = Object.entries(state.taskDefinitions)
		.flatMap(([family, list]) => list.map(td => ({family, ...td})))
		.filter(td => td.arn === wanted || `${td.family}:${td.revision}` === wanted.split('/').at(-1) || td.family === wanted)
		.at(-1);
	if (!found) throw sandboxError('InvalidParameterException', 'TaskDefinition not found.');
	// Fargate tasks use awsvpc: RunTask needs the subnets.
	if (!input.networkConfiguration?.awsvpcConfiguration?.subnets?.length) throw sandboxError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
	const overrides = input.overrides?.containerOverrides ?? [];
	const containers = found.containers ?? [];
	for (const o of overrides) if (!containers.some(c => c.name === o.name)) throw sandboxError('InvalidParameterException', `Override for container named ${o.name} is not a container in the TaskDefinition.`);
	const target = overrides.find(o => o.command !== undefined) ?? overrides[0];
	const main = containers.find(c => c.name === target?.name) ?? containers[0];
	if (!main) throw sandboxError('InvalidParameterException', 'TaskDefinition not found.');
	const command = target?.name === main.name ? target.command : undefined;

	const hex = createHash('md5').update(nextId(state)).digest('hex');
	const task: TaskData = {
		arn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:task/${sandboxCluster}/${hex}`,
		taskDefinitionArn: found.arn,
		startedBy: input.startedBy ?? '',
		lastStatus: 'PROVISIONING',
		desiredStatus: 'RUNNING',
		healthStatus: 'UNKNOWN',
		// The container the run is about first: its exit code is the task's.
		containers: [main, ...containers.filter(c => c !== main)].map(c => ({name: c.name, image: c.image, lastStatus: 'PENDING', healthStatus: 'UNKNOWN'})),
		createdAt: now,
	};
	(state.oneOffTasks ??= []).unshift(task);
	state.oneOffTasks.length = Math.min(state.oneOffTasks.length, 50);

	// Where its logs go: the task definition's stack says (awslogs group and stream prefix).
	const stack = state.stacks.find(s => s.outputs['TaskDefinitionArn'] !== undefined && s.body !== undefined && readTemplate(s.body, s.parameters, sandboxAccount, sandboxRegion, s.name).family === found.family);
	const model = stack?.body ? readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion, stack.name) : undefined;
	const modelContainer = model?.containers.find(c => c.name === main.name);
	// A task definition registered outside a stack (a beforeDeploy task's) says where its logs go itself.
	const own = (main as {logConfiguration?: {logDriver?: string; options?: Record<string, string>}}).logConfiguration;
	const ownKey = own?.logDriver === 'awslogs' && own.options?.['awslogs-group'] && own.options['awslogs-stream-prefix'] ? `${own.options['awslogs-group']}|${own.options['awslogs-stream-prefix']}/${main.name}/${hex}` : undefined;
	const logKey = ownKey ?? (model?.logGroup !== undefined && modelContainer ? `${model.logGroup}|${modelContainer.streamPrefix ?? main.name}/${main.name}/${hex}` : undefined);
	const tag = main.image.split(':').at(-1) ?? '';
	const at = (seconds: number) => now + Math.round((seconds * 1000) / speed);
	const step = (seconds: number, data: Extract<Step, {kind: 'one-off'}>['data']): Step => ({at: at(seconds), stack: '', kind: 'one-off', data});
	const steps: Step[] = [step(2, {taskArn: task.arn, status: 'PENDING'})];
	if (tag === failureTags.unpullable) {
		const reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'`;
		steps.push(step(6, {taskArn: task.arn, status: 'STOPPED', stopCode: 'TaskFailedToStart', reason, containerReason: reason}));
		return {output: {tasks: [describeOneOff(task)], failures: [], $metadata: {}}, steps};
	}
	const crashes = tag === failureTags.crashLoop;
	const migrationFails = tag === failureTags.failingMigration;
	const exitCode = crashes ? 1 : migrationFails ? 2 : exitCodeOf(command);
	const shown = command?.join(' ') ?? '(the image\'s command)';
	const lines = crashes
		? [`Running ${shown}`, 'Error: required setting DATABASE_URL is not set', 'Process exited with code 1']
		: migrationFails
			? [`Running ${shown}`, 'Applying migration 0042_add_index … done', 'Applying migration 0044_drop_legacy_id … failed', 'ERROR: cannot drop column legacy_id of table orders because other objects depend on it', 'Process exited with code 2']
			: [`Running ${shown}`, 'Applying migration 0042_add_index … done', 'Applying migration 0043_orders_status … done', exitCode === 0 ? 'All migrations applied' : `Process exited with code ${exitCode}`];
	// The slow release's tasks take about ten minutes: time to see a timeout.
	const runs = tag === failureTags.slow ? 600 : 9;
	steps.push(step(5, {taskArn: task.arn, status: 'RUNNING'}));
	steps.push(step(runs, {taskArn: task.arn, status: 'STOPPED', exitCode, ...(logKey ? {log: {key: logKey, lines}} : {})}));
	return {output: {tasks: [describeOneOff(task)], failures: [], $metadata: {}}, steps};
}

/** What DescribeTasks says of any task, a service's or a one-off (`group`: `service:NAME` or `family:NAME`); containers apart. */
export function describeTaskData(t: TaskData, group: string) {
	return {
		taskArn: t.arn,
		clusterArn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:cluster/${sandboxCluster}`,
		taskDefinitionArn: t.taskDefinitionArn,
		group,
		...(t.startedBy ? {startedBy: t.startedBy} : {}),
		lastStatus: t.lastStatus,
		desiredStatus: t.desiredStatus,
		launchType: 'FARGATE' as const,
		...(t.stopCode ? {stopCode: t.stopCode} : {}),
		...(t.stoppedReason ? {stoppedReason: t.stoppedReason} : {}),
		createdAt: new Date(t.createdAt),
		...(t.startedAt === undefined ? {} : {startedAt: new Date(t.startedAt)}),
		...(t.stoppedAt === undefined ? {} : {stoppedAt: new Date(t.stoppedAt)}),
	};
}

/** A one-off task as RunTask and DescribeTasks show it. */
export function describeOneOff(t: TaskData) {
	return {
		...describeTaskData(t, `family:${t.taskDefinitionArn.split('/').at(-1)?.split(':')[0] ?? ''}`),
		containers: t.containers.map(c => ({name: c.name, image: c.image, lastStatus: c.lastStatus, ...(c.exitCode === undefined ? {} : {exitCode: c.exitCode}), ...(c.reason ? {reason: c.reason} : {})})),
	};
}
