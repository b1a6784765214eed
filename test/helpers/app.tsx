import {randomUUID} from 'node:crypto';
import path from 'node:path';
import type {render} from 'ink-testing-library';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {realClock, type PollingOptions} from '../../source/engine/core/clock.js';
import type {EngineDeps} from '../../source/engine/core/deps.js';
import {createEngine, type Engine} from '../../source/engine/engine.js';
import {memoryWorkspace, type Workspace} from '../../source/engine/core/workspace.js';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext, type TerminalSize} from '../../source/ui/hooks/use-terminal-size.js';
import type {Route} from '../../source/ui/navigation.js';
import {QuestionQueue} from '../../source/ui/runs/questions.js';
import {RunRegistry} from '../../source/ui/runs/run-registry.js';
import {fileCatalog} from '../../source/ui/run.js';
import {repoRoot} from './cli.js';
import {renderWide} from './terminal.js';
import {localFiles} from '../../source/io/files.js';

/** The sandbox plays this much faster than AWS in screen tests (a create takes ~40 ms), and is polled as much faster. */
export const testSpeed = 500;

const fastPolling: PollingOptions = {activeMs: 2000 / testSpeed, idleMs: 8000 / testSpeed, jitter: 0, throttleBaseMs: 1000 / testSpeed, throttleMaxMs: 30_000 / testSpeed, random: () => 0.5};

export type AppHarness = {
	app: ReturnType<typeof render>;
	engine: Engine;
	deps: EngineDeps;
	account: SandboxAccount;
	workspace: Workspace;
	runs: RunRegistry;
	questions: QuestionQueue;
	catalog: RecipeCatalog;
};

export type AppHarnessOptions = {
	/** Recipe files to show (paths relative to the repository); default: the example recipes. */
	recipes?: readonly string[];
	/** A catalog of one's own (tests of the step form use a temporary folder). */
	catalog?: RecipeCatalog;
	workspace?: Workspace;
	/** The screen to open on top of the dashboard. */
	route?: Route;
	/** @default 100×30 */
	size?: TerminalSize;
	/** Changes the engine (a scripted one, or spies). */
	wrapEngine?: (engine: Engine) => Engine;
	/** The sandbox account (share one between renders). */
	account?: SandboxAccount;
	/** Run as with --sandbox (every environment on the sandbox). @default true when the workspace has no targets */
	sandboxOnly?: boolean;
};

/**
 * The real app on the real engine, on an in-memory sandbox account played fast with real timers, as a
 * person sees it in a terminal (ink-testing-library). Unmount `app` in afterEach.
 */
export function renderApp(options: AppHarnessOptions = {}): AppHarness {
	const account = options.account ?? new SandboxAccount({speed: testSpeed});
	const workspace = options.workspace ?? memoryWorkspace();
	const sandboxOnly = options.sandboxOnly ?? workspace.targets().length === 0;
	const deps: EngineDeps = {
		workspace,
		awsFor: async () => account.ports(),
		pollingFor: () => fastPolling,
		clock: realClock,
		newId: randomUUID,
		files: localFiles,
		sandboxTarget,
		// Without targets of its own, every environment runs on the in-memory sandbox, as with --sandbox: asked
		// for, never a fallback. A test that stores targets gets them (their AWS is the same in-memory account).
		sandboxOnly,
		actor: 'tester@ci',
		listProfiles: async () => ['default', 'ops', 'prod-admin'],
	};
	const engine = (options.wrapEngine ?? (e => e))(createEngine(deps));
	const catalog = options.catalog ?? fileCatalog(repoRoot, (options.recipes ?? ['recipes/hello-color.yaml', 'recipes/orders-api.yaml', 'recipes/invoice-worker.yaml']).map(f => path.resolve(repoRoot, f)));
	const runs = new RunRegistry();
	const questions = new QuestionQueue();
	const size = options.size ?? {columns: 100, rows: 30};
	// Wider than the app by 40 columns: a line too long for the app still shows, so a layout test sees it (Ink's
	// frame is as wide as its stdout, and making it costs time in proportion: every key renders one).
	const app = renderWide(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} loadEngine={async () => engine} sandbox={sandboxOnly} runs={runs} questions={questions} {...(options.route ? {initialRoute: options.route} : {})} />
		</TerminalSizeContext.Provider>,
		size.columns + 40,
	);
	return {app, engine, deps, account, workspace, runs, questions, catalog};
}
