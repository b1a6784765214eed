import {createHash} from 'node:crypto';
import type {TaskStopCode} from '@aws-sdk/client-ecs';
import {nextId, sandboxAccount, sandboxCluster, sandboxRegion, type DeploymentData, type SandboxState, type ServiceData, type StackData, type Step, type TaskData} from './state.js';
import {serviceArnFor} from './operations.js';
import {readTemplate} from './template-model.js';

/*
 * Applying steps to the state: stack status and events, task definitions, and the ECS service's
 * deployments and tasks.
 */

/** What a step plays on: the state, the time it is due, and how much faster than AWS the sandbox plays. */
export type StepContext = {state: SandboxState; now: number; speed: number};

type StartData = Extract<Step, {kind: 'ecs-start'}>['data'];
type FailData = Extract<Step, {kind: 'task-fail'}>['data'];

function service(state: SandboxState, stackName: string): ServiceData | undefined {
	return state.services.find(s => s.stackName === stackName);
}

function serviceEvent(ctx: StepContext, s: ServiceData, message: string): void {
	s.events.unshift({id: nextId(ctx.state), createdAt: ctx.now, message});
	s.events.length = Math.min(s.events.length, 100);
}

const taskId = (task: TaskData) => task.arn.split('/').at(-1)!;

/** Applies one step to its stack (and the account's ECS service, task definitions and logs). */
export function applyStep(ctx: StepContext, stack: StackData, step: Step): void {
	const {state, now} = ctx;
	switch (step.kind) {
		case 'faults':
			if (step.data.faults.includes('expire-session')) state.expiredUntil = now + 30_000;
			if (step.data.faults.includes('throttle')) state.calls['throttle-until'] = now + 20_000;
			return;
		case 'stack-status': {
			const {status, reason, token, newOperation} = step.data;
			stack.status = status;
			if (reason === undefined) delete stack.reason;
			else stack.reason = reason;
			if (stack.status === 'DELETE_COMPLETE') stack.deleted = now;
			// Each operation (and a rollback after a failure) gets its own operation id.
			pushEvent(ctx, stack, {logicalId: stack.name, type: 'AWS::CloudFormation::Stack', status, physicalId: stack.id, newOperation: Boolean(newOperation) || reason === 'User Initiated', ...(reason === undefined ? {} : {reason}), ...(token === undefined ? {} : {token})});
			return;
		}
		case 'event': {
			const {logicalId, type, status, reason, physicalId, token} = step.data;
			pushEvent(ctx, stack, {logicalId, type, status, physicalId: physicalId ?? '', newOperation: false, ...(reason === undefined ? {} : {reason}), ...(token === undefined ? {} : {token})});
			return;
		}
		case 'register-task-definition': {
			const {family, revision, arn, containers, task} = step.data;
			const list = (state.taskDefinitions[family] ??= []);
			list.push({revision, arn, tags: stack.tags.map(t => ({key: t.Key, value: t.Value})), ...(containers ? {containers} : {}), ...(task ? {task} : {})});
			stack.taskDefinitionRevision = Math.max(stack.taskDefinitionRevision, revision);
			return;
		}
		case 'ecs-start':
			return startDeployment(ctx, stack, step.data);
		case 'tasks': {
			const s = service(state, stack.name);
			const primary = s?.deployments[0];
			if (!s || !primary) return;
			const {status, health} = step.data;
			const order = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING'];
			for (const task of s.tasks.filter(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING')) {
				// Tasks only move forward; one started later may still be behind the others.
				if (order.indexOf(task.lastStatus) > order.indexOf(status)) continue;
				task.lastStatus = status;
				if (status === 'RUNNING' && task.startedAt === undefined) {
					task.startedAt = ctx.now;
					startLogs(ctx, stack, task);
				}
				for (const c of task.containers) c.lastStatus = status;
				if (health) {
					task.healthStatus = health;
					for (const c of task.containers) c.healthStatus = health;
				}
			}
			primary.pendingCount = s.tasks.filter(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length;
			primary.runningCount = s.tasks.filter(t => t.startedBy === primary.id && t.lastStatus === 'RUNNING').length;
			primary.updatedAt = now;
			return;
		}
		case 'task-fail':
			return failTask(ctx, stack, step.data);
		case 'ecs-complete':
			return completeDeployment(ctx, stack);
		case 'ecs-stage': {
			const primary = service(state, stack.name)?.deployments[0];
			if (!primary) return;
			const {strategy, stage, production, test} = step.data;
			primary.lifecycle = {...(primary.lifecycle ?? {hooks: []}), strategy, stage, production, test};
			primary.updatedAt = now;
			return;
		}
		case 'ecs-pause': {
			const primary = service(state, stack.name)?.deployments[0];
			if (!primary?.lifecycle) return;
			const {hookId, stage, timeoutMs, action, rest, rollback} = step.data;
			primary.lifecycle.hooks.push({id: hookId, stage, status: 'AWAITING_ACTION', expiresAt: now + timeoutMs, timeoutAction: action});
			primary.lifecycle.paused = {hookId, at: now, rest, rollback};
			primary.updatedAt = now;
			return;
		}
		case 'service-scale': {
			const s = service(state, stack.name);
			if (s) scaleService(ctx, stack, s, step.data);
			return;
		}
		case 'ecs-hook-timeout': {
			const found = pausedDeployment(state, step.data.hookId);
			if (found) answerHook(ctx, found.deployment, step.data.hookId, found.deployment.lifecycle!.hooks.find(h => h.id === step.data.hookId)!.timeoutAction, 'TIMED_OUT');
			return;
		}
		case 'ecs-rollback':
			return rollBack(ctx, stack, step.data.reason);
		case 'service-delete': {
			const {stackName} = step.data;
			state.services = state.services.filter(s => s.stackName !== stackName);
			return;
		}
		case 'commit': {
			const {serviceArn, taskDefinition, logGroup} = step.data;
			stack.outputs = {
				ServiceArn: serviceArn,
				ServiceName: serviceArn.split('/').at(-1)!,
				TaskDefinitionArn: taskDefinition,
				ClusterName: sandboxCluster,
				...(logGroup ? {LogGroupName: logGroup} : {}),
			};
			delete stack.previous;
			if (stack.noEcho) delete stack.noEcho.previous;
			return;
		}
		case 'revert':
			if (stack.previous) {
				stack.body = stack.previous.body;
				stack.parameters = stack.previous.parameters;
				stack.tags = stack.previous.tags;
				stack.outputs = stack.previous.outputs;
				delete stack.previous;
				if (stack.noEcho) {
					stack.noEcho.current = stack.noEcho.previous ?? {};
					delete stack.noEcho.previous;
				}
			}
			return;
	}
}

function pushEvent(ctx: StepContext, stack: StackData, e: {logicalId: string; type: string; status: string; reason?: string; physicalId: string; token?: string; newOperation: boolean}): void {
	const previous = stack.events.at(-1);
	const operationId = e.newOperation || !previous ? nextId(ctx.state) : previous.operationId;
	const timestamp = Math.max(ctx.now, (previous?.timestamp ?? 0) + 1);
	stack.events.push({
		eventId: e.type === 'AWS::CloudFormation::Stack' ? `${nextId(ctx.state)}-${nextId(ctx.state)}` : `${e.logicalId}-${e.status}-${new Date(timestamp).toISOString()}`,
		logicalId: e.logicalId,
		physicalId: e.physicalId,
		resourceType: e.type,
		status: e.status,
		...(e.reason === undefined ? {} : {reason: e.reason}),
		timestamp,
		...(e.token === undefined ? {} : {token: e.token}),
		operationId,
	});
}

function newTask(ctx: StepContext, deployment: DeploymentData, containers: Array<{name: string; image: string}>): TaskData {
	// ECS task ids are 32 hex digits.
	const hex = createHash('md5').update(nextId(ctx.state)).digest('hex');
	return {
		arn: `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:task/${sandboxCluster}/${hex}`,
		taskDefinitionArn: deployment.taskDefinition,
		startedBy: deployment.id,
		lastStatus: 'PROVISIONING',
		desiredStatus: 'RUNNING',
		healthStatus: 'UNKNOWN',
		containers: containers.map(c => ({name: c.name, image: c.image, lastStatus: 'PENDING', healthStatus: 'UNKNOWN'})),
		createdAt: ctx.now,
	};
}

function startDeployment(ctx: StepContext, stack: StackData, data: StartData): void {
	let s = service(ctx.state, stack.name);
	if (!s) {
		s = {arn: serviceArnFor(stack.name), name: serviceArnFor(stack.name).split('/').at(-1)!, stackName: stack.name, desiredCount: data.desired, deployments: [], events: [], tasks: []};
		ctx.state.services.push(s);
	}
	// Without a DesiredCount in the template (auto scaling), an update keeps the count the service has.
	const desired = data.keepDesired && s.deployments.length > 0 ? s.desiredCount : data.desired;
	s.desiredCount = desired;
	// With maximumPercent 100 there is no room for new tasks next to the old ones: the old ones stop first.
	const previous = s.deployments.find(d => d.status === 'PRIMARY');
	if (previous && data.maximumPercent <= 100) {
		for (const task of s.tasks.filter(t => t.startedBy === previous.id && t.desiredStatus === 'RUNNING')) {
			stopTask(ctx.now, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${previous.id})`);
		}
		previous.runningCount = 0;
	}
	for (const d of s.deployments.filter(d => d.status !== 'INACTIVE')) d.status = 'ACTIVE';
	const id = `ecs-svc/${String(ctx.now).padStart(13, '0')}${String(ctx.state.seq % 1_000_000).padStart(6, '0')}`;
	const deployment: DeploymentData = {
		id,
		status: 'PRIMARY',
		taskDefinition: data.taskDefinition,
		desiredCount: desired,
		pendingCount: desired,
		runningCount: 0,
		failedTasks: 0,
		rolloutState: 'IN_PROGRESS',
		rolloutStateReason: `ECS deployment ${id} in progress.`,
		createdAt: ctx.now,
		updatedAt: ctx.now,
	};
	s.deployments.unshift(deployment);
	const started = Array.from({length: desired}, () => newTask(ctx, deployment, data.containers));
	s.tasks.unshift(...started);
	if (started.length > 0) serviceEvent(ctx, s, `(service ${s.name}) has started ${started.length} tasks: ${started.map(t => `(task ${taskId(t)})`).join(' ')}.`);
}

function stopTask(now: number, task: TaskData, stopCode: TaskStopCode, reason: string): void {
	task.desiredStatus = 'STOPPED';
	task.lastStatus = 'STOPPED';
	task.stoppedAt = now;
	task.stopCode = stopCode;
	task.stoppedReason = reason;
	for (const c of task.containers) c.lastStatus = 'STOPPED';
}

function failTask(ctx: StepContext, stack: StackData, data: FailData): void {
	const {behaviour, logGroup} = data;
	const s = service(ctx.state, stack.name);
	const primary = s?.deployments[0];
	if (!s || !primary || behaviour.kind === 'healthy' || behaviour.kind === 'slow') return;
	const task = s.tasks.find(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING');
	if (!task) return;
	const container = task.containers.find(c => c.name === behaviour.container) ?? task.containers[0]!;
	const stream = data.containers.find(c => c.name === container.name);
	// The container's last words, after what it wrote when it started (a task that never ran wrote nothing).
	const log = (lines: string[]) => {
		if (logGroup && stream) appendLog(ctx, `${logGroup}|${stream.streamPrefix ?? container.name}/${container.name}/${taskId(task)}`, lines);
	};
	switch (behaviour.kind) {
		case 'crash':
			container.exitCode = 1;
			log(['Error: required setting DATABASE_URL is not set', 'Process exited with code 1']);
			stopTask(ctx.now, task, 'EssentialContainerExited', 'Essential container in task exited');
			break;
		case 'oom':
			container.exitCode = 137;
			container.reason = 'OutOfMemoryError: Container killed due to memory usage';
			log(['Warming cache: 512 MiB', 'Warming cache: 1024 MiB']);
			stopTask(ctx.now, task, 'EssentialContainerExited', 'Essential container in task exited');
			break;
		case 'unhealthy':
			task.healthStatus = 'UNHEALTHY';
			container.healthStatus = 'UNHEALTHY';
			container.exitCode = 137;
			log(['Listening on :9000 (health check expects :8080)']);
			serviceEvent(ctx, s, `(service ${s.name}) (task ${taskId(task)}) failed container health checks.`);
			stopTask(ctx.now, task, 'TaskFailedToStart', 'Task failed container health checks');
			break;
		case 'cannot-pull':
			container.reason = behaviour.reason;
			stopTask(ctx.now, task, 'TaskFailedToStart', behaviour.reason);
			break;
		case 'no-network': {
			const reason = `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.${sandboxRegion}.amazonaws.com/": dial tcp 10.0.143.12:443: i/o timeout. Please check your task network configuration.`;
			serviceEvent(ctx, s, `(service ${s.name}) was unable to place a task. Reason: ${reason}`);
			stopTask(ctx.now, task, 'TaskFailedToStart', reason);
			break;
		}
		case 'stuck-rollback':
			container.exitCode = 1;
			log(['Running migration 0042_add_index', 'Error: lock timeout on table orders', 'Process exited with code 1']);
			stopTask(ctx.now, task, 'EssentialContainerExited', 'Essential container in task exited');
			break;
	}
	primary.failedTasks = data.failures;
	primary.runningCount = s.tasks.filter(t => t.startedBy === primary.id && t.lastStatus === 'RUNNING').length;
	serviceEvent(ctx, s, `(service ${s.name}) has stopped 1 running tasks: (task ${taskId(task)}).`);
	if (!data.last) {
		const replacement = newTask(ctx, primary, data.containers);
		s.tasks.unshift(replacement);
		serviceEvent(ctx, s, `(service ${s.name}) has started 1 tasks: (task ${taskId(replacement)}).`);
	}
}

/** The deployment a PAUSE hook holds, while it waits. */
export function pausedDeployment(state: SandboxState, hookId: string): {service: ServiceData; deployment: DeploymentData} | undefined {
	for (const s of state.services) {
		const deployment = s.deployments.find(d => d.lifecycle?.paused?.hookId === hookId);
		if (deployment) return {service: s, deployment};
	}
	return undefined;
}

/**
 * A waiting PAUSE hook is answered (ContinueServiceDeployment) or times out: its status changes, and what
 * was planned for that answer plays from now on (the rest of the deployment, or its rollback).
 */
export function answerHook(ctx: StepContext, deployment: DeploymentData, hookId: string, action: 'CONTINUE' | 'ROLLBACK', status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'): void {
	const lifecycle = deployment.lifecycle;
	const paused = lifecycle?.paused;
	const hook = lifecycle?.hooks.find(h => h.id === hookId);
	if (!lifecycle || !paused || paused.hookId !== hookId || !hook) return;
	hook.status = status;
	delete lifecycle.paused;
	// The timeout of an answered hook never comes.
	ctx.state.steps = ctx.state.steps.filter(step => !(step.kind === 'ecs-hook-timeout' && step.data.hookId === hookId));
	// A rollback asked for (an answer or the timeout's action) reads ROLLBACK_REQUESTED until ECS starts it.
	if (action === 'ROLLBACK') lifecycle.status = 'ROLLBACK_REQUESTED';
	const shift = ctx.now - paused.at;
	for (const step of action === 'CONTINUE' ? paused.rest : paused.rollback) ctx.state.steps.push({...step, at: step.at + shift});
	deployment.updatedAt = ctx.now;
}

function rollBack(ctx: StepContext, stack: StackData, reason: 'circuit-breaker' | 'cancel' | 'hook' = 'circuit-breaker'): void {
	const s = service(ctx.state, stack.name);
	if (!s) return;
	const live = s.deployments.filter(d => d.status !== 'INACTIVE');
	const [failed, previous] = live;
	if (!failed) return;
	if (failed.lifecycle) {
		// A deployment that waited for approval rolls back: it waits no more.
		for (const hook of failed.lifecycle.hooks.filter(h => h.status === 'AWAITING_ACTION')) ctx.state.steps = ctx.state.steps.filter(step => !(step.kind === 'ecs-hook-timeout' && step.data.hookId === hook.id));
		delete failed.lifecycle.paused;
	}
	if (reason === 'hook') {
		// The new revision is rejected: production traffic goes back to the old one and the new tasks stop.
		if (!previous) return;
		Object.assign(failed, {status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: `ECS deployment ${failed.id} rolled back: its lifecycle hook asked to roll back.`, updatedAt: ctx.now});
		if (failed.lifecycle) Object.assign(failed.lifecycle, {status: 'ROLLBACK_IN_PROGRESS', production: 0, test: false});
		Object.assign(previous, {status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment ${previous.id} in progress.`, updatedAt: ctx.now});
		s.deployments = [previous, failed, ...s.deployments.filter(d => d !== previous && d !== failed)];
		const stopped = s.tasks.filter(t => t.startedBy === failed.id && t.desiredStatus === 'RUNNING');
		for (const task of stopped) stopTask(ctx.now, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${previous.id})`);
		Object.assign(failed, {runningCount: 0, pendingCount: 0});
		serviceEvent(ctx, s, `(service ${s.name}) rolling back to deployment ${previous.id}.`);
		if (stopped.length > 0) serviceEvent(ctx, s, `(service ${s.name}) has stopped ${stopped.length} running tasks: ${stopped.map(t => `(task ${taskId(t)})`).join(' ')}.`);
		return;
	}
	if (reason === 'cancel') {
		// CloudFormation puts the previous task definition back: ECS deploys it again and the cancelled deployment drains.
		if (!previous || failed.rolloutState === 'COMPLETED') return;
		Object.assign(failed, {status: 'ACTIVE', updatedAt: ctx.now});
		Object.assign(previous, {status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment ${previous.id} in progress.`, updatedAt: ctx.now});
		s.deployments = [previous, failed, ...s.deployments.filter(d => d !== previous && d !== failed)];
		const stopped = s.tasks.filter(t => t.startedBy === failed.id && t.desiredStatus === 'RUNNING');
		for (const task of stopped) stopTask(ctx.now, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${previous.id})`);
		Object.assign(failed, {runningCount: 0, pendingCount: 0});
		if (stopped.length > 0) serviceEvent(ctx, s, `(service ${s.name}) has stopped ${stopped.length} running tasks: ${stopped.map(t => `(task ${taskId(t)})`).join(' ')}.`);
		return;
	}
	Object.assign(failed, {status: previous ? 'ACTIVE' : 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', updatedAt: ctx.now});
	serviceEvent(ctx, s, `(service ${s.name}) (deployment ${failed.id}) deployment failed: tasks failed to start.`);
	if (previous) {
		Object.assign(previous, {status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${previous.id}.`, updatedAt: ctx.now});
		s.deployments = [previous, failed, ...s.deployments.filter(d => d !== previous && d !== failed)];
		serviceEvent(ctx, s, `(service ${s.name}) rolling back to deployment ${previous.id}.`);
	}
}

function completeDeployment(ctx: StepContext, stack: StackData): void {
	const s = service(ctx.state, stack.name);
	const primary = s?.deployments[0];
	if (!s || !primary) return;
	for (const task of s.tasks.filter(t => t.startedBy !== primary.id && t.desiredStatus === 'RUNNING')) {
		stopTask(ctx.now, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary.id})`);
	}
	for (const task of s.tasks.filter(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING')) {
		task.lastStatus = 'RUNNING';
		if (task.startedAt === undefined) {
			task.startedAt = ctx.now;
			startLogs(ctx, stack, task);
		}
		for (const c of task.containers) c.lastStatus = 'RUNNING';
	}
	Object.assign(primary, {rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${primary.id} completed.`, pendingCount: 0, runningCount: primary.desiredCount, updatedAt: ctx.now});
	for (const d of s.deployments) {
		if (d === primary) continue;
		Object.assign(d, {status: 'INACTIVE', runningCount: 0, pendingCount: 0, updatedAt: ctx.now});
		// A rejected blue/green deployment's rollback has ended.
		if (d.lifecycle?.status === 'ROLLBACK_IN_PROGRESS') d.lifecycle.status = 'ROLLBACK_SUCCESSFUL';
	}
	serviceEvent(ctx, s, `(service ${s.name}) (deployment ${primary.id}) deployment completed.`);
	serviceEvent(ctx, s, `(service ${s.name}) has reached a steady state.`);
	// Stopped tasks stay visible for a while (an hour in ECS); keep the newest 50.
	s.tasks = s.tasks.slice(0, 50);
}

/** How many log streams the account keeps: the oldest go first (a sandbox that runs for days stays small). */
const keptStreams = 300;

/** Adds lines to a stream, each at the step's time (a millisecond apart, in order). */
function appendLog(ctx: StepContext, key: string, lines: readonly string[]): void {
	const stream = (ctx.state.logs[key] ??= []);
	const after = Math.max(ctx.now, (stream.at(-1)?.timestamp ?? 0) + 1);
	stream.push(...lines.map((message, i) => ({timestamp: after + i, message})));
	const keys = Object.keys(ctx.state.logs);
	for (const old of keys.slice(0, Math.max(0, keys.length - keptStreams))) delete ctx.state.logs[old];
}

/** What each container of a task writes as it starts (awslogs: `<group>|<prefix>/<container>/<task id>`). */
function startLogs(ctx: StepContext, stack: StackData, task: TaskData): void {
	if (!stack.body) return;
	const model = readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion, stack.name);
	if (model.logGroup === undefined) return;
	for (const container of task.containers) {
		const spec = model.containers.find(c => c.name === container.name);
		if (!spec) continue;
		appendLog(ctx, `${model.logGroup}|${spec.streamPrefix ?? container.name}/${container.name}/${taskId(task)}`, [`Starting ${container.name} (${container.image.split('/').at(-1)})`, 'Loading configuration from environment']);
	}
}

/**
 * The desired count changes: to `desired`, or into `min`–`max` (a scalable target's bounds). New tasks of the
 * PRIMARY deployment start (and move on as a rollout's do), extra ones stop, newest first.
 */
function scaleService(ctx: StepContext, stack: StackData, s: ServiceData, change: {desired?: number; min?: number; max?: number}): void {
	const primary = s.deployments.find(d => d.status === 'PRIMARY');
	if (!primary) return;
	const desired = change.desired ?? Math.min(change.max ?? Infinity, Math.max(change.min ?? 0, s.desiredCount));
	s.desiredCount = desired;
	primary.desiredCount = desired;
	primary.updatedAt = ctx.now;
	const live = s.tasks.filter(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING');
	if (live.length < desired) {
		const started = Array.from({length: desired - live.length}, () => newTask(ctx, primary, live[0]?.containers ?? []));
		s.tasks.unshift(...started);
		serviceEvent(ctx, s, `(service ${s.name}) has started ${started.length} tasks: ${started.map(t => `(task ${taskId(t)})`).join(' ')}.`);
		// They start like a rollout's tasks: a step every 2 s, played at the sandbox's speed.
		for (const [i, status] of (['PENDING', 'ACTIVATING', 'RUNNING'] as const).entries()) ctx.state.steps.push({at: ctx.now + Math.round(((i + 1) * 2000) / ctx.speed), stack: stack.id, kind: 'tasks', data: {status}});
	} else if (live.length > desired) {
		const stopped = live.slice(0, live.length - desired);
		for (const task of stopped) stopTask(ctx.now, task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary.id})`);
		serviceEvent(ctx, s, `(service ${s.name}) has stopped ${stopped.length} running tasks: ${stopped.map(t => `(task ${taskId(t)})`).join(' ')}.`);
	}
	primary.runningCount = s.tasks.filter(t => t.startedBy === primary.id && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING').length;
	primary.pendingCount = s.tasks.filter(t => t.startedBy === primary.id && t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING').length;
}

type OneOffData = Extract<Step, {kind: 'one-off'}>['data'];

/** A task started with RunTask moves on: PENDING, RUNNING, then STOPPED with its exit code and log lines. */
export function applyOneOff(ctx: StepContext, data: OneOffData): void {
	const task = ctx.state.oneOffTasks?.find(t => t.arn === data.taskArn);
	if (!task || task.lastStatus === 'STOPPED') return;
	if (data.status !== 'STOPPED') {
		task.lastStatus = data.status;
		if (data.status === 'RUNNING') task.startedAt ??= ctx.now;
		for (const c of task.containers) c.lastStatus = data.status;
		return;
	}
	if (data.log) ctx.state.logs[data.log.key] = data.log.lines.map((message, i) => ({timestamp: ctx.now - 1000 + i * 10, message}));
	stopTask(ctx.now, task, data.stopCode ?? 'EssentialContainerExited', data.reason ?? 'Essential container in task exited');
	const container = task.containers[0];
	if (container) {
		if (data.exitCode !== undefined) container.exitCode = data.exitCode;
		if (data.containerReason) container.reason = data.containerReason;
	}
}
