import path from 'node:path';
import {render} from 'ink-testing-library';
import {useMemo, type ReactNode} from 'react';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {LifecycleView} from '../../source/engine/shared/host.js';
import {ApprovalGate} from '../../source/ui/components/approval-gate.js';
import {useGateAnswer} from '../../source/ui/hooks/use-gate-answer.js';
import {KeyDispatcher} from '../../source/ui/input/key-dispatcher.js';
import {KeysContext, useKeyClock, useKeyReader} from '../../source/ui/input/use-keys.js';
import {repoRoot} from '../helpers/cli.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';
import {press, screen, settle, waitForText} from '../helpers/ink.js';

/*
 * The approval gate in the live view (a component the live screen places): the lifecycle as a progress
 * line, what is being tested while it waits, and p promote / r roll back through the engine's answerGate.
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
	test('while it waits: the stages, what is tested, the traffic split, the time left, and p / r', async () => {
		const onAnswer = vi.fn();
		const app = render(
			<Keys>
				<ApprovalGate lifecycle={waiting} now={now} width={100} isActive onAnswer={onAnswer} />
			</Keys>,
		);
		const frame = await waitForText(app, 'Waiting for approval');
		expect(frame.split('\n')).toEqual([
			'blue-green  ✓ scale up › ● test traffic › ○ production traffic › ○ bake time › ○ clean up',
			'POST_TEST_TRAFFIC_SHIFT · production 0 % on the new revision · 2/2 new tasks running',
			'Waiting for approval at POST_TEST_TRAFFIC_SHIFT · 58 min left, then ROLLBACK',
			'testing: test traffic → new revision (listener-rule/app/checkout-production/…)',
			'p promote  ·  r roll back',
		]);
		await press(app, 'p');
		await press(app, 'r');
		expect(onAnswer.mock.calls).toEqual([['promote'], ['rollback']]);
		app.unmount();
	});

	test('p and r do nothing when nothing waits, while an answer is on its way, or when inactive', async () => {
		const onAnswer = vi.fn();
		const views: Array<[LifecycleView, boolean, 'promote' | undefined]> = [
			[{...waiting, stage: 'BAKE_TIME', production: 100, hook: {...waiting.hook!, status: 'SUCCEEDED'}}, true, undefined],
			[waiting, true, 'promote'],
			[waiting, false, undefined],
		];
		for (const [view, isActive, answering] of views) {
			const app = render(
				<Keys>
					<ApprovalGate lifecycle={view} now={now} width={100} isActive={isActive} onAnswer={onAnswer} {...(answering ? {answering} : {})} />
				</Keys>,
			);
			await settle();
			await press(app, 'p', 'r');
			app.unmount();
		}
		expect(onAnswer).not.toHaveBeenCalled();
	});

	test('a finished deployment shows every stage done; a rolled-back one marks where it stopped; rolling shows nothing', async () => {
		const back = render(<ApprovalGate lifecycle={{...waiting, status: 'ROLLBACK_IN_PROGRESS', production: 0, hook: {...waiting.hook!, status: 'FAILED'}}} now={now} width={100} isActive={false} onAnswer={() => {}} />);
		expect(screen(back).split('\n')[0]).toMatch(/^blue-green ROLLBACK_IN_PROGRESS {2}✓ scale up › ● test traffic › ○ production traffic/);
		back.unmount();
		const done = render(<ApprovalGate lifecycle={{...waiting, status: 'SUCCESSFUL', stage: 'CLEAN_UP', production: 100, hook: {...waiting.hook!, status: 'SUCCEEDED'}}} now={now} width={100} isActive={false} onAnswer={() => {}} />);
		expect(screen(done)).toContain('✓ scale up › ✓ test traffic › ✓ production traffic › ✓ bake time › ✓ clean up');
		const rolling = render(<ApprovalGate lifecycle={undefined} now={now} width={100} isActive onAnswer={() => {}} />);
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

		function Live() {
			const gate = useGateAnswer(h.engine, {recipeFile, environment: 'production'}, view);
			return <ApprovalGate lifecycle={view} now={now} width={100} isActive onAnswer={gate.answer} {...(gate.answering ? {answering: gate.answering} : {})} {...(gate.error ? {error: gate.error} : {})} />;
		}
		const app = render(
			<Keys>
				<Live />
			</Keys>,
		);
		await waitForText(app, 'p promote');
		await press(app, 'p');
		await waitForText(app, 'promoting…');
		for (let i = 0; i < 100 && h.fake.count('ContinueServiceDeployment') === 0; i++) await settle();
		expect(h.fake.calls.filter(c => c.command === 'ContinueServiceDeployment').map(c => c.input.action)).toEqual(['CONTINUE']);
		// The view still says the gate waits (the next poll has not come): a second p does nothing.
		await press(app, 'p');
		expect(h.fake.count('ContinueServiceDeployment')).toBe(1);
		app.unmount();
	});
});
