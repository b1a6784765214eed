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
 */
export function createOutput(options: {stdout?: Stream; stderr?: Stream; noColor?: boolean; env?: NodeJS.ProcessEnv} = {}): Output {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const env = options.env ?? process.env;
	const color = Boolean(stdout.isTTY) && !options.noColor && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
	const paint = makePaint(color);
	return {
		line: (text = '') => void stdout.write(`${safeLine(text)}\n`),
		note: text => void stderr.write(`${safeLine(text)}\n`),
		json: value => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
		color,
		paint,
	};
}

/** The colour codes `paint` writes: the only escape sequences a line may carry. */
const ownColours = /\u001B\[(?:31|32|33|39|2|22|1)m/g;

/**
 * A line made safe for a terminal: text that came from input (recipe values, flags, AWS messages) cannot
 * move the cursor, clear the screen or retitle the window. Control characters become visible escapes; only
 * the colour codes this module writes are kept.
 */
export function safeLine(text: string): string {
	let out = '';
	let last = 0;
	for (const match of text.matchAll(ownColours)) {
		out += printable(text.slice(last, match.index)) + match[0];
		last = match.index + match[0].length;
	}
	return out + printable(text.slice(last));
}

function makePaint(color: boolean): Paint {
	const wrap = (open: number, close: number) => (text: string) => (color ? `\u001B[${open}m${text}\u001B[${close}m` : text);
	return {red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22)};
}

/** One problem as a line: `  error  service.memory (line 14): 300 MiB does not fit …`. */
export function formatProblem(problem: Problem, paint: Paint): string {
	const label = problem.severity === 'error' ? paint.red('error  ') : paint.yellow('warning');
	const where = problem.line === undefined ? problem.path : `${problem.path} (line ${problem.line})`;
	return `  ${label} ${paint.bold(where)}: ${problem.message}`;
}
