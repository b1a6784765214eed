import {Box, Text, useApp, useInput} from 'ink';
import {lazy, Suspense, useCallback, useMemo, useReducer, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {Engine} from '../engine/engine.js';
import type {RecipeCatalog} from './catalog.js';
import {HelpOverlay} from './components/help-overlay.js';
import {Header} from './components/header.js';
import {KeyHints} from './components/key-hints.js';
import {QuestionDialog} from './components/question-dialog.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {matches, type Command} from './input/keymap.js';
import {navigationReducer, routeContext, type Route} from './navigation.js';
import {QuestionQueue} from './runs/questions.js';
import {RunRegistry} from './runs/run-registry.js';
import {DashboardScreen} from './screens/dashboard/dashboard-screen.js';
import {ProjectScreen} from './screens/project/project-screen.js';
import {ServicesProvider, useEngineLoader, type Services} from './services.js';

export type AppProps = {
	catalog: RecipeCatalog;
	/** Builds the engine; called once, after the first frame. */
	loadEngine: () => Promise<Engine>;
	/** Every environment runs on the sandbox account (`--sandbox`). */
	sandbox: boolean;
	/** Injected for tests: the runs and the questions of the session. */
	runs?: RunRegistry;
	questions?: QuestionQueue;
	/** The first route (tests open a screen directly). @default the dashboard */
	initialRoute?: Route;
};

// The first frame needs only the dashboard: the other screens (and what they import) load when first opened.
const HistoryScreen = lazy(() => import('./screens/history/history-screen.js').then(m => ({default: m.HistoryScreen})));
const LiveScreen = lazy(() => import('./screens/live/live-screen.js').then(m => ({default: m.LiveScreen})));
const ReleasePickerScreen = lazy(() => import('./screens/release-picker/release-picker-screen.js').then(m => ({default: m.ReleasePickerScreen})));
const RollbackScreen = lazy(() => import('./screens/rollback/rollback-screen.js').then(m => ({default: m.RollbackScreen})));
const StepFormScreen = lazy(() => import('./screens/step-form/step-form-screen.js').then(m => ({default: m.StepFormScreen})));
const TargetWizardScreen = lazy(() => import('./screens/targets/target-wizard-screen.js').then(m => ({default: m.TargetWizardScreen})));
const TargetsScreen = lazy(() => import('./screens/targets/targets-screen.js').then(m => ({default: m.TargetsScreen})));
const TemplatePreviewScreen = lazy(() => import('./screens/template-preview/template-preview-screen.js').then(m => ({default: m.TemplatePreviewScreen})));

/** Smallest terminal the screens are laid out for. */
export const minimumSize = {columns: 80, rows: 24};

/**
 * The full-screen app: a header (target, project, environment), the current screen, a footer with that
 * screen's keys, engine questions as modal dialogs, and `?` help. One root key handler (quit, help, back);
 * each screen has one handler of its own. Never taller than the terminal minus one row (Ink redraws the
 * whole screen once a frame reaches the terminal's height).
 */
export function App({catalog, loadEngine, sandbox, runs: givenRuns, questions: givenQuestions, initialRoute}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [stack, navigate] = useReducer(navigationReducer, [{name: 'dashboard'} as Route, ...(initialRoute ? [initialRoute] : [])]);
	const route = stack.at(-1)!;
	const {engine, error: engineError} = useEngineLoader(loadEngine);
	const runs = useMemo(() => givenRuns ?? new RunRegistry(), [givenRuns]);
	const questions = useMemo(() => givenQuestions ?? new QuestionQueue(), [givenQuestions]);
	const pending = useSyncExternalStore(questions.subscribe, questions.getSnapshot);
	const [commands, setCommands] = useState<readonly Command[]>([]);
	const [help, setHelp] = useState(false);
	const [quitting, setQuitting] = useState(false);
	const [flash, setFlash] = useState<string | undefined>();
	const back = useRef<(() => boolean) | undefined>(undefined);
	const typing = useRef(false);

	const quit = useCallback(() => {
		questions.refuseAll();
		for (const run of runs.watched()) runs.detach(run.id);
		exit();
	}, [exit, runs, questions]);

	const modal = pending !== undefined || quitting || help;
	const services: Services = useMemo(
		() => ({
			modal,
			engine,
			engineError,
			catalog,
			runs,
			questions,
			sandbox,
			navigate,
			setCommands,
			setBackHandler: handler => (back.current = handler),
			setTyping: value => (typing.current = value),
			flash: setFlash,
		}),
		[engine, engineError, catalog, runs, questions, sandbox, modal],
	);

	useInput(
		(input, key) => {
			if (help) {
				if (key.escape || input === '?' || input === 'q') setHelp(false);
				return;
			}
			const ctrlC = key.ctrl && input === 'c';
			if (ctrlC || (!typing.current && matches('quit', input, key))) {
				if (runs.watched().length > 0) setQuitting(true);
				else quit();
			} else if (!typing.current && matches('help', input, key)) {
				setHelp(true);
			} else if (key.escape) {
				if (back.current?.()) return;
				setFlash(undefined);
				navigate({type: 'pop'});
			}
		},
		{isActive: pending === undefined && !quitting},
	);

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
	// The screen stays mounted under a dialog or the help (hidden, keys gated): nothing typed is lost.
	let overlay: ReactNode;
	if (pending) overlay = <QuestionDialog pending={pending} width={columns} />;
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
	else if (help) overlay = <HelpOverlay commands={commands} />;
	const body = (
		<>
			{overlay}
			<Box display={overlay ? 'none' : 'flex'} flexDirection="column" height={bodyHeight}>
				<Suspense fallback={<Text dimColor>Loading…</Text>}>
					<Screen route={route} height={bodyHeight} width={columns} />
				</Suspense>
			</Box>
		</>
	);
	return (
		<ServicesProvider value={services}>
			<Box flexDirection="column" height={height} width={columns}>
				<Header engine={engine} sandbox={sandbox} {...(file === undefined ? {} : {file})} {...(environment === undefined ? {} : {environment})} catalog={catalog} />
				<Box flexDirection="column" height={bodyHeight} overflowY="hidden">
					{body}
				</Box>
				<Box flexDirection="column">
					{flash ? <Text color="green" wrap="truncate">{flash}</Text> : null}
					<KeyHints commands={help ? ['back'] : ['help', ...commands, 'quit']} width={columns} />
				</Box>
			</Box>
		</ServicesProvider>
	);
}

function Screen({route, height, width}: {route: Route; height: number; width: number}) {
	switch (route.name) {
		case 'dashboard':
			return <DashboardScreen height={height} width={width} />;
		case 'project':
			return <ProjectScreen file={route.file} {...(route.environment === undefined ? {} : {environment: route.environment})} height={height} width={width} />;
		case 'targets':
			return <TargetsScreen height={height} width={width} />;
		case 'target-wizard':
			return <TargetWizardScreen {...(route.editing === undefined ? {} : {editing: route.editing})} height={height} width={width} />;
		case 'step-form':
			return <StepFormScreen {...(route.file === undefined ? {} : {file: route.file})} height={height} width={width} />;
		case 'template-preview':
			return <TemplatePreviewScreen file={route.file} environment={route.environment} height={height} width={width} />;
		case 'release-picker':
			return <ReleasePickerScreen file={route.file} mode={route.mode} {...(route.environment === undefined ? {} : {environment: route.environment})} height={height} width={width} />;
		case 'live':
			return <LiveScreen runId={route.runId} height={height} width={width} />;
		case 'rollback':
			return <RollbackScreen file={route.file} environment={route.environment} height={height} width={width} />;
		case 'history':
			return <HistoryScreen file={route.file} environment={route.environment} height={height} width={width} />;
	}
}

/** Quitting while a deploy is watched: detach and quit (it goes on in AWS), cancel it, or stay. */
function QuitDialog({count, onAnswer}: {count: number; onAnswer(answer: 'detach' | 'cancel' | 'stay'): void}) {
	useInput((input, key) => {
		if (input === 'd' || input === 'y' || input === 'q') onAnswer('detach');
		else if (input === 'c') onAnswer('cancel');
		else if (input === 'n' || key.escape) onAnswer('stay');
	});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
			<Text bold>Quit?</Text>
			<Text>
				{count === 1 ? 'A deploy is' : `${count} deploys are`} being watched. Detach and quit: the deploy goes on in AWS, and the dashboard offers to
				attach again next time. Or cancel it: CloudFormation rolls an update back to the previous release.
			</Text>
			<Text dimColor>d detach and quit · c cancel the deploy (and stay to watch the rollback) · n stay</Text>
		</Box>
	);
}
