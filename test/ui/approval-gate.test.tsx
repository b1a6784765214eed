import path from 'node:path';
import {render} from 'ink-testing-library';
import {useMemo, type ReactNode} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import type {LifecycleView} from '../../source/engine/core/host.js';
import {ApprovalGate, gateHeight} from '../../source/ui/components/approval-gate.js';
import {useGateAnswer} from '../../source/ui/hooks/use-gate-answer.js';
import {KeyDispatcher} from '../../source/ui/input/key-dispatcher.js';
import {matches} from '../../source/ui/input/keymap.js';
import {KeysContext, useKeyClock, useKeyReader, useKeys} from '../../source/ui/input/use-keys.js';
import {repoRoot} from '../helpers/cli.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';
import {press, screen, waitForText} from '../helpers/ink.js';

/*
 * The approval gate in the live view (a component the live screen places; the screen owns p and r, see
 * live-gate.test.tsx): the lifecycle as a progress line, what is being tested while it waits, and the
 * answer through the engine's answerGate.
 */

function Keys({children}: {children: ReactNode}) {
	const dispatcher = useMemo(() => new KeyDispatcher(), []);
	useKeyReader(dispatcher);
	return (
		<KeysContext.Provider value={dispatcher}>
			{children}
			<Clock dispatcher={dispatcher} />
		</KeysContext.Provider>
	);
}

function Clock({dispatcher}: {dispatcher: KeyDispatcher}) {
	useKeyClock(dispatcher);
	return null;
}

const now = Date.parse('2026-11-23T10:00:00Z');
const rule = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/checkout-production/0123456789abcdef/3123456789abcdef/4123456789abcdef';
const stages = ['PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'];
const waiting: LifecycleView = {
	deploymentArn: 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/sandbox/checkout/1',
	status: 'IN_PROGRESS',
	strategy: 'blue-green',
	stage: 'POST_TEST_TRAFFIC_SHIFT',
	stages,
	production: 0,
	testListener: rule,
	tasks: {running: 2, requested: 2},
	hook: {id: 'hook-1', status: 'AWAITING_ACTION', stage: 'POST_TEST_TRAFFIC_SHIFT', expiresAt: now + 57 * 60_000 + 10_000, timeoutAction: 'ROLLBACK'},
	waitingSince: now - 3 * 60_000,
};

describe('ApprovalGate', () => {
	test('while it waits: the stages, what is tested, the traffic split, the new tasks and their health, the time left, and the keys', () => {
		const app = render(<ApprovalGate lifecycle={waiting} now={now} width={100} healthy={2} />);
		expect(screen(app).split('\n')).toEqual([
			'blue-green  ✓ scale up › ● test traffic › ○ production traffic › ○ bake time › ○ clean up',
			'POST_TEST_TRAFFIC_SHIFT · production 0 % on the new revision · 2/2 new tasks running, 2 healthy',
			'Waiting for approval at POST_TEST_TRAFFIC_SHIFT · 58 min left, then ROLLBACK',
			'testing: test traffic → new revision (listener-rule/app/checkout-production/…)',
			'p promote new revision  ·  r roll back to old',
		]);
		expect(gateHeight(waiting)).toBe(5);
		app.unmount();
	});

	test('at 80 columns the words are shorter: the traffic split, the tasks and their health still show whole', () => {
		const app = render(<ApprovalGate lifecycle={waiting} now={now} width={80} healthy={2} />);
		const lines = screen(app).split('\n');
		expect(lines.slice(0, 2)).toEqual(['blue-green  ✓ scale up › ● test › ○ production › ○ bake time › ○ clean up', 'POST_TEST_TRAFFIC_SHIFT · new: 0 % of production, 2/2 tasks running, 2 healthy']);
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
		app.unmount();
	});

	test('an answer on its way replaces the keys; a refused one says why in one line', () => {
		const answering = render(<ApprovalGate lifecycle={waiting} now={now} width={100} answering="rollback" />);
		expect(screen(answering).split('\n').at(-1)).toBe('rolling back: telling ECS…');
		answering.unmount();
		const refused = render(<ApprovalGate lifecycle={waiting} now={now} width={80} error={'ECS refused the promotion: The lifecycle hook hook-1 is not awaiting action (it is SUCCEEDED).'} />);
		const last = screen(refused).split('\n').at(-1)!;
		expect(last).toMatch(/^✗ ECS refused the promotion: The lifecycle hook hook-1 is not awaiting action/);
		expect(last.length).toBeLessThanOrEqual(80);
		refused.unmount();
	});

	test('a finished deployment shows every stage done; a rolled-back one marks where it stopped; rolling shows nothing', async () => {
		const back = render(<ApprovalGate lifecycle={{...waiting, status: 'ROLLBACK_IN_PROGRESS', production: 0, hook: {...waiting.hook!, status: 'FAILED'}}} now={now} width={100} />);
		expect(screen(back).split('\n')[0]).toMatch(/^blue-green ROLLBACK_IN_PROGRESS {2}✓ scale up › ● test traffic › ○ production traffic/);
		back.unmount();
		const finished = {...waiting, status: 'SUCCESSFUL', stage: 'CLEAN_UP', production: 100, hook: {...waiting.hook!, status: 'SUCCEEDED'}};
		const done = render(<ApprovalGate lifecycle={finished} now={now} width={100} compact />);
		expect(screen(done)).toBe('blue-green SUCCESSFUL  ✓ scale up › ✓ test traffic › ✓ production traffic › ✓ bake time › ✓ clean up');
		expect([gateHeight(finished, true), gateHeight(finished), gateHeight(undefined)]).toEqual([1, 2, 0]);
		const rolling = render(<ApprovalGate lifecycle={undefined} now={now} width={100} />);
		expect(screen(rolling)).toBe('');
		done.unmount();
	});
});

