import {spawn, type ChildProcess} from 'node:child_process';
import xterm from '@xterm/headless';
import {quote} from 'shell-quote';
import {afterAll} from 'vitest';
import {childEnvironment, cliPath, type Place} from './cli.js';

/** Raw key sequences as a terminal sends them. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	ctrlC: '\u0003',
} as const;

/** The full-screen app in a real pseudo-terminal, read through a headless terminal emulator. */
export type AppSession = {
	/** The screen as text, one line per row, trailing blanks trimmed. */
	screen(): string;
	/** Sends keys, as one read of the terminal. */
	press(...input: string[]): void;
	/** Types text into the focused field and waits until the screen shows `echo` (default: the text). */
	type(text: string, echo?: string | RegExp): Promise<void>;
	/**
	 * Presses a key that opens or changes a screen and waits for `expected`. A key that arrives in the moment
	 * between a new screen's first frame and its key handler is dropped by the app (see the report); when the
	 * screen has not changed at all after a while, the key was dropped and is pressed again (at most twice more).
	 */
	key(input: string, expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
	/**
	 * Polls the screen until `wanted` appears (a string, a pattern, or a test on the whole screen); fails after
	 * `timeoutMs` with the screen as it was. Returns the screen that matched.
	 */
	waitFor(wanted: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
	/** The app's exit code once it has exited, else undefined. */
	exited(): {code: number | null} | undefined;
	close(): Promise<void>;
};

const columns = 120;
const rows = 40;
// Closed when the file's cases are done (a session may span several tests of a describe block).
const sessions: AppSession[] = [];
/** Keys the app dropped and that were pressed again, for the suite's closing note. */
export const dropped: string[] = [];
afterAll(() => {
	if (dropped.length > 0) console.warn(`the app dropped ${dropped.length} key(s), pressed again: ${dropped.splice(0).join('; ')}`);
});
afterAll(async () => {
	for (const session of sessions.splice(0)) await session.close();
});

/**
 * Starts `ecs-deployer ARGS` in a pseudo-terminal of 120×40: `script` gives the process a real pty (as
 * `npm run bench` does), and @xterm/headless turns its byte stream into a screen the test can read.
 */
export function startApp(place: Place, args: readonly string[]): AppSession {
	const Terminal = xterm.Terminal;
	const terminal = new Terminal({cols: columns, rows, allowProposedApi: true});
	const command = `stty cols ${columns} rows ${rows} && exec ${quote([process.execPath, cliPath, ...args])}`;
	const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
		cwd: place.dir,
		env: childEnvironment(place, {TERM: 'xterm-256color', COLUMNS: String(columns), LINES: String(rows)}),
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let exit: {code: number | null} | undefined;
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => terminal.write(chunk));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.on('exit', code => (exit = {code}));

	const screen = () => {
		const buffer = terminal.buffer.active;
		const lines: string[] = [];
		for (let y = 0; y < terminal.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return lines.join('\n');
	};
	// xterm parses written bytes asynchronously: an empty write's callback runs once all earlier ones are parsed.
	const parsed = () => new Promise<void>(resolve => terminal.write('', resolve));

	const session: AppSession = {
		screen,
		press: (...input) => void child.stdin?.write(input.join('')),
		async key(input, expected, timeoutMs = 15_000) {
			for (let attempt = 1; ; attempt++) {
				await parsed();
				const before = screen();
				session.press(input);
				try {
					return await session.waitFor(expected, attempt < 3 ? 1500 : timeoutMs);
				} catch (error) {
					await parsed();
					if (attempt >= 3 || screen() !== before) {
						if (screen() !== before) return session.waitFor(expected, timeoutMs);
						throw error;
					}
					dropped.push(`${JSON.stringify(input)} (waiting for ${String(expected)})`);
				}
			}
		},
		async type(text, echo = text) {
			session.press(text);
			await session.waitFor(echo);
		},
		async waitFor(wanted, timeoutMs = 15_000) {
			const test = typeof wanted === 'string' ? (s: string) => s.includes(wanted) : wanted instanceof RegExp ? (s: string) => wanted.test(s) : wanted;
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				await parsed();
				const now = screen();
				if (test(now)) return now;
				if (exit || Date.now() > deadline) {
					const why = exit ? `the app exited (code ${exit.code})` : `not on screen after ${timeoutMs / 1000} s`;
					throw new Error(`waiting for ${String(wanted)}: ${why}. The screen:\n${now}${stderr ? `\nstderr:\n${stderr}` : ''}`);
				}
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
		exited: () => exit,
		async close() {
			if (!exit) {
				const gone = new Promise(resolve => child.once('exit', resolve));
				child.kill('SIGKILL');
				await gone;
			}
			terminal.dispose();
		},
	};
	sessions.push(session);
	return session;
}

/** The screen's rows that contain `text`. */
export function rowsWith(screen: string, text: string): string[] {
	return screen.split('\n').filter(line => line.includes(text));
}
