import {mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, test} from 'vitest';
import {repoRoot, runCli, runCliProcess, type CliResult} from '../helpers/cli.js';

// The state files of a workspace (.ecs-deployer/workspace.json and sandbox.json) as several ecs-deployer
// processes see them: parallel runs lose nothing, a file that cannot be read stops the command with a
// message (never a stack trace, never a silent reset), and no secret is written to disk.

let home: string;
beforeEach(async () => {
	home = path.join(await mkdtemp(path.join(tmpdir(), 'ecs-deployer-state-')), '.ecs-deployer');
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: '50', ...extra});
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, {env: env(extra)});
const hello = ['--recipe', 'recipes/hello-color.yaml'];
const deploy = (environment: string, image: string, extra: NodeJS.ProcessEnv = {}) => cli(['--sandbox', 'deploy', ...hello, '--env', environment, '--image', `web=${image}`, '--yes', '--skip-lifecycle'], extra);
const sandboxFile = () => path.join(home, 'sandbox.json');
const workspaceFile = () => path.join(home, 'workspace.json');
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const stackTrace = /^\s+at /m;

/** Every result, with its output when it failed (so a failure shows why). */
const outcomes = (results: CliResult[]) => results.map(r => (r.code === 0 ? 0 : `${r.code}: ${r.stdout.slice(-400)}${r.stderr}`));

describe('parallel runs lose nothing', () => {
	test('eight parallel `release create` processes store eight releases, and each exits 0', async () => {
		const versions = Array.from({length: 8}, (_, i) => `1.0.${i}`);
		// Each with images of its own: the same images and configuration would be one release (exit 5 for the others).
		const tags = ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.4.0-rc.2'];
		// Eight processes, as eight operators or CI jobs: the file locks are what keeps each release, across processes.
		const results = await Promise.all(versions.map((version, i) => runCliProcess(['--sandbox', 'release', 'create', ...hello, '--version', version, '--image', `web=${tags[i]}`, '--json'], {env: env()})));
		expect(outcomes(results)).toEqual(versions.map(() => 0));
		const stored = JSON.parse(await readFile(workspaceFile(), 'utf8')) as {releases: Array<{version: string}>};
		expect(stored.releases.map(r => r.version).sort()).toEqual(versions);
	}, 60_000);

	test('deploys to dev, staging and production at the same time all succeed and all three stacks are kept', async () => {
		const environments = ['dev', 'staging', 'production'];
		for (const image of ['1.3.0', '1.4.0']) {
			const results = await Promise.all(environments.map(e => deploy(e, image)));
			expect(outcomes(results)).toEqual([0, 0, 0]);
			const state = JSON.parse(await readFile(sandboxFile(), 'utf8')) as {stacks: Array<{name: string; status: string}>};
			expect(state.stacks.map(s => `${s.name} ${s.status}`).sort()).toEqual(environments.map(e => `hello-color-${e} ${image === '1.3.0' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE'}`).sort());
		}
		const records = JSON.parse(await readFile(workspaceFile(), 'utf8')) as {deployments: Array<{environment: string; outcome: string}>};
		expect(records.deployments.filter(d => d.outcome === 'succeeded')).toHaveLength(6);
	}, 90_000);

	test('eight operators deploying to one environment at once: one wins each time, the others wait for it and then apply theirs; none fails', async () => {
		// The first wave creates the stack, the second updates it; each racer either applies its change after the
		// stack's operation in progress ends, or finds nothing left to change.
		for (const image of ['1.3.0', '1.4.0']) {
			const results = await Promise.all(Array.from({length: 8}, () => deploy('dev', image)));
			expect(outcomes(results)).toEqual(results.map(() => 0));
			expect(results.map(r => r.stdout + r.stderr).join('\n')).not.toMatch(/unexpected|Stack \[[^\]]*\] already exists|ChangeSet \[[^\]]*\] does not exist|can not be updated/);
			const state = JSON.parse(await readFile(sandboxFile(), 'utf8')) as {stacks: Array<{name: string; status: string}>};
			expect(state.stacks.filter(s => s.status !== 'DELETE_COMPLETE').map(s => `${s.name} ${s.status}`)).toEqual([`hello-color-dev ${image === '1.3.0' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE'}`]);
		}
		const records = JSON.parse(await readFile(workspaceFile(), 'utf8')) as {deployments: Array<{version: string; outcome: string}>};
		expect(records.deployments.filter(d => d.outcome === 'succeeded').map(d => d.version)).toEqual(['1.3.0', '1.4.0']);
		expect(records.deployments.every(d => d.outcome === 'succeeded' || d.outcome === 'no-op')).toBe(true);
	}, 180_000);

	test('a lock left behind by a killed process does not block the next deploy', async () => {
		await mkdir(`${sandboxFile()}.lock`, {recursive: true});
		const longAgo = new Date(Date.now() - 120_000);
		await utimes(`${sandboxFile()}.lock`, longAgo, longAgo);
		const result = await deploy('dev', '1.4.0');
		expect(outcomes([result])).toEqual([0]);
	}, 60_000);
});

