import {useEffect, useReducer, useRef} from 'react';
import type {Engine} from '../../../engine/engine.js';
import type {Target} from '../../../domain/records.js';
import type {RecipeCatalog} from '../../catalog.js';
import {accountKey, draftTarget, verificationKey} from './target-draft.js';
import {initialWizard, wizardReducer, type WizardAction} from './target-wizard-reducer.js';
import {errorText} from './verification.js';

/*
 * The target wizard: a pure reducer (steps, draft, validation, back and next: `target-wizard-reducer.ts`,
 * re-exported here) bound to the engine, which lists the profiles and the clusters and verifies the target
 * when their step is shown, and saves it.
 */

export {
	credentialChoices,
	hasChanges,
	initialWizard,
	pickOptions,
	stepsOf,
	wizardReducer,
	type PickOption,
	type PickStep,
	type WizardAction,
	type WizardState,
	type WizardStep,
} from './target-wizard-reducer.js';

/** The wizard bound to the engine: loads the profiles, the clusters and the verification when their step is shown. */
export function useTargetWizard(engine: Engine, catalog: RecipeCatalog, editing: Target | undefined) {
	const [state, dispatch] = useReducer(wizardReducer, undefined, () => initialWizard(engine.targets(), editing));
	const runs = useRef(0);
	const live = useRef(true);
	useEffect(
		() => () => {
			live.current = false;
		},
		[],
	);
	const safe = (action: WizardAction) => live.current && dispatch(action);

	useEffect(() => {
		catalog.list().then(
			recipes => safe({type: 'offer', environments: [...new Set(recipes.flatMap(r => r.environments))]}),
			() => undefined,
		);
	}, [catalog]);

	const {step, draft} = state;
	const wantsProfiles = (step === 'profile' || step === 'role') && state.profiles.status === 'idle';
	useEffect(() => {
		if (!wantsProfiles) return;
		dispatch({type: 'load', list: 'profiles', key: 'profiles'});
		engine.listProfiles().then(
			names => safe({type: 'loaded', list: 'profiles', key: 'profiles', names}),
			(error: unknown) => safe({type: 'load-failed', list: 'profiles', key: 'profiles', error: errorText(error)}),
		);
	}, [wantsProfiles, engine]);

	const account = accountKey(draft);
	const wantsClusters = step === 'cluster' && (state.clusters.status === 'idle' || state.clusters.key !== account);
	useEffect(() => {
		if (!wantsClusters) return;
		dispatch({type: 'load', list: 'clusters', key: account});
		engine.listClusters(draftTarget(draft)).then(
			names => safe({type: 'loaded', list: 'clusters', key: account, names}),
			(error: unknown) => safe({type: 'load-failed', list: 'clusters', key: account, error: errorText(error)}),
		);
	}, [wantsClusters, account, engine]);

	const verifying = verificationKey(draft);
	const verify = () => {
		const run = ++runs.current;
		dispatch({type: 'verify', key: verifying, run});
		engine.verifyTarget(draftTarget(draft)).then(
			result => safe({type: 'verified', run, state: {status: 'done', result}}),
			(error: unknown) => safe({type: 'verified', run, state: {status: 'failed', error: errorText(error)}}),
		);
	};
	const wantsVerification = step === 'verify' && state.verification?.key !== verifying;
	useEffect(() => {
		if (wantsVerification) verify();
	}, [wantsVerification, verifying]);

	/** Saves the target (and removes the old one when it was renamed); the saved target, or undefined when it failed. */
	const save = (): Target | undefined => {
		const target = draftTarget(draft);
		try {
			engine.saveTarget(target);
			if (state.editing !== undefined && state.editing !== target.name) engine.removeTarget(state.editing);
			return target;
		} catch (error) {
			dispatch({type: 'save-failed', error: errorText(error)});
			return undefined;
		}
	};
	return {state, dispatch, verify, save};
}
