import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import type {ContinueServiceDeploymentCommandInput} from '@aws-sdk/client-ecs';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';

/*
 * The approval gate in the live view, on the real app and engine over the sandbox: checkout-api deploys
 * blue/green with a PAUSE hook after test traffic in production (60 min, then ROLLBACK), canary in staging.
 * The deploy is started elsewhere (as `ecs-deployer deploy --no-wait` would) and the app attaches to it.
 */

const checkout = 'recipes/checkout-api.yaml';
let h: AppHarness | undefined;
let time: ReturnType<typeof sandboxTime> | undefined;
afterEach(() => {
	h?.app.unmount();
	time?.stop();
});

/**
 * The sandbox's clock: AWS time runs `rate` times faster than real time, and stands still while paused (as
 * the test attaches, so a busy machine cannot let the deploy run past what the test looks at).
 */
function sandboxTime(rate: number) {
	let now = Date.now();
	let running = true;
	let last = Date.now();
	const timer = setInterval(() => {
		const real = Date.now();
		if (running) now += (real - last) * rate;
		last = real;
	}, 5);
	return {now: () => now, pause: () => void (running = false), resume: () => void (running = true), stop: () => clearInterval(timer)};
}

/** The app on an account that records the answers ContinueServiceDeployment receives. */
function harnessWithAnswers(size = {columns: 100, rows: 30}, rate = 50) {
	time = sandboxTime(rate);
	const account = new SandboxAccount({now: time.now});
	const answers: Array<string | undefined> = [];
	const ports = account.ports.bind(account);
	account.ports = () => {
		const p = ports();
		return {...p, ecs: {...p.ecs, continueServiceDeployment: (input: ContinueServiceDeploymentCommandInput) => (answers.push(input.action), p.ecs.continueServiceDeployment(input))}};
	};
	h = renderApp({recipes: [checkout], account, size});
	return {h, answers, time};
}

/** 1.3.0 serves, then 1.4.0 is on its way (the stack update started) to `environment`; AWS time stands still. */
async function deploying(harness: AppHarness, environment: string) {
	const recipeFile = path.join(repoRoot, checkout);
	const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true, 'approve-deployment': 'wait'});
	const first = await harness.engine.deploy({recipeFile, environment, target: sandboxTarget, images: {api: '1.3.0'}, reattach: 'watch'}, host).result;
	expect(first, first.message).toMatchObject({outcome: 'succeeded'});
	expect((await harness.engine.deploy({recipeFile, environment, target: sandboxTarget, images: {api: '1.4.0'}, reattach: 'watch', wait: {mode: 'none'}}, host).result).outcome).toBe('started');
	time!.pause();
}

/** From the dashboard, attaches to the operation in progress (its cell selected with → , then Enter); AWS time runs again. */
async function attach(harness: AppHarness, environment: string) {
	// The dashboard read the statuses before the deploys: g reads them again.
	await press(harness.app, 'g');
	await waitForText(harness.app, `in progress: checkout-api/${environment}`, 10_000);
	await press(harness.app, ...(environment === 'production' ? ['l', 'l'] : ['l']), keys.enter);
	await waitForText(harness.app, `Watching checkout-api → ${environment}`, 10_000);
	time!.resume();
}

