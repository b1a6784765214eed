import {Box, Text, useApp} from 'ink';
import {Suspense, useCallback, useMemo, useReducer, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {Engine} from '../engine/engine.js';
import type {StatusSource} from '../engine/status-reader.js';
import type {RecipeCatalog} from './catalog.js';
import {HelpOverlay} from './components/help-overlay.js';
import {Header} from './components/header.js';
import {KeyHints} from './components/key-hints.js';
import {QuestionDialog} from './components/question-dialog.js';
import {QuitDialog} from './components/quit-dialog.js';
import {useFlash} from './hooks/use-flash.js';
import {useShellKeys} from './hooks/use-shell-keys.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {KeyDispatcher, type KeyLayer} from './input/key-dispatcher.js';
import {textCommands, type Command} from './input/keymap.js';
import {KeyLayerContext, KeysContext, useKeyClock, useKeyReader} from './input/use-keys.js';
import {navigationReducer, routeContext, type Route} from './navigation.js';
import {QuestionQueue} from './runs/questions.js';
import {RunRegistry} from './runs/run-registry.js';
import {Screen} from './screen.js';
import {ServicesProvider, useEngineLoader, type Services} from './services.js';

export type AppProps = {
	catalog: RecipeCatalog;
	/** Builds the engine; called once, after the first frame (after the first status, with `loadStatuses`). */
	loadEngine: () => Promise<Engine>;
	/** The status reads of the dashboard's cells, ready before the engine: without it the cells wait for the engine. */
	loadStatuses?: () => Promise<StatusSource>;
	/** Every environment runs on the sandbox account (`--sandbox`). */
	sandbox: boolean;
	/** Injected for tests: the runs and the questions of the session. */
	runs?: RunRegistry;
	questions?: QuestionQueue;
	/** The first route (tests open a screen directly). @default the dashboard */
	initialRoute?: Route;
};

/** Smallest terminal the screens are laid out for. */
export const minimumSize = {columns: 80, rows: 24};

/**
 * The full-screen app: a header (target, project, environment), the current screen, a footer with that
 * screen's keys (or the open dialog's), engine questions as modal dialogs, and `?` help. The root reads the
 * keys once and hands them out one at a time: a dialog owns every key while open; otherwise the screen sees
 * each key first and the global layer (q, ?, Esc) gets what the screen left. Never taller than the terminal
 * minus one row (Ink redraws the whole screen once a frame reaches the terminal's height).
 */
export function App(props: AppProps) {
	const dispatcher = useMemo(() => new KeyDispatcher(), []);
	useKeyReader(dispatcher);
	return (
		<KeysContext.Provider value={dispatcher}>
			<Shell {...props} />
			<KeyClock dispatcher={dispatcher} />
		</KeysContext.Provider>
	);
}

/** Renders when the dispatcher asks, so it knows when a key's frame is committed (see KeyDispatcher). */
function KeyClock({dispatcher}: {dispatcher: KeyDispatcher}) {
	useKeyClock(dispatcher);
	return null;
}

function Shell({catalog, loadEngine, loadStatuses, sandbox, runs: givenRuns, questions: givenQuestions, initialRoute}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [stack, navigate] = useReducer(navigationReducer, [{name: 'dashboard'} as Route, ...(initialRoute ? [initialRoute] : [])]);
	const route = stack.at(-1)!;
	const {engine, error: engineError, statuses, statusShown} = useEngineLoader(loadEngine, loadStatuses);
	const runs = useMemo(() => givenRuns ?? new RunRegistry(), [givenRuns]);
	const questions = useMemo(() => givenQuestions ?? new QuestionQueue(), [givenQuestions]);
	const pending = useSyncExternalStore(questions.subscribe, questions.getSnapshot);
	const [commands, setLayerCommands] = useState<{screen: readonly Command[]; dialog: readonly Command[]}>({screen: [], dialog: []});
	const [help, setHelp] = useState(false);
	const [quitting, setQuitting] = useState(false);
	const flash = useFlash();
	const memory = useMemo(() => new Map<string, unknown>(), []);

	const quit = useCallback(() => {
		questions.refuseAll();
		for (const run of runs.watched()) runs.detach(run.id);
		exit();
	}, [exit, runs, questions]);
	const askToQuit = () => (runs.watched().length > 0 ? setQuitting(true) : quit());

	const setCommands = useCallback((layer: KeyLayer, list: readonly Command[]) => setLayerCommands(now => (layer === 'dialog' ? {...now, dialog: list} : {...now, screen: list})), []);
	const services: Services = useMemo(
		() => ({engine, engineError, statuses, statusShown, catalog, runs, questions, sandbox, navigate, setCommands, flash: flash.show, memory}),
		[engine, engineError, statuses, statusShown, catalog, runs, questions, sandbox, setCommands, flash.show, memory],
	);

	useShellKeys({open: {help, dialog: pending !== undefined || quitting}, setHelp, askToQuit, clearFlash: flash.clear, back: () => navigate({type: 'pop'})});

	// Stay one row below the terminal height: a frame as tall as the terminal makes Ink redraw everything.
	const height = Math.max(1, rows - 1);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box flexDirection="column">
				<Text color="yellow">
					Terminal too small ({columns}×{rows}): ecs-deployer needs at least {minimumSize.columns}×{minimumSize.rows}.
				</Text>
				<Text dimColor>Make the window larger; q quits.</Text>
			</Box>
		);
	}
	const bodyHeight = height - 3;
	const run = route.name === 'live' ? runs.get(route.runId) : undefined;
	const {file, environment} = run ? {file: run.recipeFile, environment: run.environment} : routeContext(route);
	// The screen stays mounted under a dialog or the help (hidden; the dialog has the keys): nothing typed is lost.
	let overlay: ReactNode;
	if (pending) overlay = <QuestionDialog pending={pending} width={columns} height={bodyHeight} />;
	else if (quitting)
		overlay = (
			<QuitDialog
				count={runs.watched().length}
				onAnswer={answer => {
					if (answer === 'detach') quit();
					else if (answer === 'cancel') {
						for (const watched of runs.watched()) watched.run.cancel();
						setQuitting(false);
					} else setQuitting(false);
				}}
			/>
		);
	else if (help) overlay = <HelpOverlay commands={commands.screen} width={columns} height={bodyHeight} />;
	// A focused text field has the letters: q and ? are typed there, only Ctrl+C quits.
	const typing = commands.screen.some(command => textCommands.includes(command));
	const footer: readonly Command[] = help && !pending && !quitting ? ['closeHelp'] : overlay ? commands.dialog : typing ? [...commands.screen, 'interrupt'] : ['help', ...commands.screen, 'quit'];
	return (
		<ServicesProvider value={services}>
			<Box flexDirection="column" height={height} width={columns}>
				<Header engine={engine} sandbox={sandbox} {...(file === undefined ? {} : {file})} {...(environment === undefined ? {} : {environment})} catalog={catalog} width={columns} />
				<Box flexDirection="column" height={bodyHeight} overflowY="hidden">
					<KeyLayerContext.Provider value="dialog">{overlay}</KeyLayerContext.Provider>
					<Box display={overlay ? 'none' : 'flex'} flexDirection="column" height={bodyHeight}>
						<Suspense fallback={<Text dimColor>Loading…</Text>}>
							<Screen route={route} height={bodyHeight} width={columns} />
						</Suspense>
					</Box>
				</Box>
				<Box flexDirection="column">
					{flash.message ? (
						<Text color="green" wrap="truncate">
							{flash.message}
						</Text>
					) : null}
					<KeyHints commands={footer} width={columns} />
				</Box>
			</Box>
		</ServicesProvider>
	);
}
