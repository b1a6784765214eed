import semver from 'semver';
import {defaultReleaseVersion} from '../../../domain/release-version.js';

/** The release picker's steps: a tag per image, then the version and notes, then (to deploy) the environment. */
export type PickerState = {
	step: 'tags' | 'version' | 'creating' | 'environment';
	/** The image whose tag is being picked. */
	image: number;
	/** Tags picked so far, by image ref. */
	tags: Record<string, string>;
	version: string;
	notes: string;
	/** Which field of the version step has the keys. */
	field: 'version' | 'notes';
	/** Why the version cannot be used, shown under it. */
	problem?: string;
};

export type PickerAction =
	| {type: 'pick-tag'; ref: string; tag: string; refs: readonly string[]; existing: readonly string[]}
	| {type: 'back'}
	| {type: 'edit'; field: 'version' | 'notes'; value: string}
	| {type: 'switch-field'}
	| {type: 'submit-version'; existing: readonly string[]}
	| {type: 'created'}
	| {type: 'failed'; problem: string};

export function initialPicker(): PickerState {
	return {step: 'tags', image: 0, tags: {}, version: '', notes: '', field: 'version'};
}

/** Whether a version can be the new release's: semver, and not used yet. */
export function checkVersion(version: string, existing: readonly string[]): string | undefined {
	if (!semver.valid(version)) return `"${version}" is not a semver version (like 1.4.2 or 2.0.0-rc.1)`;
	if (existing.includes(version)) return `release ${version} already exists: pick another version`;
	return undefined;
}

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
	switch (action.type) {
		case 'pick-tag': {
			const tags = {...state.tags, [action.ref]: action.tag};
			if (state.image + 1 < action.refs.length) return {...state, tags, image: state.image + 1};
			// The suggested version: the first image's tag when it is semver and unused, else the next patch.
			const primary = action.refs[0];
			return {...state, tags, step: 'version', version: defaultReleaseVersion(primary === undefined ? undefined : tags[primary], action.existing), field: 'version'};
		}
		case 'back':
			if (state.step === 'version') {
				const {problem: _dropped, ...rest} = state;
				return {...rest, step: 'tags'};
			}
			if (state.step === 'tags' && state.image > 0) return {...state, image: state.image - 1};
			return state;
		case 'edit': {
			const {problem: _dropped, ...rest} = state;
			return {...rest, [action.field]: action.value};
		}
		case 'switch-field':
			return {...state, field: state.field === 'version' ? 'notes' : 'version'};
		case 'submit-version': {
			const problem = checkVersion(state.version.trim(), action.existing);
			return problem ? {...state, problem, field: 'version'} : {...state, version: state.version.trim(), step: 'creating'};
		}
		case 'created':
			return {...state, step: 'environment'};
		case 'failed':
			return {...state, step: 'version', problem: action.problem};
	}
}
