import {copyFile, mkdtemp, readFile, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import type {Interrupts} from '../../source/run-cli.js';
import {repoRoot, runCli} from '../helpers/cli.js';

/*
 * The built CLI run in-process (dist/run-cli.js), as the other CLI tests run it: a run works on what it is
 * given (arguments, environment, working folder, streams, interrupts), never on the process, and leaves
 * nothing behind for the next run.
 */

const hello = ['-r', 'recipes/hello-color.yaml'];

/** What a run could leave behind in the process: listeners, timers, the exit code, the working folder, the environment. */
function processState() {
	const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'warning'] as const;
	return {
		listeners: Object.fromEntries(events.map(e => [e, process.listenerCount(e)])),
		timers: process.getActiveResourcesInfo().filter(r => r === 'Timeout').length,
		exitCode: process.exitCode,
		cwd: process.cwd(),
		env: JSON.stringify(process.env),
	};
}

describe('in-process runs of the built CLI', () => {
	test('a run leaves no listener, timer, exit code, working folder or environment change behind', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-inproc-'));
		const env = {ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: '50'};
		const round = async (image: string) => {
			const codes = [];
			for (const args of [
				['--help'],
				['deploi'],
				['validate', ...hello, '-e', 'dev'],
				['export', ...hello, '-e', 'qa'],
				['--sandbox', 'deploy', '--yes', ...hello, '-e', 'dev', '-i', `web=${image}`],
				['--sandbox', 'status', ...hello],
				['target', 'add', '--name', 'a', '--region', 'eu-west-1', '--cluster', 'c', '--env', 'dev'],
				['sandbox', 'reset'],
			]) {
				codes.push((await runCli(args, {env})).code);
			}
			return codes;
		};
		// The first round loads the bundle's chunks, and the libraries add their process-wide hooks once (conf's
		// atomic writes and the lock files end with the process); a second round must add nothing.
		expect(await round('1.3.0')).toEqual([0, 2, 0, 2, 0, 0, 0, 0]);
		const before = processState();
		expect(await round('1.4.0')).toEqual([0, 2, 0, 2, 0, 0, 0, 0]);
		const after = processState();
		// A timer an earlier test file of this worker left may have fired meanwhile: none may be added.
		expect(after.timers).toBeLessThanOrEqual(before.timers);
		expect({...after, timers: 0}).toEqual({...before, timers: 0});
	}, 60_000);

	test('relative paths and the default workspace folder are in the working folder it is given, not the process\'s', async () => {
		const folder = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-inproc-'));
		await copyFile(path.join(repoRoot, 'recipes/hello-color.yaml'), path.join(folder, 'app.yaml'));
		const options = {cwd: folder, env: {ECS_DEPLOYER_HOME: undefined}};
		const valid = await runCli(['validate', '-r', 'app.yaml', '-e', 'dev'], options);
		expect(valid.stdout).toContain('✓ app.yaml is valid for dev');
		expect(valid.code).toBe(0);
		const exported = await runCli(['export', '-r', 'app.yaml', '-e', 'dev', '--format', 'json', '--out', 'template.json'], options);
		expect(exported.stderr).toContain('wrote the dev template to template.json');
		expect(JSON.parse(await readFile(path.join(folder, 'template.json'), 'utf8'))).toHaveProperty('Resources');
		const again = await runCli(['export', '-r', 'app.yaml', '-e', 'dev', '--out', 'template.json'], options);
		expect(again).toMatchObject({code: 2, stderr: expect.stringContaining('error: --out: template.json exists; pass --force to overwrite it')});
		expect((await runCli(['target', 'add', '--name', 'a', '--region', 'eu-west-1', '--cluster', 'c', '--env', 'dev'], options)).code).toBe(0);
		expect((await stat(path.join(folder, '.ecs-deployer/workspace.json'))).isFile()).toBe(true);
		expect(process.cwd()).toBe(repoRoot);
	});

	test('an interrupt it is given stops watching (130, how to re-attach); a second one quits at once; it stops listening when it ends', async () => {
		const home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-inproc-'));
		const handlers = new Set<(signal: 'SIGINT' | 'SIGTERM') => void>();
		const quits: number[] = [];
		const interrupts: Interrupts = {
			listen(handler) {
				handlers.add(handler);
				return () => handlers.delete(handler);
			},
			quit: code => void quits.push(code),
		};
		let sent = false;
		// Played at 4×, the create lasts seconds: time enough to interrupt it once it has started.
		const result = await runCli(['--sandbox', 'deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0'], {
			env: {ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: '4'},
			interrupts,
			onStdout: written => {
				if (sent || !written.includes('create started')) return;
				sent = true;
				for (const handler of [...handlers]) handler('SIGINT');
				for (const handler of [...handlers]) handler('SIGINT');
			},
		});
		expect(result.stderr).toMatch(/interrupted: stopping \(press Ctrl\+C again to quit at once\)/);
		expect(result.stdout).toMatch(/Re-attach with: ecs-deployer --sandbox watch --recipe \S+ --env dev/);
		expect(result.code).toBe(130);
		expect(quits).toEqual([130]);
		expect(handlers.size).toBe(0);
	}, 30_000);
});
