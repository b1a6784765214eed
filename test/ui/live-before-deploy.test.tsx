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
import {RunStore} from '../../source/ui/runs/run-store.js';
import {beforeDeployWords} from '../../source/ui/screens/live/summary.js';
import {waitForText} from '../helpers/ink.js';
import {renderWide} from '../helpers/terminal.js';

/* The beforeDeploy step in the live view: the status line says it and the task's state; its log lines show. */

const catalog: RecipeCatalog = {
	folder: './recipes',
	list: async () => [{file: 'recipes/orders-api.yaml', name: 'orders-api', environments: ['dev'], images: [], containers: ['api'], problems: []}],
};

function show(size: {columns: number; rows: number}) {
	const runs = new RunRegistry();
	let store!: RunStore;
	const entry = runs.add({kind: 'deploy', recipeFile: 'recipes/orders-api.yaml', project: 'orders-api', environment: 'dev'}, s => {
		store = s;
		return {control: new RunControl(), result: new Promise(() => undefined), cancel: vi.fn(), detach: vi.fn()} as unknown as DeployRun;
	});
	const app = renderWide(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} runs={runs} questions={new QuestionQueue()} initialRoute={{name: 'live', runId: entry.id}} />
		</TerminalSizeContext.Provider>,
		size.columns + 40,
	);
	return {app, push: (...events: EngineEvent[]) => events.forEach(e => store.push(e))};
}

let app: ReturnType<typeof renderWide> | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const taskId = '0123456789abcdef0123456789abcdef';
const started: EngineEvent[] = [
	{code: 'deploy.start', project: 'orders-api', environment: 'dev', stackName: 'orders-api-dev', releaseVersion: '1.4.1-migration-fails'},
	{code: 'plan', plan: {kind: 'update'}, stackStatus: 'UPDATE_COMPLETE'},
	{code: 'step', step: 'before-deploy'},
	{code: 'before-deploy', task: 'migrate', container: 'api', state: 'running', taskId, message: `beforeDeploy migrate: task ${taskId} (api: npm run migrate)`},
	{code: 'task', task: {id: taskId, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', containers: [{name: 'api', lastStatus: 'RUNNING'}]}},
	{code: 'task.output', container: 'api', taskId, lines: ['Running npm run migrate', 'Applying migration 0044_drop_legacy_id … failed']},
];
const failedResult: DeployResult = {
	outcome: 'failed',
	project: 'orders-api',
	environment: 'dev',
	stackName: 'orders-api-dev',
	stackStatus: 'UPDATE_COMPLETE',
	message: `beforeDeploy task migrate failed (task ${taskId}): api exited 2; the service was not changed`,
	durationMs: 12_000,
	reasons: [{source: 'task', subject: 'beforeDeploy migrate', message: 'api exited 2 (EssentialContainerExited: Essential container in task exited)'}],
	changes: [],
};

describe('beforeDeploy in the live view', () => {
	for (const size of [{columns: 80, rows: 24}, {columns: 120, rows: 40}]) {
		test(`at ${size.columns}×${size.rows} the status line names the step and the task's state (not the stack's), then the failure and the log lead`, async () => {
			const shown = show(size);
			app = shown.app;
			shown.push(...started);
			const running = await waitForText(shown.app, 'running the beforeDeploy tasks: migrate RUNNING');
			expect(running).not.toMatch(/^UPDATE_COMPLETE/m);
			// Wide enough for the panes side by side: the task's state and its log lines are in view as they come.
			if (size.columns >= 120) expect(running).toMatch(/RUNNING[^]*Applying migration 0044/);
			shown.push(
				{code: 'task', task: {id: taskId, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{name: 'api', lastStatus: 'STOPPED', exitCode: 2}]}},
				{code: 'task.output', container: 'api', taskId, lines: ['ERROR: cannot drop column legacy_id', 'Process exited with code 2']},
				{code: 'before-deploy', task: 'migrate', container: 'api', state: 'failed', taskId, exitCode: 2, message: failedResult.message, lastLines: ['ERROR: cannot drop column legacy_id', 'Process exited with code 2']},
				{code: 'failure', reasons: failedResult.reasons},
				{code: 'deploy.end', result: failedResult},
			);
			const ended = await waitForText(shown.app, 'api exited 2');

			expect(ended).toContain('ERROR: cannot drop column legacy_id');
			expect(ended).not.toContain('✓');
		});
	}

	test('the store keeps the task\'s log lines with the run (a one-off task\'s are not the live view\'s)', () => {
		const store = new RunStore({schedule: () => undefined});
		store.push({code: 'task.output', container: 'api', taskId: 'other', lines: ['not ours']});
		for (const e of started) store.push(e);
		store.flush();
		const snapshot = store.getSnapshot();
		expect(snapshot.beforeDeploy).toEqual([{task: 'migrate', container: 'api', state: 'running', taskId, message: `beforeDeploy migrate: task ${taskId} (api: npm run migrate)`}]);
		expect(snapshot.logs).toEqual([{container: 'api', taskId, lines: ['Running npm run migrate', 'Applying migration 0044_drop_legacy_id … failed']}]);
		expect(beforeDeployWords(snapshot)).toBe('running the beforeDeploy tasks: migrate RUNNING');
	});
});
