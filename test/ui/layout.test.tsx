import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {stringify} from 'yaml';
import {afterEach, describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import {recordingHost} from '../helpers/engine.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import type {Target} from '../../source/domain/records.js';
import {fileCatalog} from '../../source/ui/run.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {repoRoot} from '../helpers/cli.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {minimalRecipe} from '../helpers/recipes.js';
import {deployReleases} from './history/releases.js';

/*
 * Every screen at 80×24 and 160×50 (History › Stack at 100×30 too) with long names (project, recipe file, environments, target,
 * cluster): no line wider than the terminal, no frame taller, and nothing pushed off (the header on top,
 * the footer at the bottom). The stdout of these renders is wider than the app, so a line too long shows.
 */

const project = 'payments-reconciliation-and-settlement-service';
const file = 'recipes/payments-reconciliation-and-settlement-service-eu-west-1.yaml';
const target: Target = {
	name: 'payments-production-eu-west-1-primary',
	region: 'eu-west-1',
	cluster: 'payments-production-cluster-eu-west-1-primary-fargate',
	accountId: '123456789012',
	environments: ['production-eu-west-1'],
	tags: ['team:payments-and-settlements', 'cost-centre:4711'],
	credentials: {source: 'profile', profile: 'payments-production-administrator'},
};

/** The other environments (and hello-color's) on the sandbox, chosen as a target marked as the sandbox. */
const sandboxForTheRest: Target = {...sandboxTarget, environments: ['development-eu-west-1', 'staging-eu-west-1', 'dev', 'staging', 'production']};

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

async function longWorkspace() {
	const cwd = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-layout-'));
	await mkdir(path.join(cwd, 'recipes'));
	const recipe = {
		...minimalRecipe(),
		name: project,
		description: 'Reconciles card payments with the settlement files of every acquirer, per country, nightly and on demand',
		environments: ['development-eu-west-1', 'staging-eu-west-1', 'production-eu-west-1'],
		images: {web: {repository: 'hello-color'}},
	};
	await writeFile(path.join(cwd, file), stringify(recipe));
	await writeFile(path.join(cwd, 'recipes/hello-color.yaml'), stringify({...minimalRecipe(), name: 'hello-color', images: {web: {repository: 'hello-color'}}}));
	// Named files, shown relative to the working directory the engine reads them from: a long path too.
	return fileCatalog(repoRoot, [path.join(cwd, 'recipes/hello-color.yaml'), path.join(cwd, file)]);
}

/** Fails, naming the screen, when the frame does not fit the terminal or lost its header or footer. */
function expectFits(frame: string, size: {columns: number; rows: number}, where: string) {
	const lines = frame.replace(/\n$/, '').split('\n');
	expect(lines.length, `${where}: ${lines.length} rows\n${frame}`).toBeLessThanOrEqual(size.rows - 1);
	for (const line of lines) expect([...line.trimEnd()].length, `${where}: a line of ${[...line.trimEnd()].length} columns: ${line}`).toBeLessThanOrEqual(size.columns);
	expect(lines[0], `${where}: the header is gone\n${frame}`).toMatch(/^ecs-deployer/);
	expect(lines.at(-1), `${where}: the footer is gone\n${frame}`).toMatch(/\? help|\^c quit|esc close|y yes|↵ choose|d detach and quit/);
}

/**
 * Waits for `text`, then checks the frame; with `help`, also the help of that screen (? then Esc), at the
 * smallest size only: it has the fewest rows for it.
 */
async function check(app: AppHarness['app'], text: string | RegExp, size: {columns: number; rows: number}, where: string, help = true): Promise<string | undefined> {
	expectFits(await waitForText(app, text, 5000), size, where);
	if (!help || size.rows > 24) return undefined;
	await press(app, '?');
	const frame = await waitForText(app, 'Keys of this screen');
	expectFits(frame, size, `${where}, help`);
	expect(frame, `${where}, help`).toMatch(/q \/ Ctrl\+C +quit/);
	await press(app, keys.escape);
	await waitForText(app, f => !f.includes('Keys of this screen'));
	return frame;
}

describe.each([
	{columns: 80, rows: 24},
	{columns: 160, rows: 50},
])('at $columns×$rows with long names', size => {
	test('every screen fits: dashboard, project, release picker (tags, version, environment, releases), change preview, live view, history (all three views), rollback, template, step form, targets, target wizard', async () => {
		h = renderApp({catalog: await longWorkspace(), workspace: memoryWorkspace({targets: [target, sandboxForTheRest]}), size});
		const {app} = h;
		await check(app, /❯ hello-color/, size, 'dashboard');
		await press(app, 'j');
		await check(app, /❯ payments-/, size, 'dashboard, long project');
		await press(app, keys.enter);
		await check(app, 'Environments (promotion order)', size, 'project');
		await press(app, 'k', 'k', 'j', 'j');
		await check(app, 'target: payments-production-eu-west-1-primary', size, 'project, production');
		await press(app, 'k', 'k');
		await press(app, 'd');
		await check(app, '❯ 1.4.0', size, 'release picker');
		await press(app, keys.enter);
		// A focused text field: ? is a letter there.
		await check(app, 'Version: 1.4.0', size, 'release picker, version', false);
		await press(app, keys.enter);
		await check(app, 'Deploy it to:', size, 'release picker, environment');
		await press(app, keys.enter);
		await check(app, 'Change preview', size, 'change preview', false);
		await press(app, 'y');
		await check(app, /Deploying payments-/, size, 'live view', false);
		const help = await check(app, '✓ succeeded', size, 'live view, finished');
		// The keys of the moment: after a deploy that served, p promotes (and the help says so).
		if (help) expect(help).toMatch(/p +deploy this release to the next environment/);
		expect(screen(app)).toContain('p promote to staging-eu-west-1');
		await press(app, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		// The deploy screen with a release: the releases, then the environment step (the next one preselected).
		await press(app, 'd');
		await check(app, /❯ 1\.4\.0 /, size, 'release picker, releases');
		await press(app, keys.enter);
		await check(app, /❯ staging-eu-west-1/, size, 'release picker, environment of a release');
		await press(app, keys.escape, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		await press(app, 'h');
		await check(app, /1 deployment\b/, size, 'history, deployments');
		await press(app, '2');
		await check(app, /CREATE_COMPLETE/, size, 'history, events');
		await press(app, '3');
		await check(app, /Resources/, size, 'history, stack');
		await press(app, keys.pageDown, keys.pageDown);
		await check(app, /stack payments-/, size, 'history, stack paged', false);
		await press(app, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		await press(app, 'r');
		await check(app, /Roll development-eu-west-1 back/, size, 'rollback');
		await press(app, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		await press(app, 'T');
		await check(app, 'AWSTemplateFormatVersion', size, 'template preview');
		await press(app, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		await press(app, 't');
		await check(app, 'One-off task in', size, 'one-off task', false);
		await press(app, keys.escape);
		await waitForText(app, 'Environments (promotion order)');
		await press(app, 'e');
		await check(app, /Edit .*payments/, size, 'step form');
		await press(app, keys.escape, keys.escape);
		await waitForText(app, 'Projects in');
		await press(app, 't');
		await check(app, /NAME[^]*payments-producti/, size, 'targets');
		await press(app, 'a');
		await check(app, 'New target', size, 'target wizard', false);
		await press(app, 'payments-production-eu-west-1-secondary-with-a-name-longer-than-the-field');
		expectFits(await waitForText(app, 'longer-than-the-field'), size, 'target wizard, a long name typed');
	}, 30_000);
});

test('History › Stack at 100×30: its rows are cut, not wrapped, and the header stays', async () => {
	const size = {columns: 100, rows: 30};
	const before = renderApp({recipes: ['recipes/hello-color.yaml']});
	await deployReleases(before, ['1.4.0']);
	before.app.unmount();
	h = renderApp({recipes: ['recipes/hello-color.yaml'], route: {name: 'history', file: 'recipes/hello-color.yaml', environment: 'dev'}, size, account: before.account, workspace: before.workspace});
	await waitForText(h.app, '1 deployment');
	await press(h.app, '3');
	for (let page = 0; page < 8; page++) {
		expectFits(await waitForText(h.app, /stack hello-color-dev/), size, `history, stack, page ${page + 1}`);
		await press(h.app, keys.pageDown);
	}
});

test.each([
	{columns: 80, rows: 24},
	{columns: 100, rows: 30},
])('the live view with the approval gate waiting fits at $columns×$rows, and so does its help', async size => {
	// checkout-api deploys blue/green with a gate in production (60 minutes to answer): at 200× the gate comes
	// in about 2 s and waits 18 s, time enough to look.
	const account = new SandboxAccount({speed: 200});
	h = renderApp({recipes: ['recipes/checkout-api.yaml'], size, account});
	const recipeFile = path.join(repoRoot, 'recipes/checkout-api.yaml');
	const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true, 'approve-deployment': 'wait'});
	await h.engine.deploy({recipeFile, environment: 'production', target: sandboxTarget, images: {api: '1.3.0'}, reattach: 'watch'}, host).result;
	await h.engine.deploy({recipeFile, environment: 'production', target: sandboxTarget, images: {api: '1.4.0'}, reattach: 'watch', wait: {mode: 'none'}}, host).result;
	await press(h.app, 'g');
	await waitForText(h.app, 'in progress: checkout-api/production', 5000);
	await press(h.app, 'l', 'l', keys.enter);
	expectFits(await waitForText(h.app, 'Waiting for approval', 5000), size, `live view, gate waiting, ${size.columns}×${size.rows}`);
	// The help of the live view while the gate waits names the gate's p and r, and fits too.
	await press(h.app, '?');
	const help = await waitForText(h.app, 'Keys of this screen');
	expectFits(help, size, 'live view, gate waiting, help');
	expect(help).toMatch(/q \/ Ctrl\+C +quit/);
	expect(help).toMatch(/p +promote the new revision/);
	expect(help).toMatch(/r +roll back the new revision/);
	await press(h.app, keys.escape);
	expectFits(await waitForText(h.app, f => !f.includes('Keys of this screen')), size, 'live view, gate waiting, after help');
	expect(screen(h.app)).toContain('p promote new revision');
}, 60_000);
