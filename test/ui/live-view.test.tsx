import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {DeployRun} from '../../source/engine/deploy/deploy-release.js';
import type {EngineEvent} from '../../source/engine/core/host.js';
import type {DeployResult} from '../../source/engine/core/results.js';
import {RunControl} from '../../source/engine/core/run-control.js';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {QuestionQueue} from '../../source/ui/runs/questions.js';
import {RunRegistry} from '../../source/ui/runs/run-registry.js';
import type {RunStore} from '../../source/ui/runs/run-store.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';

/*
 * The live view on a scripted engine stream: the test plays the events a deploy reports and checks what the
 * operator sees, with the keys they press.
 */

const catalog: RecipeCatalog = {
	folder: './recipes',
	list: async () => [{file: 'recipes/hello-color.yaml', name: 'hello-color', environments: ['dev', 'staging', 'production'], images: [], containers: ['web'], problems: []}],
};

type Script = {store: RunStore; run: DeployRun & {cancel: ReturnType<typeof vi.fn>; detach: ReturnType<typeof vi.fn>}; end(result: DeployResult): void; push(...events: EngineEvent[]): void};

function scripted(runs: RunRegistry): {runId: string; script: Script} {
	let finish: (result: DeployResult) => void = () => {};
	let store!: RunStore;
	const control = new RunControl();
	const run = {
		control,
		result: new Promise<DeployResult>(resolve => (finish = resolve)),
		cancel: vi.fn(),
		detach: vi.fn(),
	};
	const entry = runs.add({kind: 'deploy', recipeFile: 'recipes/hello-color.yaml', project: 'hello-color', environment: 'dev'}, s => {
		store = s;
		return run;
	});
	return {
		runId: entry.id,
		script: {
			store,
			run,
			push: (...events) => events.forEach(e => store.push(e)),
			end: result => {
				store.push({code: 'deploy.end', result});
				finish(result);
			},
		},
	};
}

function show(size: {columns: number; rows: number}) {
	const runs = new RunRegistry();
	const {runId, script} = scripted(runs);
	const app = render(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} runs={runs} questions={new QuestionQueue()} initialRoute={{name: 'live', runId}} />
		</TerminalSizeContext.Provider>,
	);
	return {app, script, runs};
}

let app: ReturnType<typeof render> | undefined;
afterEach(() => app?.unmount());

