import {awsRegions} from '../../../domain/regions.js';
import type {Target} from '../../../domain/records.js';
import {filterIndexes} from '../../lists/list-state.js';
import {draftOf, emptyDraft, fieldProblem, roleFields, sameDraft, splitNames, type CredentialChoice, type Draft, type DraftField} from './target-draft.js';
import type {VerificationState} from './verification.js';

/*
 * The target wizard as a pure reducer: the steps, the draft, each field checked where it is typed, back and
 * next (both keep what was typed), the selection of the list steps, and the live lists (profiles, clusters)
 * and the verification it waits for. `use-target-wizard.ts` binds it to the engine.
 */

export type WizardStep = 'name' | 'credentials' | 'profile' | 'role' | 'region' | 'cluster' | 'environments' | 'tags' | 'verify';

/** The steps whose value is picked from a filtered list (or typed). */
export type PickStep = 'profile' | 'region' | 'cluster';

/** A list loaded from outside (profiles, clusters), for the account it was loaded for (`key`). */
export type Loadable = {status: 'idle'} | {status: 'loading'; key: string} | {status: 'ready'; key: string; names: string[]} | {status: 'failed'; key: string; error: string};

export type WizardState = {
	step: WizardStep;
	draft: Draft;
	/** The draft as it was when the wizard opened: changes are asked about before they are dropped. */
	initial: Draft;
	/** The name of the target being edited, if any. */
	editing: string | undefined;
	/** Names other targets have (the sandbox's included). */
	taken: string[];
	/** Problems shown under their fields. */
	errors: Partial<Record<DraftField, string>>;
	/** The filter typed over each list. */
	queries: Record<PickStep, string>;
	/** The selected option of the list step on screen (index into `pickOptions`). */
	pickIndex: number;
	/** The focused field of the assume-role form (index into `roleFields`). */
	roleFocus: number;
	/** -1: the environments field; otherwise the offered environment under the cursor. */
	envFocus: number;
	/** The environments of the catalog's recipes. */
	offered: string[];
	profiles: Loadable;
	clusters: Loadable;
	verification: {key: string; run: number; state: VerificationState} | undefined;
	/** Esc with changes: "discard them?" is on screen. */
	confirmDiscard: boolean;
	saveError: string | undefined;
};

