import {constants} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import path from 'node:path';
import {maxRecipeBytes, parseRecipe, type ParsedRecipe} from '../domain/recipe/parse.js';
import {formatCount} from '../domain/text.js';

export type RecipeFile = ParsedRecipe & {file: string};

/** Thrown when a recipe file cannot be read; the message names the file and the reason. */
export class RecipeFileError extends Error {
	override name = 'RecipeFileError';
}

/**
 * Reads and parses a recipe file. Parse problems come back in `problems`; unreadable files throw RecipeFileError.
 * A relative `file` is found in `cwd` (default: the process's working folder) and named as given.
 */
export async function readRecipeFile(file: string, cwd?: string): Promise<RecipeFile> {
	const read = await readRecipeBytes(cwd === undefined ? file : path.resolve(cwd, file));
	if ('problem' in read) throw new RecipeFileError(`cannot read recipe ${file}: ${read.problem}`);
	return {...parseRecipe(read.text), file};
}

/**
 * A recipe file's text, read with a cap: only a regular file is read (a FIFO would wait for a writer for
 * ever, `/dev/zero` would never end), and one larger than `maxRecipeBytes` is refused before it is read.
 * The file is opened without blocking and checked again once open, so it cannot be swapped in between.
 */
export async function readRecipeBytes(file: string): Promise<{text: string} | {problem: string}> {
	try {
		const kind = kindOf(await stat(file));
		if (kind !== undefined) return {problem: `it is ${kind}, not a regular file`};
		const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
		try {
			const info = await handle.stat();
			const openedKind = kindOf(info);
			if (openedKind !== undefined) return {problem: `it is ${openedKind}, not a regular file`};
			if (info.size > maxRecipeBytes) return {problem: tooLarge(info.size)};
			// One byte more than allowed tells a file that grew since its size was read.
			const buffer = Buffer.alloc(maxRecipeBytes + 1);
			let length = 0;
			for (;;) {
				const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null);
				if (bytesRead === 0) break;
				length += bytesRead;
				if (length > maxRecipeBytes) return {problem: tooLarge(length, true)};
			}
			return {text: buffer.toString('utf8', 0, length)};
		} finally {
			await handle.close();
		}
	} catch (cause) {
		return {problem: readFailure(cause)};
	}
}

function tooLarge(size: number, atLeast = false): string {
	return `it is ${atLeast ? 'over ' : ''}${formatCount(size)} bytes; a recipe may be at most ${formatCount(maxRecipeBytes)} bytes (1 MiB)`;
}

/** What a file is when it is not a regular file: `a folder`, `a FIFO (named pipe)`; undefined for a regular file. */
function kindOf(info: {isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean}): string | undefined {
	if (info.isFile()) return undefined;
	if (info.isDirectory()) return 'a folder';
	if (info.isFIFO()) return 'a FIFO (named pipe)';
	if (info.isCharacterDevice()) return 'a character device';
	if (info.isBlockDevice()) return 'a block device';
	if (info.isSocket()) return 'a socket';
	return 'not a regular file';
}

/** Why a file could not be read, in words: `no such file`, `permission denied`. */
export function readFailure(cause: unknown): string {
	const code = (cause as NodeJS.ErrnoException).code;
	return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(cause);
}

export {findRecipeFiles} from './recipe-folder.js';
