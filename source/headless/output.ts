import type {Problem} from '../domain/problems.js';

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
		line: (text = '') => void stdout.write(`${text}\n`),
		note: text => void stderr.write(`${text}\n`),
		json: value => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
		color,
		paint,
	};
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
