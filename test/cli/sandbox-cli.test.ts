import {spawn} from 'node:child_process';
import {mkdtemp, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test, vi} from 'vitest';
import {repoRoot, runCli} from '../helpers/cli.js';

// The built CLI against the sandbox account, as a new user (or CI) would run it. Played 50× faster. Each test
// has a workspace of its own, so the tests run at the same time: most of their time is the sandbox's.
const speed = '50';
const hello = ['-r', 'recipes/hello-color.yaml'];

/** A fresh workspace (its own sandbox account) and the built CLI on it. */
async function workspace() {
	const home = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-sandbox-'));
	const env = (playedAt = speed) => ({ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: playedAt});
	const sandbox = (...args: string[]) => runCli(['--sandbox', ...args], {env: env()});

	/** Deploys `web=1.4.0` with the built CLI, played at `playedAt`, and sends it `signal` once the update has started. */
	async function deployAndSignal(signal: NodeJS.Signals, playedAt: string) {
		const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), '--sandbox', 'deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0'], {
			cwd: repoRoot,
			env: {...process.env, NO_COLOR: '1', ...env(playedAt)},
		});
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const code = await new Promise<number | null>(resolve => {
			child.stdout.on('data', (c: Buffer) => {
				stdout += c.toString();
				if (stdout.includes('update started') && !child.killed) child.kill(signal);
			});
			child.on('close', resolve);
		});
		return {code, stdout, stderr};
	}

	/** Waits until every step the sandbox has planned (an operation nobody watches any more) is due. */
	async function sandboxDone() {
		await vi.waitFor(
			async () => {
				const {steps} = JSON.parse(await readFile(path.join(home, 'sandbox.json'), 'utf8')) as {steps: Array<{at: number}>};
				if (steps.some(s => s.at > Date.now())) throw new Error(`${steps.length} sandbox steps still planned`);
			},
			{timeout: 20_000, interval: 50},
		);
	}

	return {env, sandbox, deployAndSignal, sandboxDone};
}