const t0 = Date.parse('2026-11-23T10:00:00Z');
const event = (i: number, logicalId: string, status: string, reason?: string): EngineEvent => ({code: 'stack.event', event: {id: `e${i}`, timestamp: t0 + i * 1000, logicalId, resourceType: 'AWS::ECS::Service', status, ...(reason ? {reason} : {})}});
const start: EngineEvent[] = [
	{code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev', releaseVersion: '1.4.1'},
	{code: 'release', release: {version: '1.4.1', images: {web: {tag: '1.4.1-crashloop'}}, source: 'stored'}},
	{code: 'stack.status', status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated'},
];

describe('live view', () => {
	test('a large terminal shows every pane; a failure shows its root cause, hint and log lines while it happens', async () => {
		const shown = show({columns: 160, rows: 50});
		app = shown.app;
		shown.script.push(
			...start,
			event(1, 'hello-color-dev', 'UPDATE_IN_PROGRESS', 'User Initiated'),
			event(2, 'TaskDefinition', 'UPDATE_COMPLETE'),
			{code: 'service.deployment', role: 'new', deployment: {id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/hello-color-dev:7', rolloutState: 'IN_PROGRESS', desired: 2, pending: 1, running: 1, failed: 2}},
			{code: 'service.deployment', role: 'old', deployment: {id: 'ecs-svc/0', status: 'ACTIVE', taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/hello-color-dev:6', rolloutState: 'COMPLETED', desired: 2, pending: 0, running: 2, failed: 0}},
			{code: 'task', task: {id: 'abcdef0123456789', revision: 'hello-color-dev:7', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 1}]}},
			{code: 'service.event', id: 's1', createdAt: t0 + 3000, message: '(service hello-color-dev) has started 1 tasks: (task abcdef0123456789).'},
			{code: 'failure', reasons: [{source: 'container', subject: 'web', message: 'exited with exit code 1', hint: 'The application exited: its last log lines (below) usually say why.'}]},
			{code: 'logs', container: 'web', taskId: 'abcdef0123456789', lines: ['Error: required setting DATABASE_URL is not set']},
		);
		const frame = await waitForText(shown.app, 'exited with exit code 1');
		for (const pane of ['Stack events', 'ECS deployment', 'Tasks', 'Service events', 'Problems']) expect(frame).toContain(pane);
		expect(frame).toMatch(/new\s+IN_PROGRESS\s+\S+ 1\/2 running, 1 pending, 2 failed/);
		expect(frame).toMatch(/old\s+COMPLETED/);
		expect(frame).toContain('abcdef01');
		expect(frame).toContain('Essential container');
		expect(frame).toContain('hint: The application exited');
		expect(frame).toContain('| Error: required setting DATABASE_URL is not set');
		expect(frame).toContain('has started 1 tasks');
		expect(frame.split('\n').length).toBeLessThanOrEqual(49);
	});

	test('at 80×24 the panes become tabs; Tab moves between them; the frame never grows past the terminal', async () => {
		const shown = show({columns: 80, rows: 24});
		app = shown.app;
		shown.script.push(...start, ...Array.from({length: 200}, (_, i) => event(i, `Resource${i}`, 'UPDATE_IN_PROGRESS', `a long reason ${'x'.repeat(200)}`)));
		const frame = await waitForText(shown.app, 'Resource199');
		expect(frame).toContain(' Stack events ');
		expect(frame).not.toContain('Resource150 ');
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		await press(shown.app, keys.tab);
		await waitForText(shown.app, 'the ECS deployment starts when CloudFormation updates the service');
	});

	test('↑ stops following and Enter shows the selected event whole; / filters the pane', async () => {
		const shown = show({columns: 120, rows: 40});
		app = shown.app;
		shown.script.push(...start, event(1, 'TaskDefinition', 'UPDATE_FAILED', `Resource handler returned message: "${'very long reason '.repeat(12)}END"`), event(2, 'Service', 'UPDATE_IN_PROGRESS'));
		// The rows are on screen before the keys (the pane's title says "Service events" from the start).
		await waitForText(shown.app, /Service +UPDATE_IN_PROGRESS/);
		await press(shown.app, keys.up, keys.enter);
		const details = await waitForText(shown.app, 'END"');
		expect(details).toContain('UPDATE_FAILED');
		await press(shown.app, keys.enter);
		await press(shown.app, '/', 'S', 'e', 'r', 'v', keys.enter);
		const filtered = await waitForText(shown.app, 'filter "Serv"');
		expect(filtered).not.toMatch(/TaskDefinition\s+UPDATE_FAILED/);
	});

	test('c asks first, then cancels the run; d detaches and goes back', async () => {
		const shown = show({columns: 120, rows: 40});
		app = shown.app;
		shown.script.push(...start);
		await waitForText(shown.app, 'UPDATE_IN_PROGRESS');
		await press(shown.app, 'c');
		await waitForText(shown.app, 'Cancel the deploy?');
		expect(shown.script.run.cancel).not.toHaveBeenCalled();
		await press(shown.app, 'y');
		expect(shown.script.run.cancel).toHaveBeenCalledTimes(1);
		await press(shown.app, 'd');
		await waitForText(shown.app, 'detached: the deploy goes on in AWS');
		expect(shown.script.run.detach).toHaveBeenCalled();
		expect(shown.runs.getSnapshot()[0]?.detached).toBe(true);
	});

	test('q while a deploy is watched asks: detach and quit, cancel, or stay', async () => {
		const shown = show({columns: 120, rows: 40});
		app = shown.app;
		shown.script.push(...start);
		await waitForText(shown.app, 'UPDATE_IN_PROGRESS');
		await press(shown.app, 'q');
		const dialog = await waitForText(shown.app, 'Quit?');
		expect(dialog).toContain('the deploy goes on in AWS');
		await press(shown.app, 'n');
		expect(screen(shown.app)).not.toContain('Quit?');
	});

	test('when it ends: the summary with the result, duration, release, changes, outputs and next actions', async () => {
		const shown = show({columns: 120, rows: 40});
		app = shown.app;
		shown.script.push(...start);
		shown.script.end({
			outcome: 'succeeded',
			project: 'hello-color',
			environment: 'dev',
			stackName: 'hello-color-dev',
			stackStatus: 'UPDATE_COMPLETE',
			release: {version: '1.4.1', images: {web: {tag: '1.4.1'}}, source: 'stored'},
			message: 'release 1.4.1 is serving in dev',
			durationMs: 95_000,
			changes: [{action: 'Modify', logicalId: 'TaskDefinition', resourceType: 'AWS::ECS::TaskDefinition', replacement: 'True', scope: ['Properties']}],
			outputs: {ServiceArn: 'arn:aws:ecs:eu-west-1:1:service/sandbox/hello-color-dev'},
			confirmed: ['stack UPDATE_COMPLETE', 'rollout COMPLETED', '1 of 1 tasks running'],
		});
		const frame = await waitForText(shown.app, '✓ succeeded: release 1.4.1 is serving in dev');
		expect(frame).toContain('1m 35s');
		expect(frame).toContain('1 modify');
		expect(frame).toContain('ServiceArn: arn:aws:ecs:eu-west-1:1:service/sandbox/hello-color-dev');
		expect(await waitForText(shown.app, 'p promote to staging')).toContain('r roll back');
	});
});
