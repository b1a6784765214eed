import type {Problem} from '../domain/problems.js';
import type {ParsedRecipe} from '../domain/recipe/parse.js';
import type {RecipeDocument} from '../domain/recipe/schema.js';

/** What the home screen shows of a recipe file. */
export type RecipeSummary = {
	file: string;
	name?: string;
	description?: string;
	environments: string[];
	images: Array<{ref: string; source: string}>;
	containers: string[];
	problems: Problem[];
	/** The recipe as parsed, when it could be (the engine's use cases take it). */
	document?: RecipeDocument;
};

/** Where the app finds recipes; injected so screens never touch the file system themselves. */
export type RecipeCatalog = {
	/** The folder shown to the operator, e.g. `./recipes`. */
	folder: string;
	list(): Promise<RecipeSummary[]>;
	/** Forgets what was read: the next `list` reads the files again. */
	refresh?(): void;
	/** Calls `onChange` (debounced) when recipe files are added, changed or removed; returns the stop. */
	watch?(onChange: () => void): () => void;
};

/** Summarises a parsed recipe file for the screens (pure). */
export function summarizeRecipe(file: string, parsed: ParsedRecipe): RecipeSummary {
	const recipe = parsed.recipe;
	const containers = recipe?.service['containers'];
	return {
		file,
		...(recipe?.name === undefined ? {} : {name: recipe.name}),
		...(recipe?.description === undefined ? {} : {description: recipe.description}),
		environments: recipe?.environments.map(e => e.name) ?? [],
		images: Object.entries(recipe?.images ?? {}).map(([ref, image]) => ({
			ref,
			source: image.registry === undefined ? `ECR ${image.repository}` : `${image.registry}/${image.repository}`,
		})),
		containers: Array.isArray(containers)
			? containers.map(c => (c !== null && typeof c === 'object' && 'name' in c ? String((c as {name: unknown}).name) : '?'))
			: [],
		problems: parsed.problems,
		...(recipe ? {document: recipe} : {}),
	};
}
