import {useInput, type Key} from 'ink';
import {createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import type {Engine} from '../engine/engine.js';
import type {RecipeCatalog} from './catalog.js';
import type {Command} from './input/keymap.js';
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
	/** The screen's commands: the footer and the help overlay show them. */
	setCommands(commands: readonly Command[]): void;
	/**
	 * The screen's own handling of Esc (clear a filter, leave a field, ask before dropping changes): true when
	 * it handled it; otherwise Esc goes back.
	 */
	setBackHandler(handler: (() => boolean) | undefined): void;
	/** A text field or filter has the keys: `q` and `?` are letters then, not commands. */
	setTyping(typing: boolean): void;
	/** A short message shown in the footer until the next one (e.g. "created release 1.4.2"). */
	flash(message: string): void;
	/** A dialog or the help is over the screen: the screen keeps its state but not the keys. */
	modal: boolean;
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

/** Declares the screen's commands for the footer and the help overlay. */
export function useCommands(commands: readonly Command[]): void {
	const {setCommands} = useServices();
	const key = commands.join(',');
	useEffect(() => setCommands(commands), [key]);
}

/**
 * A screen's key handler: Ink's useInput, inactive while a dialog or the help is over the screen (the screen
 * stays mounted under it, keeping what was typed, but the keys are the dialog's).
 */
export function useScreenInput(handler: (input: string, key: Key) => void, options: {isActive?: boolean} = {}): void {
	const {modal} = useServices();
	// Ink swaps a changed handler in an effect, after the frame: keys that arrive in between (typed fast, or
	// pasted) would meet the handler of the frame before. The handler of the latest render answers instead.
	const latest = useRef(handler);
	latest.current = handler;
	const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
	useInput(stable, {isActive: (options.isActive ?? true) && !modal});
}

/** Lets the screen handle Esc first (see Services.setBackHandler). */
export function useBack(handler: () => boolean): void {
	const {setBackHandler} = useServices();
	useEffect(() => {
		setBackHandler(handler);
		return () => setBackHandler(undefined);
	});
}

/** Tells the shell a text field or filter owns the printable keys. */
export function useTyping(typing: boolean): void {
	const {setTyping} = useServices();
	useEffect(() => {
		setTyping(typing);
		return () => setTyping(false);
	}, [typing]);
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

/** The runs of the session, re-rendering when one starts, ends or is detached. */
export function useRuns(): ReturnType<RunRegistry['getSnapshot']> {
	const {runs} = useServices();
	return useSyncExternalStore(runs.subscribe, runs.getSnapshot);
}
