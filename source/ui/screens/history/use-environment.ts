import {useMemo} from 'react';
import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import type {Engine} from '../../../engine/engine.js';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {useRecipes} from '../../hooks/use-recipes.js';
import {targetOf} from '../../runs/start-run.js';
import {useServices} from '../../services.js';

/** What the environment screens need for their engine calls. */
export type EnvironmentContext = {
	engine: Engine;
	/** The recipe path as the catalog lists it: the engine's `recipeFile`. */
	recipeFile: string;
	recipe: RecipeDocument;
	project: string;
	environment: string;
	target: Target;
};

/** Where the screen is: waiting for the engine or the recipe, unusable (why), or ready. */
export type EnvironmentLoad =
	| {state: 'connecting'}
	| {state: 'loading'}
	| {state: 'error'; message: string}
	| {state: 'ready'; context: EnvironmentContext};

/**
 * The recipe (from the catalog) and the target (the one serving the environment, else the sandbox) of an
 * environment screen, once the engine is loaded.
 */
export function useEnvironment(file: string, environment: string): EnvironmentLoad {
	const {engine, engineError, catalog} = useServices();
	const recipes = useRecipes(catalog);
	return useMemo((): EnvironmentLoad => {
		if (engineError) return {state: 'error', message: `the engine did not start: ${printable(engineError)}`};
		if (!engine) return {state: 'connecting'};
		if (recipes.status === 'loading') return {state: 'loading'};
		if (recipes.status === 'failed') return {state: 'error', message: `the recipes could not be read: ${printable(recipes.message)}`};
		const summary = recipes.recipes.find(r => r.file === file);
		if (!summary) return {state: 'error', message: `there is no recipe ${printable(file)} any more`};
		const recipe = summary.document;
		if (!recipe) return {state: 'error', message: `${printable(file)} has problems: fix them first (e on the project screen edits it)`};
		if (!recipe.environments.some(e => e.name === environment)) return {state: 'error', message: `${recipe.name} has no environment ${printable(environment)}`};
		const target = targetOf(engine, environment);
		if ('error' in target) return {state: 'error', message: printable(target.error)};
		return {state: 'ready', context: {engine, recipeFile: summary.file, recipe, project: recipe.name, environment, target}};
	}, [engine, engineError, recipes, file, environment]);
}
