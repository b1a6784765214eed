import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parse, stringify} from 'yaml';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Engine} from '../../../source/engine/engine.js';
import {fileCatalog} from '../../../source/ui/run.js';
import {renderApp, type AppHarness, type AppHarnessOptions} from '../../helpers/app.js';
import {repoRoot} from '../../helpers/cli.js';
import {keys, press, screen, waitForText} from '../../helpers/ink.js';
import {deployReleases, helloColor} from './releases.js';

const keyEnd = '\u001B[F';
const route = {name: 'history', file: helloColor, environment: 'dev'} as const;

let harnesses: AppHarness[] = [];
afterEach(() => {
	for (const h of harnesses) h.app.unmount();
	harnesses = [];
});

/** Deploys the releases (an earlier session), then opens the history browser on dev, on the same account and workspace. */
async function historyAfter(tags: readonly string[], options: AppHarnessOptions & {recipeFile?: string; values?: Record<string, string>} = {}): Promise<AppHarness> {
	const before = renderApp({...(options.catalog ? {catalog: options.catalog} : {})});
	harnesses.push(before);
	await deployReleases(before, tags, {...(options.recipeFile ? {recipeFile: options.recipeFile} : {}), ...(options.values ? {values: options.values} : {})});
	before.app.unmount();
	harnesses = [];
	const h = renderApp({route, size: {columns: 80, rows: 24}, ...options, account: before.account, workspace: before.workspace});
	harnesses.push(h);
	return h;
}

/** Spies on engine use cases (they keep working). */
function spy<K extends keyof Engine>(...names: K[]) {
	const spies = {} as Record<K, ReturnType<typeof vi.fn>>;
	const wrapEngine = (engine: Engine): Engine => {
		const wrapped = {...engine};
		for (const name of names) {
			spies[name] = vi.fn(engine[name] as (...args: never[]) => unknown);
			(wrapped as Record<string, unknown>)[name] = spies[name];
		}
		return wrapped;
	};
	return {spies, wrapEngine};
}

/** The event rows of a frame (not the operation headings). */
const eventLines = (frame: string) => frame.split('\n').filter(line => /^\S?\s+\d\d:\d\d:\d\d /.test(line));

const lineOf = (frame: string, text: string) => frame.split('\n').findIndex(line => line.includes(text));

describe('deployments', () => {
	test('newest first, with result, duration and who; the one running now is marked; at 80×24 the frame fits', async () => {
		const h = await historyAfter(['1.0.0', '1.1.0', '1.4.1-crashloop']);
		const frame = await waitForText(h.app, '3 deployments');
		expect(lineOf(frame, '1.4.1-crashloop')).toBeLessThan(lineOf(frame, '1.1.0'));
		expect(lineOf(frame, '1.1.0')).toBeLessThan(lineOf(frame, '1.0.0 '));
		expect(frame.split('\n').find(line => line.includes('1.4.1-crashloop'))).toMatch(/rolled back .*tester@ci/);
		expect(frame.split('\n').find(line => line.includes('1.1.0'))).toMatch(/succeeded .*running now/);
		expect(frame.split('\n').find(line => line.includes('1.0.0 '))).not.toContain('running now');
		// The selected (newest) deployment's reason is under the list.
		expect(frame).toContain('reason: exited with exit code 1');
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
	});

	test('Enter on a deployment shows its stack events; Esc shows every operation again', async () => {
		const h = await historyAfter(['1.0.0', '1.1.0', '1.4.1-crashloop']);
		await waitForText(h.app, '3 deployments');
		await press(h.app, keys.down, keys.down, keys.enter);
		const frame = await waitForText(h.app, 'showing deployment of 1.0.0 (succeeded)');
		expect(frame).toContain('CREATE_IN_PROGRESS → CREATE_COMPLETE');
		expect(frame).not.toContain('UPDATE_');
		// Every operation again (once they are read again), the deployment's still selected.
		await press(h.app, keys.escape);
		await waitForText(h.app, /newest first[^]*UPDATE_IN_PROGRESS → UPDATE_COMPLETE[^\n]*\n(.*\n)*❯ CREATE_IN_PROGRESS → CREATE_COMPLETE/);
	});
});

