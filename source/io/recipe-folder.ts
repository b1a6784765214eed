import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {isRecipeFileName} from '../domain/recipe/file-name.js';

/** Lists the recipe files (`*.yaml`, `*.yml`) in a folder, sorted by name; a missing folder gives none. */
export async function findRecipeFiles(folder: string): Promise<string[]> {
	try {
		const entries = await readdir(folder, {withFileTypes: true});
		return entries
			.filter(e => e.isFile() && isRecipeFileName(e.name))
			.map(e => path.join(folder, e.name))
			.sort();
	} catch {
		return [];
	}
}
