import {describe, expect, test} from 'vitest';
import {judgeServing, revisionOf, type DeploymentFacts, type ServiceFacts} from '../../source/domain/serving.js';

const td = (revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web-dev:${revision}`;
const deployment = (over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td(2), rolloutState: 'COMPLETED', running: 2, desired: 2, createdAt: 1000, ...over});
const service = (deployments: DeploymentFacts[], over: Partial<ServiceFacts> = {}): ServiceFacts => ({arn: 'arn:svc', name: 'web-dev-Service', status: 'ACTIVE', running: 2, desired: 2, deployments, ...over});

describe('serving is judged on ECS evidence only', () => {
	test('every part there: serving, saying what was confirmed', () => {
		expect(judgeServing({taskDefinition: td(2), service: service([deployment()])})).toEqual({
			kind: 'serving',
			confirmed: ["service web-dev-Service found in the stack's resources (ACTIVE)", 'its PRIMARY deployment runs web-dev:2, the task definition the stack holds', 'rollout COMPLETED', '2 of 2 tasks running'],
		});
	});

	test('no service: unconfirmed, saying why', () => {
		expect(judgeServing({taskDefinition: td(2), service: {missing: 'the stack holds no ECS service'}})).toEqual({kind: 'unconfirmed', confirmed: [], unconfirmed: ['the stack holds no ECS service']});
	});

	test("the task definition the stack holds is not known: unconfirmed", () => {
		expect(judgeServing({taskDefinition: undefined, service: service([deployment()])}).kind).toBe('unconfirmed');
	});

	test('the PRIMARY deployment on another revision (ECS has not picked the new one up): unconfirmed, naming both', () => {
		const verdict = judgeServing({taskDefinition: td(3), service: service([deployment()])});
		expect(verdict).toMatchObject({kind: 'unconfirmed', unconfirmed: ['its PRIMARY deployment runs web-dev:2, not web-dev:3 that the stack holds']});
	});

	test('a rollout of this revision that ECS failed (circuit breaker) is a failed rollout, even when another deployment is PRIMARY again', () => {
		const verdict = judgeServing({taskDefinition: td(3), service: service([deployment({taskDefinition: td(2)}), deployment({id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: td(3), rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'})])});
		expect(verdict).toEqual({kind: 'rollout-failed', confirmed: expect.any(Array), reason: 'ECS deployment circuit breaker: tasks failed to start.'});
	});

	test('a rollout in progress, or tasks still starting after it completed (the desired count moved), is followed, not judged yet', () => {
		expect(judgeServing({taskDefinition: td(2), service: service([deployment({rolloutState: 'IN_PROGRESS', running: 1})], {running: 1})})).toMatchObject({kind: 'rolling-out', waiting: 'rollout IN_PROGRESS, 1 of 2 tasks running'});
		expect(judgeServing({taskDefinition: td(2), service: service([deployment({running: 1})], {running: 1})})).toMatchObject({kind: 'rolling-out', waiting: '1 tasks running where 2 are desired'});
	});

	test('without a rollout state (another deployment controller): one deployment left and running = desired is serving; two are still rolling', () => {
		expect(judgeServing({taskDefinition: td(2), service: service([deployment({rolloutState: undefined})])}).kind).toBe('serving');
		const old = deployment({id: 'ecs-svc/0', status: 'ACTIVE', taskDefinition: td(1), rolloutState: undefined});
		expect(judgeServing({taskDefinition: td(2), service: service([deployment({rolloutState: undefined}), old])}).kind).toBe('rolling-out');
	});

	test('a forced redeploy of the same revision: only a deployment created since it counts', () => {
		const before = deployment({createdAt: 500});
		expect(judgeServing({taskDefinition: td(2), service: service([before]), deploymentSince: 900}).kind).toBe('unconfirmed');
		expect(judgeServing({taskDefinition: td(2), service: service([deployment({createdAt: 1000})]), deploymentSince: 900}).kind).toBe('serving');
	});

	test('revisionOf names a revision the way an operator reads it', () => {
		expect(revisionOf(td(7))).toBe('web-dev:7');
	});
});
