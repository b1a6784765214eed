import {spawn} from 'node:child_process';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {awsEnvironment} from './emulator.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

/** What a finished CLI run left behind. */
export type CliRun = {args: readonly string[]; code: number | null; stdout: string; stderr: string; ms: number};

/** How a deploy, rollback or watch ended, as `--json` prints it on its last line. */
export type JsonResult = {outcome: string; exitCode: number; message: string; [field: string]: unknown};

/** Where a case runs: its folder (the working directory) and its own ECS_DEPLOYER_HOME. */
export type Place = {dir: string; home: string};

/**
 * The environment of a child: the machine's, without anything that would point it at real AWS or another
 * workspace, and without CI (Ink draws differently when it is set); then the emulator's.
 */
export function childEnvironment(place: Place, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^(AWS_|ECS_DEPLOYER_)/.test(name) || name === 'CI') continue;
		env[name] = value;
	}
	return {
		...env,
		...awsEnvironment(),
		// No ~/.aws files of the machine: the run sees only the fake keys.
		AWS_CONFIG_FILE: path.join(place.home, 'no-aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(place.home, 'no-aws-credentials'),
		ECS_DEPLOYER_HOME: place.home,
		NO_COLOR: '1',
		...extra,
	};
}

/** Describes a run for a failure message: the command, its exit code and everything it printed. */
export function describeRun(run: Omit<CliRun, 'code'> & {code?: number | null}): string {
	return `ecs-deployer ${run.args.join(' ')}\n  exit code: ${run.code ?? '(none)'} after ${Math.round(run.ms)} ms\n  stdout:\n${indent(run.stdout)}\n  stderr:\n${indent(run.stderr)}`;
}

const indent = (text: string) => (text.trim() === '' ? '    (nothing)' : text.trimEnd().split('\n').map(line => `    ${line}`).join('\n'));

/**
 * Runs the built CLI (`dist/cli.js`) against the emulator, as a script would. A run that has not ended after
 * `timeoutMs` is killed and the call fails with what it printed, so a hang fails fast instead of stalling
 * the suite.
 */
export function runCli(place: Place, args: readonly string[], options: {timeoutMs?: number; env?: Record<string, string>} = {}): Promise<CliRun> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, [cliPath, ...args], {cwd: place.dir, env: childEnvironment(place, options.env), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`did not end within ${timeoutMs / 1000} s (killed): ${describeRun({args, stdout, stderr, ms: performance.now() - started})}`));
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', code => {
			clearTimeout(timer);
			resolve({args, code, stdout, stderr, ms: performance.now() - started});
		});
	});
}

/** The result document of a `--json` deploy, rollback or watch: its last stdout line, `{"result": {...}}`. */
export function resultOf(run: CliRun): JsonResult {
	const last = run.stdout.trimEnd().split('\n').at(-1) ?? '';
	let parsed: unknown;
	try {
		parsed = JSON.parse(last);
	} catch {
		throw new Error(`the last stdout line is not JSON, so the run printed no result: ${describeRun(run)}`);
	}
	const result = (parsed as {result?: JsonResult}).result;
	if (typeof result !== 'object' || result === null) throw new Error(`the last stdout line has no "result": ${describeRun(run)}`);
	return result;
}

/** The JSON document a `--json` listing (status, releases, events, tags, target verify) printed. */
export function jsonOf<T>(run: CliRun): T {
	try {
		return JSON.parse(run.stdout) as T;
	} catch {
		throw new Error(`stdout is not one JSON document: ${describeRun(run)}`);
	}
}
