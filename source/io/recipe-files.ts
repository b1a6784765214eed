import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {isRecipeFileName, parseRecipe, type ParsedRecipe} from '../domain/recipe/parse.js';

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
		throw new RecipeFileError(`cannot read recipe ${file}: ${readFailure(cause)}`);
	}
	return {...parseRecipe(text), file};
}

/** Why a file could not be read, in words: `no such file`, `permission denied`. */
export function readFailure(cause: unknown): string {
	const code = (cause as NodeJS.ErrnoException).code;
	return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(cause);
}


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
