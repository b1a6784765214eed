import {mkdtemp, readFile, stat, utimes, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {openFileCache} from '../../source/io/file-cache.js';
import {fileCatalog} from '../../source/ui/run.js';

async function folder() {
	return mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-cache-'));
}

describe('the cache of what was derived from files', () => {
	test('an entry stands while its file is unchanged; a changed file, another build or a broken cache file read nothing', async () => {
		const dir = await folder();
		const file = path.join(dir, 'a.yaml');
		const cacheFile = path.join(dir, 'cache', 'summaries.json');
		await writeFile(file, 'name: a\n');
		const first = await openFileCache<{name: string}>(cacheFile, 'build-1');
		expect(await first.get(file)).toBeUndefined();
		await first.set(file, {name: 'a'});
		await first.save();
		expect(((await stat(cacheFile)).mode & 0o777).toString(8)).toBe('600');

		expect(await (await openFileCache<{name: string}>(cacheFile, 'build-1')).get(file)).toEqual({name: 'a'});
		expect(await (await openFileCache<{name: string}>(cacheFile, 'build-2')).get(file)).toBeUndefined();

		await writeFile(file, 'name: b\n');
		const later = new Date(Date.now() + 5_000);
		await utimes(file, later, later);
		expect(await (await openFileCache<{name: string}>(cacheFile, 'build-1')).get(file)).toBeUndefined();

		await writeFile(cacheFile, '{not json');
		expect(await (await openFileCache<{name: string}>(cacheFile, 'build-1')).get(file)).toBeUndefined();
	});

	test("the app's catalog shows a recipe changed since the last start as it is now, not as the cache had it", async () => {
		const dir = await folder();
		const recipes = path.join(dir, 'recipes');
		await (await import('node:fs/promises')).mkdir(recipes);
		const recipe = path.join(recipes, 'shop.yaml');
		const text = (await readFile(path.join(import.meta.dirname, '../../recipes/hello-color.yaml'), 'utf8')).replace('name: hello-color', 'name: shop');
		await writeFile(recipe, text);
		const cacheFile = path.join(dir, '.ecs-deployer', 'recipe-summaries.json');
		expect((await fileCatalog(dir, undefined, cacheFile).list()).map(r => r.name)).toEqual(['shop']);
		await writeFile(recipe, text.replace('name: shop', 'name: shop-two'));
		const later = new Date(Date.now() + 5_000);
		await utimes(recipe, later, later);
		expect((await fileCatalog(dir, undefined, cacheFile).list()).map(r => r.name)).toEqual(['shop-two']);
		expect(JSON.parse(await readFile(cacheFile, 'utf8')).entries[recipe].value.name).toBe('shop-two');
	});
});
