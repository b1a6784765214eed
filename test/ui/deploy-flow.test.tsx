import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import type {ImageTags} from '../../source/engine/releases/image-tags.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {repoRoot} from '../helpers/cli.js';

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

const hello = 'recipes/hello-color.yaml';

/** Deploys through the engine directly (another terminal, or earlier), answering yes. */
async function deployed(harness: AppHarness, tag: string, environment = 'dev', wait?: {mode: 'none'}) {
	const result = await harness.engine.deploy(
		{recipeFile: path.join(repoRoot, hello), environment, target: sandboxTarget, images: {web: tag}, reattach: 'watch', ...(wait ? {wait} : {})},
		recordingHost({'execute-change-set': true, 'skip-lifecycle': true}),
	).result;
	return result;
}

describe('dashboard', () => {
	test('projects × environments: each cell says what runs there and how its last deploy ended', async () => {
		h = renderApp({recipes: [hello]});
		const empty = await waitForText(h.app, /hello-color\s+not deployed\s+not deployed\s+not deployed/);
		expect(empty).toMatch(/project\s+dev\s+staging\s+production/);
		h.app.unmount();
		const account = h.account;
		const workspace = h.workspace;
		h = renderApp({recipes: [hello], account, workspace});
		await deployed(h, '1.3.0');
		h.app.unmount();
		h = renderApp({recipes: [hello], account, workspace});
		const frame = await waitForText(h.app, /hello-color\s+1\.3\.0 ✓ \d+s ago\s+not deployed\s+not deployed/);
		expect(frame).toContain('↺ VERSION rolled back');
	});

	test('an operation in progress is marked; Enter attaches and the live view follows it to the end', async () => {
		// Slower than usual: the slow release's tasks take 6 s to start, time enough to see it in progress on a
		// loaded machine.
		h = renderApp({recipes: [hello], account: new SandboxAccount({speed: 100})});
		await deployed(h, '1.3.0');
		await deployed(h, '1.4.1-slow', 'dev', {mode: 'none'});
		const account = h.account;
		const workspace = h.workspace;
		h.app.unmount();
		h = renderApp({recipes: [hello], account, workspace});
		await waitForText(h.app, 'in progress: hello-color/dev');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Watching hello-color → dev');
		await waitForText(h.app, '✓ succeeded: release 1.4.1-slow is serving in dev', 20_000);
	});

	test('two recipe files that declare the same project are pointed out: they would deploy to the same stacks', async () => {
		const copy = path.join(await mkdtemp(path.join(os.tmpdir(), 'same-project-')), 'copy.yaml');
		await writeFile(copy, await readFile(path.join(repoRoot, hello), 'utf8'));
		h = renderApp({recipes: [hello, copy], size: {columns: 160, rows: 30}});
		const frame = await waitForText(h.app, 'one project in several files');
		expect(frame).toContain(`⚠ one project in several files, which deploy to the same stacks: hello-color (${hello}, ${path.relative(repoRoot, copy)})`);
		const rows = await waitForText(h.app, /hello-color\s+not deployed[^]*hello-color\s+not deployed/);
		expect(rows.match(/hello-color\s+not deployed/g)).toHaveLength(2);
	});

	test('at 80 columns the footer of a project still says how to get help and quit', async () => {
		h = renderApp({recipes: [hello], size: {columns: 80, rows: 24}});
		await waitForText(h.app, /❯ hello-color\s+not deployed/);
		await press(h.app, keys.enter);
		const footer = (await waitForText(h.app, 'Environments (promotion order)')).trimEnd().split('\n').at(-1)!;
		expect(footer.startsWith('? help')).toBe(true);
		expect(footer.endsWith('… · q quit')).toBe(true);
		expect(footer.length).toBeLessThanOrEqual(80);
	});

	test('going to a project and back shows the cells read a moment ago without asking AWS again; g reads them again', async () => {
		let statusReads = 0;
		h = renderApp({recipes: [hello], wrapEngine: engine => ({...engine, status: (...args: Parameters<typeof engine.status>) => (statusReads++, engine.status(...args))})});
		await waitForText(h.app, /hello-color\s+not deployed\s+not deployed\s+not deployed/);
		expect(statusReads).toBe(3);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Environments (promotion order)');
		const projectReads = statusReads;
		await press(h.app, keys.escape);
		const row = (await waitForText(h.app, /hello-color\s+not deployed\s+not deployed\s+not deployed/)).split('\n').find(line => line.includes('❯ hello-color'));
		expect(row).not.toContain('…');
		expect(statusReads).toBe(projectReads);
		await press(h.app, 'g');
		await waitForText(h.app, /hello-color\s+not deployed\s+not deployed\s+not deployed/);
		await new Promise(resolve => setTimeout(resolve, 200));
		expect(statusReads).toBe(projectReads + 3);
	});

	test('t leaves for the targets and Esc comes back', async () => {
		h = renderApp({recipes: [hello]});
		await waitForText(h.app, 'Projects in');
		await press(h.app, 't');
		await waitForText(h.app, 'sandbox');
		expect(screen(h.app)).not.toContain('Projects in');
		await press(h.app, keys.escape);
		await waitForText(h.app, 'Projects in');
	});
});

