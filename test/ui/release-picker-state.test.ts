import {describe, expect, test} from 'vitest';
import type {ReleaseRow} from '../../source/engine/history/history.js';
import type {Cell} from '../../source/ui/hooks/use-status-cells.js';
import {promotionOf} from '../../source/ui/screens/project/promotion.js';
import {channelChoices, channelRules, lifecycle, nextEnvironment, onChannel, outcomesByEnvironment} from '../../source/ui/screens/release-picker/picker-model.js';
import {checkVersion, initialPicker, pickerReducer, type PickerState} from '../../source/ui/screens/release-picker/release-picker-reducer.js';

const environments = ['dev', 'staging', 'production'];
const channels = [
	{name: 'stable', default: true, prereleaseTag: '^$'},
	{name: 'beta', prereleaseTag: '^(beta|rc)', images: ['worker'], environments: ['dev', 'staging']},
	{name: 'hotfix', environments: ['production']},
];

function row(version: string, outcomes: ReleaseRow['outcomes'], extra: Partial<ReleaseRow> = {}): ReleaseRow {
	return {project: 'p', version, images: {}, createdAt: '2026-01-01T00:00:00Z', deployedTo: [], outcomes, fromAws: false, hasSnapshot: true, recipeChanges: [], ...extra};
}

describe('channels and lifecycles', () => {
	test('the default channel first; "no channel" only when none is the default', () => {
		expect(channelChoices({channels}).map(c => c?.name)).toEqual(['stable', 'beta', 'hotfix']);
		expect(channelChoices({channels: [{name: 'a'}, {name: 'b'}]}).map(c => c?.name)).toEqual([undefined, 'a', 'b']);
		expect(channelChoices({})).toEqual([undefined]);
	});

	test("a channel's rules in words", () => {
		expect(channelRules(channels[0])).toBe('no pre-releases · to every environment');
		expect(channelRules(channels[1])).toBe('pre-releases /^(beta|rc)/ (worker) · only to dev, staging');
		expect(channelRules({name: 'v1', versionRange: '^1'})).toBe('versions ^1 · to every environment');
		expect(channelRules(undefined)).toBe('no channel: every tag, every environment');
	});

	test('a release is on its own channel, or on the default when it names none', () => {
		expect(onChannel({}, channels[0], {channels})).toBe(true);
		expect(onChannel({channel: 'beta'}, channels[1], {channels})).toBe(true);
		expect(onChannel({channel: 'beta'}, channels[0], {channels})).toBe(false);
		expect(onChannel({}, undefined, {})).toBe(true);
	});

	test('the next environment: after the last one served; a hotfix lifecycle has only production', () => {
		const ran = outcomesByEnvironment(row('1.4.0', [{environment: 'dev', outcome: 'succeeded', at: 'a'}, {environment: 'staging', outcome: 'rolled-back', at: 'b'}]));
		expect(nextEnvironment(environments, ran)).toBe('staging');
		expect(nextEnvironment(environments, new Map())).toBe('dev');
		const all = outcomesByEnvironment(row('1.4.0', environments.map(environment => ({environment, outcome: 'no-op', at: 'x'}))));
		expect(nextEnvironment(environments, all)).toBeUndefined();
		expect(lifecycle(environments, channels[2])).toEqual(['production']);
		expect(nextEnvironment(lifecycle(environments, channels[2]), new Map())).toBe('production');
	});

	test('an environment ECS runs the release in counts, even when this ledger has no record of it', () => {
		const outcomes = outcomesByEnvironment(row('1.4.0', [], {deployedTo: [{environment: 'dev', serving: true}]}));
		expect(outcomes.get('dev')).toEqual({outcome: 'succeeded', at: '', runsNow: true});
	});
});

