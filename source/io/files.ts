import {lstat, mkdir, open, readFile, realpath, rename, stat as statOf, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {isRecipeFileName} from '../domain/recipe/file-name.js';
import {readRecipeBytes, readRecipeFile, type RecipeFile} from './recipe-files.js';

/*
 * The files the engine reads and writes (recipes, exported templates), behind the engine's `files` port:
 * the engine never touches the file system itself. Every write is careful: never over something it should
 * not replace, never half a file.
 */

/** The engine's file port (see EngineDeps.files). */
export type EngineFiles = {
	/** Reads and parses a recipe; an unreadable file throws an error whose message names the file and why. */
	readRecipe(file: string): Promise<RecipeFile>;
	/** A recipe file's text as it is on disk, or why it could not be read. */
	readText(file: string): Promise<{text: string; problem?: undefined} | {text?: undefined; problem: string}>;
	/** Writes a new recipe file, never over anything that exists. Returns a problem, or undefined when written. */
	createRecipe(file: string, text: string): Promise<string | undefined>;
	/** Replaces a recipe's text in one rename, unless it changed on disk since `expected` was read. */
	saveRecipe(file: string, text: string, expected: string | undefined): Promise<string | undefined>;
	/** Writes text to a new file (or over one with `force`), never over the recipe or through a link. */
	writeNewFile(out: string, text: string, options: {recipeFile: string; force: boolean}): Promise<string | undefined>;
};

/**
 * The file port on the local disk, relative paths in `cwd` (default: the process's working folder); messages
 * name the files as they were given.
 */
export function localFilesIn(cwd?: string): EngineFiles {
	const at: At = cwd === undefined ? file => file : file => path.resolve(cwd, file);
	return {
		readRecipe: file => readRecipeFile(file, cwd),
		readText: async file => {
			const read = await readRecipeBytes(at(file));
			return 'problem' in read ? {problem: `cannot read ${file}: ${read.problem}`} : read;
		},
		createRecipe: (file, text) => createRecipeFile(file, text, at),
		saveRecipe: (file, text, expected) => saveRecipeText(file, text, expected, at),
		writeNewFile: (out, text, options) => writeNewFile(out, text, options, at),
	};
}

/** The file port on the local disk, relative paths in the process's working folder. */
export const localFiles: EngineFiles = localFilesIn();

/** Where a file named as given is on disk. */
type At = (file: string) => string;

/**
 * Writes a new recipe file, never over anything that exists (a file, a folder, a symbolic link): the name is
 * taken, the operator picks another. Creates the folder when it is missing (`recipes/` in a new project).
 */
async function createRecipeFile(file: string, text: string, at: At): Promise<string | undefined> {
	if (!isRecipeFileName(file)) return `${file}: a recipe file name ends in .yaml or .yml`;
	if (await lstat(at(file)).catch(() => undefined)) return `${file} exists; pick another name (an existing recipe is edited with e on its project)`;
	try {
		await mkdir(path.dirname(at(file)), {recursive: true});
		// `wx` fails if something appeared under that name meanwhile.
		const handle = await open(at(file), 'wx', 0o644);
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

/**
 * Saves recipe text: written to a temporary file and renamed over the recipe (a reader never sees half a
 * file). `expected` is the text the editor started from: if the file changed on disk since, nothing is
 * written and the problem says so (someone else edited it).
 */
async function saveRecipeText(file: string, text: string, expected: string | undefined, at: At): Promise<string | undefined> {
	if (expected !== undefined) {
		const now = await readFile(at(file), 'utf8').catch(() => undefined);
		if (now !== undefined && now !== expected) return `${file} changed on disk since it was opened; nothing was written (open it again to see the other changes)`;
	}
	const temporary = `${at(file)}.${process.pid}.tmp`;
	try {
		await writeFile(temporary, text, {flag: 'wx'});
		await rename(temporary, at(file));
		return undefined;
	} catch (cause) {
		await unlink(temporary).catch(() => undefined);
		return `cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
	}
}

/**
 * Writes text to a file, carefully: never over the recipe itself, never through a symbolic link, never over
 * an existing file unless `force`.
 */
async function writeNewFile(out: string, text: string, options: {recipeFile: string; force: boolean}, at: At): Promise<string | undefined> {
	const refused = await refuseToWrite(out, options.recipeFile, options.force, at);
	if (refused) return refused;
	try {
		// `wx` creates the file and fails if something (a file, a symlink) appeared meanwhile; --force truncates a regular file.
		const handle = await open(at(out), options.force ? 'w' : 'wx', 0o644);
		await handle.writeFile(text);
		await handle.close();
		return undefined;
	} catch (cause) {
		return `cannot write ${out}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
	}
}

async function refuseToWrite(shownOut: string, shownRecipe: string, force: boolean, at: At): Promise<string | undefined> {
	const [out, recipe] = [at(shownOut), at(shownRecipe)];
	const stat = await lstat(out).catch(() => undefined);
	if (!stat) return undefined;
	if (stat.isSymbolicLink()) return `${shownOut} is a symbolic link; write to the file itself`;
	if (!stat.isFile()) return `${shownOut} is not a regular file`;
	const [a, b] = await Promise.all([realpath(out).catch(() => path.resolve(out)), realpath(recipe).catch(() => path.resolve(recipe))]);
	// A hard link of the recipe has another path but the same file (device and inode): writing it is writing the recipe.
	const recipeStat = await statOf(recipe).catch(() => undefined);
	if (a === b || (recipeStat !== undefined && recipeStat.dev === stat.dev && recipeStat.ino === stat.ino)) return `${shownOut} is the recipe itself; write the template to another file`;
	if (!force) return `${shownOut} exists; pass --force to overwrite it`;
	return undefined;
}
