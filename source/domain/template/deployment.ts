import type {DeploymentStrategy, ServiceSpec} from '../recipe/schema.js';
import {shiftsTraffic} from '../recipe/strategy-rules.js';
import type {CfnValue} from './types.js';

/** The strategy as ECS names it (DeploymentConfiguration.Strategy). */
export const ecsStrategy: Readonly<Record<DeploymentStrategy, string>> = {rolling: 'ROLLING', 'blue-green': 'BLUE_GREEN', canary: 'CANARY', linear: 'LINEAR'};

/**
 * The service's `DeploymentConfiguration`: the rolling percentages and circuit breaker as before, and when the
 * recipe says so the strategy, its bake times and traffic steps, deployment alarms, and the approval gate as a
 * PAUSE lifecycle hook (ECS waits at that stage until ContinueServiceDeployment, or the hook's timeout).
 */
export function deploymentConfiguration(service: ServiceSpec): Record<string, CfnValue> {
	const {deployment} = service;
	const {canary, linear, approval} = deployment;
	return {
		MinimumHealthyPercent: deployment.minimumHealthyPercent,
		MaximumPercent: deployment.maximumPercent,
		DeploymentCircuitBreaker: {Enable: deployment.circuitBreaker.enabled, Rollback: deployment.circuitBreaker.rollback},
		...(deployment.alarms === undefined ? {} : {Alarms: {AlarmNames: deployment.alarms.names, Enable: deployment.alarms.enabled, Rollback: deployment.alarms.rollback}}),
		...(deployment.strategy === undefined ? {} : {Strategy: ecsStrategy[deployment.strategy]}),
		...(deployment.bakeTimeMinutes === undefined || !shiftsTraffic(service) ? {} : {BakeTimeInMinutes: deployment.bakeTimeMinutes}),
		...(canary === undefined
			? {}
			: {
					CanaryConfiguration: {
						...(canary.percent === undefined ? {} : {CanaryPercent: canary.percent}),
						...(canary.bakeTimeMinutes === undefined ? {} : {CanaryBakeTimeInMinutes: canary.bakeTimeMinutes}),
					},
				}),
		...(linear === undefined
			? {}
			: {
					LinearConfiguration: {
						...(linear.stepPercent === undefined ? {} : {StepPercent: linear.stepPercent}),
						...(linear.stepBakeTimeMinutes === undefined ? {} : {StepBakeTimeInMinutes: linear.stepBakeTimeMinutes}),
					},
				}),
		...(approval === undefined
			? {}
			: {
					LifecycleHooks: [
						{
							TargetType: 'PAUSE',
							LifecycleStages: [approval.stage],
							TimeoutConfiguration: {TimeoutInMinutes: approval.timeoutMinutes, Action: approval.onTimeout === 'continue' ? 'CONTINUE' : 'ROLLBACK'},
						},
					],
				}),
	};
}

/**
 * A load balancer of the service, with its blue/green routing (`AdvancedConfiguration`) when the strategy
 * shifts traffic (a rolling service leaves it out, so one recipe can roll in dev and shift traffic elsewhere).
 */
export function loadBalancer(service: ServiceSpec, lb: ServiceSpec['loadBalancers'][number]): Record<string, CfnValue> {
	const advanced =
		lb.alternateTargetGroupArn === undefined || !shiftsTraffic(service)
			? undefined
			: {
					AlternateTargetGroupArn: lb.alternateTargetGroupArn,
					...(lb.productionListenerRule === undefined ? {} : {ProductionListenerRule: lb.productionListenerRule}),
					...(lb.testListenerRule === undefined ? {} : {TestListenerRule: lb.testListenerRule}),
					...(service.deployment.infrastructureRole === undefined ? {} : {RoleArn: service.deployment.infrastructureRole}),
				};
	return {ContainerName: lb.container, ContainerPort: lb.port, TargetGroupArn: lb.targetGroupArn, ...(advanced === undefined ? {} : {AdvancedConfiguration: advanced})};
}
