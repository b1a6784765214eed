import path from 'node:path';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import type {Engine} from '../../source/engine/engine.js';
import {commandWords, newTaskForm, taskFormKey} from '../../source/ui/screens/task/task-form.js';
import {parseKey} from '../../source/ui/input/keys.js';
import {renderApp, type AppHarness, type AppHarnessOptions} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, settle, waitForText} from '../helpers/ink.js';

/*
 * `t` on the project screen: a one-off task in the selected environment. The container is chosen, the
 * command typed (kept until the run starts, whatever Esc leaves), confirmed; then the task's state and log
 * lines to its end, and the container's exit code as the verdict (✓ only for 0).
 */

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

const hello = 'recipes/hello-color.yaml';

/** The app with a spy on the engine's runTask (the real use case runs underneath). */
function render(options: AppHarnessOptions) {
	const runTask = vi.fn<Engine['runTask']>();
	const harness = renderApp({
		...options,
		wrapEngine: engine => ({
			...engine,
			runTask: (input, host) => {
				runTask(input, host);
				return engine.runTask(input, host);
			},
		}),
	});
	return {harness, runTask};
}

async function deployed(harness: AppHarness, recipeFile: string, tags: Record<string, string>) {
	const run = harness.engine.deploy({recipeFile: path.join(repoRoot, recipeFile), environment: 'dev', target: sandboxTarget, images: tags, reattach: 'watch'}, recordingHost({'execute-change-set': true}));
	expect((await run.result).outcome).toBe('succeeded');
}

/** Writes the keys in one read, then waits until every one was handled. */
async function write(harness: AppHarness, keysAtOnce: string) {
	await settle();
	harness.app.stdin.write(keysAtOnce);
	await settle();
}

