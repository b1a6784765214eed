import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {taskReasons, type FailureReason} from '../../domain/failures.js';
import type {Target} from '../../domain/records.js';
import {callAws} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {lifecycleStagesFor} from '../../domain/lifecycle.js';
import type {ServiceDeployment} from '../../aws/ports.js';
import {listeningHost, type EngineHost, type LifecycleView, type TaskView} from '../core/host.js';
import {taskView} from '../monitor/service-watch.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {stackNameFor} from '../core/stack-names.js';
import {stackOutputs} from '../core/stack-results.js';

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
	/**
	 * Blue/green, canary and linear deployments: the strategy, the stages such a deployment goes through, the
	 * lifecycle stage ECS last reported (where it ended, or where it is) and its PAUSE hooks (the approval gate).
	 */
	lifecycle?: {strategy: LifecycleView['strategy']; stage?: string; stages: string[]; hooks: Array<{status: string; timeoutAction?: string}>};
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
	const stack = await describeStack({...context, aws}, stackNameFor(recipe, environment, target));
	const serviceArn = stackOutputs(stack)['ServiceArn'];
	if (!serviceArn) return {deployments: [], stoppedTasks: [], reasons: []};
	const listed = await callAws(context, 'ListServiceDeployments', () => aws.ecs.listServiceDeployments({cluster: target.cluster, service: serviceArn, maxResults: 20}));
	const arns = (listed.serviceDeployments ?? []).map(d => d.serviceDeploymentArn ?? '').filter(Boolean);
	const described = arns.length === 0 ? {serviceDeployments: []} : await callAws(context, 'DescribeServiceDeployments', () => aws.ecs.describeServiceDeployments({serviceDeploymentArns: arns}));
	const details = new Map((described.serviceDeployments ?? []).map(d => [d.serviceDeploymentArn ?? '', d]));
	const testTraffic = hasTestListener(recipe);
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
			...lifecycleOf(more, testTraffic),
		};
	});
	const stopped = await callAws(context, 'ListTasks', () => aws.ecs.listTasks({cluster: target.cluster, serviceName: serviceArn, desiredStatus: 'STOPPED'}));
	const taskArns = (stopped.taskArns ?? []).slice(0, 100);
	const tasks = taskArns.length === 0 ? [] : ((await callAws(context, 'DescribeTasks', () => aws.ecs.describeTasks({cluster: target.cluster, tasks: taskArns}))).tasks ?? []);
	const stoppedTasks = tasks.map(taskView).sort((a, b) => (b.stoppedAt ?? 0) - (a.stoppedAt ?? 0));
	return {serviceArn, deployments, stoppedTasks, reasons: taskReasons(stoppedTasks)};
}

/** The strategies whose deployments have lifecycle stages, as DeploymentConfiguration names them. */
const strategies: Readonly<Record<string, LifecycleView['strategy']>> = {BLUE_GREEN: 'blue-green', CANARY: 'canary', LINEAR: 'linear'};

/** A blue/green, canary or linear deployment's lifecycle, as DescribeServiceDeployments tells it. */
function lifecycleOf(deployment: ServiceDeployment | undefined, testTraffic: boolean): Pick<ServiceDeploymentRow, 'lifecycle'> {
	const strategy = strategies[deployment?.deploymentConfiguration?.strategy ?? ''];
	if (!deployment || !strategy) return {};
	const stage = deployment.lifecycleStage;
	// A deployment that reached a test stage had test traffic, whatever the recipe says today.
	const tested = testTraffic || stage === 'TEST_TRAFFIC_SHIFT' || stage === 'POST_TEST_TRAFFIC_SHIFT';
	const hooks = (deployment.lifecycleHookDetails ?? []).filter(h => h.targetType !== 'AWS_LAMBDA').map(h => ({status: h.status ?? '', ...(h.timeoutAction ? {timeoutAction: h.timeoutAction} : {})}));
	return {lifecycle: {strategy, ...(stage ? {stage} : {}), stages: lifecycleStagesFor(strategy, tested), hooks}};
}

/** Whether the recipe's load balancers carry test traffic (a test listener rule): blue/green's test stages. */
function hasTestListener(recipe: RecipeDocument): boolean {
	const balancers = recipe.service['loadBalancers'];
	return Array.isArray(balancers) && balancers.some(lb => typeof lb === 'object' && lb !== null && (lb as Record<string, unknown>)['testListenerRule'] !== undefined);
}
