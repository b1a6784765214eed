import {lstat, mkdir, open} from 'node:fs/promises';
import path from 'node:path';
import {isRecipeFileName} from '../domain/recipe/parse.js';
import {readRecipeBytes} from '../io/recipe-files.js';

/** A recipe file's text for the step form, or why it could not be read. */
export type RecipeText = {text: string; problem?: undefined} | {text?: undefined; problem: string};

/** Reads a recipe file's text as it is on disk (the step form edits it and saves it back with its comments). */
export async function readRecipeText(file: string): Promise<RecipeText> {
	const read = await readRecipeBytes(file);
	return 'problem' in read ? {problem: `cannot read ${file}: ${read.problem}`} : read;
}

/**
 * Writes a new recipe file, never over anything that exists (a file, a folder, a symbolic link): the name is
 * taken, the operator picks another. Creates the folder when it is missing (`recipes/` in a new project).
 * Returns a problem to show, or undefined when written.
 */
export async function createRecipeFile(file: string, text: string): Promise<string | undefined> {
	if (!isRecipeFileName(file)) return `${file}: a recipe file name ends in .yaml or .yml`;
	if (await lstat(file).catch(() => undefined)) return `${file} exists; pick another name (an existing recipe is edited with e on its project)`;
	try {
		await mkdir(path.dirname(file), {recursive: true});
		// `wx` fails if something appeared under that name meanwhile.
		const handle = await open(file, 'wx', 0o644);
		try {
			await handle.writeFile(text);
		} finally {
			await handle.close();
		}
		return undefined;
	} catch (cause) {
		const code = (cause as NodeJS.ErrnoException).code;
		return code === 'EEXIST' ? `${file} exists; pick another name` : `cannot write ${file}: ${code ?? String(cause)}`;
	}
}
