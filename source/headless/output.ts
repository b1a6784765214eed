import {randomBytes} from 'node:crypto';
import type {Problem} from '../domain/problems.js';
import {printable} from '../domain/text.js';

/** Where headless commands write: plain lines (colours only on a TTY) or JSON. */
export type Output = {
	/** Writes a line to stdout. */
	line(text?: string): void;
	/** Writes a line to stderr (notes, warnings, errors). */
	note(text: string): void;
	/** Writes one JSON document to stdout. */
	json(value: unknown): void;
	color: boolean;
	paint: Paint;
};

export type Paint = Record<'red' | 'green' | 'yellow' | 'dim' | 'bold', (text: string) => string>;

type Stream = {write(text: string): unknown; isTTY?: boolean};

/**
 * Creates the output for a command. Colours are used only when stdout is a TTY, `--no-color` was not given
 * and NO_COLOR is not set (https://no-color.org).
 *
 * Every byte it writes passes one filter (`safeLine`): text from outside (file names, recipe values, AWS
 * messages, log lines, stack events) cannot drive the terminal, whatever escape sequences it carries. The
 * only escape sequences written are the colours `paint` asked for; `paint` marks them with a random marker
 * of this output, which outside text cannot forge, and every other control character is shown as an escape.
 */
export function createOutput(options: {stdout: Stream; stderr: Stream; noColor?: boolean; env: NodeJS.ProcessEnv}): Output {
	const {stdout, stderr, env} = options;
	const color = Boolean(stdout.isTTY) && !options.noColor && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
	const marker = color ? `\u0000${randomBytes(12).toString('hex')}:` : undefined;
	const paint = makePaint(marker);
	return {
		line: (text = '') => void stdout.write(`${safeLine(text, marker)}\n`),
		note: text => void stderr.write(`${safeLine(text, marker)}\n`),
		json: value => void stdout.write(`${safeJson(value)}\n`),
		color,
		paint,
	};
}

/**
 * A line made safe for a terminal: text that came from input (recipe values, flags, file names, AWS
 * messages) cannot move the cursor, clear the screen, retitle the window, set the clipboard (OSC 52) or
 * change colours: every control character (ESC, C1 CSI, BEL…) becomes a visible escape. With `marker`, the
 * colour codes `paint` marked with it become escape codes again; without, no escape sequence is written.
 */
export function safeLine(text: string, marker?: string): string {
	if (marker === undefined) return printable(text);
	const [first = '', ...painted] = text.split(marker);
	let out = printable(first);
	for (const piece of painted) {
		// `<code>\u0000<text>`: the code is paint's own, a number.
		const end = piece.indexOf('\u0000');
		const code = piece.slice(0, end);
		out += end > 0 && /^\d+$/.test(code) ? `\u001B[${code}m${printable(piece.slice(end + 1))}` : printable(piece);
	}
	return out;
}

/**
 * A JSON document for a terminal or a pipe: JSON.stringify escapes C0 controls in strings but leaves C1
 * controls (U+009B is CSI), bidirectional overrides and line separators as they are; those are written as
 * `\uXXXX` escapes, which JSON reads back as the same text.
 */
export function safeJson(value: unknown): string {
	return JSON.stringify(value, null, 2)
		.split('\n')
		.map(line => printable(line))
		.join('\n');
}

/** Paint for an output: with colours, each code marked with the output's marker (see safeLine); without, the text as it is. */
function makePaint(marker: string | undefined): Paint {
	const wrap = (open: number, close: number) => (text: string) => (marker === undefined ? text : `${marker}${open}\u0000${text}${marker}${close}\u0000`);
	return {red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22)};
}

/**
 * A reader that goes away is the normal end of the output: `ecs-deployer events | head -1` closes the pipe
 * after one line, and the next write fails with EPIPE (then ERR_STREAM_DESTROYED). The rest of the output is
 * dropped, without a stack trace, and the command goes on to its own end and exit code: a deploy piped to
 * `head` still waits for its verdict, so a script never reads success from a deploy it did not see end.
 * Another write failure of stdout (a full disk) is said in one line, exit 1.
 */
export function dropOutputOnClosedPipe(streams: {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream} = process, exit: (code: number) => void = code => process.exit(code)): void {
	const closed = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);
	streams.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (closed.has(error.code ?? '')) return;
		streams.stderr.write(`ecs-deployer: cannot write the output: ${printable(error.code ?? error.message)}\n`);
		exit(1);
	});
	// Nowhere left to say anything: stderr's failures end nothing.
	streams.stderr.on('error', () => undefined);
}

/** One problem as a line: `  error  service.memory (line 14): 300 MiB does not fit …`. */
export function formatProblem(problem: Problem, paint: Paint): string {
	const label = problem.severity === 'error' ? paint.red('error  ') : paint.yellow('warning');
	const where = problem.line === undefined ? problem.path : `${problem.path} (line ${problem.line})`;
	return `  ${label} ${paint.bold(where)}: ${problem.message}`;
}
