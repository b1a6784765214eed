import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parse, stringify} from 'yaml';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import type {Engine} from '../../../source/engine/engine.js';
import {fileCatalog} from '../../../source/ui/run.js';
import {repoRoot} from '../../helpers/cli.js';
import {renderApp, type AppHarness} from '../../helpers/app.js';
import {keys, press, screen, waitForText} from '../../helpers/ink.js';
import {deployReleases, helloColor} from '../history/releases.js';

const route = {name: 'rollback', file: helloColor, environment: 'dev'} as const;

let earlier: AppHarness;
let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

function open(options: {wrapEngine?: (engine: Engine) => Engine; size?: {columns: number; rows: number}} = {}): AppHarness {
	h = renderApp({route, size: options.size ?? {columns: 80, rows: 24}, account: earlier.account, workspace: earlier.workspace, ...(options.wrapEngine ? {wrapEngine: options.wrapEngine} : {})});
	return h;
}

const rowOf = (frame: string, version: string) => frame.split('\n').find(line => line.includes(`${version} `)) ?? '';
const digest = (version: string) => earlier.workspace.releases('hello-color').find(r => r.version === version)!.images['web']!.digest!;

describe('rollback', () => {
	beforeEach(async () => {
		// An earlier session: 1.0.0 and 1.1.0 served dev, 1.4.1-crashloop failed and was rolled back (1.1.0 runs).
		earlier = renderApp();
		expect(await deployReleases(earlier, ['1.0.0', '1.1.0', '1.4.1-crashloop'])).toEqual(['succeeded', 'succeeded', 'rolled-back']);
		earlier.app.unmount();
	});

	test('lists the releases dev ran with their outcome; the one running now is marked; one that never served is not offered', async () => {
		const {app} = open();
		await waitForText(app, 'running now: 1.1.0');
		await press(app); // the list selects its first offered row in an effect
		const frame = screen(app);
		expect(rowOf(frame, '1.1.0')).toMatch(/succeeded .*running now/);
		expect(rowOf(frame, '1.0.0')).toMatch(/succeeded .*web 1\.0\.0 sha256:/);
		expect(rowOf(frame, '1.4.1-crashloop')).toMatch(/rolled back .*not offered: never served here/);
		// The first release offered is selected.
		expect(rowOf(frame, '1.0.0')).toMatch(/^❯/);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		// Enter on the failed one says why and stays on the list.
		await press(app, keys.up, keys.up, keys.enter);
		expect(await waitForText(app, '1.4.1-crashloop: not offered: it never served here (rolled back)')).toContain('Roll dev back to an earlier release');
		await press(app, keys.down, keys.enter);
		expect(await waitForText(app, '1.1.0: running now')).not.toContain('Roll dev back to release');
	});

	test('picking a release shows what changes: each image from what runs now (tag and digest) to the release; n goes back', async () => {
		const {app} = open();
		await waitForText(app, 'running now: 1.1.0');
		await press(app, keys.enter);
		const frame = await waitForText(app, 'Roll dev back to release 1.0.0?');
		expect(frame).toContain('Images: what runs now (1.1.0) → release 1.0.0');
		expect(frame).toContain(`web          1.1.0 ${digest('1.1.0').slice(0, 19)} → 1.0.0 ${digest('1.0.0').slice(0, 19)}`);
		expect(frame).toContain('no differences: only the images go back');
		expect(frame).toContain("CloudFormation's change set is shown before anything changes");
		await press(app, 'n');
		expect(await waitForText(app, 'Roll dev back to an earlier release')).not.toContain('Roll dev back to release 1.0.0?');
	});

	test('y starts the engine rollback to the chosen release and the live view takes the place of this screen', async () => {
		let rollback: ReturnType<typeof vi.fn> | undefined;
		const {app, runs} = open({wrapEngine: engine => ({...engine, rollback: (rollback = vi.fn(engine.rollback))})});
		await waitForText(app, 'running now: 1.1.0');
		await press(app, keys.enter);
		await waitForText(app, 'Roll dev back to release 1.0.0?');
		await press(app, 'y');
		expect(rollback).toHaveBeenCalledTimes(1);
		expect(rollback!.mock.calls[0]![0]).toMatchObject({
			recipeFile: helloColor,
			environment: 'dev',
			to: '1.0.0',
			target: {name: 'sandbox'},
			// The target is the sandbox: the command pasted in another terminal must say so.
			reattach: 'ecs-deployer --sandbox watch --recipe recipes/hello-color.yaml --env dev (or attach from the dashboard)',
		});
		expect(runs.getSnapshot()).toMatchObject([{kind: 'rollback', recipeFile: helloColor, project: 'hello-color', environment: 'dev'}]);
		// The engine asks with the change preview, over the live view.
		await waitForText(app, 'Change preview');
		await press(app, 'n');
		expect((await runs.getSnapshot()[0]!.run.result).outcome).toBe('declined');
		await press(app);
		expect(screen(app)).not.toContain('Roll dev back');
		// Replaced, not pushed: going back does not return to the rollback screen.
		await press(app, keys.escape);
		expect(screen(app)).not.toContain('Roll dev back');
	});

	test('R redeploys the release running now through the engine, which asks first, in the live view', async () => {
		let redeploy: ReturnType<typeof vi.fn> | undefined;
		const {app, runs} = open({wrapEngine: engine => ({...engine, redeploy: (redeploy = vi.fn(engine.redeploy))})});
		expect(await waitForText(app, 'running now: 1.1.0')).toContain('R redeploys 1.1.0');
		await press(app, 'R');
		expect(redeploy).toHaveBeenCalledTimes(1);
		expect(redeploy!.mock.calls[0]![0]).toMatchObject({recipeFile: helloColor, environment: 'dev', target: {name: 'sandbox'}, reattach: expect.stringContaining('watch --recipe recipes/hello-color.yaml --env dev')});
		expect(runs.getSnapshot()).toMatchObject([{kind: 'redeploy', environment: 'dev'}]);
		const asked = await waitForText(app, 'Start a fresh ECS deployment of hello-color-dev:2 (release 1.1.0) in dev?');
		expect(asked).not.toContain('Roll dev back');
		// Nothing in the stack changes, so the question is not titled as a change preview.
		expect(asked).toContain('Confirm');
		expect(asked).not.toContain('Change preview');
		await press(app, 'y');
		expect((await runs.getSnapshot()[0]!.run.result).outcome).toBe('succeeded');
	});

	test('an AWS error is shown in place; r asks again', async () => {
		let fail = true;
		const {app} = open({
			wrapEngine: engine => ({
				...engine,
				rollbackCandidates: (...args: Parameters<Engine['rollbackCandidates']>) => (fail ? Promise.reject(Object.assign(new Error('Rate exceeded'), {name: 'ThrottlingException'})) : engine.rollbackCandidates(...args)),
			}),
		});
		expect(await waitForText(app, 'ThrottlingException: Rate exceeded')).toContain('r asks again');
		fail = false;
		await press(app, 'r');
		await waitForText(app, 'running now: 1.1.0');
	});

	test('at 160×50 the selected release is shown whole beside the list', async () => {
		const {app} = open({size: {columns: 160, rows: 50}});
		await waitForText(app, 'running now: 1.1.0');
		const frame = await waitForText(app, 'release 1.0.0');
		expect(frame).toContain(digest('1.0.0'));
		expect(frame).toContain('↵ shows what changes before anything does');
		expect(frame.split('\n').length).toBeLessThanOrEqual(49);
	});
});

