import {error, formatPath, warning, type Problem} from '../problems.js';
import type {ServiceSpec} from './schema.js';

/*
 * What each deployment strategy needs. Blue/green, canary and linear deployments start the new revision next
 * to the old one and move load balancer traffic between two target groups, so each load balancer needs its
 * alternate target group and the listener rule that carries production traffic, and ECS needs a role to
 * change those rules (AdvancedConfiguration). Lifecycle hooks, and so the approval gate, exist only in these
 * deployments. Source: ECS API reference, DeploymentConfiguration, AdvancedConfiguration,
 * DeploymentLifecycleHook ("PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT
 * stages").
 */

const at = (...segments: Array<string | number>) => formatPath(['service', ...segments]);

/** Whether the strategy shifts traffic between two target groups (every strategy but rolling). */
export const shiftsTraffic = (service: Pick<ServiceSpec, 'deployment'>): boolean => (service.deployment.strategy ?? 'rolling') !== 'rolling';

/** Whether a percentage is a multiple of 0.1, as ECS takes them. */
const tenths = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;

export function checkStrategy(service: ServiceSpec): Problem[] {
	const {deployment} = service;
	const strategy = deployment.strategy ?? 'rolling';
	const problems: Problem[] = [];
	if (deployment.canary && strategy !== 'canary') problems.push(error(at('deployment', 'canary'), `applies to the canary strategy only; the strategy is ${strategy}`));
	if (deployment.linear && strategy !== 'linear') problems.push(error(at('deployment', 'linear'), `applies to the linear strategy only; the strategy is ${strategy}`));
	if (deployment.canary?.percent !== undefined && !tenths(deployment.canary.percent)) problems.push(error(at('deployment', 'canary', 'percent'), `${deployment.canary.percent} is not a multiple of 0.1 (ECS shifts traffic in tenths of a percent)`));
	if (deployment.linear?.stepPercent !== undefined && !tenths(deployment.linear.stepPercent)) problems.push(error(at('deployment', 'linear', 'stepPercent'), `${deployment.linear.stepPercent} is not a multiple of 0.1 (ECS shifts traffic in tenths of a percent)`));

	if (strategy === 'rolling') {
		// The blue/green settings (bake time, role, target groups, listener rules) may stay: an environment can
		// use another strategy with them (environments[].deployment). The template leaves them out here.
		if (deployment.approval) problems.push(error(at('deployment', 'approval'), 'a rolling update has no lifecycle stages to wait at: the approval gate needs the blue-green, canary or linear strategy'));
		return problems;
	}

	if (service.loadBalancers.length === 0) {
		problems.push(error(at('deployment', 'strategy'), `${strategy} shifts load balancer traffic from the old revision to the new one: add a loadBalancers entry with its alternateTargetGroupArn and productionListenerRule`));
	}
	if (deployment.infrastructureRole === undefined) {
		problems.push(error(at('deployment', 'infrastructureRole'), `${strategy} needs the IAM role ECS uses to change the listener rules (trusting ecs.amazonaws.com, e.g. with AmazonECSInfrastructureRolePolicyForLoadBalancers)`));
	}
	const approvalTests = deployment.approval !== undefined && deployment.approval.stage.includes('TEST_TRAFFIC');
	service.loadBalancers.forEach((lb, i) => {
		if (lb.alternateTargetGroupArn === undefined) problems.push(error(at('loadBalancers', i, 'alternateTargetGroupArn'), `${strategy} needs a second target group for the new revision`));
		else if (lb.alternateTargetGroupArn === lb.targetGroupArn) problems.push(error(at('loadBalancers', i, 'alternateTargetGroupArn'), 'must be another target group than targetGroupArn: the two revisions take turns in them'));
		if (lb.productionListenerRule === undefined) problems.push(error(at('loadBalancers', i, 'productionListenerRule'), `${strategy} needs the listener rule (ALB) or listener (NLB) that carries production traffic`));
		if (lb.testListenerRule === undefined && (strategy === 'blue-green' || approvalTests)) {
			const why = strategy === 'blue-green' ? 'blue-green tests the new revision before it takes production traffic' : 'the approval waits after test traffic reaches the new revision';
			problems.push(error(at('loadBalancers', i, 'testListenerRule'), `${why}: give the listener rule (or listener) that carries test traffic`));
		}
		if (lb.testListenerRule !== undefined && lb.testListenerRule === lb.productionListenerRule) problems.push(error(at('loadBalancers', i, 'testListenerRule'), 'must be another listener rule than productionListenerRule'));
	});
	problems.push(...checkApproval(service));
	return problems;
}

function checkApproval(service: ServiceSpec): Problem[] {
	const approval = service.deployment.approval;
	if (!approval) return [];
	const problems: Problem[] = [];
	if (approval.stage === 'TEST_TRAFFIC_SHIFT' || approval.stage === 'PRODUCTION_TRAFFIC_SHIFT') {
		const after = approval.stage === 'TEST_TRAFFIC_SHIFT' ? 'POST_TEST_TRAFFIC_SHIFT' : 'POST_PRODUCTION_TRAFFIC_SHIFT';
		problems.push(error(at('deployment', 'approval', 'stage'), `ECS cannot pause at ${approval.stage} (only Lambda hooks run there): use ${after}, once the traffic has shifted`));
	}
	const wait = service.wait;
	if (wait.mode === 'timeout' && wait.timeoutMinutes <= approval.timeoutMinutes) {
		problems.push(
			warning(at('wait', 'timeoutMinutes'), `the deploy gives up after ${wait.timeoutMinutes} min, before the approval's ${approval.timeoutMinutes} min are up: the update is cancelled while it waits for approval`),
		);
	}
	return problems;
}
