import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';
import path from 'node:path';
import {Readable, Writable} from 'node:stream';
import type {CliRun, Interrupts} from '../../source/run-cli.js';

export type CliResult = {code: number | null; stdout: string; stderr: string};
type CliOptions = {cwd?: string; env?: NodeJS.ProcessEnv; input?: string};
/** In-process only: interrupts to give the run, and a look at its stdout as it is written. */
type InProcessOptions = CliOptions & {interrupts?: Interrupts; onStdout?: (written: string) => void};

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli.js');

type BuiltCli = {runCli(run: CliRun): Promise<number>};
let built: Promise<BuiltCli> | undefined;

/**
 * The built CLI as a function (dist/run-cli.js, which dist/cli.js calls with the process's I/O): the bundle
 * users run, its chunks loaded once per test worker. Loaded by Node's own require (of an ES module: Node
 * 20.19+, and nothing in the bundle awaits at its top level), not through Vite: transforming the bundle's
 * chunks as test code cost about 3 s of CPU per worker, more than all the runs in it.
 */
function builtCli(): Promise<BuiltCli> {
	built ??= Promise.resolve().then(() => {
		const file = path.join(repoRoot, 'dist/run-cli.js');
		try {
			return createRequire(import.meta.url)(file) as BuiltCli;
		} catch (cause) {
			throw new Error(`cannot load ${file} (npm test builds it; else npm run build)`, {cause});
		}
	});
	return built;
}

/** A stream that keeps what is written to it (not a terminal). */
class Collector extends Writable {
	text = '';
	constructor(private readonly onWrite?: (written: string) => void) {
		super({decodeStrings: false});
	}
	override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: () => void): void {
		this.text += chunk.toString();
		this.onWrite?.(this.text);
		done();
	}
}

/**
 * Runs the built CLI in this process, as a script or CI would run the binary: the same bundle, arguments,
 * environment and working folder, stdin and stdout/stderr that are not terminals; the exit code it returns is
 * the one dist/cli.js gives the process. `npm test` builds dist/ first. What only a process can show (its
 * exit on a closed pipe, signals, terminal detection, the AWS SDK reading the process's environment) is
 * tested with {@link runCliProcess}.
 */
export async function runCli(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
	const {runCli: run} = await builtCli();
	const [stdout, stderr] = [new Collector(options.onStdout), new Collector()];
	const code = await run({
		argv: args,
		env: {...process.env, NO_COLOR: '1', ...options.env},
		cwd: options.cwd ?? repoRoot,
		stdin: Readable.from([options.input ?? '']),
		stdout,
		stderr,
		...(options.interrupts ? {interrupts: options.interrupts} : {}),
	});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

/** Runs the built CLI as a child process (`node dist/cli.js …`), for what only a process shows. */
export function runCliProcess(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cli, ...args], {
			cwd: options.cwd ?? repoRoot,
			env: {...process.env, NO_COLOR: '1', ...options.env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
		child.stdin.end(options.input ?? '');
	});
}
