import {useEffect, useMemo, useState} from 'react';
import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import type {Engine} from '../../../engine/engine.js';
import {printable} from '../../../domain/text.js';
import type {RecipeSummary} from '../../catalog.js';
import {useServices} from '../../services.js';

/** The target an engine call runs on, as `engine.pickTarget` gives it. */
export type EngineTarget = Parameters<Engine['stack']>[2];

/** What the environment screens need for their engine calls. */
export type EnvironmentContext = {
	engine: Engine;
	/** The recipe path as the catalog lists it: the engine's `recipeFile`. */
	recipeFile: string;
	recipe: RecipeDocument;
	project: string;
	environment: string;
	target: EngineTarget;
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
	const [summary, setSummary] = useState<RecipeSummary | null | {error: string} | undefined>(undefined);
	useEffect(() => {
		let live = true;
		catalog.list().then(
			list => live && setSummary(list.find(r => r.file === file) ?? null),
			(cause: unknown) => live && setSummary({error: cause instanceof Error ? cause.message : String(cause)}),
		);
		return () => {
			live = false;
		};
	}, [catalog, file]);
	return useMemo((): EnvironmentLoad => {
		if (engineError) return {state: 'error', message: `the engine did not start: ${printable(engineError)}`};
		if (!engine) return {state: 'connecting'};
		if (summary === undefined) return {state: 'loading'};
		if (summary === null) return {state: 'error', message: `there is no recipe ${printable(file)} any more`};
		if ('error' in summary) return {state: 'error', message: `the recipes could not be read: ${printable(summary.error)}`};
		const recipe = summary.document;
		if (!recipe) return {state: 'error', message: `${printable(file)} has problems: fix them first (e on the project screen edits it)`};
		if (!recipe.environments.some(e => e.name === environment)) return {state: 'error', message: `${recipe.name} has no environment ${printable(environment)}`};
		const picked = engine.pickTarget({}, environment, {fallbackToSandbox: true});
		if ('error' in picked) return {state: 'error', message: printable(picked.error)};
		return {state: 'ready', context: {engine, recipeFile: summary.file, recipe, project: recipe.name, environment, target: picked.target}};
	}, [engine, engineError, summary, file, environment]);
}

/** The message of a failed engine call (an AWS error, usually), shown in place of what did not load. */
export function errorMessage(cause: unknown): string {
	if (cause instanceof Error) return printable(cause.name && cause.name !== 'Error' && !cause.message.startsWith(cause.name) ? `${cause.name}: ${cause.message}` : cause.message);
	return printable(String(cause));
}
