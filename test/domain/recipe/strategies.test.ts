import {describe, expect, test} from 'vitest';
import {buildTemplate} from '../../../source/domain/template/build.js';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';
import {errorLines, minimalRecipe, resolveObject} from '../../helpers/recipes.js';

/*
 * Deployment strategies in the recipe: what each needs is checked with the field named, the template is
 * clean against the CloudFormation resource specification, and an environment may deploy its own way.
 */

const tg = (name: string, id = '0123456789abcdef') => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/${name}/${id}`;
const rule = (n: number) => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/shop/0123456789abcdef/${n}123456789abcdef/${n}223456789abcdef`;
const role = 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers';

/** The minimal recipe behind a load balancer, ready for a traffic-shifting strategy. */
function blueGreenRecipe(deployment: Record<string, unknown> = {}): Record<string, any> {
	const recipe = minimalRecipe();
	recipe['service'].loadBalancers = [{container: 'web', port: 80, targetGroupArn: tg('shop-blue'), alternateTargetGroupArn: tg('shop-green', '1123456789abcdef'), productionListenerRule: rule(1), testListenerRule: rule(2)}];
	recipe['service'].deployment = {strategy: 'blue-green', bakeTimeMinutes: 10, infrastructureRole: role, ...deployment};
	return recipe;
}

