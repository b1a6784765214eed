import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';

/* Live logs: the logs pane of the live view and of the project screen, on the sandbox (its tasks log). */

let h: AppHarness | undefined;
afterEach(() => {
	h?.app.unmount();
	h = undefined;
});

const hello = 'recipes/hello-color.yaml';
const deploy = (harness: AppHarness, tag: string) =>
	harness.engine.deploy({recipeFile: path.join(repoRoot, hello), environment: 'dev', target: sandboxTarget, images: {web: tag}, reattach: 'watch'}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;

/** Deploys, then opens the app again on the same account (another session) and goes to the project. */
async function projectAfter(tags: readonly string[], size = {columns: 120, rows: 40}): Promise<AppHarness> {
	const before = renderApp({recipes: [hello], size});
	for (const tag of tags) await deploy(before, tag);
	before.app.unmount();
	const after = renderApp({recipes: [hello], size, account: before.account, workspace: before.workspace});
	await waitForText(after.app, /❯ hello-color\s+\S/);
	await press(after.app, keys.enter);
	await waitForText(after.app, 'Environments (promotion order)');
	return after;
}

describe('logs', () => {
	test('on the project screen l follows the environment\'s tasks: lines as they are written, / filters, space pauses, Esc closes', async () => {
		h = await projectAfter(['1.3.0']);
		await press(h.app, 'l');
		const first = await waitForText(h.app, /web\/[0-9a-f]{8} GET \/health 200[^]*GET \/health 200/);
		expect(first).toContain('Logs of dev');
		await waitForText(h.app, /following 1 log stream/);
		// The sandbox plays 500 times faster: the task has written many lines since it started; / finds the first.
		await press(h.app, '/', ...'starting', keys.enter);
		await waitForText(h.app, /web\/[0-9a-f]{8} Starting web \(hello-color:1\.3\.0\)/);
		await press(h.app, keys.escape);
		await waitForText(h.app, frame => !frame.includes('filter "starting"'));
		await press(h.app, '/', ...'health', keys.enter);
		const filtered = await waitForText(h.app, 'filter "health"');
		expect(filtered).not.toContain('Starting web');
		await press(h.app, ' ');
		await waitForText(h.app, /paused · \d+ new lines? · space resumes/, 3000);
		const paused = screen(h.app).split('\n').filter(line => line.includes('GET /health'));
		await press(h.app, ' ');
		await waitForText(h.app, frame => !frame.includes('paused'));
		expect(paused.length).toBeGreaterThan(0);
		await press(h.app, keys.escape, keys.escape);
		await waitForText(h.app, frame => !frame.includes('Logs of dev'));
		expect(screen(h.app)).toContain('Environments (promotion order)');
	});

	test('at 80×24 after a crash loop, the live view\'s l shows the new tasks\' logs, their last words included', async () => {
		h = await projectAfter(['1.3.0', '1.4.1-crashloop'], {columns: 80, rows: 24});
		await press(h.app, keys.enter);
		await waitForText(h.app, '↺ rolled back');
		await press(h.app, 'l');
		const frame = await waitForText(h.app, /web\/[0-9a-f]{8} Error: required setting DATABASE_URL is not set/);
		expect(frame).toMatch(/│Logs/);
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		await press(h.app, keys.up, keys.enter);
		await waitForText(h.app, /Log of web \(task [0-9a-f]{32}\)/);
	});
});
