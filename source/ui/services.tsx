import {createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {Engine} from '../engine/engine.js';
import type {StatusSource} from '../engine/status-reader.js';
import type {RecipeCatalog} from './catalog.js';
import type {KeyLayer} from './input/key-dispatcher.js';
import type {Command} from './input/keymap.js';
import {KeyLayerContext} from './input/use-keys.js';
import type {NavAction} from './navigation.js';
import type {QuestionQueue} from './runs/questions.js';
import type {RunRegistry} from './runs/run-registry.js';

/** What every screen may use: the engine (once loaded), the recipes, the runs, the dialogs, navigation. */
export type Services = {
	/** Undefined while it loads (the first frame does not wait for it). */
	engine: Engine | undefined;
	engineError: string | undefined;
	/**
	 * The status reads of the cells (targets and status): ready before the engine when the app has them apart,
	 * else the engine's; undefined while they load.
	 */
	statuses?: StatusSource | undefined;
	/** A status is on the screen: the engine, which waits for the first one so as not to delay it, may load. */
	statusShown?: () => void;
	catalog: RecipeCatalog;
	runs: RunRegistry;
	questions: QuestionQueue;
	/** Every environment runs on the sandbox account (`--sandbox`). */
	sandbox: boolean;
	navigate(action: NavAction): void;
	/** The commands of the screen, or of the open dialog: the footer and the help overlay show them. */
	setCommands(layer: KeyLayer, commands: readonly Command[]): void;
	/** A short message shown above the footer, until the next key or a few seconds (e.g. "created release 1.4.2"). */
	flash(message: string): void;
	/** What screens keep while they are away (a cursor), by key; see `useRemembered`. */
	memory: Map<string, unknown>;
};

const ServicesContext = createContext<Services | undefined>(undefined);

export function ServicesProvider({value, children}: {value: Services; children: ReactNode}) {
	return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
	const services = useContext(ServicesContext);
	if (!services) throw new Error('useServices outside ServicesProvider');
	return services;
}

/** Declares the commands of the screen (or of the dialog it is in) for the footer and the help overlay. */
export function useCommands(commands: readonly Command[]): void {
	const {setCommands} = useServices();
	const layer = useContext(KeyLayerContext);
	const key = commands.join(',');
	// In a layout effect: the frame that shows the screen (or the dialog) shows its keys too.
	useLayoutEffect(() => {
		setCommands(layer, commands);
		return () => setCommands(layer, []);
	}, [key, layer]);
}

/**
 * State that outlives the screen (the shell unmounts a screen when another opens over it): coming back, the
 * screen finds what it had, e.g. the dashboard's cursor. `key` names the screen and the thing kept.
 */
export function useRemembered<T>(key: string, initial: T): [T, (value: T) => void] {
	const {memory} = useServices();
	const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : initial));
	const set = (next: T) => {
		memory.set(key, next);
		setValue(next);
	};
	return [value, set];
}

/**
 * Ink writes a frame at most every 34 ms (30 frames a second): the engine starts loading one frame after the
 * first status, so the frame with it reaches the terminal before the engine's modules take the main thread.
 */
const frameMs = 40;

/**
 * With the status reads on their own, how long the engine waits for the first status at most: a real AWS
 * account may take seconds to answer, and the screens other than the dashboard need the engine.
 */
const engineWaitMs = 300;

/**
 * Loads the engine once, after the first frame. With `loadStatuses` (the app), the status reads load first and
 * the engine once the first status is on the screen (`statusShown`), or `engineWaitMs` after the reads are ready.
 */
export function useEngineLoader(
	load: () => Promise<Engine>,
	loadStatuses?: () => Promise<StatusSource>,
): {engine: Engine | undefined; error: string | undefined; statuses: StatusSource | undefined; statusShown: () => void} {
	const [state, setState] = useState<{engine: Engine | undefined; error: string | undefined}>({engine: undefined, error: undefined});
	// There from the first frame (its reads wait for the source to load): no render when it has loaded.
	const statuses = useMemo(() => (loadStatuses ? deferredStatuses(loadStatuses) : undefined), [loadStatuses]);
	const shown = useRef<() => void>(() => undefined);
	useEffect(() => {
		let live = true;
		let started = false;
		let waiting: ReturnType<typeof setTimeout> | undefined;
		let shownOnce = false;
		const start = () => {
			if (started || !live) return;
			started = true;
			clearTimeout(waiting);
			load().then(
				engine => live && setState({engine, error: undefined}),
				(cause: unknown) => live && setState({engine: undefined, error: cause instanceof Error ? cause.message : String(cause)}),
			);
		};
		// The first status only: cells that keep coming do not put the engine off.
		shown.current = () => {
			if (started || !live || shownOnce) return;
			shownOnce = true;
			clearTimeout(waiting);
			waiting = setTimeout(start, frameMs);
		};
		// After the first frame is on screen: the engine pulls in the domain and the workspace store.
		const timer = setTimeout(() => {
			if (!loadStatuses) return start();
			loadStatuses().then(
				() => {
					if (!live || started) return;
					waiting ??= setTimeout(start, engineWaitMs);
				},
				// The engine's load says what went wrong.
				() => start(),
			);
		}, 0);
		return () => {
			live = false;
			clearTimeout(timer);
			clearTimeout(waiting);
		};
	}, [load, loadStatuses]);
	const statusShown = useCallback(() => shown.current(), []);
	return {...state, statuses: statuses ?? state.engine, statusShown};
}

/** A status source whose reads wait for `load` (called once, on the first read). */
function deferredStatuses(load: () => Promise<StatusSource>): StatusSource {
	let loading: Promise<StatusSource> | undefined;
	const source = () => (loading ??= load());
	return {
		targetsFor: async (...args) => (await source()).targetsFor(...args),
		status: async (...args) => (await source()).status(...args),
	};
}

/**
 * Runs `action` with the engine: at once when it is loaded, else as soon as it is (the newest action waits;
 * a key pressed while the engine loads is acted on, not lost).
 */
export function useWhenEngine(): (action: (engine: Engine) => void) => void {
	const {engine} = useServices();
	const waiting = useRef<((engine: Engine) => void) | undefined>(undefined);
	useEffect(() => {
		if (!engine || !waiting.current) return;
		const action = waiting.current;
		waiting.current = undefined;
		action(engine);
	}, [engine]);
	return useCallback(
		(action: (engine: Engine) => void) => {
			if (engine) action(engine);
			else waiting.current = action;
		},
		[engine],
	);
}

/** The runs of the session, re-rendering when one starts, ends or is detached. */
export function useRuns(): ReturnType<RunRegistry['getSnapshot']> {
	const {runs} = useServices();
	return useSyncExternalStore(runs.subscribe, runs.getSnapshot);
}
