import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parse, stringify} from 'yaml';
import {afterEach, describe, expect, test} from 'vitest';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {fileCatalog} from '../../source/ui/run.js';
import {renderApp, type AppHarness, type AppHarnessOptions} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {recordingHost} from '../helpers/engine.js';
import {keys, press, screen, settle, waitForText} from '../helpers/ink.js';

/*
 * Promotion in the app, with keys alone: the deploy screen starts from the project's releases (its
 * ledger's), a release goes to the next environment of its lifecycle without a new release being made,
 * channels are switched in the picker (pre-releases through theirs, a hotfix channel straight to
 * production), and an image outside ECR is released with the tag the recipe pins.
 */

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

const hello = 'recipes/hello-color.yaml';
const invoice = 'recipes/invoice-worker.yaml';

/** Writes the keys in one read, then waits until every one of them is handled. */
async function write(harness: AppHarness, keysAtOnce: string) {
	await settle();
	harness.app.stdin.write(keysAtOnce);
	await settle();
}

/** Deploys through the engine directly (earlier, or another terminal), answering yes. */
async function deployed(harness: AppHarness, recipeFile: string, tags: Record<string, string>, environment = 'dev') {
	const run = harness.engine.deploy({recipeFile: path.isAbsolute(recipeFile) ? recipeFile : path.join(repoRoot, recipeFile), environment, target: sandboxTarget, images: tags, reattach: 'watch'}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true}));
	return (await run.result).outcome;
}

/** A copy of hello-color in a folder of its own, changed by `edit`; the catalog and the route name it relative to the repository. */
async function helloCopy(edit: (recipe: Record<string, any>) => void): Promise<{file: string; shown: string; catalog: AppHarnessOptions['catalog']}> {
	const folder = await mkdtemp(path.join(os.tmpdir(), 'promotion-'));
	const file = path.join(folder, 'hello.yaml');
	const recipe = parse(await readFile(path.join(repoRoot, hello), 'utf8'));
	edit(recipe);
	await writeFile(file, stringify(recipe));
	return {file, shown: path.relative(repoRoot, file), catalog: fileCatalog(repoRoot, [file])};
}