describe('a state file that cannot be read stops the command', () => {
	// These check the exit code and the message the CLI prints for a StateFileError: 2 for a bad file,
	// 1 for an I/O failure; `error: <file>: <problem>` then how to recover, and no stack trace.
	test('a truncated sandbox.json: deploy exits 2 naming the file and how to recover, and leaves the file as it was', async () => {
		await mkdir(home, {recursive: true});
		const truncated = '{"version":1,"seq":4,"stacks":[{"id":"arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-color-dev/1","name":"hello-color-dev"';
		await writeFile(sandboxFile(), truncated);
		const result = await deploy('dev', '1.4.0');
		expect(result.stderr).toContain(`error: ${sandboxFile()}: not valid JSON`);
		expect(result.stderr).toMatch(/ecs-deployer sandbox reset/);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(result.code).toBe(2);
		expect(await readFile(sandboxFile(), 'utf8')).toBe(truncated);
	}, 30_000);

	test('`{"version":1}` in sandbox.json: exit 2, no TypeError', async () => {
		await mkdir(home, {recursive: true});
		await writeFile(sandboxFile(), '{"version":1}');
		const result = await deploy('dev', '1.4.0');
		expect(result.stderr).toContain(`error: ${sandboxFile()}: `);
		expect(result.stderr).not.toMatch(/TypeError|is not a function|Cannot read properties/);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(result.code).toBe(2);
	}, 30_000);

	test('sandbox reset starts afresh from a corrupt sandbox.json', async () => {
		await mkdir(home, {recursive: true});
		await writeFile(sandboxFile(), Buffer.alloc(2048));
		const reset = await cli(['sandbox', 'reset']);
		expect(outcomes([reset])).toEqual([0]);
		expect(outcomes([await deploy('dev', '1.4.0')])).toEqual([0]);
	}, 30_000);

	test('a workspace.json with the wrong shape: target list exits 2 with the field, no stack trace', async () => {
		await mkdir(home, {recursive: true});
		await writeFile(workspaceFile(), '{"targets":{}}');
		const result = await cli(['target', 'list']);
		expect(result.stderr).toContain(`error: ${workspaceFile()}: targets: expected array`);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(result.code).toBe(2);
		expect(await readFile(workspaceFile(), 'utf8')).toBe('{"targets":{}}');
	});

	test('invalid JSON in workspace.json: release create exits 2, no SyntaxError trace', async () => {
		await mkdir(home, {recursive: true});
		await writeFile(workspaceFile(), '{"releases": [');
		const result = await cli(['--sandbox', 'release', 'create', ...hello, '--version', '1.0.0', '--image', 'web=1.4.0']);
		expect(result.stderr).toContain(`error: ${workspaceFile()}: not valid JSON`);
		expect(result.stderr).not.toMatch(/SyntaxError/);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(result.code).toBe(2);
	});

	test('a store folder that cannot be created: target add exits 1 with the reason, no stack trace', async () => {
		// The parent of the store folder is a file (this fails as root too, unlike a chmod).
		const blocker = path.join(path.dirname(home), 'a-file');
		await writeFile(blocker, 'not a folder');
		home = path.join(blocker, '.ecs-deployer');
		const result = await cli(['target', 'add', '--name', 'a', '--region', 'eu-west-1', '--cluster', 'c', '--env', 'dev']);
		expect(result.stderr).toMatch(/error: .*workspace\.json: cannot (read|write) it/);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(result.code).toBe(1);
	});
});

describe('what is written to disk', () => {
	test('after a deploy: the folder is 0700, every file 0600, and no temporary file is left', async () => {
		expect(outcomes([await deploy('dev', '1.3.0'), await deploy('dev', '1.4.0')])).toEqual([0, 0]);
		expect(await modeOf(home)).toBe(0o700);
		const files = await readdir(home);
		// verify-cache.json: the pre-flight verify's passes of the last minutes (resource names, never a value).
		expect(files.sort()).toEqual(['sandbox.json', 'sandbox.json.bak', 'verify-cache.json', 'workspace.json', 'workspace.json.bak']);
		for (const name of files) expect([name, await modeOf(path.join(home, name))]).toEqual([name, 0o600]);
	}, 60_000);

	test('a sensitive variable given at deploy time is stored nowhere in .ecs-deployer/', async () => {
		const canary = 'S3cr3tCanary123';
		const recipe = path.join(path.dirname(home), 'with-secret.yaml');
		const text = (await readFile(path.join(repoRoot, 'recipes/hello-color.yaml'), 'utf8'))
			.replace('  - name: Message\n', '  - name: DbPassword\n    sensitive: true\n  - name: Message\n')
			.replace('OCTO_ENV: "#{Message}"', 'OCTO_ENV: "#{Message}"\n        DB_PASSWORD: "#{DbPassword}"');
		await writeFile(recipe, text);
		const result = await cli(['--sandbox', 'deploy', '--recipe', recipe, '--env', 'dev', '--image', 'web=1.4.0', '--yes'], {ECS_DEPLOYER_SECRET_DBPASSWORD: canary});
		expect(outcomes([result])).toEqual([0]);
		expect(result.stdout + result.stderr).not.toContain(canary);
		for (const name of await readdir(home)) {
			expect([name, (await readFile(path.join(home, name), 'utf8')).includes(canary)]).toEqual([name, false]);
		}
	}, 60_000);
});
