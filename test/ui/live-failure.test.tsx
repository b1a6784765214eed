import path from 'node:path';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
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
import {renderApp, type AppHarness} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {renderWide} from '../helpers/terminal.js';

/* Failure first: what went wrong leads the live view, and every row opens whole. */

const catalog: RecipeCatalog = {
	folder: './recipes',
	list: async () => [{file: 'recipes/hello-color.yaml', name: 'hello-color', environments: ['dev', 'staging'], images: [], containers: ['web'], problems: []}],
};

function show(size: {columns: number; rows: number}) {
	const runs = new RunRegistry();
	let store!: RunStore;
	const starts = vi.fn();
	const entry = runs.add({kind: 'deploy', recipeFile: 'recipes/hello-color.yaml', project: 'hello-color', environment: 'dev'}, s => {
		store = s;
		starts();
		return {control: new RunControl(), result: new Promise(() => undefined), cancel: vi.fn(), detach: vi.fn()} as unknown as DeployRun;
	});
	const app = renderWide(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} runs={runs} questions={new QuestionQueue()} initialRoute={{name: 'live', runId: entry.id}} />
		</TerminalSizeContext.Provider>,
		size.columns + 40,
	);
	return {app, runs, starts, push: (...events: EngineEvent[]) => events.forEach(e => store.push(e)), end: (result: DeployResult) => store.push({code: 'deploy.end', result})};
}

let app: ReturnType<typeof renderWide> | undefined;
let h: AppHarness | undefined;
afterEach(() => {
	app?.unmount();
	h?.app.unmount();
	app = undefined;
	h = undefined;
});