describe('the deploy screen starts from the releases', () => {
	test('with keys alone: 1.4.0 goes from dev to staging without a new release (the next environment is preselected)', async () => {
		h = renderApp({recipes: [hello]});
		expect(await deployed(h, hello, {web: '1.3.0'})).toBe('succeeded');
		expect(await deployed(h, hello, {web: '1.4.0'})).toBe('succeeded');
		await press(h.app, 'g');
		await waitForText(h.app, /❯ hello-color\s+1\.4\.0 ✓/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'd');
		// Newest first, each with where it ran and how, and where its lifecycle goes next.
		const list = await waitForText(h.app, /❯ 1\.4\.0/);
		expect(list).toMatch(/❯ 1\.4\.0 +dev ✓ staging · production · → staging/);
		expect(list).toMatch(/ {2}1\.3\.0 +dev ✓ staging · production · → staging/);
		expect(list.indexOf('1.4.0')).toBeLessThan(list.indexOf('1.3.0'));
		expect(list).toContain('1.4.0: dev ✓ succeeded (runs now)');
		await press(h.app, keys.enter);
		const where = await waitForText(h.app, 'Deploy it to:');
		expect(where).toMatch(/dev +✓ succeeded .* runs now/);
		expect(where).toMatch(/❯ staging +next in its lifecycle/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in staging', 20_000);
		// No release was made: staging runs the one dev ran.
		expect(h.workspace.releases('hello-color').map(r => r.version).sort()).toEqual(['1.3.0', '1.4.0']);
		expect(h.workspace.deployments('hello-color').filter(d => d.environment === 'staging')).toEqual([expect.objectContaining({version: '1.4.0', outcome: 'succeeded'})]);
	});

	test('p on the project screen promotes the release the selected environment runs to the next one', async () => {
		h = renderApp({recipes: [hello], route: {name: 'project', file: hello}});
		expect(await deployed(h, hello, {web: '1.4.0'})).toBe('succeeded');
		await press(h.app, 'g');
		const project = await waitForText(h.app, 'p promotes 1.4.0 from dev to staging');
		expect(project).toContain('p promote');
		await press(h.app, 'p');
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in staging', 20_000);
		expect(h.workspace.releases('hello-color')).toHaveLength(1);
		// From the last environment of the lifecycle there is nowhere to go: it says so instead.
		await press(h.app, keys.escape);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'j', 'j');
		await press(h.app, 'p');
		expect(await waitForText(h.app, /production runs no known release|nothing to promote/)).toContain('Environments (promotion order)');
	});

	test('n with the tags of an existing release offers that release instead of making it again', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}});
		expect(await deployed(h, hello, {web: '1.4.0'})).toBe('succeeded');
		h.app.unmount();
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}, account: h.account, workspace: h.workspace});
		await waitForText(h.app, /❯ 1\.4\.0 +dev ✓/);
		await press(h.app, 'n');
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		const offered = await waitForText(h.app, 'Deploy it to:');
		expect(offered).toContain('release 1.4.0 already pins these images with this configuration: it is offered, not made again');
		expect(offered).not.toContain('Version:');
		expect(offered).toMatch(/❯ staging +next in its lifecycle/);
		expect(h.workspace.releases('hello-color')).toHaveLength(1);
		// Esc goes back to the releases (not out of the screen).
		await press(h.app, keys.escape);
		expect(await waitForText(h.app, /❯ 1\.4\.0 +dev ✓/)).toContain('Deploy hello-color (release → environment)');
	});

	test('the version suggested never names a release that exists, and a clash is refused as it is typed, not on Enter', async () => {
		// 1.4.0 pins web 1.4.0 with today's recipe; a release of 1.4.0 with another message is a new release, not "1.4.0" again.
		const {file, shown, catalog} = await helloCopy(() => undefined);
		h = renderApp({catalog, route: {name: 'release-picker', file: shown, mode: 'deploy', environment: 'dev'}});
		expect(await deployed(h, file, {web: '1.4.0'})).toBe('succeeded');
		const recipe = parse(await readFile(file, 'utf8'));
		recipe.variables.find((v: {name: string}) => v.name === 'Message').value = 'Changed';
		await writeFile(file, stringify(recipe));
		h.app.unmount();
		h = renderApp({catalog: fileCatalog(repoRoot, [file]), route: {name: 'release-picker', file: shown, mode: 'deploy', environment: 'dev'}, account: h.account, workspace: h.workspace});
		await waitForText(h.app, /❯ 1\.4\.0 +dev ✓/);
		// The release keeps the recipe it was made from; today's differs.
		expect(screen(h.app)).toContain('recipe changed since');
		await press(h.app, 'n');
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		const version = await waitForText(h.app, 'Version: 1.4.1');
		expect(version).toContain('semver, not used yet (newest releases: 1.4.0)');
		// Five Backspaces and a used version, in one read: refused at once, before Enter.
		await write(h, `${keys.backspace.repeat(5)}1.4.0`);
		expect(screen(h.app)).toContain('release 1.4.0 already exists: pick another version');
		await press(h.app, keys.enter);
		expect(screen(h.app)).toContain('Version: 1.4.0');
		expect(h.workspace.releases('hello-color')).toHaveLength(1);
		await write(h, `${keys.backspace}2${keys.enter}`);
		await waitForText(h.app, 'Deploy it to:');
		expect(h.workspace.releases('hello-color').map(r => r.version).sort()).toEqual(['1.4.0', '1.4.2']);
	});

	test("u: today's recipe differs from the one a release keeps — a new release from today's recipe with its images", async () => {
		const {file, shown, catalog} = await helloCopy(() => undefined);
		h = renderApp({catalog, route: {name: 'project', file: shown}});
		expect(await deployed(h, file, {web: '1.4.0'})).toBe('succeeded');
		const recipe = parse(await readFile(file, 'utf8'));
		recipe.variables.find((v: {name: string}) => v.name === 'Message').value = 'Changed';
		await writeFile(file, stringify(recipe));
		await press(h.app, 'd');
		await waitForText(h.app, /❯ 1\.4\.0/);
		await press(h.app, keys.enter);
		const note = await waitForText(h.app, "Today's recipe differs");
		expect(note.replace(/\s+/g, ' ')).toContain("Today's recipe differs from the one 1.4.0 keeps (variables[Message].value): it deploys as it was made · u makes a new release from today's recipe with its images");
		await press(h.app, 'u');
		const made = await waitForText(h.app, 'Release 1.4.1');
		expect(made).not.toContain("Today's recipe differs");
		const stored = h.workspace.releases('hello-color').find(r => r.version === '1.4.1');
		expect(stored?.images['web']?.tag).toBe('1.4.0');
		expect(JSON.stringify(stored?.recipe)).toContain('Changed');
	});

	test('c makes a release only; d then lists it and deploys it', async () => {
		h = renderApp({recipes: [hello], route: {name: 'project', file: hello}});
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'c');
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, '/', '1', '.', '3', '.', '0', keys.enter, keys.enter);
		await waitForText(h.app, 'Version: 1.3.0');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'created release 1.3.0 of hello-color (d deploys it)');
		expect(screen(h.app)).toContain('Environments (promotion order)');
		await press(h.app, 'd');
		await waitForText(h.app, /❯ 1\.3\.0 +dev · staging · production · → dev/);
		await write(h, keys.enter);
		await waitForText(h.app, /❯ dev +next in its lifecycle/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.3.0 is serving in dev', 20_000);
		expect(h.workspace.releases('hello-color').map(r => r.version)).toEqual(['1.3.0']);
	});
});