describe('deploying from the app', () => {
	test('d: pick the tag (the newest stable one is preselected), accept the version, pick dev, see the change preview, y, watch it succeed', async () => {
		h = renderApp({recipes: [hello]});
		await waitForText(h.app, /hello-color\s+not deployed/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'd');
		const tags = await waitForText(h.app, '❯ 1.4.0');
		expect(tags).toMatch(/1\.4\.1-crashloop\s+pre-release/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 1.4.0');
		await press(h.app, keys.enter);
		const where = await waitForText(h.app, 'Deploy it to:');
		expect(where).toContain('created release 1.4.0 of hello-color');
		// A new release: the first environment of its lifecycle is the next.
		expect(where).toMatch(/❯ dev +next in its lifecycle/);
		await press(h.app, keys.enter);
		const preview = await waitForText(h.app, 'Change preview');
		expect(preview).toMatch(/Add +Service \(AWS::ECS::Service\)/);
		expect(preview).toContain('Apply these 4 changes to hello-color-dev (create the stack)?');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in dev', 20_000);
		expect(screen(h.app)).toContain('p promote to staging');
		expect(h.workspace.deployments('hello-color')).toEqual([expect.objectContaining({version: '1.4.0', environment: 'dev', outcome: 'succeeded'})]);
	});

	test('the change preview answered n changes nothing', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter, keys.enter);
		await waitForText(h.app, 'Deploy it to:');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'n');
		await waitForText(h.app, 'not applied');
		expect(h.workspace.deployments('hello-color')).toEqual([]);
	});

	test('the promotion order: staging before dev asks first; n leaves it', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'staging'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter, keys.enter);
		expect(await waitForText(h.app, 'Deploy it to:')).toMatch(/staging +asks first: dev has not run it/);
		await press(h.app, keys.down, keys.enter);
		const question = await waitForText(h.app, 'has not run successfully in dev');
		expect(question.replace(/[\s│]+/g, ' ')).toContain('Deploy it to staging anyway?');
		await press(h.app, 'n');
		await waitForText(h.app, 'not applied');
	});

	test('c creates a release only, with the version typed by the operator; a used version is refused where it is typed', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'create'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 1.4.0');
		await press(h.app, ...Array.from({length: 5}, () => keys.backspace), 'nope', keys.enter);
		await waitForText(h.app, '"nope" is not a semver version');
		await press(h.app, ...Array.from({length: 4}, () => keys.backspace), '2.0.0', keys.enter);
		await waitForText(h.app, 'created release 2.0.0 of hello-color');
		expect(h.workspace.releases('hello-color').map(r => r.version)).toEqual(['2.0.0']);
	});

	test('a list of 10,000 tags: / filters as you type and the picked tag is the one the release gets', async () => {
		const versions = Array.from({length: 10_000}, (_, i) => `3.${Math.floor(i / 100)}.${i % 100}`);
		const fake = (engineTags: ImageTags['versions']): ImageTags => ({ref: 'web', repository: 'hello-color', versions: engineTags, others: [], defaultTag: engineTags[0]!.tag});
		const semver = await import('semver');
		const rows = versions.map((tag, i) => ({tag, digest: `sha256:${String(i).padStart(64, '0')}`, version: semver.parse(tag)!, prerelease: false, allowed: true, isDefault: i === 9999})).reverse();
		const createRelease = vi.fn(async () => ({release: {project: 'hello-color', version: '3.42.7', images: {web: {tag: '3.42.7'}}, createdAt: ''}}));
		const planRelease = vi.fn(async () => ({version: '3.42.7', images: {web: {tag: '3.42.7'}}, notes: []}));
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'create'}, wrapEngine: e => ({...e, imageTags: async () => fake(rows), planRelease, createRelease})});
		await waitForText(h.app, '❯ 3.99.99');
		expect(screen(h.app)).toContain('of 10,000');
		await press(h.app, '/', '3', '.', '4', '2', '.', '7');
		// 3.42.79 … 3.42.70 and 3.42.7, newest first.
		await waitForText(h.app, '11 items');
		expect(screen(h.app)).toContain('❯ 3.42.79');
		await press(h.app, keys.enter, keys.end);
		await waitForText(h.app, /❯ 3\.42\.7 /);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 3.42.7');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'created release 3.42.7');
		expect(planRelease).toHaveBeenCalledWith(expect.objectContaining({name: 'hello-color'}), {tags: {web: '3.42.7'}}, expect.anything());
		// The version suggested and left as it is: the engine takes it (or the next free one, if someone took it meanwhile).
		expect(createRelease).toHaveBeenCalledWith(expect.objectContaining({name: 'hello-color'}), {tags: {web: '3.42.7'}}, expect.anything());
	});

	test('a sensitive value is asked for masked, and never shown', async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-ui-'));
		const recipeFile = path.join(folder, 'secretive.yaml');
		const text = (await readFile(path.join(repoRoot, hello), 'utf8')).replace('name: hello-color', 'name: secretive').replace('  - name: Message', '  - name: ApiKey\n    sensitive: true\n  - name: Message').replace('OCTO_ENV: "#{Message}"', 'OCTO_ENV: "#{Message}"\n        API_KEY: "#{ApiKey}"');
		await writeFile(recipeFile, text);
		h = renderApp({recipes: [recipeFile], route: {name: 'release-picker', file: path.relative(repoRoot, recipeFile), mode: 'deploy', environment: 'dev'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter, keys.enter);
		await waitForText(h.app, 'Deploy it to:');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Value of the sensitive variable ApiKey');
		await press(h.app, 'h', 'u', 'n', 't', 'e', 'r', '2');
		const masked = screen(h.app);
		expect(masked).toContain('•••••••');
		expect(masked).not.toContain('hunter2');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		expect(screen(h.app)).not.toContain('hunter2');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded', 5000);
		expect(screen(h.app)).not.toContain('hunter2');
	});
});

