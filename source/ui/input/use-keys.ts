import {useStdin} from 'ink';
import {createContext, useContext, useLayoutEffect, useRef, useState} from 'react';
import {KeyDispatcher, type KeyHandler, type KeyLayer, type KeyTarget} from './key-dispatcher.js';
import {createKeyReader} from './keys.js';

/** The app's one key dispatcher (the root reads the terminal; everything else subscribes). */
export const KeysContext = createContext<KeyDispatcher | undefined>(undefined);

/** The layer of the keys of what is inside: the shell wraps its dialogs and the help in `dialog`. */
export const KeyLayerContext = createContext<KeyLayer>('screen');

export type KeyOptions = {
	/** Whether the handler gets keys now. @default true */
	isActive?: boolean;
	/** A focused text field: it sees the keys before the rest of its layer. @default false */
	field?: boolean;
	/** @default the layer of the context: `screen`, or `dialog` inside a dialog */
	layer?: KeyLayer;
};

/**
 * Subscribes to keys, one key at a time, in order. The handler returns true when the key was its own; what
 * a screen leaves goes on to the global layer (q quits, ? helps, Esc goes back). The subscription is updated
 * in a layout effect, as each render commits: a key that arrives right after another (in the same terminal
 * read) meets the handler and state that the key before it left.
 */
export function useKeys(handler: KeyHandler, options: KeyOptions = {}): void {
	const dispatcher = useContext(KeysContext);
	const contextLayer = useContext(KeyLayerContext);
	const layer = options.layer ?? contextLayer;
	const current = useRef<KeyTarget>({handler, active: false, field: false});
	const active = options.isActive ?? true;
	const field = options.field ?? false;
	useLayoutEffect(() => {
		current.current = {handler, active, field};
	});
	useLayoutEffect(() => dispatcher?.subscribe({layer, read: () => current.current}), [dispatcher, layer]);
}

/**
 * The root's reading of the terminal: raw mode on, and every chunk Ink reads from stdin cut into keys and
 * dispatched. Nothing else in the app listens to stdin.
 */
export function useKeyReader(dispatcher: KeyDispatcher): void {
	const {setRawMode, isRawModeSupported, internal_eventEmitter: events} = useStdin();
	useLayoutEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		const reader = createKeyReader();
		const onInput = (data: string) => dispatcher.push(reader.push(data));
		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
			setRawMode(false);
		};
	}, [dispatcher, events, isRawModeSupported, setRawMode]);
}

/**
 * The dispatcher's clock: a leaf that React renders (with whatever the last key changed) when the dispatcher
 * asks, and that tells it when that frame is committed. Render it once, beside the app.
 */
export function useKeyClock(dispatcher: KeyDispatcher): void {
	const [tick, setTick] = useState(0);
	useLayoutEffect(() => {
		dispatcher.setClock(() => setTick(count => count + 1));
		return () => dispatcher.setClock(undefined);
	}, [dispatcher]);
	useLayoutEffect(() => dispatcher.committed(), [tick]);
}
