import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {AnswerOf, EngineEvent, EngineHost, LifecycleView, Question} from '../../source/engine/core/host.js';
import {repoRoot} from '../helpers/cli.js';
import {findWaitingGate} from '../../source/engine/service/approval.js';
import {RunControl} from '../../source/engine/core/run-control.js';
import {harness, recordingHost, target, testPolling, type Harness} from '../helpers/engine.js';

/*
 * The approval gate through the engine on the sandbox: checkout-api deploys blue/green in production and
 * waits after test traffic reaches the new revision. The run follows the lifecycle stages, asks to promote
 * or roll back, and acts (ContinueServiceDeployment); `--approve-after` approves by itself; `approve` and
 * `reject` answer from elsewhere.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const recipeFile = path.join(repoRoot, 'recipes', 'checkout-api.yaml');
const reattach = 'ecs-deployer --sandbox watch --recipe recipes/checkout-api.yaml --env production';

function deploy(tag: string, answers: Record<string, boolean | string> = {}, options: {approveAfterMinutes?: number} = {}) {
	const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true, ...answers});
	const run = h.engine.deploy({recipeFile, environment: 'production', target, reattach, images: {api: tag}, ...options}, host);
	return {host, run, result: run.result};
}

const lifecycles = (events: readonly EngineEvent[]): LifecycleView[] => events.flatMap(e => (e.code === 'service.lifecycle' ? [e.lifecycle] : []));

describe('a blue/green deploy with an approval gate', () => {
	beforeEach(async () => {
		// The first deploy creates the service: there is nothing to shift traffic from yet.
		expect((await deploy('1.3.0').result).outcome).toBe('succeeded');
	});

	test('it stops at POST_TEST_TRAFFIC_SHIFT, says what is being tested, and promote completes it', async () => {
		const {host, result} = deploy('1.4.0', {'approve-deployment': 'promote'});
		const end = await result;
		expect(end.outcome).toBe('succeeded');
		const question = host.asked.find(q => q.id === 'approve-deployment')!;
		expect(question).toMatchObject({kind: 'choose', defaultAnswer: 'wait', message: 'The new revision waits at POST_TEST_TRAFFIC_SHIFT for approval. Promote it, or roll back?'});
		expect(question.detail).toEqual([
			expect.stringMatching(/^test traffic: arn:aws:elasticloadbalancing:.*listener-rule\/app\/checkout-production\/.* → the new revision$/),
			'new revision: 2/2 tasks running',
			'production traffic: 0 % on the new revision',
			'if nobody answers: ROLLBACK in 60 min',
		]);
		const seen = lifecycles(host.events);
		expect(seen.find(l => l.hook?.status === 'AWAITING_ACTION')).toMatchObject({strategy: 'blue-green', stage: 'POST_TEST_TRAFFIC_SHIFT', production: 0, hook: {stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutAction: 'ROLLBACK'}});
		expect(seen.at(-1)).toMatchObject({status: 'SUCCESSFUL', production: 100, hook: {status: 'SUCCEEDED'}});
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['CONTINUE']);
		expect(host.events).toContainEqual({code: 'note', message: 'promoted: answered at POST_TEST_TRAFFIC_SHIFT'});
	});

	test('roll back: production stays on the old revision and the deploy ends rolled back', async () => {
		const {result} = deploy('1.4.0', {'approve-deployment': 'rollback'});
		const end = await result;
		expect(end.outcome).toBe('rolled-back');
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['ROLLBACK']);
		expect(JSON.stringify(end)).toContain('rolled back by a lifecycle hook');
	});

	test('--approve-after approves by itself once the gate has waited that long, without asking', async () => {
		const started = h.fake.clock.now();
		const {host, result} = deploy('1.4.0', {}, {approveAfterMinutes: 5});
		expect((await result).outcome).toBe('succeeded');
		expect(host.asked.map(q => q.id)).not.toContain('approve-deployment');
		expect(host.events).toContainEqual({code: 'note', message: 'promoted: approved after 5 min of waiting (--approve-after)'});
		const continued = h.fake.calls.findIndex(c => c.command === 'ContinueServiceDeployment');
		expect(continued).toBeGreaterThan(0);
		expect(h.fake.clock.now() - started).toBeGreaterThan(5 * 60_000);
	});

	test('nobody answers: the hook times out after its 60 min and ECS rolls back', async () => {
		const {host, result} = deploy('1.4.0');
		const end = await result;
		expect(end.outcome).toBe('rolled-back');
		expect(host.asked.filter(q => q.id === 'approve-deployment')).toHaveLength(1);
		expect(lifecycles(host.events).some(l => l.hook?.status === 'TIMED_OUT')).toBe(true);
		expect(h.fake.count('ContinueServiceDeployment')).toBe(0);
	});

	test('while the gate waits the hook is read at the idle pace and the stack, its events and the tasks every fourth time', async () => {
		const {host, result} = deploy('1.4.0');
		let waitingAt: number | undefined;
		const notify = host.notify;
		host.notify = event => {
			if (waitingAt === undefined && event.code === 'service.lifecycle' && event.lifecycle.hook?.status === 'AWAITING_ACTION') waitingAt = h.fake.calls.length;
			notify(event);
		};
		await result;
		// The 60 min the hook waited (then it timed out): from the first look at it waiting to the end.
		const waited = h.fake.calls.slice(waitingAt);
		const count = (command: string) => waited.filter(c => c.command === command).length;
		// 60 min at the idle 8 s: about 450 looks at the hook, not more.
		expect(count('DescribeServiceDeployments')).toBeGreaterThan(400);
		expect(count('DescribeServiceDeployments')).toBeLessThan(480);
		for (const command of ['DescribeStacks', 'DescribeStackEvents', 'DescribeServices', 'DescribeTasks']) expect(count(command), command).toBeLessThan(count('DescribeServiceDeployments') / 3);
	});

	test('approve from elsewhere: the waiting run sees the hook move on, withdraws its question and ends serving', async () => {
		let withdrawn: AbortSignal | undefined;
		const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true});
		const waitingHost: EngineHost = {
			notify: host.notify,
			request<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
				if (question.id !== 'approve-deployment') return host.request(question);
				withdrawn = question.withdrawn;
				// The operator keeps the question open; someone approves in another terminal.
				return new Promise(resolve => question.withdrawn?.addEventListener('abort', () => resolve('wait' as AnswerOf<Q>)));
			},
		};
		const run = h.engine.deploy({recipeFile, environment: 'production', target, reattach, images: {api: '1.4.0'}}, waitingHost);
		// Another terminal answers through ECS directly (the engine's own use case is tested below: it reads the
		// recipe file, which the fake clock's busy loop would starve).
		h.fake.atSleep(40, () => {
			void (async () => {
				const aws = h.fake.ports();
				const context = {host: recordingHost(), clock: h.fake.clock, polling: testPolling, control: new RunControl()};
				const stack = (await aws.cloudFormation.describeStacks({StackName: 'checkout-api-production'})).Stacks![0]!;
				const service = stack.Outputs!.find(o => o.OutputKey === 'ServiceArn')!.OutputValue!;
				const gate = await findWaitingGate(context, aws, 'sandbox', service);
				if ('none' in gate) throw new Error(gate.none);
				await aws.ecs.continueServiceDeployment({serviceDeploymentArn: gate.deploymentArn, hookId: gate.hookId, action: 'CONTINUE'});
			})();
		});
		expect((await run.result).outcome).toBe('succeeded');
		expect(withdrawn?.aborted).toBe(true);
	});
});

describe('approve and reject', () => {
	test('with nothing waiting they say so and change nothing', async () => {
		await deploy('1.3.0').result;
		const result = await h.engine.answerGate({recipeFile, environment: 'production', target, reattach, action: 'promote'}, recordingHost()).result;
		expect(result).toMatchObject({outcome: 'invalid', message: 'nothing to approve in production: no deployment of the service is in progress'});
		expect(h.fake.count('ContinueServiceDeployment')).toBe(0);
	});

	test('reject answers the waiting hook ROLLBACK and reports that the rollback started', async () => {
		await deploy('1.3.0').result;
		// A deploy not waited for (as when it runs in another process) reaches its gate meanwhile.
		const started = await h.engine.deploy({recipeFile, environment: 'production', target, reattach, images: {api: '1.4.0'}, wait: {mode: 'none'}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;
		expect(started.outcome).toBe('started');
		h.fake.advance(60_000);
		const answered = await h.engine.answerGate({recipeFile, environment: 'production', target, reattach, action: 'rollback'}, recordingHost()).result;
		expect(answered).toMatchObject({outcome: 'started', message: `rejected at POST_TEST_TRAFFIC_SHIFT: ECS rolls back to the old revision; follow it with: ${reattach}`});
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['ROLLBACK']);
		h.fake.advance(60_000);
		const stack = await h.fake.ports().cloudFormation.describeStacks({StackName: 'checkout-api-production'});
		expect(stack.Stacks![0]!.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
		// Answered: nothing waits any more.
		expect((await h.engine.answerGate({recipeFile, environment: 'production', target, reattach, action: 'promote'}, recordingHost()).result).outcome).toBe('invalid');
	});
});

describe('answers ECS refuses, services ECS does not show yet', () => {
	test('the hook moved on between the look and the answer: the result says ECS refused it (no stack), nothing else changes', async () => {
		await deploy('1.3.0').result;
		await h.engine.deploy({recipeFile, environment: 'production', target, reattach, images: {api: '1.4.0'}, wait: {mode: 'none'}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;
		h.fake.advance(60_000);
		h.fake.failNext('ContinueServiceDeployment', Object.assign(new Error('The lifecycle hook 0123abcd-0123456789ab is not awaiting action (it is SUCCEEDED).'), {name: 'InvalidParameterException'}));
		const answered = await h.engine.answerGate({recipeFile, environment: 'production', target, reattach, action: 'promote'}, recordingHost()).result;
		expect(answered).toMatchObject({outcome: 'invalid', message: 'ECS refused the promotion: The lifecycle hook 0123abcd-0123456789ab is not awaiting action (it is SUCCEEDED).'});
		expect(JSON.stringify(answered)).not.toMatch(/\n\s+at /);
	});

	test('a service ECS does not list yet (ServiceNotFoundException) is looked at again, not an error of the deploy', async () => {
		await deploy('1.3.0').result;
		h.fake.failNext('ListServiceDeployments', Object.assign(new Error('Service not found.'), {name: 'ServiceNotFoundException'}), 2);
		const {result} = deploy('1.4.0', {'approve-deployment': 'promote'});
		expect((await result).outcome).toBe('succeeded');
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['CONTINUE']);
	});
});
