import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Engine} from '../../source/engine/engine.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {StateFileError} from '../../source/io/state-file-error.js';
import type {Target} from '../../source/domain/records.js';
import {App} from '../../source/ui/app.js';
import {headerWidths, keptLength} from '../../source/ui/components/header.js';
import {flashMs} from '../../source/ui/hooks/use-flash.js';
import {StopOnError} from '../../source/ui/run.js';
import {describeUnexpected} from '../../source/unexpected.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {navigationReducer} from '../../source/ui/navigation.js';
import {targetLabel} from '../../source/ui/target-label.js';
import {renderApp as renderWith} from '../helpers/app.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';

const catalog: RecipeCatalog = {folder: './recipes', list: vi.fn(async () => [])};

function renderApp(size = {columns: 100, rows: 30}) {
	return render(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} />
		</TerminalSizeContext.Provider>,
	);
}

let app: ReturnType<typeof render> | undefined;
afterEach(() => app?.unmount());

describe('the shell', () => {
	test('below 80×24 it says the terminal is too small', async () => {
		app = renderApp({columns: 70, rows: 20});
		expect(await waitForText(app, 'Terminal too small (70×20)')).toContain('at least 80×24');
	});

	test('the header says the engine is connecting until it is ready; ? shows the keys; q quits', async () => {
		app = renderApp();
		await waitForText(app, 'connecting…');
		await press(app, '?');
		expect(screen(app)).toContain('Keys of this screen');
		await press(app, '?');
		expect(screen(app)).not.toContain('Keys of this screen');
	});
});

describe('navigation', () => {
	test('push, pop and replace; the dashboard is never popped', () => {
		const pushed = navigationReducer([{name: 'dashboard'}], {type: 'push', route: {name: 'project', file: 'a.yaml'}});
		expect(pushed.at(-1)).toEqual({name: 'project', file: 'a.yaml'});
		expect(navigationReducer(pushed, {type: 'pop'})).toEqual([{name: 'dashboard'}]);
		expect(navigationReducer([{name: 'dashboard'}], {type: 'pop'})).toEqual([{name: 'dashboard'}]);
		expect(navigationReducer(pushed, {type: 'replace', route: {name: 'targets'}})).toEqual([{name: 'dashboard'}, {name: 'targets'}]);
	});
});

describe('header', () => {
	const own = {name: 'prod', region: 'eu-west-1', cluster: 'main', environments: ['production'], tags: [], credentials: {source: 'default' as const}};
	const sandbox = {...own, name: 'sandbox', cluster: 'sandbox', sandbox: true};
	test('names the sandbox only when it was asked for, and never as a fallback for other environments', () => {
		expect(targetLabel([], false)).toEqual({text: 'no target yet: t adds one, s uses the sandbox', sandbox: false});
		expect(targetLabel([own], false)).toEqual({text: 'prod (main, eu-west-1)', sandbox: false});
		expect(targetLabel([own, {...sandbox, environments: ['dev']}], false)).toEqual({text: 'prod (main, eu-west-1); SANDBOX (simulated) for dev', sandbox: true});
		expect(targetLabel([own], true)).toEqual({text: 'SANDBOX: simulated account (--sandbox)', sandbox: true});
	});
});

describe('outside text on screen', () => {
	test('a recipe file named with escape sequences (OSC 52 clipboard, OSC 0 title) is listed with them shown, not sent', async () => {
		const evil = 'recipes/\u001B]52;c;cHduZWQ=\u0007\u001B]0;pwned\u0007x.yaml';
		const list = vi.fn(async () => [{file: evil, environments: ['dev'], images: [], containers: [], problems: []}]);
		app = render(
			<TerminalSizeContext.Provider value={{columns: 120, rows: 30}}>
				<App catalog={{folder: './recipes', list}} sandbox loadEngine={() => new Promise(() => undefined)} />
			</TerminalSizeContext.Provider>,
		);
		await waitForText(app, 'x.yaml');
		const frames = app.frames.join('');
		expect(frames).not.toMatch(/\u001B\]|\u0007/);
		expect(screen(app)).toContain('\\u001b]52;c;cHduZWQ=\\u0007');
	});
});

