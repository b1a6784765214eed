import type {ServiceSpec} from '../recipe/schema.js';
import {requestCountLabel} from '../recipe/scaling-rules.js';
import type {CfnResource, CfnValue, Tag} from './types.js';

export const scalableTargetId = 'ScalableTarget';

/** The policies target tracking makes, by the recipe field that asks for each. */
const metrics = {
	targetCpu: {id: 'CpuScalingPolicy', type: 'ECSServiceAverageCPUUtilization', name: 'cpu'},
	targetMemory: {id: 'MemoryScalingPolicy', type: 'ECSServiceAverageMemoryUtilization', name: 'memory'},
	requestsPerTarget: {id: 'RequestsScalingPolicy', type: 'ALBRequestCountPerTarget', name: 'requests'},
} as const;

/**
 * Application Auto Scaling of the service's task count: a scalable target (ecs:service:DesiredCount of the
 * service, between min and max, with the scheduled actions) and a target-tracking policy per metric. The
 * target names the service by `service/<cluster>/<service name>`; it is made after the service (the
 * reference orders it). Application Auto Scaling uses its service-linked role for ECS (no RoleARN).
 */
export function scalingResources(service: ServiceSpec, tags: Tag[]): Record<string, CfnResource> {
	const scaling = service.autoScaling;
	if (!scaling) return {};
	const resources: Record<string, CfnResource> = {
		[scalableTargetId]: {
			Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
			Properties: {
				ServiceNamespace: 'ecs',
				ScalableDimension: 'ecs:service:DesiredCount',
				ResourceId: {'Fn::Sub': 'service/${ClusterName}/${Service.Name}'},
				MinCapacity: scaling.min,
				MaxCapacity: scaling.max,
				...(scaling.schedule.length > 0
					? {
							ScheduledActions: scaling.schedule.map(action => ({
								ScheduledActionName: action.name,
								Schedule: action.cron,
								ScalableTargetAction: {...(action.min === undefined ? {} : {MinCapacity: action.min}), ...(action.max === undefined ? {} : {MaxCapacity: action.max})},
								...(action.timezone === undefined ? {} : {Timezone: action.timezone}),
							})),
						}
					: {}),
				Tags: tags,
			},
		},
	};
	for (const [field, metric] of Object.entries(metrics) as Array<[keyof typeof metrics, (typeof metrics)[keyof typeof metrics]]>) {
		const target = scaling[field];
		if (target === undefined) continue;
		const label = field === 'requestsPerTarget' ? requestCountLabel(service) : undefined;
		const configuration: Record<string, CfnValue> = {
			TargetValue: target,
			PredefinedMetricSpecification: {PredefinedMetricType: metric.type, ...(label === undefined ? {} : {ResourceLabel: label})},
			...(scaling.scaleInCooldown === undefined ? {} : {ScaleInCooldown: scaling.scaleInCooldown}),
			...(scaling.scaleOutCooldown === undefined ? {} : {ScaleOutCooldown: scaling.scaleOutCooldown}),
		};
		resources[metric.id] = {
			Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
			Properties: {
				PolicyName: {'Fn::Sub': `\${AWS::StackName}-${metric.name}`},
				PolicyType: 'TargetTrackingScaling',
				ScalingTargetId: {Ref: scalableTargetId},
				TargetTrackingScalingPolicyConfiguration: configuration,
			},
		};
	}
	return resources;
}
