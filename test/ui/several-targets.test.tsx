import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parse, stringify} from 'yaml';
import {afterEach, describe, expect, test} from 'vitest';
import type {Target} from '../../source/domain/records.js';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {repoRoot} from '../helpers/cli.js';

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

const stored = (name: string, region: string): Target => ({name, region, cluster: 'sandbox', environments: ['dev', 'staging', 'production'], tags: [], credentials: {source: 'default'}});

/** hello-color with a stack per region (the in-memory account is one: two regions' stacks must not share a name). */
async function perRegionRecipe(): Promise<string> {
	const document = parse(await readFile(path.join(repoRoot, 'recipes/hello-color.yaml'), 'utf8')) as Record<string, any>;
	const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'several-targets-')), 'hello-color.yaml');
	await writeFile(file, stringify({...document, service: {...document['service'], stackName: 'hello-color-#{Environment}-#{Target.Region}'}}));
	return file;
}

async function toTheQuestion(): Promise<string> {
	const file = await perRegionRecipe();
	h = renderApp({recipes: [file], workspace: memoryWorkspace({targets: [stored('us', 'us-east-1'), stored('eu', 'eu-west-1')]}), route: {name: 'release-picker', file: path.relative(repoRoot, file), mode: 'deploy', environment: 'dev'}, size: {columns: 120, rows: 36}});
	await waitForText(h.app, '❯ 1.4.0');
	await press(h.app, keys.enter, keys.enter);
	await waitForText(h.app, 'Deploy it to:');
	await press(h.app, keys.enter);
	return waitForText(h.app, 'dev is served by 2 targets');
}

describe('deploying from the app to an environment two targets serve', () => {
	test('it asks first; "all" deploys to each one after the other, the live view naming each run\'s target', async () => {
		const question = await toTheQuestion();
		expect(question).toMatch(/all 2, one after the other/);
		expect(question).toMatch(/only eu/);
		expect(question).toMatch(/only us/);
		await press(h!.app, keys.enter);
		const first = await waitForText(h!.app, 'Change preview');
		expect(first).toContain('hello-color-dev-eu-west-1');
		await press(h!.app, 'y');
		// Once eu's run ends serving the release, us's starts, and the live view follows it (its change set asked over it).
		const second = await waitForText(h!.app, 'Apply these 4 changes to hello-color-dev-us-east-1', 20_000);
		expect(second).toContain('Change preview');
		await press(h!.app, 'y');
		await waitForText(h!.app, '✓ succeeded: release 1.4.0 is serving in dev', 20_000);
		expect(screen(h!.app)).toMatch(/Deploying hello-color → dev on target us \(2 of 2\)/);
		// A run per target, each naming its target and its place.
		expect(h!.runs.getSnapshot().map(r => [r.target, r.sequence?.index, r.sequence?.count])).toEqual([
			['eu', 0, 2],
			['us', 1, 2],
		]);
		expect(h!.workspace.deployments('hello-color').map(d => [d.target, d.outcome])).toEqual([
			['eu', 'succeeded'],
			['us', 'succeeded'],
		]);
	});

	test('choosing one target deploys only there', async () => {
		await toTheQuestion();
		// all, only eu, only us: the third.
		await press(h!.app, keys.down, keys.down, keys.enter);
		const preview = await waitForText(h!.app, 'Change preview');
		expect(preview).toContain('hello-color-dev-us-east-1');
		await press(h!.app, 'y');
		await waitForText(h!.app, '✓ succeeded: release 1.4.0 is serving in dev', 20_000);
		expect(h!.workspace.deployments('hello-color').map(d => d.target)).toEqual(['us']);
	});

	test('Esc on the question deploys nothing', async () => {
		await toTheQuestion();
		await press(h!.app, keys.escape);
		await waitForText(h!.app, 'no target of dev was chosen');
		expect(h!.workspace.deployments('hello-color')).toEqual([]);
	});
});