export type WizardAction =
	| {type: 'edit'; field: DraftField; value: string}
	| {type: 'query'; step: PickStep; value: string}
	| {type: 'move-credentials'; delta: number}
	/** Enter on a step without a list: check the field (or the focused one) and go on. */
	| {type: 'next'}
	/** Enter on a list step: take the selected option. */
	| {type: 'pick'}
	/** Move the selection of a list step (`rows`: a page). */
	| {type: 'pick-move'; to: 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last'; rows: number}
	| {type: 'back'}
	| {type: 'focus'; delta: number}
	| {type: 'toggle-environment'}
	| {type: 'offer'; environments: string[]}
	| {type: 'load'; list: 'profiles' | 'clusters'; key: string}
	| {type: 'loaded'; list: 'profiles' | 'clusters'; key: string; names: string[]}
	| {type: 'load-failed'; list: 'profiles' | 'clusters'; key: string; error: string}
	| {type: 'verify'; key: string; run: number}
	| {type: 'verified'; run: number; state: VerificationState}
	| {type: 'ask-discard'}
	| {type: 'keep-editing'}
	| {type: 'save-failed'; error: string};

export const credentialChoices: ReadonlyArray<{value: CredentialChoice; label: string; detail: string}> = [
	{value: 'default', label: 'default credential chain', detail: 'environment variables, SSO, the default profile, an instance or task role'},
	{value: 'profile', label: 'a profile', detail: 'one of the AWS config and credentials files (~/.aws/config, ~/.aws/credentials)'},
	{value: 'role', label: 'assume a role', detail: 'an IAM role assumed with the default chain or a profile'},
];

/** The steps of a draft, in order: the profile or role step only when the credentials need one. */
export function stepsOf(draft: Draft): WizardStep[] {
	const credentials: WizardStep[] = draft.credentials === 'profile' ? ['profile'] : draft.credentials === 'role' ? ['role'] : [];
	return ['name', 'credentials', ...credentials, 'region', 'cluster', 'environments', 'tags', 'verify'];
}

/** A new wizard, or one editing `editing`; `targets` are every target (their names are taken). */
export function initialWizard(targets: readonly Target[], editing?: Target): WizardState {
	const draft = editing ? draftOf(editing) : emptyDraft;
	return {
		step: 'name',
		draft,
		initial: draft,
		editing: editing?.name,
		taken: targets.map(t => t.name).filter(name => name !== editing?.name),
		errors: {},
		queries: {profile: '', region: '', cluster: ''},
		pickIndex: 0,
		roleFocus: 0,
		envFocus: -1,
		offered: [],
		profiles: {status: 'idle'},
		clusters: {status: 'idle'},
		verification: undefined,
		confirmDiscard: false,
		saveError: undefined,
	};
}

/** True when something was typed or picked since the wizard opened. */
export function hasChanges(state: WizardState): boolean {
	return !sameDraft(state.draft, state.initial);
}

/** An option of a list step: a listed value, or the filter text itself (`typed`). */
export type PickOption = {value: string; label: string; detail?: string; typed?: boolean};

/** The options of a list step: what passes the filter, then the filter text as typed when it is not listed. */
export function pickOptions(state: WizardState, step: PickStep): PickOption[] {
	const listed: PickOption[] =
		step === 'region' ? awsRegions.map(r => ({value: r.code, label: r.code, detail: r.name})) : namesOf(step === 'profile' ? state.profiles : state.clusters).map(name => ({value: name, label: name}));
	const query = state.queries[step].trim();
	if (query === '') return listed;
	const passing = filterIndexes(listed.map(o => `${o.value} ${o.detail ?? ''}`.toLowerCase()), query).map(i => listed[i]!);
	return listed.some(o => o.value === query) ? passing : [...passing, {value: query, label: query, detail: '(as typed)', typed: true}];
}

function namesOf(list: Loadable): string[] {
	return list.status === 'ready' ? list.names : [];
}

const pickField: Record<PickStep, DraftField> = {profile: 'profile', region: 'region', cluster: 'cluster'};

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	switch (action.type) {
		case 'edit': {
			const draft = {...state.draft, [action.field]: action.value};
			return {...state, draft, errors: recheck(state, draft, action.field)};
		}
		case 'query': {
			const queried = {...state, queries: {...state.queries, [action.step]: action.value}, errors: without(state.errors, pickField[action.step])};
			return {...queried, pickIndex: initialPick(queried)};
		}
		case 'pick-move': {
			const step = pickStepOf(state);
			if (!step) return state;
			const last = pickOptions(state, step).length - 1;
			const moves = {up: state.pickIndex - 1, down: state.pickIndex + 1, 'page-up': state.pickIndex - action.rows, 'page-down': state.pickIndex + action.rows, first: 0, last};
			return {...state, pickIndex: clamp(moves[action.to], 0, Math.max(0, last))};
		}
		case 'move-credentials': {
			const index = credentialChoices.findIndex(c => c.value === state.draft.credentials);
			const next = credentialChoices[(index + action.delta + credentialChoices.length) % credentialChoices.length]!;
			return {...state, draft: {...state.draft, credentials: next.value}};
		}
		case 'next':
			return next(state);
		case 'pick': {
			const step = pickStepOf(state);
			if (!step) return state;
			const field = pickField[step];
			const draft = {...state.draft, [field]: pickOptions(state, step)[state.pickIndex]?.value ?? ''};
			const problem = fieldProblem(draft, field, state);
			if (problem) return {...state, errors: {...state.errors, [field]: problem}};
			return advance({...state, draft, errors: without(state.errors, field)});
		}
		case 'back': {
			const steps = stepsOf(state.draft);
			const index = steps.indexOf(state.step);
			return index > 0 ? enter({...state, saveError: undefined}, steps[index - 1]!) : state;
		}
		case 'focus':
			return focus(state, action.delta);
		case 'toggle-environment': {
			const name = state.offered[state.envFocus];
			if (name === undefined) return state;
			const names = splitNames(state.draft.environments);
			const draft = {...state.draft, environments: (names.includes(name) ? names.filter(n => n !== name) : [...names, name]).join(', ')};
			return {...state, draft, errors: recheck(state, draft, 'environments')};
		}
		case 'offer':
			return {...state, offered: action.environments};
		case 'load':
			return {...state, [action.list]: {status: 'loading', key: action.key}};
		case 'loaded': {
			if (!current(state, action)) return state;
			const loaded = {...state, [action.list]: {status: 'ready', key: action.key, names: action.names}};
			return {...loaded, pickIndex: initialPick(loaded)};
		}
		case 'load-failed':
			return current(state, action) ? {...state, [action.list]: {status: 'failed', key: action.key, error: action.error}} : state;
		case 'verify':
			return {...state, verification: {key: action.key, run: action.run, state: {status: 'running'}}, saveError: undefined};
		case 'verified':
			return state.verification?.run === action.run ? {...state, verification: {...state.verification, state: action.state}} : state;
		case 'ask-discard':
			return {...state, confirmDiscard: true};
		case 'keep-editing':
			return {...state, confirmDiscard: false};
		case 'save-failed':
			return {...state, saveError: action.error};
	}
}

