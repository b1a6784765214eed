import {describe, expect, test} from 'vitest';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';
import {errorLines, minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/* service.autoScaling: a scalable target and target-tracking policies; the template leaves the count to the scaler. */

const tg = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop-web/0123456789abcdef';
const alb = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/1123456789abcdef';

function recipeWith(autoScaling: Record<string, unknown>, change: (r: Record<string, any>) => void = () => {}) {
	const recipe = minimalRecipe();
	recipe['service'].autoScaling = autoScaling;
	change(recipe);
	return recipe;
}

function built(recipe: Record<string, any>) {
	const {resolved, problems} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
	if (!resolved) throw new Error(JSON.stringify(problems));
	const template = buildTemplate(resolved).template;
	expect(checkTemplateAgainstSpec(template)).toEqual([]);
	return template.Resources;
}

const errors = (recipe: Record<string, any>) => errorLines(resolveObject(recipe).problems);

describe('autoScaling in the template', () => {
	test('a scalable target on the service\'s desired count, a policy per metric, the scheduled actions; no DesiredCount', () => {
		const resources = built(
			recipeWith({min: 2, max: 8, targetCpu: 60, targetMemory: 75, requestsPerTarget: 500, loadBalancer: alb, scaleOutCooldown: 60, schedule: [{name: 'nights', cron: 'cron(0 22 * * ? *)', max: 2, timezone: 'Europe/Berlin'}]}, r => {
				r['service'].loadBalancers = [{container: 'web', port: 80, targetGroupArn: tg}];
			}),
		);
		expect(resources['ScalableTarget']).toMatchObject({
			Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
			Properties: {
				ServiceNamespace: 'ecs',
				ScalableDimension: 'ecs:service:DesiredCount',
				ResourceId: {'Fn::Sub': 'service/${ClusterName}/${Service.Name}'},
				MinCapacity: 2,
				MaxCapacity: 8,
				ScheduledActions: [{ScheduledActionName: 'nights', Schedule: 'cron(0 22 * * ? *)', ScalableTargetAction: {MaxCapacity: 2}, Timezone: 'Europe/Berlin'}],
			},
		});
		const policy = (id: string) => resources[id]!.Properties as Record<string, any>;
		expect(policy('CpuScalingPolicy')).toEqual({
			PolicyName: {'Fn::Sub': '${AWS::StackName}-cpu'},
			PolicyType: 'TargetTrackingScaling',
			ScalingTargetId: {Ref: 'ScalableTarget'},
			TargetTrackingScalingPolicyConfiguration: {TargetValue: 60, PredefinedMetricSpecification: {PredefinedMetricType: 'ECSServiceAverageCPUUtilization'}, ScaleOutCooldown: 60},
		});
		expect(policy('MemoryScalingPolicy').TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType).toBe('ECSServiceAverageMemoryUtilization');
		expect(policy('RequestsScalingPolicy').TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification).toEqual({
			PredefinedMetricType: 'ALBRequestCountPerTarget',
			ResourceLabel: 'app/shop/1123456789abcdef/targetgroup/shop-web/0123456789abcdef',
		});
		// The scaler owns the count: a DesiredCount would reset it on every update.
		expect(resources['Service']!.Properties).not.toHaveProperty('DesiredCount');
	});

	test('without autoScaling: DesiredCount, and no scaling resources', () => {
		const resources = built(minimalRecipe());
		expect(resources['Service']!.Properties).toHaveProperty('DesiredCount', 1);
		expect(Object.keys(resources).filter(id => id.includes('Scal'))).toEqual([]);
	});
});

describe('autoScaling rules', () => {
	test('bounds: max not below min, and at least 1', () => {
		expect(errors(recipeWith({min: 3, max: 2, targetCpu: 50}))).toEqual(['service.autoScaling.max: 2 is below min (3)']);
		expect(errors(recipeWith({min: 0, max: 0, targetCpu: 50}))).toEqual(['service.autoScaling.max: must be at least 1: a service that may run no task cannot serve']);
		expect(errors(recipeWith({min: 1, max: 4, targetCpu: 101}))).toEqual(['service.autoScaling.targetCpu: must be at most 100']);
	});

	test('requestsPerTarget needs a load balancer, and the ALB to label it', () => {
		expect(errors(recipeWith({min: 1, max: 4, requestsPerTarget: 100}))).toEqual(['service.autoScaling.requestsPerTarget: counts ALB requests per task: the service needs a loadBalancers entry']);
		expect(errors(recipeWith({min: 1, max: 4, requestsPerTarget: 100}, r => (r['service'].loadBalancers = [{container: 'web', port: 80, targetGroupArn: tg}])))[0]).toMatch(/^service\.autoScaling\.loadBalancer: requestsPerTarget needs the ALB in front of the target group/);
	});

	test('scheduled actions: a valid schedule, a change, unique names', () => {
		expect(errors(recipeWith({min: 1, max: 4, schedule: [{name: 'a', cron: '0 8 * * *', min: 2}]}))[0]).toMatch(/^service\.autoScaling\.schedule\[0\]\.cron: must match /);
		expect(errors(recipeWith({min: 1, max: 4, schedule: [{name: 'a', cron: 'rate(1 day)'}, {name: 'a', cron: 'at(2027-01-01T00:00:00)', min: 3, max: 2}]}))).toEqual([
			'service.autoScaling.schedule[0]: changes nothing: give min, max or both',
			'service.autoScaling.schedule[1].name: "a" is already the name of another scheduled action',
			'service.autoScaling.schedule[1].max: 2 is below this action\'s min (3)',
		]);
	});

	test('a desiredCount outside the bounds, or no way to scale, is a warning', () => {
		const {problems} = resolveObject(recipeWith({min: 4, max: 6}), {environment: 'production'});
		expect(problems.map(p => `${p.severity} ${p.path}`)).toEqual(['warning service.autoScaling', 'warning service.desiredCount']);
	});
});