describe('one-off task screen', () => {
	test('t, a command typed in one write, Enter, y: the task streams its log and the verdict is the exit code (non-zero: ✗)', async () => {
		const {harness, runTask} = render({recipes: [hello], route: {name: 'project', file: hello, environment: 'dev'}, size: {columns: 80, rows: 24}});
		h = harness;
		await deployed(harness, hello, {web: '1.4.0'});
		await waitForText(harness.app, 'Environments (promotion order)');
		await press(harness.app, 't');
		await waitForText(harness.app, 'One-off task in dev');
		await write(harness, "sh -c 'migrate; exit 3'");
		expect(screen(harness.app)).toContain("sh -c 'migrate; exit 3'");
		await press(harness.app, keys.enter);
		await waitForText(harness.app, "Run sh -c 'migrate; exit 3' in web of dev?");
		expect(runTask).not.toHaveBeenCalled();
		await press(harness.app, 'y');
		const frame = await waitForText(harness.app, '✗ web exited 3', 5000);
		expect(runTask).toHaveBeenCalledTimes(1);
		expect(runTask.mock.calls[0]![0]).toMatchObject({environment: 'dev', container: 'web', command: ['sh', '-c', 'migrate; exit 3']});
		expect(frame).toContain('Process exited with code 3');
		expect(frame).toMatch(/task [0-9a-f]{12} STOPPED/);
		expect(frame).not.toContain('✓');
		expect(frame).toContain('t try again');
	});

	test('exit 0 is ✓, with the log lines; t tries again with the command typed again', async () => {
		const {harness, runTask} = render({recipes: [hello], route: {name: 'project', file: hello, environment: 'dev'}, size: {columns: 120, rows: 40}});
		h = harness;
		await deployed(harness, hello, {web: '1.4.0'});
		await waitForText(harness.app, 'Environments (promotion order)');
		expect(screen(harness.app)).toContain('t task');
		await press(harness.app, 't');
		await waitForText(harness.app, 'One-off task in dev');
		await write(harness, `./migrate up${keys.enter}y`);
		const frame = await waitForText(harness.app, '✓ web exited 0', 5000);
		expect(frame).toContain('All migrations applied');
		expect(runTask.mock.calls[0]![0]).toMatchObject({container: 'web', command: ['./migrate', 'up']});
		await press(harness.app, 't');
		await waitForText(harness.app, 'Command ./migrate up');
	});

	test('Esc goes back without losing what was typed: from the confirmation to the form, from the form to the project and back', async () => {
		const {harness, runTask} = render({recipes: [hello], route: {name: 'project', file: hello, environment: 'dev'}});
		h = harness;
		await waitForText(harness.app, 'Environments (promotion order)');
		await press(harness.app, 't');
		await waitForText(harness.app, 'One-off task in dev');
		await write(harness, 'npm run migrat');
		await write(harness, `e${keys.enter}`);
		await waitForText(harness.app, 'Run npm run migrate in web of dev?');
		await press(harness.app, keys.escape);
		await waitForText(harness.app, frame => !frame.includes('Run npm run migrate in web') && frame.includes('Command npm run migrate'));
		await press(harness.app, keys.escape);
		await waitForText(harness.app, 'Environments (promotion order)');
		await press(harness.app, 't');
		await waitForText(harness.app, 'Command npm run migrate');
		// Five Backspaces in one read: each one erases.
		await write(harness, keys.backspace.repeat(5));
		await waitForText(harness.app, frame => /Command npm run\s*$/m.test(frame) || frame.includes('Command npm run '));
		expect(screen(harness.app)).not.toContain('migrate');
		expect(runTask).not.toHaveBeenCalled();
	});

	test('the container is chosen from the service\'s containers (↑↓), and q typed in the command is a letter, not quit', async () => {
		const invoice = 'recipes/invoice-worker.yaml';
		const {harness, runTask} = render({recipes: [invoice], route: {name: 'task', file: invoice, environment: 'dev'}});
		h = harness;
		await waitForText(harness.app, 'log-router');
		expect(screen(harness.app)).toMatch(/❯ log-router/);
		await write(harness, `${keys.down}${keys.tab}`);
		expect(screen(harness.app)).toMatch(/❯ worker/);
		await write(harness, `bin/requeue --quiet${keys.enter}`);
		await waitForText(harness.app, 'Run bin/requeue --quiet in worker of dev?');
		await press(harness.app, 'y');
		// Never deployed: the verdict says so, never ✓.
		const frame = await waitForText(harness.app, /✗ .*dev has not been deployed/, 5000);
		expect(frame).not.toContain('✓');
		expect(runTask.mock.calls[0]![0]).toMatchObject({container: 'worker', command: ['bin/requeue', '--quiet']});
	});

	test('a shell operator outside quotes is refused, naming what to write', async () => {
		const {harness, runTask} = render({recipes: [hello], route: {name: 'task', file: hello, environment: 'dev'}});
		h = harness;
		await waitForText(harness.app, 'One-off task in dev');
		await write(harness, `migrate && seed${keys.enter}`);
		await waitForText(harness.app, `"&&" is the shell's: write sh -c '…' to run a shell line`);
		expect(screen(harness.app)).not.toContain('Run migrate');
		expect(runTask).not.toHaveBeenCalled();
	});
});

describe('the task form (pure)', () => {
	const key = (text: string) => parseKey(text);

	test('commands split as a shell would; $NAME is left for the container\'s shell', () => {
		expect(commandWords(`sh -c 'echo $HOME; exit 2'`)).toEqual({words: ['sh', '-c', 'echo $HOME; exit 2']});
		expect(commandWords('rake db:migrate $RAILS_ENV')).toEqual({words: ['rake', 'db:migrate', '$RAILS_ENV']});
		expect(commandWords('   ')).toEqual({words: []});
		expect(commandWords('a | b')).toEqual({problem: `"|" is the shell's: write sh -c '…' to run a shell line`});
	});

	test('a letter typed on the container list goes to the command', () => {
		const form = newTaskForm(['a', 'b']);
		expect(form.focus).toBe('container');
		const next = taskFormKey(form, key('x'))!.form;
		expect(next).toMatchObject({focus: 'command', command: {text: 'x'}, container: 0});
	});
});
