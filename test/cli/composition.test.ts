import {mkdtemp, readdir} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {composeStagedEngine} from '../../source/composition.js';
import type {Target} from '../../source/domain/records.js';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {repoRoot} from '../helpers/cli.js';

// The app's engine in two steps: the dashboard's status reads first, the other use cases when asked. Both
// steps work on the same workspace and the same sandbox account.

async function hello(): Promise<RecipeDocument> {
	const {recipe} = await readRecipeFile(path.join(repoRoot, 'recipes/hello-color.yaml'));
	if (!recipe) throw new Error('recipes/hello-color.yaml did not parse');
	return recipe;
}

const storeFolder = async () => path.join(await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-staged-')), '.ecs-deployer');

const stored: Target = {name: 'eu', region: 'eu-west-1', cluster: 'apps', environments: ['dev'], tags: [], credentials: {source: 'default'}};

describe('the staged engine', () => {
	test('on a new workspace the status reads answer before the engine is asked for, and write nothing', async () => {
		const folder = await storeFolder();
		const recipe = await hello();
		const {statuses} = await composeStagedEngine({storeFolder: folder, sandbox: true, env: {}});
		const picked = await statuses.targetsFor(recipe, 'dev');
		if ('error' in picked) throw new Error(picked.error);
		expect(picked.targets.map(t => t.name)).toEqual(['sandbox']);
		const status = await statuses.status(recipe, 'dev', picked.targets[0]!);
		expect(status).toMatchObject({environment: 'dev', stackName: 'hello-color-dev', state: 'not-deployed'});
		expect(await readdir(folder).catch(() => [])).toEqual([]);
	});

	test('what the engine stores, the status reads see (one workspace); a stored workspace is read before the engine loads', async () => {
		const folder = await storeFolder();
		const recipe = await hello();
		const first = await composeStagedEngine({storeFolder: folder, sandbox: false, env: {}});
		expect(await first.statuses.targetsFor(recipe, 'dev')).toMatchObject({error: expect.stringContaining('dev')});
		(await first.engine()).saveTarget(stored);
		expect(await first.statuses.targetsFor(recipe, 'dev')).toEqual({targets: [stored]});
		// Another start of the app: the file is there, so its first read loads the store.
		const second = await composeStagedEngine({storeFolder: folder, sandbox: false, env: {}});
		expect(await second.statuses.targetsFor(recipe, 'dev')).toEqual({targets: [stored]});
	});

	test('the engine and the status reads share one sandbox account', async () => {
		const folder = await storeFolder();
		const recipe = await hello();
		const staged = await composeStagedEngine({storeFolder: folder, sandbox: true, env: {}});
		const engine = await staged.engine();
		expect(await staged.engine()).toBe(engine);
		const picked = engine.targetsFor(recipe, 'dev');
		if ('error' in picked) throw new Error(picked.error);
		expect(await staged.statuses.status(recipe, 'dev', picked.targets[0]!)).toEqual(await engine.status(recipe, 'dev', picked.targets[0]!));
	});
});