describe('channels in the picker', () => {
	test('with keys alone: a pre-release through its channel (Tab to beta, whose rules are shown and admit rc), deployed to dev', async () => {
		h = renderApp({recipes: [hello, invoice]});
		await waitForText(h.app, /❯ hello-color/);
		await write(h, `j${keys.enter}`);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'd');
		// No release yet: straight to the tags, on the default channel (stable: no pre-releases).
		const stable = await waitForText(h.app, '❯ 1.4.0');
		expect(stable).toContain('Channel stable (2 channels) · no pre-releases (worker) · to every environment');
		expect(stable).not.toContain('1.4.0-rc.2');
		await press(h.app, keys.tab);
		const beta = await waitForText(h.app, '❯ 1.4.0-rc.2');
		expect(beta.replace(/\s+/g, ' ')).toContain('Channel beta (2 channels) · pre-releases /^(beta|rc)/ (worker) · only to dev, staging');
		expect(beta).toContain('1.4.0-beta.1');
		// The worker's tag, then log-router's pinned tag (not in ECR: typed, prefilled), the version: three Enters at once.
		await write(h, `${keys.enter}${keys.enter}`);
		await waitForText(h.app, 'Version: 1.4.0-rc.2');
		await press(h.app, keys.enter);
		const where = await waitForText(h.app, 'Deploy it to:');
		expect(where).toContain('channel beta');
		expect(where).toContain('Channel beta deploys only to dev, staging.');
		expect(where).not.toMatch(/production/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0-rc.2 is serving in dev', 20_000);
		expect(h.workspace.releases('invoice-worker')).toEqual([expect.objectContaining({version: '1.4.0-rc.2', channel: 'beta', images: {worker: expect.objectContaining({tag: '1.4.0-rc.2'}), 'log-router': expect.objectContaining({tag: '2.32.4'})}})]);
	});

	test('a release just made on a channel is deployed by that channel, before the releases are read again', async () => {
		// The releases are read again after the release is made; hold that read back, as a slow ledger would.
		let reads = 0;
		let letThrough: () => void = () => undefined;
		const held = new Promise<void>(resolve => (letThrough = resolve));
		h = renderApp({
			recipes: [invoice],
			route: {name: 'release-picker', file: invoice, mode: 'deploy', environment: 'dev'},
			wrapEngine: engine => ({...engine, releases: async (...args: Parameters<typeof engine.releases>) => (++reads > 1 ? held.then(() => engine.releases(...args)) : engine.releases(...args))}),
		});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.tab);
		await waitForText(h.app, '❯ 1.4.0-rc.2');
		await write(h, `${keys.enter}${keys.enter}`);
		await waitForText(h.app, 'Version: 1.4.0-rc.2');
		await press(h.app, keys.enter);
		const where = await waitForText(h.app, 'Deploy it to:');
		expect(where).toContain('images being read…');
		expect(where).toContain('channel beta');
		expect(where).toContain('Channel beta deploys only to dev, staging.');
		expect(where).not.toMatch(/production/);
		letThrough();
		await waitForText(h.app, /channel beta · worker 1\.4\.0-rc\.2/);
	});

	test('c switches the channel too; the releases listed are those of the channel', async () => {
		h = renderApp({recipes: [invoice], route: {name: 'release-picker', file: invoice, mode: 'deploy', environment: 'dev'}});
		expect(await deployed(h, invoice, {worker: '1.4.0', 'log-router': '2.32.4'})).toBe('succeeded');
		h.app.unmount();
		h = renderApp({recipes: [invoice], route: {name: 'release-picker', file: invoice, mode: 'deploy', environment: 'dev'}, account: h.account, workspace: h.workspace});
		await waitForText(h.app, /❯ 1\.4\.0 +dev ✓/);
		await press(h.app, 'c');
		const beta = await waitForText(h.app, 'no release on this channel yet: n makes one from image tags');
		expect(beta).toContain('Channel beta');
		await write(h, 'cc');
		expect(screen(h.app)).toMatch(/Channel beta[^]*no release on this channel yet/);
		await press(h.app, keys.tab);
		await waitForText(h.app, /Channel stable[^]*❯ 1\.4\.0/);
	});

	test("in an image's typed tag, letters are typed (c too) and Tab switches the channel, starting the picks again", async () => {
		h = renderApp({recipes: [invoice], route: {name: 'release-picker', file: invoice, mode: 'create'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Tag: 2.32.4');
		await write(h, `${keys.backspace}c`);
		expect(screen(h.app)).toContain('Tag: 2.32.c');
		expect(screen(h.app)).toContain('Channel stable');
		await write(h, keys.tab);
		expect(screen(h.app)).toContain('Channel beta');
		await waitForText(h.app, /Image worker \(1 of 2\)[^]*❯ 1\.4\.0-rc\.2/);
		// A tag that is not one is refused where it is typed.
		await write(h, `${keys.enter}${keys.backspace.repeat(6)}-bad${keys.enter}`);
		expect(screen(h.app)).toContain('"-bad" is not an image tag');
	});

	test('with keys alone: invoice-worker released and deployed with its defaults (the worker\'s newest stable tag, log-router\'s pinned tag with its digest)', async () => {
		h = renderApp({recipes: [hello, invoice]});
		await waitForText(h.app, /❯ hello-color/);
		await press(h.app, 'j', keys.enter, 'd');
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		const typed = await waitForText(h.app, 'Tag: 2.32.4');
		expect(typed).toContain('public.ecr.aws/aws-observability/aws-for-fluent-bit');
		expect(typed.replace(/\s+/g, ' ')).toContain('the recipe pins 2.32.4');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 1.4.0');
		await press(h.app, keys.enter, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in dev', 20_000);
		const [release] = h.workspace.releases('invoice-worker');
		expect(release).toMatchObject({version: '1.4.0', channel: 'stable', images: {worker: {tag: '1.4.0', digest: expect.stringMatching(/^sha256:/)}, 'log-router': {tag: '2.32.4', digest: expect.stringMatching(/^sha256:/)}}});
	});

	test('a hotfix channel limited to production goes there directly, without the promotion-order question', async () => {
		const {shown, catalog} = await helloCopy(recipe => {
			recipe['channels'] = [{name: 'stable', default: true}, {name: 'hotfix', environments: ['production']}];
		});
		h = renderApp({catalog, route: {name: 'release-picker', file: shown, mode: 'deploy', environment: 'production'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, 'c');
		const hotfix = await waitForText(h.app, 'Channel hotfix');
		expect(hotfix).toContain('every tag · only to production');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 1.4.0');
		await press(h.app, keys.enter);
		const where = await waitForText(h.app, 'Deploy it to:');
		expect(where).toMatch(/❯ production +next in its lifecycle/);
		expect(where).not.toMatch(/^ *dev /m);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Change preview');
		await press(h.app, 'y');
		await waitForText(h.app, '✓ succeeded: release 1.4.0 is serving in production', 20_000);
	});
});

describe('a ledger the team shares', () => {
	test("the picker, the project screen and the rollback screen read the S3 ledger: another operator's releases are there", async () => {
		const {file, shown, catalog} = await helloCopy(recipe => {
			recipe['ledger'] = 's3://sandbox-ledger/team';
		});
		// Another operator (their own workspace) deployed 1.3.0 then 1.4.0 to dev.
		const other = renderApp({catalog, workspace: memoryWorkspace()});
		expect(await deployed(other, file, {web: '1.3.0'})).toBe('succeeded');
		expect(await deployed(other, file, {web: '1.4.0'})).toBe('succeeded');
		other.app.unmount();
		const mine = memoryWorkspace();
		h = renderApp({catalog: fileCatalog(repoRoot, [file]), workspace: mine, account: other.account, route: {name: 'project', file: shown}});
		await waitForText(h.app, 'p promotes 1.4.0 from dev to staging');
		expect(screen(h.app)).toContain('releases in s3://sandbox-ledger/team');
		await press(h.app, 'd');
		await waitForText(h.app, /❯ 1\.4\.0 +dev ✓/);
		expect(screen(h.app)).toMatch(/1\.3\.0 +dev ✓/);
		// Nothing of it is in this workspace's own file.
		expect(mine.releases('hello-color')).toEqual([]);
		await press(h.app, keys.escape);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'r');
		await waitForText(h.app, 'running now: 1.4.0');
		const rollback = await waitForText(h.app, /1\.3\.0 +succeeded/);
		expect(rollback).toMatch(/1\.3\.0 +succeeded .*web 1\.3\.0 sha256:/);
		await press(h.app, keys.enter);
		await waitForText(h.app, 'no differences: only the images go back');
		// History lists the other operator's deployments, from the same ledger.
		await press(h.app, 'n', keys.escape);
		await waitForText(h.app, 'Environments (promotion order)');
		await press(h.app, 'h');
		expect(await waitForText(h.app, /2 deployments\b/)).toContain('tester@ci');
	});
});
