import {useCallback, useRef, useState} from 'react';
import type {Engine} from '../../../engine/engine.js';
import type {VerifyResult} from '../../../engine/recipes/verify.js';
import type {Target} from '../../../domain/records.js';

/** The verify pane of the project screen: closed, running, or what it found (or why it could not run). */
export type RecipeVerifyState =
	| {status: 'closed'}
	| {status: 'running'; environment: string}
	| {status: 'done'; environment: string; result: VerifyResult}
	| {status: 'error'; environment: string; error: string};

/**
 * Runs `engine.verify` for an environment and keeps its result; a result that comes back after the pane was
 * closed (or another environment was verified) is dropped.
 */
export function useRecipeVerify(): {state: RecipeVerifyState; start(engine: Engine, recipeFile: string, environment: string, target: Target): void; close(): void} {
	const [state, setState] = useState<RecipeVerifyState>({status: 'closed'});
	const generation = useRef(0);
	const start = useCallback((engine: Engine, recipeFile: string, environment: string, target: Target) => {
		const mine = ++generation.current;
		setState({status: 'running', environment});
		engine.verify({recipeFile, environment, target}).then(
			result => mine === generation.current && setState({status: 'done', environment, result}),
			(error: unknown) => mine === generation.current && setState({status: 'error', environment, error: error instanceof Error ? error.message : String(error)}),
		);
	}, []);
	const close = useCallback(() => {
		generation.current++;
		setState({status: 'closed'});
	}, []);
	return {state, start, close};
}
