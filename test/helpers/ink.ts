import stripAnsi from 'strip-ansi';
import type {render} from 'ink-testing-library';
import {keysInFlight} from '../../source/ui/input/key-dispatcher.js';

type App = ReturnType<typeof render>;

/** Raw key sequences as a terminal sends them. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlS: '\u0013',
	left: '\u001B[D',
	right: '\u001B[C',
	home: '\u001B[H',
	end: '\u001B[F',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
} as const;

const round = () => new Promise(resolve => setImmediate(() => setTimeout(resolve, 0)));

/**
 * Lets React commit and run effects before the next key: two rounds (the render a key caused, then its
 * effects), and more while keys written at once are still being handed out one frame at a time.
 */
export const settle = async () => {
	for (let i = 0; i < 2 || (keysInFlight() > 0 && i < 500); i++) await round();
};

/** Types keys one at a time, settling after each so no key reaches a stale handler. */
export async function press(app: App, ...inputs: string[]): Promise<void> {
	// A component that just appeared subscribes to input in an effect: let it run first.
	await settle();
	for (const input of inputs) {
		app.stdin.write(input);
		await settle();
	}
}

/** The last frame as the operator reads it. */
export const screen = (app: App) => stripAnsi(app.lastFrame() ?? '');

/**
 * Waits until the frame shows `text`; fails with the last frame so the test says what was on screen. The default
 * wait is generous: a frame that comes late on a loaded machine is not a failure, and a passing test never waits it.
 */
export async function waitForText(app: App, text: string | RegExp | ((frame: string) => boolean), timeoutMs = 5000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = screen(app);
		if (typeof text === 'string' ? frame.includes(text) : typeof text === 'function' ? text(frame) : text.test(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${frame}`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