describe('a workspace file that cannot be read', () => {
	test('stops the app and hands the error on to be said in words (the file and the fix), with no stack trace drawn', async () => {
		const broken = new StateFileError({file: '.ecs-deployer/workspace.json', problem: 'the file is empty', fix: 'move it away', kind: 'corrupt'});
		// Every read of the workspace fails, as with an empty, `null`, truncated or `{"targets":{}}` file.
		const engine = new Proxy({}, {
			// Not a thenable: the loader resolves with it.
			get: (_, property) => (property === 'then' ? undefined : () => {
				throw broken;
			}),
		}) as Engine;
		const onError = vi.fn();
		const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		app = render(
			<StopOnError onError={onError}>
				<TerminalSizeContext.Provider value={{columns: 100, rows: 30}}>
					<App catalog={catalog} sandbox loadEngine={async () => engine} />
				</TerminalSizeContext.Provider>
			</StopOnError>,
		);
		await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(broken));
		quiet.mockRestore();
		expect(app.frames.join('\n')).not.toMatch(/\n\s+(-|at) |ERROR/);
		expect(describeUnexpected(broken)).toEqual({message: 'error: .ecs-deployer/workspace.json: the file is empty\nmove it away', code: 2});
	});
});

describe('the header keeps the target', () => {
	test('details are cut before the name, and where the screen is is cut in its middle', () => {
		expect(headerWidths(100, 30, 40, 15)).toEqual({left: 30, right: 68});
		expect(headerWidths(80, 40, 70, 15)).toEqual({left: 40, right: 38});
		expect(headerWidths(80, 70, 70, 15)).toEqual({left: 62, right: 16});
		expect(keptLength('target: payments-production: cluster main')).toBe('target: payments-production'.length);
		expect(keptLength('target: sandbox (simulated account)')).toBe('target: sandbox'.length);
	});

	test("at 80 columns, a long project, environment and target: the target's name is shown", async () => {
		const target: Target = {name: 'payments-production-eu', region: 'eu-central-1', cluster: 'payments-production-cluster-with-a-long-name', accountId: '123456789012', environments: ['production'], tags: [], credentials: {source: 'default'}};
		const harness = renderWith({route: {name: 'project', file: 'recipes/hello-color.yaml', environment: 'production'}, workspace: memoryWorkspace({targets: [target]}), size: {columns: 80, rows: 24}});
		const frame = await waitForText(harness.app, /hello-color › production +target: payments-production-eu/);
		const header = frame.split('\n')[0]!;
		expect(header.length).toBeLessThanOrEqual(80);
		expect(header).toMatch(/^ecs-deployer › hello-color › production +target: payments-production-eu/);
		harness.app.unmount();
	});
});

describe('the status line', () => {
	test('a message like "created release …" goes at the next key', async () => {
		const harness = renderWith({recipes: ['recipes/hello-color.yaml'], route: {name: 'release-picker', file: 'recipes/hello-color.yaml', mode: 'create'}});
		await waitForText(harness.app, '❯ 1.4.0');
		await press(harness.app, keys.enter);
		await waitForText(harness.app, 'Version: 1.4.0');
		await press(harness.app, keys.enter);
		await waitForText(harness.app, 'created release 1.4.0 of hello-color');
		await press(harness.app, 'j');
		expect(screen(harness.app)).not.toContain('created release');
		harness.app.unmount();
	});

	test('and after a few seconds at most, longer for a longer message', () => {
		expect(flashMs('saved x')).toBeGreaterThanOrEqual(4000);
		expect(flashMs('detached: the deploy goes on in AWS; follow it again with ecs-deployer watch --recipe recipes/hello-color.yaml --env dev')).toBeGreaterThan(flashMs('saved x'));
		expect(flashMs('x'.repeat(10_000))).toBeLessThanOrEqual(15_000);
	});
});

describe('the footer', () => {
	test('while a text field has the keys, q and ? are letters: the footer offers Ctrl+C to quit, not q', async () => {
		const harness = renderWith({route: {name: 'target-wizard'}, workspace: memoryWorkspace(), size: {columns: 80, rows: 24}});
		const frame = await waitForText(harness.app, 'New target');
		const footer = frame.trimEnd().split('\n').at(-1)!;
		expect(footer).toContain('^c quit');
		expect(footer).not.toContain('q quit');
		expect(footer).not.toContain('? help');
		await press(harness.app, 'q?');
		expect(screen(harness.app)).toContain('name: q?');
		harness.app.unmount();
	});

	test("under a dialog, the dialog's keys, not the screen's behind it", async () => {
		const harness = renderWith({recipes: ['recipes/hello-color.yaml'], route: {name: 'release-picker', file: 'recipes/hello-color.yaml', mode: 'deploy', environment: 'dev'}});
		await waitForText(harness.app, '❯ 1.4.0');
		await press(harness.app, keys.enter, keys.enter);
		await waitForText(harness.app, 'Deploy it to:');
		await press(harness.app, keys.enter);
		const footer = (await waitForText(harness.app, 'Change preview')).trimEnd().split('\n').at(-1)!;
		expect(footer).toBe('y yes  ·  n no');
		await press(harness.app, 'n');
		harness.app.unmount();
	});
});
