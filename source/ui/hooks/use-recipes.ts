import {useEffect, useState} from 'react';
import type {RecipeCatalog, RecipeSummary} from '../catalog.js';

export type RecipesState = {status: 'loading'} | {status: 'ready'; recipes: RecipeSummary[]} | {status: 'failed'; message: string};

/** The lists a catalog has answered, by the promise it answered with (a catalog hands out one until refreshed). */
const answered = new WeakMap<Promise<RecipeSummary[]>, RecipeSummary[]>();

function remember(listed: Promise<RecipeSummary[]>): Promise<RecipeSummary[]> {
	return listed.then(recipes => {
		answered.set(listed, recipes);
		return recipes;
	});
}

/**
 * Reads the catalog's recipes ahead of the first frame: once they are read, `useRecipes` starts with them, so the
 * first frame already shows the projects instead of "Reading recipes…" followed by a second frame.
 */
export function readRecipes(catalog: RecipeCatalog): Promise<RecipeSummary[]> {
	return remember(catalog.list());
}

/** The catalog's recipes (read once; `generation` reads them again, e.g. after the step form saved one). */
export function useRecipes(catalog: RecipeCatalog, generation = 0): RecipesState {
	const [state, setState] = useState<RecipesState>(() => {
		// Already read (before the first frame, or by a screen open a moment ago): no loading frame.
		const recipes = answered.get(catalog.list());
		return recipes ? {status: 'ready', recipes} : {status: 'loading'};
	});
	useEffect(() => {
		let live = true;
		remember(catalog.list()).then(
			recipes => live && setState(current => (current.status === 'ready' && current.recipes === recipes ? current : {status: 'ready', recipes})),
			(cause: unknown) => live && setState({status: 'failed', message: cause instanceof Error ? cause.message : String(cause)}),
		);
		return () => {
			live = false;
		};
	}, [catalog, generation]);
	return state;
}

/** One recipe of the catalog by file. */
export function useRecipe(catalog: RecipeCatalog, file: string, generation = 0): RecipeSummary | undefined | 'loading' {
	const state = useRecipes(catalog, generation);
	if (state.status === 'loading') return 'loading';
	if (state.status === 'failed') return undefined;
	return state.recipes.find(r => r.file === file);
}

/**
 * A count that goes up when recipe files are added, changed or removed while the app runs (the catalog
 * watches its folders); pass it on as `generation` to read the recipes again.
 */
export function useCatalogChanges(catalog: RecipeCatalog): number {
	const [changes, setChanges] = useState(0);
	useEffect(
		() =>
			catalog.watch?.(() => {
				catalog.refresh?.();
				setChanges(count => count + 1);
			}),
		[catalog],
	);
	return changes;
}
