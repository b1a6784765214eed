import {error} from '../domain/problems.js';
import {withLines} from '../domain/recipe/parse.js';
import type {TargetInfo} from '../domain/recipe/resolved.js';
import {resolveRecipe, type ImageChoice, type ResolveResult} from '../domain/recipe/resolve.js';
import {readRecipeFile, type RecipeFile} from '../io/recipe-files.js';

export type PrepareInput = {
	recipeFile: string;
	environment: string;
	images?: Record<string, ImageChoice>;
	releaseVersion?: string;
	target?: TargetInfo;
};

export type Prepared = ResolveResult & {file?: RecipeFile};

/**
 * Reads a recipe file and resolves it for one environment: every problem found, with line numbers.
 * Unreadable files come back as a problem too, so callers have one path for bad input.
 */
export async function prepareRecipe(input: PrepareInput): Promise<Prepared> {
	let file: RecipeFile;
	try {
		file = await readRecipeFile(input.recipeFile);
	} catch (cause) {
		return {problems: [error('recipe', (cause as Error).message)]};
	}
	if (!file.recipe) return {file, problems: file.problems};
	const result = resolveRecipe({
		recipe: file.recipe,
		environment: input.environment,
		...(input.images === undefined ? {} : {images: input.images}),
		...(input.releaseVersion === undefined ? {} : {releaseVersion: input.releaseVersion}),
		...(input.target === undefined ? {} : {target: input.target}),
	});
	return {...result, problems: withLines(result.problems, file.lineOf), file};
}
