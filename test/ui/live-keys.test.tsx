import {afterEach, describe, expect, test, vi} from 'vitest';
import type {DeployRun} from '../../source/engine/deploy/deploy-release.js';
import type {EngineEvent} from '../../source/engine/core/host.js';
import type {DeployResult} from '../../source/engine/core/results.js';
import {RunControl} from '../../source/engine/core/run-control.js';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {QuestionQueue} from '../../source/ui/runs/questions.js';
import {RunRegistry, type AppRun} from '../../source/ui/runs/run-registry.js';
import type {RunStore} from '../../source/ui/runs/run-store.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {renderWide} from '../helpers/terminal.js';

/* The live view's keys and summary on a scripted run (the test plays what the engine reports). */

const catalog: RecipeCatalog = {
	folder: './recipes',
	list: async () => [{file: 'recipes/hello-color.yaml', name: 'hello-color', environments: ['dev', 'staging'], images: [], containers: ['web'], problems: []}],
};

function show(kind: AppRun['kind'], size = {columns: 80, rows: 24}) {
	const runs = new RunRegistry();
	let store!: RunStore;
	let finish: (result: DeployResult) => void = () => {};
	const run: DeployRun = {control: new RunControl(), result: new Promise(resolve => (finish = resolve)), cancel: vi.fn(), detach: vi.fn()} as unknown as DeployRun;
	const entry = runs.add({kind, recipeFile: 'recipes/hello-color.yaml', project: 'hello-color', environment: 'dev'}, s => ((store = s), run));
	const app = renderWide(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} runs={runs} questions={new QuestionQueue()} initialRoute={{name: 'live', runId: entry.id}} />
		</TerminalSizeContext.Provider>,
		size.columns + 40,
	);
	return {app, push: (...events: EngineEvent[]) => events.forEach(e => store.push(e)), end: (result: DeployResult) => (store.push({code: 'deploy.end', result}), finish(result))};
}

const succeeded = (durationMs: number): DeployResult => ({
	outcome: 'succeeded',
	project: 'hello-color',
	environment: 'dev',
	stackName: 'hello-color-dev',
	stackStatus: 'UPDATE_COMPLETE',
	release: {version: '1.4.1', images: {web: {tag: '1.4.1'}}, source: 'aws'},
	message: 'release 1.4.1 is serving in dev',
	durationMs,
	changes: [],
	outputs: {},
	confirmed: ['stack UPDATE_COMPLETE', 'rollout COMPLETED', '1 of 1 tasks running'],
});

let app: ReturnType<typeof renderWide> | undefined;
afterEach(() => app?.unmount());

describe('the live view', () => {
	test('attached to an operation that had already ended, the summary names no duration (not "· 0s")', async () => {
		const shown = show('attach');
		app = shown.app;
		shown.push({code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev', releaseVersion: '1.4.1'});
		shown.end(succeeded(12));
		const frame = await waitForText(shown.app, '✓ succeeded');
		expect(frame).toMatch(/dev · UPDATE_COMPLETE/);
		expect(frame).not.toContain('· 0s');
	});

	test('attached to an operation in progress, it is timed from when the operation began', async () => {
		const shown = show('attach');
		app = shown.app;
		shown.push({code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev', releaseVersion: '1.4.1', startedAt: Date.now() - 95_000});
		shown.end(succeeded(95_000));
		expect(await waitForText(shown.app, '✓ succeeded')).toContain('dev · 1m 35s');
	});

	test('Tab Tab moves two panes on, Shift+Tab one back', async () => {
		const shown = show('deploy');
		app = shown.app;
		shown.push({code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev'});
		await waitForText(shown.app, 'Stack events');
		shown.app.stdin.write('\t\t');
		await waitForText(shown.app, /│Tasks/);
		await press(shown.app, '\u001B[Z');
		await waitForText(shown.app, /│ECS deployment/);
		expect(screen(shown.app)).not.toMatch(/│Tasks/);
	});

	test('the footer under the cancel question shows its keys; Esc closes it and the run goes on', async () => {
		const shown = show('deploy');
		app = shown.app;
		shown.push({code: 'deploy.start', project: 'hello-color', environment: 'dev', stackName: 'hello-color-dev'});
		await waitForText(shown.app, 'Stack events');
		await press(shown.app, 'c');
		const asked = await waitForText(shown.app, 'Cancel the deploy?');
		expect(asked.trimEnd().split('\n').at(-1)).toBe('? help  ·  y yes  ·  n no  ·  q quit');
		await press(shown.app, keys.escape);
		expect(screen(shown.app)).not.toContain('Cancel the deploy?');
		expect(screen(shown.app)).toContain('Deploying hello-color → dev');
	});
});
