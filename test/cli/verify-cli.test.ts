import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {repoRoot, runCli} from '../helpers/cli.js';

/* `ecs-deployer verify` as a script runs it, on the sandbox: lines, exit codes, JSON, and the cache file. */

const home = () => mkdtemp(path.join(tmpdir(), 'ecs-deployer-verify-'));

describe('ecs-deployer verify', () => {
	test('an example recipe passes: one ✓ line per check with its field, exit 0; the passes are cached in the workspace', async () => {
		const env = {ECS_DEPLOYER_HOME: await home()};
		const result = await runCli(['--sandbox', 'verify', '-r', 'recipes/orders-api.yaml', '-e', 'dev', '-i', 'api=1.4.0'], {env});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines).toContain('✓ service.executionRole: execution role ecsTaskExecutionRole: exists and trusts ecs-tasks.amazonaws.com');
		expect(lines).toContain('✓ images.api: image api (orders-api:1.4.0): has a linux/amd64 variant (linux/amd64, linux/arm64)');
		expect(lines.at(-2)).toBe('✓ pre-flight verify passed (8 passed, 0 failed, 0 not checked)');
		const cache = JSON.parse(await readFile(path.join(env.ECS_DEPLOYER_HOME, 'verify-cache.json'), 'utf8')) as {entries: Record<string, unknown>};
		expect(Object.keys(cache.entries)).toHaveLength(6);
		const again = await runCli(['--sandbox', 'verify', '-r', 'recipes/orders-api.yaml', '-e', 'dev', '-i', 'api=1.4.0'], {env});
		expect(again.stdout).toContain('exists and trusts ecs-tasks.amazonaws.com (passed within the last minutes)');
		const refreshed = await runCli(['--sandbox', 'verify', '-r', 'recipes/orders-api.yaml', '-e', 'dev', '-i', 'api=1.4.0', '--no-verify-cache'], {env});
		expect(refreshed.stdout).not.toContain('passed within the last minutes');
	});

	test('a recipe naming a missing role: ✗ with the field and what to do, exit 1; a deploy of it stops at the pre-flight with exit 1 and nothing changed', async () => {
		const env = {ECS_DEPLOYER_HOME: await home()};
		const file = path.join(env.ECS_DEPLOYER_HOME, 'orders.yaml');
		await writeFile(file, (await readFile(path.join(repoRoot, 'recipes/orders-api.yaml'), 'utf8')).replace('role/orders-api-task', 'role/nobody'));
		const result = await runCli(['--sandbox', 'verify', '-r', file, '-e', 'dev'], {env});
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('✗ service.taskRole: task role nobody: there is no role nobody in account 123456789012\n    → create the role, or correct service.taskRole');
		expect(result.stdout).toContain('– images.api: image api (orders-api): not checked: no tag chosen: give one (--image api=TAG) to check its platforms');
		expect(result.stdout).toContain('✗ pre-flight verify failed');

		const json = await runCli(['--sandbox', 'verify', '-r', file, '-e', 'dev', '--json'], {env});
		expect(json.code).toBe(1);
		const parsed = JSON.parse(json.stdout) as {outcome: string; checks: Array<{field: string; state: string}>};
		expect(parsed.outcome).toBe('failed');
		expect(parsed.checks.filter(c => c.state === 'failed').map(c => c.field)).toEqual(['service.taskRole']);

		const deploy = await runCli(['--sandbox', 'deploy', '-r', file, '-e', 'dev', '-i', 'api=1.4.0', '-y'], {env});
		expect(deploy.code).toBe(1);
		expect(deploy.stdout + deploy.stderr).toContain('pre-flight verify failed, nothing was changed: service.taskRole');
	});

	test('bad input is exit 2, naming the flag', async () => {
		const env = {ECS_DEPLOYER_HOME: await home()};
		const result = await runCli(['--sandbox', 'verify', '-r', 'recipes/orders-api.yaml', '-e', 'dev', '-i', 'api'], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--image');
	});
});
