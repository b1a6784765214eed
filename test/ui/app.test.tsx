import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Engine} from '../../source/engine/engine.js';
import {StateFileError} from '../../source/io/state-file-error.js';
import {App} from '../../source/ui/app.js';
import {StopOnError} from '../../source/ui/run.js';
import {describeUnexpected} from '../../source/unexpected.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {navigationReducer} from '../../source/ui/navigation.js';
import {targetLabel} from '../../source/ui/target-label.js';
import {press, screen, waitForText} from '../helpers/ink.js';

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