describe('project screen', () => {
	test('d refuses a recipe saved as a draft with problems, naming them', async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-ui-'));
		const recipeFile = path.join(folder, 'draft.yaml');
		await writeFile(recipeFile, (await readFile(path.join(repoRoot, hello), 'utf8')).replace('memory: 512', 'memory: 300'));
		const file = path.relative(repoRoot, recipeFile);
		h = renderApp({recipes: [recipeFile], route: {name: 'project', file}});
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'd');
		const frame = await waitForText(h.app, 'not deployable');
		expect(frame.replace(/\s+/g, ' ')).toMatch(/service\.memory/);
		expect(frame).toContain('press e to fix');
		expect(frame).not.toContain('Version:');
	});
});

describe('template preview', () => {
	test('shows the environment\'s template, Tab switches environment, w writes it to a file', async () => {
		h = renderApp({recipes: [hello], route: {name: 'template-preview', file: hello, environment: 'dev'}});
		await waitForText(h.app, 'AWSTemplateFormatVersion');
		expect(screen(h.app)).toContain('stack hello-color-dev');
		await press(h.app, keys.tab);
		await waitForText(h.app, 'stack hello-color-staging');
		const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-ui-')), 'staging.yaml');
		await press(h.app, 'w');
		await waitForText(h.app, 'Write to:');
		await press(h.app, ...Array.from({length: 40}, () => keys.backspace));
		await press(h.app, out, keys.enter);
		await waitForText(h.app, `wrote the staging template to ${out}`);
		expect(await readFile(out, 'utf8')).toContain('hello-color (staging)');
		await press(h.app, 'w');
		await press(h.app, ...Array.from({length: 40}, () => keys.backspace), out, keys.enter);
		await waitForText(h.app, 'exists. Overwrite it? (y / n)');
	});
});
