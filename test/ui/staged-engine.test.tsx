import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {realClock} from '../../source/engine/core/clock.js';
import type {EngineDeps} from '../../source/engine/core/deps.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {createEngine, type Engine} from '../../source/engine/engine.js';
import {createStatusReader} from '../../source/engine/status-reader.js';
import {localFiles} from '../../source/io/files.js';
import {App} from '../../source/ui/app.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {fileCatalog} from '../../source/ui/run.js';
import {repoRoot} from '../helpers/cli.js';
import {testPolling} from '../helpers/engine.js';
import {screen, waitForText} from '../helpers/ink.js';

// The app with the engine in two steps (as `runApp` starts it): the dashboard's cells are read through the
// status reads while the rest of the engine waits; it loads once a status is on the screen.

let app: ReturnType<typeof render> | undefined;
afterEach(() => app?.unmount());

describe('the status reads before the engine', () => {
	test('the cells fill before the engine is asked for; it is asked for once a status is on the screen', async () => {
		const account = new SandboxAccount();
		const deps: EngineDeps = {workspace: memoryWorkspace(), awsFor: async () => account.ports(), pollingFor: () => testPolling, clock: realClock, newId: () => 'id', files: localFiles, sandboxTarget, sandboxOnly: true};
		const asked: string[] = [];
		let engineAsked = false;
		const loadEngine = async (): Promise<Engine> => {
			engineAsked = true;
			asked.push(screen(app!));
			return createEngine(deps);
		};
		const catalog = fileCatalog(repoRoot, [path.join(repoRoot, 'recipes/hello-color.yaml')]);
		await catalog.list();
		app = render(
			<TerminalSizeContext.Provider value={{columns: 100, rows: 30}}>
				<App catalog={catalog} sandbox loadEngine={loadEngine} loadStatuses={async () => createStatusReader(deps)} />
			</TerminalSizeContext.Provider>,
		);
		await waitForText(app, /not deployed/);
		// The header waits for the engine; the cells did not.
		expect(screen(app)).toContain('connecting…');
		await waitForText(app, () => engineAsked);
		expect(asked[0]).toMatch(/not deployed/);
		await waitForText(app, frame => !frame.includes('connecting…'));
	});
});
