import type {Key} from 'ink';

/** A command's keys and the hint the footer shows for it. */
export type Binding = {keys: readonly string[]; hint: string};

/**
 * Every key the app answers, in one table: handlers and the footer hints read from here, so they cannot drift.
 * Key names: a printable character, or one of Ink's key flags (`escape`, `return`, `upArrow`, …).
 */
export const keymap = {
	quit: {keys: ['q'], hint: 'q quit'},
	back: {keys: ['escape'], hint: 'esc back'},
	open: {keys: ['return'], hint: '↵ open'},
	move: {keys: ['upArrow', 'downArrow'], hint: '↑↓ move'},
} as const satisfies Record<string, Binding>;

export type Command = keyof typeof keymap;

/** True when the input/key pair is one of the command's keys. */
export function matches(command: Command, input: string, key: Key): boolean {
	return keymap[command].keys.some(name => (name.length === 1 ? input === name && !key.ctrl && !key.meta : Boolean(key[name as keyof Key])));
}