describe('a blue/green deploy with an approval gate, in the live view', () => {
	test('it stops at the test stage and shows what is tested; p promotes (ECS CONTINUE) and the summary says serving only with ECS evidence', async () => {
		const {h, answers} = harnessWithAnswers();
		await deploying(h, 'production');
		await attach(h, 'production');
		const waiting = await waitForText(h.app, 'Waiting for approval', 20_000);
		const lines = waiting.split('\n');
		const gate = lines.findIndex(l => l.startsWith('blue-green'));
		expect(lines.slice(gate, gate + 5)).toEqual([
			'blue-green  ✓ scale up › ● test traffic › ○ production traffic › ○ bake time › ○ clean up',
			expect.stringMatching(/^POST_TEST_TRAFFIC_SHIFT · production 0 % on the new revision · (\d)\/\1 new tasks running, \1 healthy$/),
			// ECS's expiresAt (60 min after the hook began waiting, in the sandbox's faster time), counted down.
			expect.stringMatching(/^Waiting for approval at POST_TEST_TRAFFIC_SHIFT · \d+ min left, then ROLLBACK$/),
			'testing: test traffic → new revision (listener-rule/app/checkout-production/…)',
			'p promote new revision  ·  r roll back to old',
		]);
		// The footer offers the gate's keys (not the summary's promote, which needs a finished run).
		expect(lines.at(-2)).toMatch(/^\? help · p promote new revision · r roll back to old · d detach/);
		expect(answers).toEqual([]);

		// Two p in one read: the second rests while the first is on its way.
		h.app.stdin.write('pp');
		const done = await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in production', 30_000);
		expect(answers).toEqual(['CONTINUE']);
		expect(done).toMatch(/confirmed: stack UPDATE_COMPLETE; service checkout-api-production-Service-\w+ found in the[\s│]+stack's resources \(ACTIVE\); its PRIMARY deployment runs checkout-api-production:2/);
		expect(done).toContain('blue-green SUCCESSFUL  ✓ scale up › ✓ test traffic › ✓ production traffic › ✓ bake time › ✓ clean up');
		// Once it has ended, r is the summary's roll back (to an earlier release), not the gate's.
		expect(done.trimEnd().split('\n').at(-1)).toMatch(/r roll back · h history/);
		expect(done).not.toContain('Waiting for approval');
	}, 60_000);

	test('r rolls the new revision back: ECS ROLLBACK, the deployment rolls back and the run ends rolled back', async () => {
		const {h, answers} = harnessWithAnswers();
		await deploying(h, 'production');
		await attach(h, 'production');
		await waitForText(h.app, 'r roll back to old', 20_000);
		// r then p in one read: p finds the answer on its way and does nothing.
		h.app.stdin.write('rp');
		await waitForText(h.app, /rolling back: telling ECS…|ROLLBACK_(REQUESTED|IN_PROGRESS)/);
		const end = await waitForText(h.app, '↺ rolled back', 30_000);
		expect(answers).toEqual(['ROLLBACK']);
		expect(end).toMatch(/blue-green ROLLBACK_(IN_PROGRESS|SUCCESSFUL)/);
		expect(end).not.toContain('✓ succeeded');
	}, 60_000);

	test('an answer ECS refuses is shown in a line, not a stack, and p works again', async () => {
		const {h, answers} = harnessWithAnswers();
		await deploying(h, 'production');
		await attach(h, 'production');
		await waitForText(h.app, 'p promote new revision', 20_000);
		// Someone else answers first (another terminal's `ecs-deployer approve` on the same deployment) while this
		// view still shows the gate waiting: pause the account so the view does not move on.
		const aws = h.account.ports();
		const service = (await aws.cloudFormation.describeStacks({StackName: 'checkout-api-production'})).Stacks![0]!.Outputs!.find(o => o.OutputKey === 'ServiceArn')!.OutputValue!;
		const arn = (await aws.ecs.listServiceDeployments({cluster: 'sandbox', service})).serviceDeployments![0]!.serviceDeploymentArn!;
		const hook = (await aws.ecs.describeServiceDeployments({serviceDeploymentArns: [arn]})).serviceDeployments![0]!.lifecycleHookDetails![0]!.hookId!;
		let refusals = 0;
		h.account.ports = () => {
			const p = aws;
			return {...p, ecs: {...p.ecs, continueServiceDeployment: async () => (refusals++, Promise.reject(Object.assign(new Error(`The lifecycle hook ${hook} is not awaiting action (it is SUCCEEDED).`), {name: 'InvalidParameterException'})))}};
		};
		await press(h.app, 'p');
		const refused = await waitForText(h.app, 'not awaiting action', 20_000);
		expect(refused).not.toMatch(/\n\s+at /);
		expect(refused).toMatch(/✗ ECS refused the promotion: The lifecycle hook [\w-]+ is not awaiting action/);
		// The keys work again: another p asks ECS again (and is refused again).
		expect(refusals).toBe(1);
		await press(h.app, 'p');
		await waitForText(h.app, () => refusals === 2, 20_000);
		await waitForText(h.app, 'not awaiting action', 20_000);
		expect(answers).toEqual([]);
	}, 60_000);
});

describe('a canary deploy in the live view', () => {
	test('each step shows: scale up, production traffic at the canary share, then all of it, bake time, clean up', async () => {
		// Slower: a canary's steps take ~100 ms each here, long enough to see each.
		const {h} = harnessWithAnswers(undefined, 30);
		await deploying(h, 'staging');
		await attach(h, 'staging');
		const seen = new Set<string>();
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			const frame = screen(h.app);
			for (const line of frame.split('\n')) {
				const m = /^(\w+) · production (\d+) % on the new revision/.exec(line);
				if (m) seen.add(`${m[1]} ${m[2]}%`);
				const progress = /^canary\s.*● (\w[\w ]*\w)/.exec(line);
				if (progress) seen.add(`● ${progress[1]}`);
			}
			if (frame.includes('✓ succeeded')) break;
			await new Promise(r => setTimeout(r, 2));
		}
		expect(screen(h.app)).toContain('✓ succeeded: release 1.4.0 is serving in staging');
		// The canary share (10 %) before all of it, and each group of stages current in turn.
		const order = [...seen];
		expect(order).toEqual(expect.arrayContaining(['PRODUCTION_TRAFFIC_SHIFT 10%', 'PRODUCTION_TRAFFIC_SHIFT 100%', '● scale up', '● test traffic', '● production traffic', '● bake time']));
		// The last stage may be seen only as the deployment ends (one poll reads CLEAN_UP and SUCCESSFUL, as it can
		// on AWS): then the stage line names it while the progress line already has every group done.
		expect(order.includes('● clean up') || order.includes('CLEAN_UP 100%')).toBe(true);
		expect(order.indexOf('PRODUCTION_TRAFFIC_SHIFT 10%')).toBeLessThan(order.indexOf('PRODUCTION_TRAFFIC_SHIFT 100%'));
		expect(screen(h.app)).toContain('canary SUCCESSFUL  ✓ scale up › ✓ test traffic › ✓ production traffic › ✓ bake time › ✓ clean up');
	}, 60_000);
});
