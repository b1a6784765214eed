import {watch, type FSWatcher} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import packageJson from '../../package.json' with {type: 'json'};
import {openFileCache, type FileCache} from '../io/file-cache.js';
import {findRecipeFiles} from '../io/recipe-folder.js';
import type {RecipeCatalog, RecipeSummary} from './catalog.js';

/*
 * The app's recipes on disk, apart from the app itself: the CLI starts reading them while Ink, React and the
 * screens load, so the first frame does not wait for the files after the modules. What a start with unchanged
 * recipes needs (the folder listing, the summaries cache) is imported here, not on demand: a module imported
 * then would load after Ink's, the largest.
 */

/** The recipe summaries cache of this build (the running bundle's modification time tells builds apart). */
async function openSummaries(cacheFile: string): Promise<FileCache<RecipeSummary>> {
	const build = await stat(fileURLToPath(import.meta.url)).then(
		info => String(info.mtimeMs),
		() => 'unknown',
	);
	return openFileCache<RecipeSummary>(cacheFile, `${packageJson.version}/${build}`);
}

/**
 * The recipes the app shows: the files named, else every recipe in `./recipes` (broken ones too, with their
 * problems) and the YAML files of the working directory that read as recipes. Read once, again on `refresh`;
 * `watch` follows the folders for recipe files added, changed or removed.
 */
export function fileCatalog(cwd: string, named?: readonly string[], cacheFile?: string): RecipeCatalog {
	const folder = path.join(cwd, 'recipes');
	let cached: Promise<RecipeSummary[]> | undefined;
	// Summaries of recipe files that did not change since the last start: no YAML parser, no schema to load.
	const summaries = cacheFile === undefined ? undefined : openSummaries(cacheFile);
	const read = async (file: string): Promise<RecipeSummary> => {
		const shown = path.relative(cwd, file) || file;
		const cache = await summaries;
		const known = await cache?.get(file);
		if (known && known.file === shown) return known;
		const [{readRecipeFile}, {summarizeRecipe}] = await Promise.all([import('../io/recipe-files.js'), import('./catalog.js')]);
		try {
			const summary = summarizeRecipe(shown, await readRecipeFile(file));
			await cache?.set(file, summary);
			return summary;
		} catch (cause) {
			return {file: shown, environments: [], images: [], containers: [], problems: [{path: 'recipe', message: (cause as Error).message, severity: 'error'}]};
		}
	};
	const list = async (): Promise<RecipeSummary[]> => {
		const readAll = async (where: string) => Promise.all((await findRecipeFiles(where)).map(read));
		// Both folders at once (the working directory's YAML files count only when they read as recipes).
		const found =
			named && named.length > 0
				? await Promise.all(named.map(file => read(path.resolve(cwd, file))))
				: await Promise.all([readAll(folder), readAll(cwd)]).then(([inFolder, inCwd]) => [...inFolder, ...inCwd.filter(r => r.document !== undefined)]);
		await (await summaries)?.save();
		return found;
	};
	return {
		folder: named && named.length > 0 ? named.join(', ') : `./${path.relative(cwd, folder) || '.'}`,
		list: () => (cached ??= list()),
		refresh: () => {
			cached = undefined;
		},
		watch: onChange => watchFolders(named && named.length > 0 ? named.map(file => path.dirname(path.resolve(cwd, file))) : [folder, cwd], onChange),
	};
}

/** How long the folders must be quiet before a change is told (an editor saves in several steps). */
const settleMs = 150;

/** Watches folders for YAML files added, changed or removed; calls `onChange` once things settle. */
function watchFolders(folders: readonly string[], onChange: () => void): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const changed = (_event: string, name: string | Buffer | null) => {
		if (name !== null && !/\.ya?ml$/i.test(String(name))) return;
		clearTimeout(timer);
		timer = setTimeout(onChange, settleMs);
	};
	const watchers: FSWatcher[] = [];
	for (const folder of new Set(folders)) {
		try {
			// A folder that is not there (yet) is not watched; a watcher that fails stops quietly.
			watchers.push(watch(folder, changed).on('error', () => undefined));
		} catch {}
	}
	return () => {
		clearTimeout(timer);
		for (const watcher of watchers) watcher.close();
	};
}