describe('what changes, field by field', () => {
	test("the confirmation lists every field that differs between what runs and the chosen release's recipe: variables (sensitive ones masked), size, desired count, ports, health check", async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'rollback-fields-'));
		const file = path.join(folder, 'hello.yaml');
		const recipe = parse(await readFile(path.join(repoRoot, helloColor), 'utf8'));
		recipe.variables.push({name: 'ApiToken', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:hello/token-AbCdEf'});
		recipe.service.containers[0].environment.API_TOKEN = '#{ApiToken}';
		await writeFile(file, stringify(recipe));
		earlier = renderApp();
		expect(await deployReleases(earlier, ['1.0.0'], {recipeFile: file})).toEqual(['succeeded']);
		// 1.1.0 is made from another recipe: dev's colour, a bigger task, two tasks, a health check, another port, another secret.
		recipe.variables[0].value = '#00f';
		recipe.variables.at(-1).valueFrom = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:hello/token-2-GhIjKl';
		recipe.service.cpu = 512;
		recipe.service.memory = 1024;
		recipe.service.desiredCount = 2;
		recipe.service.containers[0].ports = [80, 8080];
		recipe.service.containers[0].healthCheck = {command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']};
		await writeFile(file, stringify(recipe));
		expect(await deployReleases(earlier, ['1.1.0'], {recipeFile: file})).toEqual(['succeeded']);
		earlier.app.unmount();
		const shown = path.relative(repoRoot, file);
		h = renderApp({route: {name: 'rollback', file: shown, environment: 'dev'}, catalog: fileCatalog(repoRoot, [file]), account: earlier.account, workspace: earlier.workspace, size: {columns: 120, rows: 40}});
		await waitForText(h.app, 'running now: 1.1.0');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Roll dev back to release 1.0.0?');
		const frame = await waitForText(h.app, /web: OCTO_COLOR/);
		expect(frame).toMatch(/Configuration: what runs now \(release 1\.1\.0\) → release 1\.0\.0/);
		expect(frame).toMatch(/web: OCTO_COLOR +#00f → #f00/);
		expect(frame).toMatch(/task CPU +512 → 256/);
		expect(frame).toMatch(/task memory +1024 MiB → 512 MiB/);
		expect(frame).toMatch(/desired count +2 → 1/);
		expect(frame).toMatch(/web: ports +80\/tcp, 8080\/tcp → 80\/tcp/);
		expect(frame).toMatch(/web: health check +CMD-SHELL curl .* → \(not set\)/);
		// A variable only a release's recipe says, marked as such; a sensitive one masked (its reference is not shown either).
		expect(frame).toMatch(/variable Color +#00f → #f00 \(from the releases' recipes\)/);
		expect(frame).toMatch(/variable ApiToken +\*{6} \(from arn:aws:secretsmanager:eu-west-1:111122223333:secret:hello\/token-2-GhIjKl\) → \*{6} \(/);
		expect(frame).not.toContain('Message');
		expect(frame).toContain('Release 1.0.0 is deployed as it was made');
	});
});
