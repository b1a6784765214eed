import {render} from 'ink';
import {Component, type ReactNode} from 'react';
import {describeUnexpected} from '../unexpected.js';
import {filteredTerminal} from '../io/terminal.js';
import type {Engine} from '../engine/engine.js';
import type {StagedEngine} from '../engine/status-reader.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import {App} from './app.js';
import type {RecipeCatalog} from './catalog.js';
import {enterFullScreen} from './full-screen.js';
import {readRecipes} from './hooks/use-recipes.js';

export {fileCatalog} from './file-catalog.js';

/** The first frame waits this long at most for the recipes, so that it shows the projects rather than a header alone. */
const recipesWaitMs = 200;

export type RunAppOptions = {
	/** Every environment runs on the built-in sandbox account. */
	sandbox: boolean;
	/** The engine, built after the first frame: the dashboard's status reads first, the rest when the app asks. */
	engine: () => Promise<StagedEngine>;
	/** The recipes to show (fileCatalog; the caller may have started reading them). */
	catalog: RecipeCatalog;
};

/** Opens the full-screen app on the recipes of `catalog` and resolves when the operator quits. */
export async function runApp({sandbox, engine, catalog}: RunAppOptions): Promise<ExitCode> {
	let waited: NodeJS.Timeout | undefined;
	await Promise.race([readRecipes(catalog).catch(() => undefined), new Promise(resolve => (waited = setTimeout(resolve, recipesWaitMs)))]);
	clearTimeout(waited);
	let staging: Promise<StagedEngine> | undefined;
	const staged = () => (staging ??= engine());
	let loading: Promise<Engine> | undefined;
	const loadEngine = () => (loading ??= staged().then(parts => parts.engine()));
	const loadStatuses = () => staged().then(parts => parts.statuses);
	let stop = () => undefined as void;
	const leave = enterFullScreen({stdout: process.stdout, stderr: process.stderr, process, stop: () => stop(), describe: describeUnexpected});
	let failure: {error: unknown} | undefined;
	try {
		// We handle Ctrl+C ourselves (during a deploy it asks); nothing prints while Ink owns the screen. Every
		// frame passes the app's output filter on its way to the terminal.
		const instance = render(
			<StopOnError
				onError={error => {
					failure ??= {error};
					instance.unmount();
				}}
			>
				<App catalog={catalog} loadEngine={loadEngine} loadStatuses={loadStatuses} sandbox={sandbox} />
			</StopOnError>,
			{stdout: filteredTerminal(process.stdout), exitOnCtrlC: false, patchConsole: false},
		);
		stop = () => instance.unmount();
		// The first frame is on the screen: the status reads start loading now, not after the screens' effects have
		// run; the rest of the engine once the first status is on screen (see useEngineLoader).
		// (The app reports a failure; this only keeps it from counting as unhandled meanwhile.)
		staged().catch(() => undefined);
		await instance.waitUntilExit();
	} finally {
		leave();
	}
	// The caller says what went wrong (a workspace file that cannot be read: the file and the fix), no stack.
	if (failure) throw failure.error;
	return exitCodes.success;
}

/**
 * Stops the app when a screen throws while rendering (a workspace file that became unreadable, a bug): Ink
 * would otherwise draw the error with its stack trace. The app closes and the error is said in words.
 */
export class StopOnError extends Component<{onError: (error: unknown) => void; children: ReactNode}, {failed: boolean}> {
	override state = {failed: false};

	static getDerivedStateFromError(): {failed: boolean} {
		return {failed: true};
	}

	override componentDidCatch(error: unknown): void {
		this.props.onError(error);
	}

	override render(): ReactNode {
		return this.state.failed ? null : this.props.children;
	}
}
