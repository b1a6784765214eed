import {createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {Engine} from '../engine/engine.js';
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

/** Loads the engine once, after the first frame. */
export function useEngineLoader(load: () => Promise<Engine>): {engine: Engine | undefined; error: string | undefined} {
	const [state, setState] = useState<{engine: Engine | undefined; error: string | undefined}>({engine: undefined, error: undefined});
	useEffect(() => {
		let live = true;
		// After the first frame is on screen: the engine pulls in the domain and the workspace store.
		const timer = setTimeout(() => {
			load().then(
				engine => live && setState({engine, error: undefined}),
				(cause: unknown) => live && setState({engine: undefined, error: cause instanceof Error ? cause.message : String(cause)}),
			);
		}, 0);
		return () => {
			live = false;
			clearTimeout(timer);
		};
	}, [load]);
	return state;
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