/** A result for the list still being waited for (not one for an account the draft has since left). */
function current(state: WizardState, action: {list: 'profiles' | 'clusters'; key: string}): boolean {
	const list = state[action.list];
	return list.status === 'loading' && list.key === action.key;
}

function without(errors: WizardState['errors'], field: DraftField): WizardState['errors'] {
	const {[field]: _dropped, ...rest} = errors;
	return rest;
}

/** A field that shows a problem is checked again as it is typed, so the problem goes as soon as it is fixed. */
function recheck(state: WizardState, draft: Draft, field: DraftField): WizardState['errors'] {
	if (state.errors[field] === undefined) return state.errors;
	const problem = fieldProblem(draft, field, state);
	return problem ? {...state.errors, [field]: problem} : without(state.errors, field);
}

/** Checks a field and records (or clears) its problem; true when it is fine. */
function check(state: WizardState, field: DraftField): {ok: boolean; errors: WizardState['errors']} {
	const problem = fieldProblem(state.draft, field, state);
	return {ok: problem === undefined, errors: problem ? {...state.errors, [field]: problem} : without(state.errors, field)};
}

function advance(state: WizardState): WizardState {
	const steps = stepsOf(state.draft);
	const following = steps[steps.indexOf(state.step) + 1];
	return following ? enter(state, following) : state;
}

/** Shows a step: the environments field has the keys, and a list selects the value picked before (or its first option). */
function enter(state: WizardState, step: WizardStep): WizardState {
	const entered = {...state, step, envFocus: -1};
	return {...entered, pickIndex: initialPick(entered)};
}

/** The list step on screen, if it is one. */
export function pickStepOf(state: WizardState): PickStep | undefined {
	return state.step === 'profile' || state.step === 'region' || state.step === 'cluster' ? state.step : undefined;
}

function initialPick(state: WizardState): number {
	const step = pickStepOf(state);
	if (!step) return 0;
	const value = state.draft[pickField[step]];
	return Math.max(0, pickOptions(state, step).findIndex(option => option.value === value && !option.typed));
}

function next(state: WizardState): WizardState {
	switch (state.step) {
		case 'name':
		case 'environments':
		case 'tags': {
			const field = state.step === 'name' ? 'name' : state.step;
			const {ok, errors} = check(state, field);
			return ok ? advance({...state, errors}) : {...state, errors};
		}
		case 'credentials':
			return advance(state);
		case 'role': {
			const {ok, errors} = check(state, roleFields[state.roleFocus]!);
			if (!ok) return {...state, errors};
			if (state.roleFocus < roleFields.length - 1) return {...state, errors, roleFocus: state.roleFocus + 1};
			let checked = {...state, errors};
			for (const field of roleFields) checked = {...checked, errors: check(checked, field).errors};
			const failing = roleFields.findIndex(field => checked.errors[field] !== undefined);
			return failing === -1 ? advance(checked) : {...checked, roleFocus: failing};
		}
		default:
			return state;
	}
}

function focus(state: WizardState, delta: number): WizardState {
	if (state.step === 'role') {
		// Leaving a field that holds something checks it, so a mistake shows where it was typed.
		const field = roleFields[state.roleFocus]!;
		const errors = state.draft[field].trim() === '' && field !== 'roleArn' ? without(state.errors, field) : check(state, field).errors;
		return {...state, errors, roleFocus: clamp(state.roleFocus + delta, 0, roleFields.length - 1)};
	}
	if (state.step === 'environments') return {...state, envFocus: clamp(state.envFocus + delta, -1, state.offered.length - 1)};
	return state;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(Math.max(value, min), max);
}
