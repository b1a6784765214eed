import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {RollbackCandidate} from '../../../engine/history.js';
import {errorMessage} from '../../format.js';
import {reattachCommand, startAppRun} from '../../runs/start-run.js';
import {useServices} from '../../services.js';
import type {EnvironmentLoad} from '../history/use-environment.js';
import {candidateRows, type CandidateRow} from './rollback-changes.js';

/** A stored release as the rollback screen reads it: its images and the recipe it was made from. */
export type StoredRelease = {version: string; images: RollbackCandidate['images']; createdAt: string; notes?: string; recipe?: unknown};

/** The rollback screen's state: the releases (once the engine answered) and which step the operator is at. */
export type RollbackState = {
	load: {state: 'idle' | 'loading'} | {state: 'error'; message: string} | {state: 'ready'; rows: CandidateRow[]; releases: StoredRelease[]};
	/** Picking a release; confirming a rollback to one; the run is starting. */
	phase: {kind: 'list'} | {kind: 'confirm'; version: string} | {kind: 'starting'};
	/** Why the row just chosen cannot be rolled back to. */
	notice?: string;
};

/** What changes the rollback screen's state: the engine's answer and the operator's keys. */
export type RollbackAction =
	| {type: 'loading'}
	| {type: 'loaded'; candidates: RollbackCandidate[]; releases: StoredRelease[]}
	| {type: 'failed'; message: string}
	| {type: 'retry'}
	/** Enter on a row: a release that served here is confirmed; the others say why not. */
	| {type: 'choose'; version: string}
	/** `R`: the redeploy starts (the engine asks first) when a release is known to run here. */
	| {type: 'redeploy'}
	/** n / Esc in the confirmation, or a run that could not start: back to the list. */
	| {type: 'cancel'}
	| {type: 'starting'};

/** Nothing asked yet; the list. */
export const initialRollbackState: RollbackState = {load: {state: 'idle'}, phase: {kind: 'list'}};

/** The rollback screen's state: the releases to pick from, and which confirmation is open. */
export function rollbackReducer(state: RollbackState, action: RollbackAction): RollbackState {
	switch (action.type) {
		case 'loading':
			return {...state, load: {state: 'loading'}};
		case 'loaded':
			return {...state, load: {state: 'ready', rows: candidateRows(action.candidates), releases: action.releases}};
		case 'failed':
			return {...state, load: {state: 'error', message: action.message}};
		case 'retry':
			return state.load.state === 'error' ? {...state, load: {state: 'idle'}} : state;
		case 'choose': {
			if (state.phase.kind !== 'list' || state.load.state !== 'ready') return state;
			const row = state.load.rows.find(r => r.version === action.version);
			if (!row) return state;
			if (!row.offered) return {...state, notice: `${row.version}: ${row.why ?? 'not offered'}`};
			return {...state, phase: {kind: 'confirm', version: row.version}, notice: undefined};
		}
		case 'redeploy':
			if (state.phase.kind !== 'list' || state.load.state !== 'ready') return state;
			if (!state.load.rows.some(r => r.current)) return {...state, notice: 'nothing to redeploy: no deployment of this environment is known to be running'};
			return {...state, phase: {kind: 'starting'}, notice: undefined};
		case 'cancel':
			return state.phase.kind === 'list' ? state : {...state, phase: {kind: 'list'}};
		case 'starting':
			return {...state, phase: {kind: 'starting'}};
	}
}

/**
 * The rollback screen's data and actions: the releases the environment ran (from the engine, reconciled
 * with AWS) with the stored releases' digests and recipes; `start` runs the rollback (or the redeploy) and
 * opens the live view in place of this screen.
 */
export function useRollback(load: EnvironmentLoad) {
	const {runs, questions, navigate, flash} = useServices();
	const [state, dispatch] = useReducer(rollbackReducer, initialRollbackState);
	const context = load.state === 'ready' ? load.context : undefined;
	const live = useRef(true);
	useEffect(() => {
		live.current = true;
		return () => {
			live.current = false;
		};
	}, []);

	useEffect(() => {
		if (!context || state.load.state !== 'idle') return;
		const {engine, recipe, environment, target, project} = context;
		dispatch({type: 'loading'});
		engine.rollbackCandidates(recipe, environment, target).then(
			candidates => live.current && dispatch({type: 'loaded', candidates, releases: engine.storedReleases(project)}),
			(cause: unknown) => live.current && dispatch({type: 'failed', message: errorMessage(cause)}),
		);
	}, [context, state.load.state]);

	/** Starts the rollback to `version` (or, without one, the redeploy) and shows it live. */
	const start = useCallback(
		(version: string | undefined) => {
			if (!context) return;
			const {engine, recipeFile, project, environment, target} = context;
			// One operation at a time per stack: the engine would wait for it; the operator should see it instead.
			const active = runs.active(recipeFile, environment);
			if (active) {
				flash(`a ${active.kind} of ${environment} is already running: watch it from the dashboard`);
				dispatch({type: 'cancel'});
				return;
			}
			const reattach = reattachCommand(recipeFile, environment, target);
			dispatch({type: 'starting'});
			const run =
				version === undefined
					? startAppRun({runs, questions}, {kind: 'redeploy', recipeFile, project, environment}, host => engine.redeploy({recipeFile, environment, target, reattach}, host))
					: startAppRun({runs, questions}, {kind: 'rollback', recipeFile, project, environment}, host => engine.rollback({recipeFile, environment, target, reattach, to: version}, host));
			navigate({type: 'replace', route: {name: 'live', runId: run.id}});
		},
		[context, runs, questions, navigate, flash],
	);

	return {state, dispatch, start, context};
}