describe('useGateAnswer', () => {
	let h: Harness;
	afterEach(() => h.fake.restore());

	test('p answers the waiting gate through the engine (ContinueServiceDeployment CONTINUE) and rests until the gate moves on', async () => {
		h = await harness();
		// The app deploys on the target that serves the environment: here the sandbox.
		h.engine.useSandbox(['dev', 'staging', 'production']);
		const recipeFile = path.join(repoRoot, 'recipes', 'checkout-api.yaml');
		const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true});
		await h.engine.deploy({recipeFile, environment: 'production', target, reattach: 'x', images: {api: '1.3.0'}}, host).result;
		await h.engine.deploy({recipeFile, environment: 'production', target, reattach: 'x', images: {api: '1.4.0'}, wait: {mode: 'none'}}, host).result;
		h.fake.advance(60_000);
		const aws = h.fake.ports();
		const service = (await aws.cloudFormation.describeStacks({StackName: 'checkout-api-production'})).Stacks![0]!.Outputs!.find(o => o.OutputKey === 'ServiceArn')!.OutputValue!;
		const arn = (await aws.ecs.listServiceDeployments({cluster: 'sandbox', service})).serviceDeployments![0]!.serviceDeploymentArn!;
		const described = (await aws.ecs.describeServiceDeployments({serviceDeploymentArns: [arn]})).serviceDeployments![0]!;
		const view: LifecycleView = {...waiting, deploymentArn: arn, hook: {...waiting.hook!, id: described.lifecycleHookDetails![0]!.hookId!}};

		let woken = 0;
		function Live() {
			const gate = useGateAnswer(h.engine, {recipeFile, environment: 'production'}, view, () => woken++);
			useKeys(key => (matches('approveDeployment', key) && gate.answering === undefined ? (gate.answer('promote'), true) : false));
			return <ApprovalGate lifecycle={view} now={now} width={100} {...(gate.answering ? {answering: gate.answering} : {})} {...(gate.error ? {error: gate.error} : {})} />;
		}
		const app = render(
			<Keys>
				<Live />
			</Keys>,
		);
		await waitForText(app, 'p promote');
		await press(app, 'p');
		await waitForText(app, 'promoting: telling ECS to continue…');
		await waitForText(app, () => woken === 1);
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['CONTINUE']);
		// The view still says the gate waits (the next poll has not come): a second p does nothing.
		await press(app, 'p');
		expect(h.fake.count('ContinueServiceDeployment')).toBe(1);
		app.unmount();
	});
});
