import {describe, expect, test} from 'vitest';
import {fargateTemplate, sandbox} from './sandbox-driver.js';

/*
 * The sandbox plays blue/green, canary and linear deployments through ECS's lifecycle stages, and a PAUSE
 * hook that waits (AWAITING_ACTION) until ContinueServiceDeployment or its timeout, with the stack
 * UPDATE_IN_PROGRESS all the while.
 */

const tg = (name: string, id: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/${id}`;
const rule = (n: number) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/demo/0123456789abcdef/${n}123456789abcdef/${n}223456789abcdef`;

/** The demo template deploying `tag` with a traffic-shifting strategy. */
function shifting(tag: string, configuration: Record<string, unknown>, testRule = true): string {
	return fargateTemplate(t => {
		t.Parameters['ImageTagWeb'] = {Type: 'String', Default: tag};
		const service = t.Resources['Service']!.Properties;
		service['LoadBalancers'] = [
			{
				ContainerName: 'web',
				ContainerPort: 80,
				TargetGroupArn: tg('demo-blue', '0123456789abcdef'),
				AdvancedConfiguration: {AlternateTargetGroupArn: tg('demo-green', '1123456789abcdef'), ProductionListenerRule: rule(1), ...(testRule ? {TestListenerRule: rule(2)} : {}), RoleArn: 'arn:aws:iam::123456789012:role/ecsInfra'},
			},
		];
		Object.assign(service['DeploymentConfiguration'] as Record<string, unknown>, configuration);
	});
}

const pause = (stage: string, timeoutMinutes: number, action = 'ROLLBACK') => ({LifecycleHooks: [{TargetType: 'PAUSE', LifecycleStages: [stage], TimeoutConfiguration: {TimeoutInMinutes: timeoutMinutes, Action: action}}]});

/** A sandbox with the demo service running 1.3.0, and helpers to read its newest service deployment. */
async function running() {
	const driver = sandbox();
	await driver.apply('demo', fargateTemplate(t => void (t.Parameters['ImageTagWeb'] = {Type: 'String', Default: '1.3.0'})));
	const service = async () => (await driver.aws.ecs.describeServices({cluster: 'sandbox', services: ['demo-Service-4Fk3']})).services![0]!;
	const newest = async () => {
		const listed = await driver.aws.ecs.listServiceDeployments({cluster: 'sandbox', service: 'demo-Service-4Fk3'});
		const arn = listed.serviceDeployments![0]!.serviceDeploymentArn!;
		return (await driver.aws.ecs.describeServiceDeployments({serviceDeploymentArns: [arn]})).serviceDeployments![0]!;
	};
	/** Moves the clock a second at a time, noting each stage the newest deployment enters. */
	const stagesFor = async (seconds: number, seen: string[] = []) => {
		for (let i = 0; i < seconds; i++) {
			driver.advance(1000);
			const stage = (await newest()).lifecycleStage;
			if (stage && seen.at(-1) !== stage) seen.push(stage);
		}
		return seen;
	};
	const stackStatus = async () => (await driver.aws.cloudFormation.describeStacks({StackName: 'demo'})).Stacks![0]!.StackStatus;
	return {...driver, service, newest, stagesFor, stackStatus};
}

describe('blue/green with an approval gate', () => {
	test('it waits at POST_TEST_TRAFFIC_SHIFT with the hook AWAITING_ACTION; CONTINUE plays the rest and the stack completes', async () => {
		const s = await running();
		await s.apply('demo', shifting('1.4.0', {Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 5, ...pause('POST_TEST_TRAFFIC_SHIFT', 60)}), {wait: 0});
		const stages = await s.stagesFor(30);
		expect(stages).toEqual(['PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT']);
		const waiting = await s.newest();
		expect(waiting).toMatchObject({status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', targetServiceRevision: {requestedTaskCount: 1, runningTaskCount: 1}});
		expect(waiting.lifecycleHookDetails).toEqual([{hookId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{12}$/), targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: expect.any(Date), timeoutAction: 'ROLLBACK'}]);
		// It keeps waiting: the stack too.
		await s.stagesFor(120);
		expect((await s.newest()).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
		expect(await s.stackStatus()).toBe('UPDATE_IN_PROGRESS');
		// Both revisions run: the old one serves production.
		expect((await s.service()).deployments!.map(d => d.status)).toEqual(['PRIMARY', 'ACTIVE']);

		const hookId = waiting.lifecycleHookDetails![0]!.hookId!;
		await s.aws.ecs.continueServiceDeployment({serviceDeploymentArn: waiting.serviceDeploymentArn!, hookId, action: 'CONTINUE'});
		expect((await s.newest()).lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
		expect(await s.stagesFor(40, ['POST_TEST_TRAFFIC_SHIFT'])).toEqual(['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);
		expect((await s.newest()).status).toBe('SUCCESSFUL');
		expect(await s.stackStatus()).toBe('UPDATE_COMPLETE');
		const service = await s.service();
		expect(service.deployments).toEqual([expect.objectContaining({status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/:2$/)})]);
		// Answered once: it cannot be answered again.
		await expect(s.aws.ecs.continueServiceDeployment({serviceDeploymentArn: waiting.serviceDeploymentArn!, hookId, action: 'CONTINUE'})).rejects.toMatchObject({name: 'InvalidParameterException', message: expect.stringContaining('is not awaiting action')});
	});

	test('ROLLBACK: production stays on the old revision, the new tasks stop, and the stack rolls back', async () => {
		const s = await running();
		await s.apply('demo', shifting('1.4.0', {Strategy: 'BLUE_GREEN', ...pause('POST_TEST_TRAFFIC_SHIFT', 60)}), {wait: 0});
		await s.stagesFor(30);
		const waiting = await s.newest();
		await s.aws.ecs.continueServiceDeployment({serviceDeploymentArn: waiting.serviceDeploymentArn!, hookId: waiting.lifecycleHookDetails![0]!.hookId!, action: 'ROLLBACK'});
		// ECS's status names: requested, in progress, successful.
		expect(await s.newest()).toMatchObject({status: 'ROLLBACK_REQUESTED', lifecycleHookDetails: [expect.objectContaining({status: 'FAILED'})]});
		s.advance(1000);
		expect((await s.newest()).status).toBe('ROLLBACK_IN_PROGRESS');
		s.advance(30_000);
		expect(await s.stackStatus()).toBe('UPDATE_ROLLBACK_COMPLETE');
		expect((await s.newest()).status).toBe('ROLLBACK_SUCCESSFUL');
		const service = await s.service();
		expect(service.deployments).toEqual([expect.objectContaining({status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/:1$/)})]);
		const failed = (await s.events('demo')).find(e => e.ResourceStatus === 'UPDATE_FAILED');
		expect(failed).toMatchObject({LogicalResourceId: 'Service', ResourceStatusReason: expect.stringContaining('rolled back by a lifecycle hook')});
	});

	test('nobody answers: at the timeout ECS takes the hook\'s action (ROLLBACK, or CONTINUE)', async () => {
		const rolledBack = await running();
		await rolledBack.apply('demo', shifting('1.4.0', {Strategy: 'BLUE_GREEN', ...pause('POST_TEST_TRAFFIC_SHIFT', 2)}), {wait: 0});
		await rolledBack.stagesFor(20);
		rolledBack.advance(120_000);
		expect(await rolledBack.newest()).toMatchObject({status: expect.stringMatching(/^ROLLBACK_(REQUESTED|IN_PROGRESS)$/), lifecycleHookDetails: [expect.objectContaining({status: 'TIMED_OUT'})]});
		rolledBack.advance(30_000);
		expect(await rolledBack.stackStatus()).toBe('UPDATE_ROLLBACK_COMPLETE');

		const continued = await running();
		await continued.apply('demo', shifting('1.4.0', {Strategy: 'BLUE_GREEN', ...pause('POST_TEST_TRAFFIC_SHIFT', 2, 'CONTINUE')}), {wait: 0});
		await continued.stagesFor(20);
		continued.advance(120_000);
		continued.advance(40_000);
		expect(await continued.stackStatus()).toBe('UPDATE_COMPLETE');
	});

	test('a cancelled update takes the waiting deployment back too', async () => {
		const s = await running();
		await s.apply('demo', shifting('1.4.0', {Strategy: 'BLUE_GREEN', ...pause('POST_TEST_TRAFFIC_SHIFT', 60)}), {wait: 0});
		await s.stagesFor(30);
		await s.aws.cloudFormation.cancelUpdateStack({StackName: 'demo'});
		s.advance(60_000);
		expect(await s.stackStatus()).toBe('UPDATE_ROLLBACK_COMPLETE');
		// The hook's timeout never fires into the restored service.
		s.advance(3_600_000);
		expect((await s.service()).deployments).toEqual([expect.objectContaining({status: 'PRIMARY', taskDefinition: expect.stringMatching(/:1$/)})]);
	});
});

describe('canary and linear', () => {
	test('canary: the canary share of production traffic first, then the rest, each step a PRODUCTION_TRAFFIC_SHIFT', async () => {
		const s = await running();
		await s.apply('demo', shifting('1.4.0', {Strategy: 'CANARY', CanaryConfiguration: {CanaryPercent: 10, CanaryBakeTimeInMinutes: 5}, BakeTimeInMinutes: 2}, false), {wait: 0});
		expect(await s.stagesFor(60)).toEqual(['PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);
		expect(await s.stackStatus()).toBe('UPDATE_COMPLETE');
	});

	test('linear: a pause before every production step waits at each', async () => {
		const s = await running();
		await s.apply('demo', shifting('1.4.0', {Strategy: 'LINEAR', LinearConfiguration: {StepPercent: 50, StepBakeTimeInMinutes: 1}, ...pause('PRE_PRODUCTION_TRAFFIC_SHIFT', 30)}, false), {wait: 0});
		for (let step = 0; step < 2; step++) {
			await s.stagesFor(20);
			const waiting = await s.newest();
			expect(waiting.lifecycleStage).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT');
			const hook = waiting.lifecycleHookDetails!.find(h => h.status === 'AWAITING_ACTION')!;
			await s.aws.ecs.continueServiceDeployment({serviceDeploymentArn: waiting.serviceDeploymentArn!, hookId: hook.hookId!, action: 'CONTINUE'});
		}
		s.advance(30_000);
		expect(await s.stackStatus()).toBe('UPDATE_COMPLETE');
	});
});
