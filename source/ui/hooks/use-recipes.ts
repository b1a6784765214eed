import {useEffect, useState} from 'react';
import type {RecipeCatalog, RecipeSummary} from '../catalog.js';

export type RecipesState = {status: 'loading'} | {status: 'ready'; recipes: RecipeSummary[]} | {status: 'failed'; message: string};

/** The catalog's recipes (read once; `generation` reads them again, e.g. after the step form saved one). */
export function useRecipes(catalog: RecipeCatalog, generation = 0): RecipesState {
	const [state, setState] = useState<RecipesState>({status: 'loading'});
	useEffect(() => {
		let live = true;
		catalog.list().then(
			recipes => live && setState({status: 'ready', recipes}),
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