describe.concurrent('headless commands on the sandbox account', () => {
	test('deploy (0), the same release again (no-op, 0), a crash-looping release (1) and rollback (0)', async () => {
		const {sandbox} = await workspace();
		const first = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0');
		expect(first.stdout).toMatch(/✓ succeeded: release 1.3.0 is serving in dev/);
		expect(first.code).toBe(0);

		const again = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0');
		expect(again.stdout).toMatch(/no changes to apply/);
		expect(again.code).toBe(0);

		expect((await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0')).code).toBe(0);

		const crash = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.1-crashloop');
		expect(crash.code).toBe(1);
		expect(crash.stdout).toMatch(/✗ web: exited with exit code 1/);
		expect(crash.stdout).toMatch(/\| Error: required setting DATABASE_URL is not set/);
		expect(crash.stdout).toMatch(/UPDATE_ROLLBACK_COMPLETE/);

		const back = await sandbox('rollback', '--yes', ...hello, '-e', 'dev', '--to', 'previous');
		expect(back.stdout).toMatch(/✓ succeeded: release 1.3.0 is serving in dev/);
		expect(back.code).toBe(0);

		const status = JSON.parse((await sandbox('status', ...hello, '--json')).stdout) as Array<{environment: string; release?: string; rollout?: string}>;
		expect(status[0]).toMatchObject({environment: 'dev', release: '1.3.0', rollout: 'COMPLETED'});

		const releases = await sandbox('releases', ...hello);
		expect(releases.stdout).toMatch(/1\.4\.1-crashloop.*\n(.*\n)*.*dev: rolled back/);

		const events = JSON.parse((await sandbox('events', ...hello, '-e', 'dev', '--json')).stdout) as Array<{events: unknown[]}>;
		expect(events.length).toBeGreaterThanOrEqual(5);
	}, 60_000);

	test('--json prints events as JSON lines and the result last', async () => {
		const {sandbox} = await workspace();
		const result = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0', '--json');
		const lines = result.stdout.trim().split('\n').map(l => JSON.parse(l) as {code?: string; result?: {outcome: string; exitCode: number}});
		expect(lines.some(l => l.code === 'task')).toBe(true);
		expect(lines.at(-1)?.result).toMatchObject({outcome: 'succeeded', exitCode: 0});
	}, 30_000);

	test('Ctrl+C detaches (130) and watch re-attaches and sees the deploy finish', async () => {
		const {env, sandbox, deployAndSignal} = await workspace();
		await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0');
		// Played at 4×, the update lasts about 4 s: time enough for watch to find it still in progress.
		const {code, stdout, stderr} = await deployAndSignal('SIGINT', '4');
		expect(code).toBe(130);
		expect(stdout).toMatch(/Re-attach with: ecs-deployer --sandbox watch --recipe \S+ --env dev/);
		expect(stderr).toMatch(/interrupted/);

		// watch starts no operation: its speed only sets how often it polls (every 250 ms at 8×).
		const watched = await runCli(['--sandbox', 'watch', ...hello, '-e', 'dev'], {env: env('8')});
		expect(watched.stdout).toMatch(/re-attached to hello-color-dev \(UPDATE_IN_PROGRESS\)/);
		expect(watched.stdout).toMatch(/✓ succeeded: release 1.4.0 is serving in dev/);
		expect(watched.code).toBe(0);
	}, 60_000);

	test('SIGTERM (a CI job cancelled) stops watching like Ctrl+C; the record is brought up to date by the next status', async () => {
		const {sandbox, deployAndSignal, sandboxDone} = await workspace();
		await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0');
		const {code, stdout, stderr} = await deployAndSignal('SIGTERM', '20');
		expect(code).toBe(130);
		expect(stderr).toMatch(/terminated: stopping/);
		expect(stdout).toMatch(/Re-attach with: ecs-deployer --sandbox watch --recipe \S+ --env dev/);
		// The update goes on in the sandbox; once it is done, status reads how it ended and keeps it.
		await sandboxDone();
		const status = JSON.parse((await sandbox('status', ...hello, '-e', 'dev', '--json')).stdout) as Array<{lastDeployment?: {version: string; outcome: string}}>;
		expect(status[0]?.lastDeployment).toMatchObject({version: '1.4.0', outcome: 'succeeded'});
	}, 60_000);

	test('UPDATE_ROLLBACK_FAILED: the next deploy continues the rollback, then deploys', async () => {
		const {sandbox} = await workspace();
		await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0');
		const stuck = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.1-stuck-rollback');
		expect(stuck.code).toBe(1);
		expect(stuck.stdout).toMatch(/UPDATE_ROLLBACK_FAILED/);
		const next = await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.4.0');
		expect(next.stdout).toMatch(/Continue the rollback \(the running service stays up\), then deploy\? yes/);
		expect(next.code).toBe(0);
	}, 60_000);

	test('tags pages through the big repository; sandbox reset starts fresh', async () => {
		const {sandbox} = await workspace();
		const tags = JSON.parse((await sandbox('tags', '-r', 'recipes/orders-api.yaml', '--json', '--all')).stdout) as {versions: unknown[]; notSemver: unknown[]};
		expect(tags.versions.length).toBeGreaterThan(3000);
		expect((await sandbox('deploy', '--yes', ...hello, '-e', 'dev', '-i', 'web=1.3.0')).code).toBe(0);
		expect((await sandbox('sandbox', 'reset')).code).toBe(0);
		const status = JSON.parse((await sandbox('status', ...hello, '--json')).stdout) as Array<{stackStatus?: string}>;
		expect(status[0]?.stackStatus).toBeUndefined();
	}, 60_000);

	test('without --yes and no terminal, deploy prints the change set, applies nothing and exits 2 naming --yes', async () => {
		const {env, sandbox} = await workspace();
		const result = await runCli(['--sandbox', 'deploy', ...hello, '-e', 'dev', '-i', 'web=1.4.0'], {env: env(), input: 'y\n'});
		expect(result.code).toBe(2);
		expect(result.stdout).toMatch(/Add +Service \(AWS::ECS::Service\)/);
		expect(result.stderr).toMatch(/pass --yes/);
		const status = JSON.parse((await sandbox('status', ...hello, '-e', 'dev', '--json')).stdout) as Array<{stackStatus?: string}>;
		expect(status[0]?.stackStatus).toBeUndefined();
	}, 30_000);

	test('status and events of an environment the recipe lacks are bad input (exit 2)', async () => {
		const {sandbox} = await workspace();
		const status = await sandbox('status', ...hello, '-e', 'qa');
		expect(status.code).toBe(2);
		expect(status.stderr).toMatch(/no environment "qa"/);
		expect((await sandbox('events', ...hello, '-e', 'qa')).code).toBe(2);
		expect((await sandbox('tags', ...hello, '--limit', 'abc')).code).toBe(2);
	});

	test('target verify on the sandbox passes every check', async () => {
		const {sandbox} = await workspace();
		const verify = await sandbox('target', 'verify', 'sandbox');
		expect(verify.stdout).toMatch(/✓ credentials +account 123456789012/);
		expect(verify.code).toBe(0);
	});
});
