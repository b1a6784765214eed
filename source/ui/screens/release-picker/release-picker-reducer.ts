import semver from 'semver';
import {defaultReleaseVersion} from '../../../domain/release-version.js';
import type {ReleasePlan} from '../../../engine/releases/release-plan.js';

/**
 * The deploy screen's steps: the releases of a channel (to deploy one), or a new release — a tag per
 * image, the version and notes (suggested, checked as typed), created — then the environment to deploy to.
 * `planning`, `creating` and `liking` wait for the engine.
 */
export type PickerStep = 'releases' | 'tags' | 'planning' | 'version' | 'creating' | 'liking' | 'environment';

export type PickerState = {
	step: PickerStep;
	/** The channel the picker is on (an index of the channel choices). */
	channel: number;
	/** The image whose tag is being picked. */
	image: number;
	/** Tags picked so far, by image ref. */
	tags: Record<string, string>;
	version: string;
	/** The version the engine suggested (never one the ledger has): left as it is, the engine picks the free one. */
	suggested: string;
	notes: string;
	/** Which field of the version step has the keys. */
	field: 'version' | 'notes';
	/** Why the version cannot be used (checked as typed), or why the engine refused. */
	problem?: string;
	/** The release to deploy (chosen, made, or found to pin the same content). */
	release?: string;
	/**
	 * The channel of a release just made or found, as the engine answered: the environment step goes by it until
	 * the release is listed (a reload after it was made), not by the recipe's default channel.
	 */
	releaseChannel?: string;
	/** Something to say about it: an existing release offered instead of a new one; what the engine noted. */
	notice?: string;
	/** Where the tags were opened from: Esc on the first image goes back there (`start`: the screen is left). */
	tagsFrom: 'releases' | 'start';
	/** Where the environment step was reached from: an existing release chosen, or a new one (the title says which steps). */
	environmentFrom: 'releases' | 'version';
};

export type PickerAction =
	| {type: 'switch-channel'; count: number}
	| {type: 'new-release'; from: 'releases' | 'start'}
	| {type: 'choose-release'; version: string}
	| {type: 'pick-tag'; ref: string; tag: string; refs: readonly string[]}
	| {type: 'planned'; plan: ReleasePlan; taken: readonly string[]}
	| {type: 'back'}
	| {type: 'edit'; field: 'version' | 'notes'; value: string; taken: readonly string[]}
	| {type: 'switch-field'}
	| {type: 'submit-version'; taken: readonly string[]}
	| {type: 'created'; version: string; channel?: string; existing?: boolean}
	| {type: 'like'}
	| {type: 'failed'; problem: string};

export function initialPicker(mode: 'deploy' | 'create'): PickerState {
	return {step: mode === 'create' ? 'tags' : 'releases', channel: 0, image: 0, tags: {}, version: '', suggested: '', notes: '', field: 'version', tagsFrom: mode === 'create' ? 'start' : 'releases', environmentFrom: 'releases'};
}

/** Whether a version can be the new release's: semver, and not one the ledger (or AWS) has. */
export function checkVersion(version: string, taken: readonly string[]): string | undefined {
	if (version === '') return 'a version is needed (semver, like 1.4.2)';
	if (!semver.valid(version)) return `"${version}" is not a semver version (like 1.4.2 or 2.0.0-rc.1)`;
	if (taken.includes(version)) return `release ${version} already exists: pick another version`;
	return undefined;
}

/** `existing` release offered instead of a new one. */
const sameContent = (version: string) => `release ${version} already pins these images with this configuration: it is offered, not made again`;

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
	const {problem: _problem, notice: _notice, releaseChannel: _releaseChannel, ...clean} = state;
	switch (action.type) {
		case 'switch-channel':
			if (action.count < 2 || (state.step !== 'releases' && state.step !== 'tags')) return state;
			// Another channel allows other tags: the picks start again.
			return {...clean, channel: (state.channel + 1) % action.count, image: 0, tags: {}};
		case 'new-release':
			return {...clean, step: 'tags', image: 0, tags: {}, tagsFrom: action.from};
		case 'choose-release':
			return {...clean, step: 'environment', release: action.version, environmentFrom: 'releases'};
		case 'pick-tag': {
			const tags = {...state.tags, [action.ref]: action.tag};
			if (state.image + 1 < action.refs.length) return {...clean, tags, image: state.image + 1};
			return {...clean, tags, step: 'planning'};
		}
		case 'planned': {
			if (state.step !== 'planning') return state;
			if ('problems' in action.plan) return {...clean, step: 'tags', problem: action.plan.problems.map(p => p.message).join('; ')};
			const notes = action.plan.notes.join('; ');
			if ('existing' in action.plan) {
				const {version, channel} = action.plan.existing;
				return {...clean, step: 'environment', release: version, ...(channel === undefined ? {} : {releaseChannel: channel}), environmentFrom: 'version', notice: [sameContent(version), notes].filter(Boolean).join('; ')};
			}
			// The engine suggests from the ledger; a version known only from AWS (a stack's tag) is taken too.
			const version = action.taken.includes(action.plan.version) ? defaultReleaseVersion(undefined, action.taken) : action.plan.version;
			return {...clean, step: 'version', version, suggested: action.plan.version, field: 'version', ...(notes ? {notice: notes} : {})};
		}
		case 'back':
			if (state.step === 'version' || state.step === 'planning') return {...clean, step: 'tags'};
			if (state.step === 'tags' && state.image > 0) return {...clean, image: state.image - 1};
			if (state.step === 'tags' && state.tagsFrom === 'releases') return {...clean, step: 'releases', tags: {}};
			// The release chosen or made is in the list now (it was read again): back to the releases.
			if (state.step === 'environment') return {...clean, step: 'releases', tags: {}, image: 0};
			return state;
		case 'edit': {
			if (action.field === 'notes') return {...state, notes: action.value};
			// The version is checked as it is typed: a clash shows at once, not on Enter.
			const problem = checkVersion(action.value.trim(), action.taken);
			return {...clean, version: action.value, ...(state.notice ? {notice: state.notice} : {}), ...(problem ? {problem} : {})};
		}
		case 'switch-field':
			return {...state, field: state.field === 'version' ? 'notes' : 'version'};
		case 'submit-version': {
			const problem = checkVersion(state.version.trim(), action.taken);
			return problem ? {...state, problem, field: 'version'} : {...clean, version: state.version.trim(), step: 'creating'};
		}
		case 'created':
			return {...clean, step: 'environment', release: action.version, ...(action.channel === undefined ? {} : {releaseChannel: action.channel}), environmentFrom: state.step === 'liking' ? state.environmentFrom : 'version', ...(action.existing ? {notice: sameContent(action.version)} : {})};
		case 'like':
			return state.step === 'environment' && state.release !== undefined ? {...clean, step: 'liking'} : state;
		case 'failed':
			return {...clean, step: state.step === 'liking' ? 'environment' : state.step === 'planning' ? 'tags' : 'version', problem: action.problem};
	}
}
