import {useEffect, useReducer} from 'react';
import type {RecipeCatalog, RecipeSummary} from '../../catalog.js';

export type HomeState =
	| {status: 'loading'}
	| {status: 'ready'; recipes: RecipeSummary[]}
	| {status: 'failed'; message: string};

export type HomeAction = {type: 'loaded'; recipes: RecipeSummary[]} | {type: 'failed'; message: string};

export function homeReducer(_state: HomeState, action: HomeAction): HomeState {
	switch (action.type) {
		case 'loaded':
			return {status: 'ready', recipes: action.recipes};
		case 'failed':
			return {status: 'failed', message: action.message};
	}
}

/** Loads the recipe list once. */
export function useHome(catalog: RecipeCatalog): HomeState {
	const [state, dispatch] = useReducer(homeReducer, {status: 'loading'});
	useEffect(() => {
		let live = true;
		catalog.list().then(
			recipes => live && dispatch({type: 'loaded', recipes}),
			(cause: unknown) => live && dispatch({type: 'failed', message: cause instanceof Error ? cause.message : String(cause)}),
		);
		return () => {
			live = false;
		};
	}, [catalog]);
	return state;
}
