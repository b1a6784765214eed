import {error, type Problem} from '../../domain/problems.js';
import {withLines, type ParsedRecipe} from '../../domain/recipe/parse.js';
import type {TargetInfo} from '../../domain/recipe/resolved.js';
import {resolveRecipe, type ImageChoice, type ResolveResult} from '../../domain/recipe/resolve.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {EngineFiles} from '../../io/files.js';
import type {RecipeFile} from '../../io/recipe-files.js';

export type PrepareInput = {
	recipeFile: string;
	environment: string;
	images?: Record<string, ImageChoice>;
	releaseVersion?: string;
	target?: TargetInfo;
};

export type Prepared = ResolveResult & {file?: RecipeFile};

/** What resolving a parsed recipe takes: everything but the file. */
export type ResolveInput = Omit<PrepareInput, 'recipeFile'>;

/**
 * Reads a recipe file and resolves it for one environment: every problem found, with line numbers.
 * Unreadable files come back as a problem too, so callers have one path for bad input.
 */
export async function prepareRecipe(input: PrepareInput, files: Pick<EngineFiles, 'readRecipe'>): Promise<Prepared> {
	const read = await readRecipe(input.recipeFile, files);
	if ('problems' in read) return read;
	const {file} = read;
	if (!file.recipe) return {file, problems: file.problems};
	return {...resolveParsed({...file, recipe: file.recipe}, input), file};
}

/** A recipe file, or the problem of reading it. */
export async function readRecipe(recipeFile: string, files: Pick<EngineFiles, 'readRecipe'>): Promise<{file: RecipeFile} | {problems: Problem[]}> {
	try {
		return {file: await files.readRecipe(recipeFile)};
	} catch (cause) {
		return {problems: [error('recipe', (cause as Error).message)]};
	}
}

/** Resolves an already parsed recipe for one environment, with line numbers on the problems. */
export function resolveParsed(parsed: Pick<ParsedRecipe, 'lineOf'> & {recipe: RecipeDocument}, input: ResolveInput): ResolveResult {
	const result = resolveRecipe({
		recipe: parsed.recipe,
		environment: input.environment,
		...(input.images === undefined ? {} : {images: input.images}),
		...(input.releaseVersion === undefined ? {} : {releaseVersion: input.releaseVersion}),
		...(input.target === undefined ? {} : {target: input.target}),
	});
	return {...result, problems: withLines(result.problems, parsed.lineOf)};
}
