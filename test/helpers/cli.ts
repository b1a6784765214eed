import {spawn} from 'node:child_process';
import path from 'node:path';

export type CliResult = {code: number | null; stdout: string; stderr: string};

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli.js');

/** Runs the built CLI as a child process, as a script or CI would. `npm test` builds dist/ first. */
export function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<CliResult> {
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
