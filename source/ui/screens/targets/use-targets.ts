import {useEffect, useMemo, useReducer, useRef} from 'react';
import type {Engine} from '../../../engine/engine.js';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {errorText, type VerificationState} from './verification.js';

/*
 * The targets list as a pure reducer: the live verification of each target, the removal being confirmed,
 * and a notice (why a key did nothing). The hook binds it to the engine.
 */

export type TargetsState = {
	/** Bumped when a target is removed: the list is read again. */
	version: number;
	/** The last verification of each target, by name (`run` tells a stale answer from the current one). */
	verifications: Record<string, {run: number; state: VerificationState}>;
	/** The target whose removal is being asked about. */
	confirmRemove: string | undefined;
	notice: string | undefined;
};

export type TargetsAction =
	| {type: 'verify'; name: string; run: number}
	| {type: 'verified'; name: string; run: number; state: VerificationState}
	| {type: 'ask-remove'; target: Target}
	| {type: 'cancel-remove'}
	| {type: 'removed'; name: string}
	| {type: 'notice'; text: string | undefined};

export const initialTargets: TargetsState = {version: 0, verifications: {}, confirmRemove: undefined, notice: undefined};

/** What `x` and `e` say about the built-in sandbox. */
export const sandboxNotice = (what: 'removed' | 'edited') => `The sandbox target is built in (a simulated account): it cannot be ${what}.`;

export function targetsReducer(state: TargetsState, action: TargetsAction): TargetsState {
	switch (action.type) {
		case 'verify':
			return {...state, notice: undefined, verifications: {...state.verifications, [action.name]: {run: action.run, state: {status: 'running'}}}};
		case 'verified':
			return state.verifications[action.name]?.run === action.run ? {...state, verifications: {...state.verifications, [action.name]: {run: action.run, state: action.state}}} : state;
		case 'ask-remove':
			return action.target.sandbox ? {...state, notice: sandboxNotice('removed')} : {...state, notice: undefined, confirmRemove: action.target.name};
		case 'cancel-remove':
			return {...state, confirmRemove: undefined};
		case 'removed': {
			const {[action.name]: _dropped, ...verifications} = state.verifications;
			return {...state, version: state.version + 1, confirmRemove: undefined, verifications};
		}
		case 'notice':
			return {...state, notice: action.text};
	}
}

/** The targets (the sandbox last), their verifications, and the actions of the list. */
export function useTargets(engine: Engine, flash: (message: string) => void) {
	const [state, dispatch] = useReducer(targetsReducer, initialTargets);
	const targets = useMemo(() => engine.targets(), [engine, state.version]);
	const runs = useRef(0);
	const live = useRef(true);
	useEffect(
		() => () => {
			live.current = false;
		},
		[],
	);
	return {
		state,
		targets,
		dispatch,
		/** Checks a target live (credentials, cluster); the answer lands in `state.verifications`. */
		verify(target: Target) {
			const run = ++runs.current;
			dispatch({type: 'verify', name: target.name, run});
			engine.verifyTarget(target).then(
				result => live.current && dispatch({type: 'verified', name: target.name, run, state: {status: 'done', result}}),
				(error: unknown) => live.current && dispatch({type: 'verified', name: target.name, run, state: {status: 'failed', error: errorText(error)}}),
			);
		},
		/** Removes the target being confirmed. */
		remove() {
			const name = state.confirmRemove;
			if (name === undefined) return;
			try {
				const refused = engine.removeTarget(name);
				dispatch({type: 'removed', name});
				flash(refused === undefined ? `removed target ${printable(name)}` : printable(refused));
			} catch (error) {
				dispatch({type: 'cancel-remove'});
				dispatch({type: 'notice', text: `Could not remove ${printable(name)}: ${errorText(error)}`});
			}
		},
	};
}
