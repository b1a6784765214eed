import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseRecipe, type ParsedRecipe} from '../domain/recipe/parse.js';

export type RecipeFile = ParsedRecipe & {file: string};

/** Thrown when a recipe file cannot be read; the message names the file and the reason. */
export class RecipeFileError extends Error {
	override name = 'RecipeFileError';
}

/** Reads and parses a recipe file. Parse problems come back in `problems`; unreadable files throw RecipeFileError. */
export async function readRecipeFile(file: string): Promise<RecipeFile> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (cause) {
		const code = (cause as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(cause);
		throw new RecipeFileError(`cannot read recipe ${file}: ${reason}`);
	}
	return {...parseRecipe(text), file};
}

/** Lists the recipe files (`*.yaml`, `*.yml`) in a folder, sorted by name; a missing folder gives none. */
export async function findRecipeFiles(folder: string): Promise<string[]> {
	try {
		const entries = await readdir(folder, {withFileTypes: true});
		return entries
			.filter(e => e.isFile() && /\.ya?ml$/.test(e.name))
			.map(e => path.join(folder, e.name))
			.sort();
	} catch {
		return [];
	}
}
