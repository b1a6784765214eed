import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {taskReasons, type FailureReason} from '../../domain/failures.js';
import type {Target} from '../../domain/records.js';
import {callAws} from '../shared/aws-call.js';
import {connect, type EngineDeps} from '../shared/deps.js';
import {listeningHost, type EngineHost, type TaskView} from '../shared/host.js';
import {taskView} from '../monitor/service-watch.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {stackNameFor} from '../shared/stack-names.js';
import {stackOutputs} from '../shared/stack-results.js';

/** One ECS deployment of the service, as ListServiceDeployments and DescribeServiceDeployments tell it. */
export type ServiceDeploymentRow = {
	arn: string;
	status: string;
	statusReason?: string;
	createdAt?: number;
	finishedAt?: number;
	/** Circuit breaker: TRIGGERED, MONITORING, …, with the failed task count. */
	circuitBreaker?: {status: string; failureCount?: number; threshold?: number};
	rollback?: {reason?: string; startedAt?: number};
	taskDefinition?: string;
};

export type ServiceHistory = {
	serviceArn?: string;
	deployments: ServiceDeploymentRow[];
	/** Tasks that stopped recently (ECS shows them for about an hour), newest first, with why. */
	stoppedTasks: TaskView[];
	reasons: FailureReason[];
};

/**
 * The ECS side of an environment's history: the service's deployments (newest first) with their outcome
 * and circuit breaker, and the tasks that stopped recently and why.
 */
export async function serviceHistory(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<ServiceHistory> {
	const {aws, context} = await connect(deps, target, host);
	const stack = await describeStack({...context, aws}, stackNameFor(recipe, environment, target.cluster, target.region));
	const serviceArn = stackOutputs(stack)['ServiceArn'];
	if (!serviceArn) return {deployments: [], stoppedTasks: [], reasons: []};
	const listed = await callAws(context, 'ListServiceDeployments', () => aws.ecs.listServiceDeployments({cluster: target.cluster, service: serviceArn, maxResults: 20}));
	const arns = (listed.serviceDeployments ?? []).map(d => d.serviceDeploymentArn ?? '').filter(Boolean);
	const described = arns.length === 0 ? {serviceDeployments: []} : await callAws(context, 'DescribeServiceDeployments', () => aws.ecs.describeServiceDeployments({serviceDeploymentArns: arns}));
	const details = new Map((described.serviceDeployments ?? []).map(d => [d.serviceDeploymentArn ?? '', d]));
	const deployments: ServiceDeploymentRow[] = (listed.serviceDeployments ?? []).map(d => {
		const more = details.get(d.serviceDeploymentArn ?? '');
		const breaker = more?.deploymentCircuitBreaker;
		return {
			arn: d.serviceDeploymentArn ?? '',
			status: d.status ?? '',
			...(d.statusReason ? {statusReason: d.statusReason} : {}),
			...(d.createdAt ? {createdAt: new Date(d.createdAt).getTime()} : {}),
			...(d.finishedAt ? {finishedAt: new Date(d.finishedAt).getTime()} : {}),
			...(breaker?.status ? {circuitBreaker: {status: breaker.status, ...(breaker.failureCount === undefined ? {} : {failureCount: breaker.failureCount}), ...(breaker.threshold === undefined ? {} : {threshold: breaker.threshold})}} : {}),
			...(more?.rollback ? {rollback: {...(more.rollback.reason ? {reason: more.rollback.reason} : {}), ...(more.rollback.startedAt ? {startedAt: new Date(more.rollback.startedAt).getTime()} : {})}} : {}),
			...(more?.targetServiceRevision?.arn ? {taskDefinition: more.targetServiceRevision.arn} : {}),
		};
	});
	const stopped = await callAws(context, 'ListTasks', () => aws.ecs.listTasks({cluster: target.cluster, serviceName: serviceArn, desiredStatus: 'STOPPED'}));
	const taskArns = (stopped.taskArns ?? []).slice(0, 100);
	const tasks = taskArns.length === 0 ? [] : ((await callAws(context, 'DescribeTasks', () => aws.ecs.describeTasks({cluster: target.cluster, tasks: taskArns}))).tasks ?? []);
	const stoppedTasks = tasks.map(taskView).sort((a, b) => (b.stoppedAt ?? 0) - (a.stoppedAt ?? 0));
	return {serviceArn, deployments, stoppedTasks, reasons: taskReasons(stoppedTasks)};
}