function build(recipe: Record<string, any>, environment = 'dev') {
	const {resolved, problems} = resolveObject(recipe, {environment, images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
	if (!resolved) throw new Error(JSON.stringify(problems));
	const template = buildTemplate(resolved).template;
	expect(checkTemplateAgainstSpec(template)).toEqual([]);
	return {service: template.Resources['Service']!.Properties as Record<string, any>, problems};
}

const errors = (recipe: Record<string, any>, environment = 'dev') => errorLines(resolveObject(recipe, {environment}).problems);

describe('blue-green', () => {
	test('the strategy, bake time, approval hook and each load balancer routing reach the service', () => {
		const {service, problems} = build(blueGreenRecipe({approval: {stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutMinutes: 30}}));
		expect(problems).toEqual([]);
		expect(service['DeploymentConfiguration']).toMatchObject({
			Strategy: 'BLUE_GREEN',
			BakeTimeInMinutes: 10,
			LifecycleHooks: [{TargetType: 'PAUSE', LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], TimeoutConfiguration: {TimeoutInMinutes: 30, Action: 'ROLLBACK'}}],
		});
		expect(service['LoadBalancers']).toEqual([
			{
				ContainerName: 'web',
				ContainerPort: 80,
				TargetGroupArn: tg('shop-blue'),
				AdvancedConfiguration: {AlternateTargetGroupArn: tg('shop-green', '1123456789abcdef'), ProductionListenerRule: rule(1), TestListenerRule: rule(2), RoleArn: role},
			},
		]);
	});

	test('an approval with its defaults waits after the test traffic shift for an hour, then rolls back; onTimeout continue goes on', () => {
		expect(build(blueGreenRecipe({approval: {}})).service['DeploymentConfiguration'].LifecycleHooks).toEqual([
			{TargetType: 'PAUSE', LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], TimeoutConfiguration: {TimeoutInMinutes: 60, Action: 'ROLLBACK'}},
		]);
		expect(build(blueGreenRecipe({approval: {stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', onTimeout: 'continue'}})).service['DeploymentConfiguration'].LifecycleHooks[0].TimeoutConfiguration.Action).toBe('CONTINUE');
	});

	test('what it needs is named field by field', () => {
		const recipe = blueGreenRecipe();
		recipe['service'].deployment.infrastructureRole = undefined;
		recipe['service'].loadBalancers[0] = {container: 'web', port: 80, targetGroupArn: tg('shop-blue')};
		expect(errors(recipe)).toEqual([
			'service.deployment.infrastructureRole: blue-green needs the IAM role ECS uses to change the listener rules (trusting ecs.amazonaws.com, e.g. with AmazonECSInfrastructureRolePolicyForLoadBalancers)',
			'service.loadBalancers[0].alternateTargetGroupArn: blue-green needs a second target group for the new revision',
			'service.loadBalancers[0].productionListenerRule: blue-green needs the listener rule (ALB) or listener (NLB) that carries production traffic',
			'service.loadBalancers[0].testListenerRule: blue-green tests the new revision before it takes production traffic: give the listener rule (or listener) that carries test traffic',
		]);
		const noBalancer = blueGreenRecipe();
		noBalancer['service'].loadBalancers = [];
		expect(errors(noBalancer)).toContain(
			'service.deployment.strategy: blue-green shifts load balancer traffic from the old revision to the new one: add a loadBalancers entry with its alternateTargetGroupArn and productionListenerRule',
		);
	});

	test('the alternate target group and the test rule must differ from the production ones', () => {
		const recipe = blueGreenRecipe();
		Object.assign(recipe['service'].loadBalancers[0], {alternateTargetGroupArn: tg('shop-blue'), testListenerRule: rule(1)});
		expect(errors(recipe)).toEqual([
			'service.loadBalancers[0].alternateTargetGroupArn: must be another target group than targetGroupArn: the two revisions take turns in them',
			'service.loadBalancers[0].testListenerRule: must be another listener rule than productionListenerRule',
		]);
	});

	test('ARNs of the wrong kind are refused with what is expected', () => {
		const recipe = blueGreenRecipe();
		recipe['service'].loadBalancers[0].productionListenerRule = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/0123456789abcdef';
		expect(errors(recipe)[0]).toMatch(/^service\.loadBalancers\[0\]\.productionListenerRule: must be a listener rule ARN like arn:aws:elasticloadbalancing:.*:listener-rule\/app\//);
		recipe['service'].loadBalancers[0].productionListenerRule = rule(1);
		recipe['service'].deployment.infrastructureRole = 'ecsInfrastructureRole';
		expect(errors(recipe)).toEqual(['service.deployment.infrastructureRole: must be an IAM role ARN like arn:aws:iam::123456789012:role/my-role']);
	});
});

describe('the approval gate', () => {
	test.each([
		['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'],
		['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
	])('cannot pause at %s: it says to use %s', (stage, instead) => {
		expect(errors(blueGreenRecipe({approval: {stage}}))).toEqual([`service.deployment.approval.stage: ECS cannot pause at ${stage} (only Lambda hooks run there): use ${instead}, once the traffic has shifted`]);
	});

	test('needs a strategy with lifecycle stages', () => {
		const recipe = minimalRecipe();
		recipe['service'].deployment = {approval: {}};
		expect(errors(recipe)).toEqual(['service.deployment.approval: a rolling update has no lifecycle stages to wait at: the approval gate needs the blue-green, canary or linear strategy']);
	});

	test('the timeout is 1–1440 minutes and the action rollback or continue', () => {
		expect(errors(blueGreenRecipe({approval: {timeoutMinutes: 1441}}))).toEqual(['service.deployment.approval.timeoutMinutes: must be at most 1440']);
		expect(errors(blueGreenRecipe({approval: {onTimeout: 'wait'}}))).toEqual(['service.deployment.approval.onTimeout: must be one of "rollback", "continue", got "wait"']);
	});

	test('an approval at a test stage needs a test listener rule, in canary and linear too', () => {
		const recipe = blueGreenRecipe({strategy: 'canary', approval: {}});
		delete recipe['service'].loadBalancers[0].testListenerRule;
		expect(errors(recipe)).toEqual(['service.loadBalancers[0].testListenerRule: the approval waits after test traffic reaches the new revision: give the listener rule (or listener) that carries test traffic']);
		recipe['service'].deployment.approval = {stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT'};
		expect(errors(recipe)).toEqual([]);
	});

	test('a deploy that gives up before the approval times out is warned about', () => {
		const recipe = blueGreenRecipe({approval: {timeoutMinutes: 60}});
		recipe['service'].wait = {timeoutMinutes: 30};
		const {problems} = resolveObject(recipe);
		expect(problems).toEqual([expect.objectContaining({severity: 'warning', path: 'service.wait.timeoutMinutes', message: expect.stringContaining('before the approval\'s 60 min are up')})]);
	});
});

describe('canary and linear', () => {
	test('their traffic steps reach the service', () => {
		expect(build(blueGreenRecipe({strategy: 'canary', canary: {percent: 12.5, bakeTimeMinutes: 15}})).service['DeploymentConfiguration']).toMatchObject({
			Strategy: 'CANARY',
			CanaryConfiguration: {CanaryPercent: 12.5, CanaryBakeTimeInMinutes: 15},
		});
		expect(build(blueGreenRecipe({strategy: 'linear', linear: {stepPercent: 25, stepBakeTimeMinutes: 3}})).service['DeploymentConfiguration']).toMatchObject({
			Strategy: 'LINEAR',
			LinearConfiguration: {StepPercent: 25, StepBakeTimeInMinutes: 3},
		});
	});

	test('percentages are tenths in range; settings of another strategy are refused', () => {
		expect(errors(blueGreenRecipe({strategy: 'canary', canary: {percent: 0.05}}))).toEqual(['service.deployment.canary.percent: must be at least 0.1']);
		expect(errors(blueGreenRecipe({strategy: 'canary', canary: {percent: 2.55}}))).toEqual(['service.deployment.canary.percent: 2.55 is not a multiple of 0.1 (ECS shifts traffic in tenths of a percent)']);
		expect(errors(blueGreenRecipe({strategy: 'linear', linear: {stepPercent: 2}}))).toEqual(['service.deployment.linear.stepPercent: must be at least 3']);
		expect(errors(blueGreenRecipe({strategy: 'linear', linear: {stepBakeTimeMinutes: 1441}}))).toEqual(['service.deployment.linear.stepBakeTimeMinutes: must be at most 1440']);
		expect(errors(blueGreenRecipe({canary: {percent: 10}}))).toEqual(['service.deployment.canary: applies to the canary strategy only; the strategy is blue-green']);
		expect(errors(blueGreenRecipe({strategy: 'nightly'}))[0]).toBe('service.deployment.strategy: must be one of "rolling", "blue-green", "canary", "linear", got "nightly"');
	});
});

describe('per environment', () => {
	test('an environment deploys its own way; the service keeps its load balancer settings for the others', () => {
		const recipe = blueGreenRecipe();
		recipe['environments'] = [
			{name: 'dev', deployment: {strategy: 'rolling'}},
			{name: 'staging', deployment: {strategy: 'canary', canary: {percent: 10}}},
			{name: 'production', deployment: {approval: {timeoutMinutes: 45}}},
		];
		const dev = build(recipe, 'dev').service;
		expect(dev['DeploymentConfiguration']).toMatchObject({Strategy: 'ROLLING'});
		// Rolling: no blue/green routing or bake time in the template.
		expect(dev['DeploymentConfiguration']).not.toHaveProperty('BakeTimeInMinutes');
		expect(dev['LoadBalancers'][0]).not.toHaveProperty('AdvancedConfiguration');
		expect(build(recipe, 'staging').service['DeploymentConfiguration']).toMatchObject({Strategy: 'CANARY', CanaryConfiguration: {CanaryPercent: 10}});
		expect(build(recipe, 'production').service['DeploymentConfiguration']).toMatchObject({Strategy: 'BLUE_GREEN', LifecycleHooks: [{TimeoutConfiguration: {TimeoutInMinutes: 45}}]});
	});

	test('a value an environment overrides is checked there, and its problems name the environment', () => {
		const recipe = blueGreenRecipe();
		recipe['environments'] = ['dev', 'staging', {name: 'production', deployment: {approval: {stage: 'TEST_TRAFFIC_SHIFT'}}}];
		expect(errors(recipe, 'production')).toEqual([
			'environments[2].deployment.approval.stage: ECS cannot pause at TEST_TRAFFIC_SHIFT (only Lambda hooks run there): use POST_TEST_TRAFFIC_SHIFT, once the traffic has shifted',
		]);
		recipe['environments'][2].deployment = {strategy: 'blue', approval: {}};
		expect(errors(recipe, 'production')).toEqual(['environments[2].deployment.strategy: must be one of "rolling", "blue-green", "canary", "linear", got "blue"']);
		recipe['environments'][2].deployment = {replicas: 3};
		expect(errors(recipe, 'production')).toEqual(['environments[2].deployment.replicas: is not a known field (check the spelling; docs/recipe.md lists every field)']);
	});

	test('environment deployment settings may use variables', () => {
		const recipe = blueGreenRecipe();
		recipe['variables'] = [{name: 'Strategy', value: 'linear', environments: ['staging']}, {name: 'Strategy', value: 'blue-green'}];
		recipe['environments'] = ['dev', {name: 'staging', deployment: {strategy: '#{Strategy}'}}, 'production'];
		expect(build(recipe, 'staging').service['DeploymentConfiguration'].Strategy).toBe('LINEAR');
	});
});
