import {spawn} from 'node:child_process';
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {enterSequence, leaveSequence} from '../../source/ui/full-screen.js';
import {repoRoot} from '../helpers/cli.js';

/**
 * The built app in a real pseudo-terminal (util-linux `script`), 100×30, on the sandbox in an empty folder.
 * Resolves with its output and exit code; `act` gets its pid and a way to type once the first frame is up.
 */
async function inTerminal(act: (app: {pid: number; type(text: string): void}) => void): Promise<{output: string; code: number | null}> {
	const cwd = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-pty-'));
	const command = `stty cols 100 rows 30; echo "PID=$$"; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'dist/cli.js'))} --sandbox`;
	const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd, env: {...process.env, ECS_DEPLOYER_HOME: path.join(cwd, '.home'), TERM: 'xterm-256color'}});
	let output = '';
	let acted = false;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the app did not end; it wrote:\n${output}`))), 15_000);
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const pid = /PID=(\d+)/.exec(output)?.[1];
			if (!acted && pid && output.includes('Projects')) {
				acted = true;
				act({pid: Number(pid), type: text => child.stdin.write(text)});
			}
		});
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({output, code});
		});
	});
}

describe('the app in a terminal', () => {
	test('runs on the alternate screen: after q the shell gets its screen back, and no frame stays behind', async () => {
		const {output, code} = await inTerminal(app => app.type('q'));
		expect(code).toBe(0);
		expect(output).toContain(enterSequence);
		expect(output.indexOf(enterSequence)).toBeLessThan(output.indexOf('Projects'));
		expect(output.lastIndexOf(leaveSequence)).toBeGreaterThan(output.lastIndexOf('Projects'));
		// After leaving, nothing more is drawn.
		expect(output.slice(output.lastIndexOf(leaveSequence) + leaveSequence.length).replace(/\u001B\[\?25h|\s/g, '')).toBe('');
	});

	test.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
		['SIGINT', 130],
	] as const)('%s restores the terminal and exits with %i', async (signal, expected) => {
		const {output, code} = await inTerminal(app => process.kill(app.pid, signal));
		expect(code).toBe(expected);
		expect(output).toContain(leaveSequence);
		expect(output.lastIndexOf(leaveSequence)).toBeGreaterThan(output.lastIndexOf('Projects'));
	});
});
