import type {EcsPort, Task} from '../aws/ports.js';
import {callAws, type CallContext} from './aws-call.js';
import type {DeploymentView, EngineHost, TaskView} from './events.js';

/** Where the deployment of this release stands in ECS. */
export type RolloutState = 'pending' | 'in-progress' | 'completed' | 'failed' | 'missing';

/**
 * Follows one ECS service while it rolls out one task definition: the deployment of that revision, new
 * service events, and that deployment's tasks (reported when they change). Success is that deployment's
 * rollout reaching COMPLETED; a circuit-breaker rollback turns it FAILED even when the service is stable.
 */
export class ServiceWatch {
	private readonly seenEvents = new Set<string>();
	private readonly taskStates = new Map<string, string>();
	private lastDeployment = '';
	readonly stoppedTasks = new Map<string, TaskView>();
	readonly eventMessages: string[] = [];
	deploymentId: string | undefined;
	state: RolloutState = 'pending';

	constructor(
		private readonly ecs: EcsPort,
		private readonly context: CallContext,
		private readonly host: EngineHost,
		readonly cluster: string,
		readonly service: string,
		readonly taskDefinitionArn: string,
		/** Service events before this time belong to earlier deployments. */
		private readonly since: number,
	) {}

	/** Reads the service once; returns true when something changed. */
	async poll(): Promise<boolean> {
		const described = await callAws(this.context, 'DescribeServices', () => this.ecs.describeServices({cluster: this.cluster, services: [this.service]}));
		const service = described.services?.[0];
		if (!service) {
			this.state = 'missing';
			return false;
		}
		let changed = false;
		for (const event of [...(service.events ?? [])].reverse()) {
			const id = event.id ?? '';
			const created = event.createdAt ? new Date(event.createdAt).getTime() : 0;
			if (this.seenEvents.has(id) || created < this.since) continue;
			this.seenEvents.add(id);
			this.eventMessages.push(event.message ?? '');
			this.host.notify({code: 'service.event', id, createdAt: created, message: event.message ?? ''});
			changed = true;
		}

		const deployment = service.deployments?.find(d => d.taskDefinition === this.taskDefinitionArn);
		if (!deployment) return changed;
		this.deploymentId = deployment.id;
		const view: DeploymentView = {
			id: deployment.id ?? '',
			status: deployment.status ?? '',
			taskDefinition: deployment.taskDefinition ?? '',
			...(deployment.rolloutState ? {rolloutState: deployment.rolloutState} : {}),
			...(deployment.rolloutStateReason ? {rolloutStateReason: deployment.rolloutStateReason} : {}),
			desired: deployment.desiredCount ?? 0,
			pending: deployment.pendingCount ?? 0,
			running: deployment.runningCount ?? 0,
			failed: deployment.failedTasks ?? 0,
		};
		const key = JSON.stringify(view);
		if (key !== this.lastDeployment) {
			this.lastDeployment = key;
			this.host.notify({code: 'service.deployment', deployment: view});
			changed = true;
		}
		this.state = deployment.rolloutState === 'COMPLETED' ? 'completed' : deployment.rolloutState === 'FAILED' ? 'failed' : 'in-progress';
		if (await this.pollTasks()) changed = true;
		return changed;
	}

	/** The tasks this deployment started, running and stopped. ListTasks(startedBy) takes no other filter. */
	private async pollTasks(): Promise<boolean> {
		if (!this.deploymentId) return false;
		const deploymentId = this.deploymentId;
		const [running, stopped] = await Promise.all([
			callAws(this.context, 'ListTasks', () => this.ecs.listTasks({cluster: this.cluster, startedBy: deploymentId})),
			callAws(this.context, 'ListTasks', () => this.ecs.listTasks({cluster: this.cluster, serviceName: this.service, desiredStatus: 'STOPPED'})),
		]);
		const arns = [...new Set([...(running.taskArns ?? []), ...(stopped.taskArns ?? [])])].slice(0, 100);
		if (arns.length === 0) return false;
		const described = await callAws(this.context, 'DescribeTasks', () => this.ecs.describeTasks({cluster: this.cluster, tasks: arns}));
		let changed = false;
		for (const task of described.tasks ?? []) {
			if (task.startedBy !== deploymentId) continue;
			const view = taskView(task);
			const key = JSON.stringify(view);
			if (this.taskStates.get(view.id) === key) continue;
			this.taskStates.set(view.id, key);
			if (view.lastStatus === 'STOPPED') this.stoppedTasks.set(view.id, view);
			this.host.notify({code: 'task', task: view});
			changed = true;
		}
		return changed;
	}
}

export function taskView(task: Task): TaskView {
	return {
		id: (task.taskArn ?? '').split('/').at(-1) ?? '',
		lastStatus: task.lastStatus ?? '',
		desiredStatus: task.desiredStatus ?? '',
		...(task.healthStatus ? {healthStatus: task.healthStatus} : {}),
		...(task.stopCode ? {stopCode: task.stopCode} : {}),
		...(task.stoppedReason ? {stoppedReason: task.stoppedReason} : {}),
		containers: (task.containers ?? []).map(c => ({
			name: c.name ?? '',
			...(c.lastStatus ? {lastStatus: c.lastStatus} : {}),
			...(c.exitCode === undefined ? {} : {exitCode: c.exitCode}),
			...(c.reason ? {reason: c.reason} : {}),
			...(c.healthStatus ? {healthStatus: c.healthStatus} : {}),
		})),
	};
}
