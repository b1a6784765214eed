import {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import type {RollbackCandidate} from '../../../engine/history/history.js';
import type {ConfigurationSide} from '../../../engine/releases/release-changes.js';
import {errorMessage} from '../../format.js';
import {reattachCommand, startAppRun} from '../../runs/start-run.js';
import {useServices} from '../../services.js';
import type {EnvironmentLoad} from '../history/use-environment.js';
import {candidateRows, rollbackChanges, runningNow, type CandidateRow, type RollbackChanges} from './rollback-changes.js';

/** A release of the ledger as the rollback screen reads it: its images, when and by whom it was made. */
export type StoredRelease = {version: string; images: RollbackCandidate['images']; createdAt: string; createdBy?: string; notes?: string; recipe?: unknown};

/** What a rollback to the chosen release changes: asked of the engine once the release is chosen. */
export type ChangesLoad = {state: 'loading'} | {state: 'ready'; changes: RollbackChanges} | {state: 'error'; message: string};

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
 * with AWS) with the ledger's releases (digests, who made them); once one is chosen, what going back to it
 * changes (the engine's comparison, field by field); `start` runs the rollback (or the redeploy) and opens
 * the live view in place of this screen.
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
		const {engine, recipe, environment, target} = context;
		dispatch({type: 'loading'});
		// The releases of the project's ledger (a shared bucket too: another operator's releases are there).
		Promise.all([engine.rollbackCandidates(recipe, environment, target), engine.ledgerReleases(recipe, target)]).then(
			([candidates, releases]) => live.current && dispatch({type: 'loaded', candidates, releases}),
			(cause: unknown) => live.current && dispatch({type: 'failed', message: errorMessage(cause)}),
		);
	}, [context, state.load.state]);

	// What the rollback changes, once a release is chosen: from the engine, field by field.
	const [changes, setChanges] = useState<{version: string; load: ChangesLoad} | undefined>();
	const phase = state.phase;
	useEffect(() => {
		if (phase.kind !== 'confirm' || !context || state.load.state !== 'ready') return;
		const {engine, recipe, environment, target} = context;
		const {version} = phase;
		const rows = state.load.rows;
		const held = rows.find(r => r.current) ?? runningNow(rows);
		const inLedger = (v: string | undefined) => v !== undefined && (state.load.state === 'ready' ? state.load.releases : []).some(r => r.version === v);
		setChanges({version, load: {state: 'loading'}});
		const asked = (from: ConfigurationSide) => engine.releaseChanges(recipe, environment, target, from, {release: version}).catch((cause: unknown) => ({problem: errorMessage(cause)}));
		// A rollback changes the stack: measured from what it holds. ECS runs the same (read from its task
		// definition), unless it has not caught up: then the held release's recipe is the other side.
		const heldKept = held !== undefined && inLedger(held.version);
		const fromEcs = held === undefined || held.running || !heldKept;
		Promise.all([fromEcs ? asked({running: true}) : Promise.resolve(undefined), heldKept && inLedger(version) ? asked({release: held!.version}) : Promise.resolve(undefined)]).then(([running, fromHeld]) => {
			if (!live.current) return;
			const found = inLedger(version) ? rollbackChanges({running, held: fromHeld}) : {problem: `release ${version} is not in the ledger (known only from AWS): only its images are known`};
			setChanges({version, load: 'problem' in found ? {state: 'error', message: found.problem} : {state: 'ready', changes: found}});
		});
	}, [phase, context, state.load.state]);

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

	return {state, dispatch, start, context, changes: changes && phase.kind === 'confirm' && changes.version === phase.version ? changes.load : undefined};
}
