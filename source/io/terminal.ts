import {terminalFrame} from '../domain/text.js';

/**
 * The terminal stream the full-screen app renders to, through the app's one output filter (terminalFrame):
 * every write keeps only the control sequences a renderer needs, so no text from outside (a recipe file's
 * name, an AWS message, a log line) can set the clipboard or the title, query the terminal or turn on mouse
 * reporting, on any screen. Everything else (size, `resize` events, isTTY) is the stream's own.
 */
export function filteredTerminal<T extends NodeJS.WriteStream>(stream: T): T {
	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
		return (stream.write as (chunk: string, ...rest: unknown[]) => boolean)(terminalFrame(text), ...rest);
	};
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
