/*
 * The terminal while the app runs: the alternate screen (the shell's screen comes back as it was when the app
 * ends, and no frame of the app stays behind) and bracketed paste (a paste arrives as one key). Whatever ends
 * the app — q, a crash, SIGINT, SIGTERM, SIGHUP — restores the terminal first.
 */

/** ESC [?1049h: the alternate screen (saving the cursor); ESC [?2004h: bracketed paste. */
export const enterSequence = '\u001B[?1049h\u001B[?2004h';
/** Bracketed paste off, then back to the normal screen and its cursor. */
export const leaveSequence = '\u001B[?2004l\u001B[?1049l';

/** The signals that end the app; each restores the terminal and exits with 128 + its number. */
export const endingSignals = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1} as const;

type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

type Process = {
	on(event: string, listener: Listener): unknown;
	off(event: string, listener: Listener): unknown;
	exit(code: number): void;
};

type Options = {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown};
	process: Process;
	/** Ends the app before the process exits on a signal or a crash (unmounts Ink). */
	stop(): void;
	/** What to print for a crash, and its exit code. */
	describe(cause: unknown): {message: string; code: number};
};

/**
 * Enters the full screen and returns `leave`, which restores the terminal (once; later calls do nothing) and
 * removes the handlers. A signal or an uncaught error leaves the full screen before anything is printed.
 */
export function enterFullScreen({stdout, stderr, process, stop, describe}: Options): () => void {
	let left = false;
	const leave = () => {
		if (left) return;
		left = true;
		stdout.write(leaveSequence);
		for (const [event, listener] of listeners) process.off(event, listener);
	};
	const end = (code: number, message?: string) => {
		try {
			stop();
		} finally {
			leave();
			if (message) stderr.write(`${message}\n`);
			process.exit(code);
		}
	};
	const crash = (cause: unknown) => {
		const {message, code} = describe(cause);
		end(code, message);
	};
	const listeners: Array<[string, Listener]> = [
		...Object.entries(endingSignals).map(([signal, number]): [string, () => void] => [signal, () => end(128 + number)]),
		['uncaughtException', crash],
		['unhandledRejection', crash],
		// Whatever else ends the process (process.exit anywhere) still restores the terminal.
		['exit', leave],
	];
	for (const [event, listener] of listeners) process.on(event, listener);
	stdout.write(enterSequence);
	return leave;
}