const t0 = Date.parse('2026-11-23T10:00:00Z');
const hint = 'The application exited: its last log lines (below) usually say why; check its configuration and environment variables.';
const crash: EngineEvent[] = [
	{code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev', releaseVersion: '1.4.1-crashloop'},
	{code: 'stack.status', status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated'},
	{code: 'stack.event', event: {id: 'e1', timestamp: t0, logicalId: 'hello-color-dev', resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_IN_PROGRESS', reason: 'User Initiated'}},
	{code: 'task', task: {id: 'abcdef0123456789abcdef0123456789', revision: 'hello-color-dev:7', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 1, lastStatus: 'STOPPED'}]}},
	{code: 'service.event', id: 's1', createdAt: t0 + 3000, message: `(service hello-color-dev) has stopped 1 running tasks: (task abcdef0123456789abcdef0123456789). ${'and a long tail '.repeat(12)}END-OF-EVENT`},
	{code: 'failure', reasons: [{source: 'container', subject: 'web', message: 'exited with exit code 1', hint}]},
	{code: 'logs', container: 'web', taskId: 'abcdef0123456789abcdef0123456789', lines: ['Starting server on :8080', 'Loading configuration from environment', 'Error: required setting DATABASE_URL is not set', 'Process exited with code 1']},
];
const rolledBack: DeployResult = {
	outcome: 'rolled-back',
	project: 'hello-color',
	environment: 'dev',
	stackName: 'hello-color-dev',
	stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
	release: {version: '1.4.1-crashloop', images: {web: {tag: '1.4.1-crashloop'}}, source: 'new'},
	message: 'the deploy failed (UPDATE_ROLLBACK_COMPLETE): exited with exit code 1',
	durationMs: 41_000,
	reasons: [{source: 'container', subject: 'web', message: 'exited with exit code 1', hint}],
	changes: [],
};

describe('failure first', () => {
	test('at 80×24 a crash loop puts Problems in view without Tab, and the summary leads with the root cause, its hint and the log lines', async () => {
		const shown = show({columns: 80, rows: 24});
		app = shown.app;
		shown.push(...crash);
		const during = await waitForText(shown.app, /│Problems 1/);
		expect(during).toContain('✗ web: exited with exit code 1');
		shown.end(rolledBack);
		const frame = await waitForText(shown.app, '↺ rolled back');
		expect(frame).toContain('root cause: web: exited with exit code 1');
		expect(frame).toMatch(/hint: The application exited: its last log lines \(below\) usually say why;/);
		expect(frame).toContain('web | Error: required setting DATABASE_URL is not set');
		expect(frame).toContain('web | Process exited with code 1');
		expect(frame).toMatch(/│Problems 1/);
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
	});

	test('Enter on the problem shows it whole: the reason, the whole hint and the container\'s log lines; ↓ scrolls, Esc goes back', async () => {
		const shown = show({columns: 80, rows: 24});
		app = shown.app;
		shown.push(...crash);
		shown.end(rolledBack);
		await waitForText(shown.app, '↺ rolled back');
		await press(shown.app, keys.enter);
		const details = await waitForText(shown.app, '✗ web');
		expect(details.replace(/\s*│\s*/g, ' ')).toContain('check its configuration and environment variables.');
		expect(details).toContain('last log lines of web (task abcdef0123456789abcdef0123456789):');
		await press(shown.app, keys.down, keys.down, keys.pageDown);
		await waitForText(shown.app, '| Process exited with code 1');
		await press(shown.app, keys.escape);
		await waitForText(shown.app, /│Problems 1/);
		expect(screen(shown.app)).not.toContain('↵ or esc closes');
	});

	test('Enter on a task and on a service event shows each whole', async () => {
		const shown = show({columns: 120, rows: 40});
		app = shown.app;
		shown.push(...crash);
		await waitForText(shown.app, '❯✗ web');
		// Problems has the focus: Shift+Tab goes back to the service events, then to the tasks.
		await press(shown.app, '\u001B[Z', '\u001B[Z');
		await press(shown.app, keys.enter);
		const task = await waitForText(shown.app, 'Task abcdef01 STOPPED');
		expect(task).toContain('stopped: Essential container in task exited (EssentialContainerExited)');
		expect(task).toContain('container web: STOPPED · exit code 1');
		await press(shown.app, keys.enter);
		await press(shown.app, keys.tab);
		await press(shown.app, keys.enter);
		const event = await waitForText(shown.app, 'Service event');
		expect(event).toContain('END-OF-EVENT');
	});

	test('at 160×50 the selected problem row stays inside its pane', async () => {
		const shown = show({columns: 160, rows: 50});
		app = shown.app;
		shown.push(...crash, {code: 'failure', reasons: [{source: 'container', subject: 'web', message: `exited with exit code 1 ${'and a reason much longer than the pane is wide '.repeat(4)}`, hint}]});
		await waitForText(shown.app, /Problems 1/);
		await press(shown.app, keys.down);
		const frame = screen(shown.app);
		const lines = frame.split('\n');
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(160);
		// The Problems pane is the right one of the bottom row: its rows end on its border.
		const rows = lines.filter(line => line.includes('❯'));
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) expect(row.trimEnd().endsWith('│'), row).toBe(true);
	});

	test('after an error, t starts the same run again', async () => {
		const shown = show({columns: 80, rows: 24});
		app = shown.app;
		shown.push(crash[0]!);
		shown.end({outcome: 'error', project: 'hello-color', environment: 'dev', step: 'change-set', code: 'InternalFailure', hint: 'AWS had a problem: try again in a moment.', message: 'creating the change set failed: InternalFailure', durationMs: 1000});
		const frame = await waitForText(shown.app, 'InternalFailure during change-set');
		expect(frame).toContain('hint: AWS had a problem: try again in a moment.');
		expect(frame).toContain('t try again');
		expect(shown.starts).toHaveBeenCalledTimes(1);
		await press(shown.app, 't');
		expect(shown.starts).toHaveBeenCalledTimes(2);
		expect(shown.runs.getSnapshot()).toHaveLength(2);
		await waitForText(shown.app, frame => !frame.includes('InternalFailure'));
	});
});

describe('a stack stuck in UPDATE_ROLLBACK_FAILED', () => {
	const hello = 'recipes/hello-color.yaml';
	const deploy = (harness: AppHarness, tag: string) =>
		harness.engine.deploy({recipeFile: path.join(repoRoot, hello), environment: 'dev', target: sandboxTarget, images: {web: tag}, reattach: 'watch'}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;

	test('on the project screen r continues the rollback (asks first), and the live view follows it to the verdict', async () => {
		h = renderApp({recipes: [hello], size: {columns: 120, rows: 40}});
		await deploy(h, '1.3.0');
		expect((await deploy(h, '1.4.1-stuck-rollback')).outcome).toBe('stuck');
		const {account, workspace} = h;
		h.app.unmount();
		h = renderApp({recipes: [hello], size: {columns: 120, rows: 40}, account, workspace});
		await waitForText(h.app, /❯ hello-color\s+✗ stuck/);
		await press(h.app, keys.enter);
		await waitForText(h.app, /❯ dev\s+✗ stuck/);
		await press(h.app, 'r');
		await waitForText(h.app, 'Continue the rollback?');
		await press(h.app, 'y');
		await waitForText(h.app, 'Continuing the rollback of hello-color → dev');
		const done = await waitForText(h.app, '↺ rolled back: the rollback was completed', 10_000);
		expect(done).toMatch(/release 1\.3\.0 serves/);
	});

	test('watching it (Enter), the live view says stuck and r continues the rollback there', async () => {
		h = renderApp({recipes: [hello], size: {columns: 120, rows: 40}});
		await deploy(h, '1.3.0');
		await deploy(h, '1.4.1-stuck-rollback');
		const {account, workspace} = h;
		h.app.unmount();
		h = renderApp({recipes: [hello], size: {columns: 120, rows: 40}, account, workspace});
		await waitForText(h.app, /❯ hello-color\s+✗ stuck/);
		await press(h.app, keys.enter);
		await waitForText(h.app, /❯ dev\s+✗ stuck/);
		await press(h.app, keys.enter);
		const stuck = await waitForText(h.app, '✗ stuck:');
		expect(stuck).toContain('r continue the rollback');
		expect(stuck).toMatch(/root cause: /);
		await press(h.app, 'r');
		await waitForText(h.app, 'Continue the rollback?');
		await press(h.app, 'y');
		await waitForText(h.app, 'Continuing the rollback of hello-color → dev');
		await waitForText(h.app, '↺ rolled back: the rollback was completed', 10_000);
	});
});