describe('the deploy screen state', () => {
	const plan = (version: string) => ({version, images: {web: {tag: version}}, notes: []});

	test('deploy starts from the releases, create from the tags', () => {
		expect(initialPicker('deploy')).toMatchObject({step: 'releases', tagsFrom: 'releases'});
		expect(initialPicker('create')).toMatchObject({step: 'tags', tagsFrom: 'start'});
	});

	test('tags, then the engine plans: an existing release with the same content is offered (no version step)', () => {
		let state: PickerState = pickerReducer(initialPicker('deploy'), {type: 'new-release', from: 'releases'});
		state = pickerReducer(state, {type: 'pick-tag', ref: 'web', tag: '1.4.0', refs: ['web']});
		expect(state.step).toBe('planning');
		const offered = pickerReducer(state, {type: 'planned', plan: {existing: {project: 'p', version: '1.4.0', images: {}, createdAt: ''}, notes: []}, taken: ['1.4.0']});
		expect(offered).toMatchObject({step: 'environment', release: '1.4.0', notice: 'release 1.4.0 already pins these images with this configuration: it is offered, not made again'});
		const fresh = pickerReducer(state, {type: 'planned', plan: plan('1.4.1'), taken: ['1.4.0']});
		expect(fresh).toMatchObject({step: 'version', version: '1.4.1', suggested: '1.4.1'});
		// A version the ledger does not have but AWS knows (a stack's release tag) is not suggested either.
		expect(pickerReducer(state, {type: 'planned', plan: plan('1.4.1'), taken: ['1.4.0', '1.4.1']})).toMatchObject({version: '1.4.2', suggested: '1.4.1'});
		// Esc while the engine plans: back to the tags, and its late answer is dropped.
		const left = pickerReducer(state, {type: 'back'});
		expect(pickerReducer(left, {type: 'planned', plan: plan('1.4.1'), taken: []}).step).toBe('tags');
	});

	test('the version is checked as it is typed: a clash shows at once; Enter on it stays', () => {
		const taken = ['1.4.0', '1.3.0'];
		let state = pickerReducer(pickerReducer({...initialPicker('deploy'), step: 'planning'}, {type: 'planned', plan: plan('1.4.1'), taken}), {type: 'edit', field: 'version', value: '1.4.0', taken});
		expect(state.problem).toBe('release 1.4.0 already exists: pick another version');
		state = pickerReducer(state, {type: 'submit-version', taken});
		expect(state.step).toBe('version');
		state = pickerReducer(state, {type: 'edit', field: 'version', value: '1.5.0', taken});
		expect(state.problem).toBeUndefined();
		expect(pickerReducer(state, {type: 'submit-version', taken}).step).toBe('creating');
		expect(checkVersion('nope', taken)).toBe('"nope" is not a semver version (like 1.4.2 or 2.0.0-rc.1)');
	});

	test('a channel switch starts the picks again; it does nothing with one channel or past the tags', () => {
		const picked = {...pickerReducer(initialPicker('deploy'), {type: 'new-release', from: 'releases'}), image: 1, tags: {worker: '1.4.0'}};
		expect(pickerReducer(picked, {type: 'switch-channel', count: 2})).toMatchObject({channel: 1, image: 0, tags: {}});
		expect(pickerReducer(pickerReducer(picked, {type: 'switch-channel', count: 2}), {type: 'switch-channel', count: 2}).channel).toBe(0);
		expect(pickerReducer(picked, {type: 'switch-channel', count: 1})).toBe(picked);
		expect(pickerReducer({...picked, step: 'version'}, {type: 'switch-channel', count: 2}).channel).toBe(0);
	});

	test('Esc: the environment step goes back to the releases; the first tags go back where they were opened from', () => {
		expect(pickerReducer({...initialPicker('deploy'), step: 'environment', release: '1.4.0'}, {type: 'back'}).step).toBe('releases');
		expect(pickerReducer(pickerReducer(initialPicker('deploy'), {type: 'new-release', from: 'releases'}), {type: 'back'}).step).toBe('releases');
		const started = pickerReducer(initialPicker('deploy'), {type: 'new-release', from: 'start'});
		expect(pickerReducer(started, {type: 'back'})).toBe(started);
	});
});

describe('p on the project screen', () => {
	const serving = (release: string | undefined): Cell => ({state: 'ready', status: {environment: 'dev', target: {name: 's', region: 'r', cluster: 'c', sandbox: true}, stackName: 'x', state: 'serving', inProgress: false, ...(release ? {release} : {})}});
	const ledger = (channel?: string) => ({state: 'ready' as const, where: 'here', releases: [{project: 'p', version: '1.4.0', images: {}, createdAt: '', ...(channel ? {channel} : {})}]});

	test('the release an environment runs goes to the next environment of its channel', () => {
		expect(promotionOf({channels} as never, environments, 'dev', serving('1.4.0'), ledger())).toEqual({release: '1.4.0', to: 'staging', channel: 'stable'});
		expect(promotionOf({channels} as never, environments, 'staging', serving('1.4.0'), ledger('beta'))).toEqual({why: '1.4.0 runs in staging, the last environment of its lifecycle'});
		expect(promotionOf({channels} as never, environments, 'production', serving('1.4.0'), ledger())).toEqual({why: '1.4.0 runs in production, the last environment of its lifecycle'});
		expect(promotionOf({channels} as never, environments, 'dev', serving(undefined), ledger())).toEqual({why: 'nothing to promote: dev runs no known release'});
		expect(promotionOf({channels} as never, environments, 'dev', {state: 'loading'}, ledger())).toBeUndefined();
	});
});