describe('stack events', () => {
	test('arrive a page at a time: scrolling to the end asks the engine for the next page with its token', async () => {
		const {spies, wrapEngine} = spy('events');
		// 119 events: more than one DescribeStackEvents page (100).
		const h = await historyAfter(['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.4.1-crashloop'], {wrapEngine});
		await press(h.app, '2');
		await waitForText(h.app, '1 page loaded, older ones load as you scroll down');
		expect(spies.events).toHaveBeenCalledTimes(1);
		expect(spies.events.mock.calls[0]![3]).toEqual({limit: 100});
		await press(h.app, keyEnd);
		await waitForText(h.app, '2 pages loaded, all of them');
		expect(spies.events).toHaveBeenCalledTimes(2);
		expect(spies.events.mock.calls[1]![3]).toEqual({limit: 100, nextToken: expect.any(String)});
		await press(h.app, keyEnd);
		// The oldest event of the stack: everything is loaded, with two calls.
		await waitForText(h.app, 'REVIEW_IN_PROGRESS');
		expect(spies.events).toHaveBeenCalledTimes(2);
	});

	test('s narrows them by status, f to the selected resource, / searches; Esc clears', async () => {
		const h = await historyAfter(['1.0.0', '1.4.1-crashloop']);
		await press(h.app, '2');
		await waitForText(h.app, 'UPDATE_FAILED');
		await press(h.app, 's');
		let frame = await waitForText(h.app, 'showing status failed');
		expect(frame).toContain('UPDATE_FAILED');
		expect(frame).not.toContain('CREATE_COMPLETE');
		expect(eventLines(frame).map(line => line.trim().split(/\s+/)[2])).toEqual(['UPDATE_ROLLBACK_COMPLETE', 'UPDATE_FAILED']);
		await press(h.app, keys.escape);
		await waitForText(h.app, 'newest first');
		// The third row is an event of the rollback operation; f keeps only its resource's events.
		await press(h.app, keys.down, keys.down);
		const resource = screen(h.app).split('\n').find(line => line.startsWith('❯'))!.trim().split(/\s+/)[2]!;
		await press(h.app, 'f');
		frame = await waitForText(h.app, `showing resource ${resource}`);
		const events = eventLines(frame);
		expect(events.length).toBeGreaterThan(0);
		expect(events.every(line => line.includes(resource))).toBe(true);
		await press(h.app, keys.escape, '/', ...'LogGroup');
		frame = await waitForText(h.app, '/LogGroup');
		const found = eventLines(frame);
		expect(found.length).toBeGreaterThan(0);
		expect(found.every(line => line.includes('LogGroup'))).toBe(true);
	});

	test('Enter shows an event whole; the ECS side lists deployments and why tasks stopped', async () => {
		const h = await historyAfter(['1.0.0', '1.4.1-crashloop']);
		await press(h.app, '2');
		await waitForText(h.app, 'UPDATE_FAILED');
		await press(h.app, '/', ...'UPDATE_FAILED', keys.enter, keys.down, keys.enter);
		const frame = await waitForText(h.app, '↵ or esc closes');
		expect(frame).toMatch(/reason\s+Resource handler returned message/);
		await press(h.app, keys.escape, 'e');
		const ecs = await waitForText(h.app, 'Why tasks stopped');
		expect(ecs).toContain('container web: exited with exit code 1');
		expect(ecs).toMatch(/ROLLBACK_SUCCESSFUL .*breaker TRIGGERED/);
		expect(ecs).toContain('EssentialContainerExited');
	});

	test('a row longer than the screen opens wrapped and scrolls: PgDn reaches its end, Esc closes it', async () => {
		const long = `${'a reason longer than any terminal is tall '.repeat(60)}THE-END`;
		const h = await historyAfter(['1.0.0', '1.4.1-crashloop'], {
			wrapEngine: engine => ({...engine, serviceHistory: async (...args) => ({...(await engine.serviceHistory(...args)), reasons: [{source: 'container', subject: 'web', message: long}]})}),
		});
		await press(h.app, '2');
		await waitForText(h.app, 'UPDATE_FAILED');
		await press(h.app, 'e');
		await waitForText(h.app, 'Why tasks stopped');
		await press(h.app, keys.down, keys.enter);
		const first = await waitForText(h.app, /rows 1–\d+ of \d+/);
		expect(first).not.toContain('THE-END');
		for (const line of first.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		await press(h.app, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown);
		await waitForText(h.app, 'THE-END');
		await press(h.app, keys.escape);
		await waitForText(h.app, frame => !frame.includes('esc closes'));
	});

	test('at 160×50 the stack events and the ECS side are side by side', async () => {
		const h = await historyAfter(['1.0.0'], {size: {columns: 160, rows: 50}});
		await press(h.app, '2');
		const frame = await waitForText(h.app, 'ECS deployments (1)');
		expect(frame.split('\n').find(line => line.startsWith('Stack events'))).toContain('ECS service');
		expect(frame.split('\n').length).toBeLessThanOrEqual(49);
	});
});

describe('stack', () => {
	test('shows status, outputs, parameters (a NoEcho one as ****), resources and the template', async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'history-stack-'));
		const recipe = parse(await readFile(path.join(repoRoot, helloColor), 'utf8'));
		recipe.variables.push({name: 'ApiKey', sensitive: true});
		recipe.service.containers[0].environment.API_KEY = '#{ApiKey}';
		const file = path.join(folder, 'hello-secret.yaml');
		await writeFile(file, stringify(recipe));
		const catalog = fileCatalog(repoRoot, [file]);
		const shown = path.relative(repoRoot, file);
		const h = await historyAfter(['1.0.0'], {catalog, recipeFile: file, values: {ApiKey: 'S3cr3t-canary-42'}, route: {name: 'history', file: shown, environment: 'dev'}, size: {columns: 100, rows: 60}});
		await press(h.app, '3');
		const frame = await waitForText(h.app, 'Outputs (5)');
		expect(frame).toContain('CREATE_COMPLETE   release 1.0.0');
		expect(frame).toMatch(/ServiceArn = arn:aws:ecs:/);
		expect(frame).toMatch(/Secret\w+ = \*\*\*\* \(NoEcho/);
		expect(frame).toContain('ImageTagWeb = 1.0.0');
		expect(frame).not.toContain('S3cr3t-canary-42');
		await press(h.app, '/', ...'Resources', keys.enter);
		expect(await waitForText(h.app, 'filter "Resources"')).toMatch(/Resources \(\d+\)/);
		await press(h.app, keys.escape, '/', ...'"Type": "AWS::ECS::Service"');
		expect(await waitForText(h.app, /"Type": "AWS::ECS::Service"/)).toContain('1 item');
	});

	test('an AWS error is shown in place; r asks again', async () => {
		let fail = true;
		const h = await historyAfter(['1.0.0'], {
			wrapEngine: engine => ({
				...engine,
				stack: (...args: Parameters<Engine['stack']>) => (fail ? Promise.reject(Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/dev/x is not authorized to perform: cloudformation:GetTemplate'), {name: 'AccessDenied'})) : engine.stack(...args)),
			}),
		});
		await press(h.app, '3');
		expect(await waitForText(h.app, 'AccessDenied: User')).toContain('r asks again');
		fail = false;
		await press(h.app, 'r');
		await waitForText(h.app, 'Outputs (5)');
	});
});
