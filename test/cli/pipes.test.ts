import {spawn} from 'node:child_process';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {repoRoot, runCli} from '../helpers/cli.js';

/*
 * A reader that stops early (`ecs-deployer events | head -1`) closes the pipe; the next write fails with
 * EPIPE. That ends the output: the usual exit code, no stack trace. Here the reader is gone before the
 * first line, so every write fails.
 */

let home: string;
const env = () => ({ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: '500'});
const hello = ['-r', 'recipes/hello-color.yaml'];

/** Runs the built CLI with its stdout closed by the reader at once; what it says on stderr and its exit code. */
function withClosedStdout(args: readonly string[]): Promise<{code: number | null; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), ...args], {cwd: repoRoot, env: {...process.env, NO_COLOR: '1', ...env()}, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', code => resolve({code, stderr}));
	});
}

beforeAll(async () => {
	home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-pipes-'));
	const deployed = await runCli(['--sandbox', 'deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0'], {env: env()});
	expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
});

describe('a closed pipe is a normal end', () => {
	test('deploy | head -1: the deploy still runs to its verdict, and exits with its own code (1: the release crash-loops)', async () => {
		const result = await withClosedStdout(['--sandbox', 'deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.1-crashloop']);
		expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
		expect(result.code).toBe(1);
	});

	for (const args of [
		['events', ...hello, '-e', 'dev'],
		['status', ...hello],
		['releases', ...hello],
		['export', ...hello, '-e', 'dev'],
	]) {
		test(`${args[0]} | head -1: exit 0, no trace`, async () => {
			const result = await withClosedStdout(['--sandbox', ...args]);
			expect(result.stderr).not.toMatch(/EPIPE|\n\s+at |Error:/);
			expect(result.code).toBe(0);
		});
	}
});
