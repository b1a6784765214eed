import type {Deployment, EcsPort, Service, Task} from '../../aws/ports.js';
import {judgeServing, type ServiceFacts, type ServingVerdict} from '../../domain/serving.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import type {DeploymentView, EngineHost, TaskView} from '../core/host.js';

/** Where the deployment of this release stands in ECS (from {@link judgeServing}). */
export type RolloutState = 'pending' | 'in-progress' | 'completed' | 'failed' | 'missing';

/**
 * Follows one ECS service while it rolls out one task definition: the deployment of that revision, new
 * service events, and that deployment's tasks (reported when they change). `completed` only on ECS
 * evidence ({@link judgeServing}: the PRIMARY deployment on this task definition, rollout COMPLETED,
 * running = desired); a circuit-breaker rollback turns it `failed` even when the service is stable.
 */
export class ServiceWatch {
	private readonly seenEvents = new Set<string>();
	private readonly taskStates = new Map<string, string>();
	private readonly lastDeployments = new Map<string, string>();
	readonly stoppedTasks = new Map<string, TaskView>();
	readonly eventMessages: string[] = [];
	deploymentId: string | undefined;
	state: RolloutState = 'pending';
	/** What the last DescribeServices said, judged: the evidence a verdict is made of. */
	verdict: ServingVerdict = {kind: 'unconfirmed', confirmed: [], unconfirmed: ['the service has not been read yet']};

	constructor(
		private readonly ecs: EcsPort,
		private readonly context: CallContext,
		private readonly host: EngineHost,
		readonly cluster: string,
		readonly service: string,
		readonly taskDefinitionArn: string,
		/** Service events before this time belong to earlier deployments. */
		private readonly since: number,
		/** Only deployments created since then are this run's (a forced redeploy of the same task definition). */
		private readonly deploymentSince?: number,
	) {}

	/** Reads the service once; returns true when something changed. */
	async poll(): Promise<boolean> {
		const described = await callAws(this.context, 'DescribeServices', () => this.ecs.describeServices({cluster: this.cluster, services: [this.service]}));
		const service = described.services?.[0];
		if (!service) {
			const why = described.failures?.[0]?.reason;
			this.judge({missing: `ECS does not know the service ${this.service} in cluster ${this.cluster}${why ? ` (${why})` : ''}`});
			return false;
		}
		this.judge(serviceFacts(service));
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

		const deployment = service.deployments?.find(d => d.taskDefinition === this.taskDefinitionArn && this.counts(d));
		if (!deployment) {
			// A finished deployment turns INACTIVE and leaves DescribeServices; its stopped tasks stay visible
			// for a while (an hour or more) and still say why they stopped.
			if (this.deploymentId === undefined && (await this.pollTasks(task => task.taskDefinitionArn === this.taskDefinitionArn))) changed = true;
			return changed;
		}
		this.deploymentId = deployment.id;
		if (this.report(deployment, 'new')) changed = true;
		// The deployment being replaced (or rolled back to), for the "new against old" view.
		const old = service.deployments?.find(d => d !== deployment && d.status !== 'INACTIVE');
		if (old && this.report(old, 'old')) changed = true;
		const id = deployment.id;
		if (await this.pollTasks(task => task.startedBy === id)) changed = true;
		return changed;
	}

	private counts(deployment: Deployment): boolean {
		return this.deploymentSince === undefined || deployment.createdAt === undefined || new Date(deployment.createdAt).getTime() >= this.deploymentSince;
	}

	private judge(service: ServiceFacts | {missing: string}): void {
		this.verdict = judgeServing({taskDefinition: this.taskDefinitionArn, service, ...(this.deploymentSince === undefined ? {} : {deploymentSince: this.deploymentSince})});
		this.state = {serving: 'completed', 'rolling-out': 'in-progress', 'rollout-failed': 'failed', unconfirmed: 'missing' in service ? 'missing' : 'pending'}[this.verdict.kind] as RolloutState;
	}

	/** Reports a deployment when it changed; true when it did. */
	private report(deployment: Deployment, role: 'new' | 'old'): boolean {
		const view = deploymentView(deployment);
		const key = JSON.stringify(view);
		if (this.lastDeployments.get(view.id) === key) return false;
		this.lastDeployments.set(view.id, key);
		this.host.notify({code: 'service.deployment', deployment: view, role});
		return true;
	}

	/**
	 * The tasks of this deployment, running and stopped (`mine` picks them out). ListTasks(startedBy) takes no
	 * other filter; stopped tasks are listed by service.
	 */
	private async pollTasks(mine: (task: Task) => boolean): Promise<boolean> {
		const deploymentId = this.deploymentId;
		const [running, stopped] = await Promise.all([
			deploymentId === undefined ? {taskArns: []} : callAws(this.context, 'ListTasks', () => this.ecs.listTasks({cluster: this.cluster, startedBy: deploymentId})),
			callAws(this.context, 'ListTasks', () => this.ecs.listTasks({cluster: this.cluster, serviceName: this.service, desiredStatus: 'STOPPED'})),
		]);
		const arns = [...new Set([...(running.taskArns ?? []), ...(stopped.taskArns ?? [])])].slice(0, 100);
		if (arns.length === 0) return false;
		const described = await callAws(this.context, 'DescribeTasks', () => this.ecs.describeTasks({cluster: this.cluster, tasks: arns}));
		let changed = false;
		for (const task of described.tasks ?? []) {
			if (!mine(task)) continue;
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

/** A described service as the serving judgement reads it. */
export function serviceFacts(service: Service): ServiceFacts {
	return {
		arn: service.serviceArn ?? '',
		name: service.serviceName ?? service.serviceArn?.split('/').at(-1) ?? '',
		status: service.status ?? '',
		running: service.runningCount ?? 0,
		desired: service.desiredCount ?? 0,
		deployments: (service.deployments ?? []).map(d => ({
			id: d.id ?? '',
			status: d.status ?? '',
			taskDefinition: d.taskDefinition ?? '',
			...(d.rolloutState ? {rolloutState: d.rolloutState} : {}),
			...(d.rolloutStateReason ? {rolloutStateReason: d.rolloutStateReason} : {}),
			running: d.runningCount ?? 0,
			desired: d.desiredCount ?? 0,
			...(d.createdAt ? {createdAt: new Date(d.createdAt).getTime()} : {}),
		})),
	};
}

export function deploymentView(deployment: Deployment): DeploymentView {
	return {
		id: deployment.id ?? '',
		status: deployment.status ?? '',
		taskDefinition: deployment.taskDefinition ?? '',
		...(deployment.rolloutState ? {rolloutState: deployment.rolloutState} : {}),
		...(deployment.rolloutStateReason ? {rolloutStateReason: deployment.rolloutStateReason} : {}),
		desired: deployment.desiredCount ?? 0,
		pending: deployment.pendingCount ?? 0,
		running: deployment.runningCount ?? 0,
		failed: deployment.failedTasks ?? 0,
		...(deployment.createdAt ? {createdAt: new Date(deployment.createdAt).getTime()} : {}),
	};
}

export function taskView(task: Task): TaskView {
	const revision = (task.taskDefinitionArn ?? '').split('/').at(-1);
	return {
		id: (task.taskArn ?? '').split('/').at(-1) ?? '',
		...(revision ? {revision} : {}),
		...(task.startedAt ? {startedAt: new Date(task.startedAt).getTime()} : {}),
		...(task.stoppedAt ? {stoppedAt: new Date(task.stoppedAt).getTime()} : {}),
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
