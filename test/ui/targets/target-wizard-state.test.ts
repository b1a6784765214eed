import {describe, expect, test} from 'vitest';
import {awsRegions} from '../../../source/domain/regions.js';
import {checkRegion} from '../../../source/domain/target.js';
import type {Target} from '../../../source/domain/records.js';
import {draftOf, emptyDraft, fieldProblem, splitNames, draftTarget, type Draft} from '../../../source/ui/screens/targets/target-draft.js';
import {hasChanges, initialWizard, pickOptions, stepsOf, wizardReducer, type WizardAction, type WizardState} from '../../../source/ui/screens/targets/use-target-wizard.js';
import {parseKey} from '../../../source/ui/input/keys.js';
import {commandsOf, typingIn, wizardIntent} from '../../../source/ui/screens/targets/wizard-keys.js';

const sandbox: Target = {name: 'sandbox', region: 'eu-west-1', cluster: 'sandbox', environments: ['dev'], tags: [], credentials: {source: 'default'}, sandbox: true};
const prod: Target = {
	name: 'prod',
	region: 'eu-west-1',
	cluster: 'main',
	environments: ['production'],
	tags: ['eu'],
	credentials: {source: 'profile', profile: 'ops'},
	assumeRole: {roleArn: 'arn:aws:iam::123456789012:role/deployer', externalId: 'x-42', durationSeconds: 3600},
};

const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);
const edit = (field: keyof Draft & string, value: string): WizardAction => ({type: 'edit', field: field as never, value});
const fresh = () => initialWizard([sandbox]);

describe('the wizard reducer', () => {
	test('steps: the profile or role step only when the credentials need it', () => {
		expect(stepsOf(emptyDraft)).toEqual(['name', 'credentials', 'region', 'cluster', 'environments', 'tags', 'verify']);
		expect(stepsOf({...emptyDraft, credentials: 'profile'})).toContain('profile');
		expect(stepsOf({...emptyDraft, credentials: 'role'})).toEqual(['name', 'credentials', 'role', 'region', 'cluster', 'environments', 'tags', 'verify']);
	});

	test('next checks the field: a problem stays on the step, shown under the field, and goes once fixed', () => {
		let state = run(fresh(), edit('name', 'bad name'), {type: 'next'});
		expect(state.step).toBe('name');
		expect(state.errors.name).toBe('"bad name" must be 1 to 63 letters, digits, _ . and -, starting with a letter or digit');
		state = run(state, edit('name', 'badname'));
		expect(state.errors.name).toBeUndefined();
		expect(run(state, {type: 'next'}).step).toBe('credentials');
		// Names of other targets are taken, the sandbox's too.
		expect(run(fresh(), edit('name', 'sandbox'), {type: 'next'}).errors.name).toContain('built-in simulated account');
		expect(run(initialWizard([sandbox, prod]), edit('name', 'prod'), {type: 'next'}).errors.name).toContain('a target named "prod" exists');
		// Editing a target keeps its own name free.
		expect(run(initialWizard([sandbox, prod], prod), {type: 'next'}).step).toBe('credentials');
	});

	test('back and next keep what was typed', () => {
		let state = run(fresh(), edit('name', 'prod'), {type: 'next'}, {type: 'move-credentials', delta: 2}, {type: 'next'});
		expect(state.step).toBe('role');
		state = run(state, edit('roleArn', 'arn:aws:iam::123456789012:role/x'), {type: 'back'}, {type: 'back'});
		expect(state.step).toBe('name');
		expect(run(state, {type: 'back'}).step).toBe('name');
		state = run(state, {type: 'next'}, {type: 'next'});
		expect(state.step).toBe('role');
		expect(state.draft).toMatchObject({name: 'prod', credentials: 'role', roleArn: 'arn:aws:iam::123456789012:role/x'});
	});

	test('the role form: Enter checks the focused field and moves on; leaving a field checks it; every field is checked at the end', () => {
		let state = run(fresh(), edit('name', 'p'), {type: 'next'}, {type: 'move-credentials', delta: -1}, {type: 'next'});
		expect(state.step).toBe('role');
		state = run(state, {type: 'next'});
		expect(state.errors.roleArn).toBe('a role ARN is needed (arn:aws:iam::123456789012:role/NAME)');
		state = run(state, edit('roleArn', 'arn:aws:iam::123456789012:role/deployer'), {type: 'next'});
		expect(state.roleFocus).toBe(1);
		state = run(state, {type: 'focus', delta: 2}, edit('duration', '60'), {type: 'focus', delta: 1});
		expect(state.errors.duration).toBe('"60" must be whole seconds from 900 to 43200');
		// The last field's Enter checks them all and goes back to the first wrong one.
		state = run(state, {type: 'next'});
		expect(state).toMatchObject({step: 'role', roleFocus: 3});
		state = run(state, edit('duration', '900'), {type: 'next'}, {type: 'next'});
		expect(state.step).toBe('region');
	});

	test('a list step picks the selected option; the filter narrows the options and offers what was typed', () => {
		let state = run(fresh(), edit('name', 'p'), {type: 'next'}, {type: 'next'});
		expect(state.step).toBe('region');
		expect(pickOptions(state, 'region')).toHaveLength(awsRegions.length);
		state = run(state, {type: 'query', step: 'region', value: 'zurich'});
		expect(pickOptions(state, 'region').map(o => o.value)).toEqual(['eu-central-2', 'zurich']);
		expect(run(state, {type: 'pick'}).draft.region).toBe('eu-central-2');
		// A code that is not listed can be typed; a bad one is refused where it is typed.
		state = run(state, {type: 'query', step: 'region', value: 'eu-west-9'});
		expect(pickOptions(state, 'region')).toEqual([{value: 'eu-west-9', label: 'eu-west-9', detail: '(as typed)', typed: true}]);
		expect(run(state, {type: 'pick'}).draft.region).toBe('eu-west-9');
		state = run(state, {type: 'query', step: 'region', value: 'mars'}, {type: 'pick'});
		expect(state).toMatchObject({step: 'region', errors: {region: '"mars" is not an AWS region code (like eu-west-1, us-gov-west-1, ap-southeast-2)'}});
		// Moving the selection is clamped to the options.
		state = run(state, {type: 'query', step: 'region', value: 'us-'}, {type: 'pick-move', to: 'last', rows: 5}, {type: 'pick-move', to: 'down', rows: 5});
		expect(pickOptions(state, 'region')[state.pickIndex]).toMatchObject({value: 'us-', typed: true});
		state = run(state, {type: 'pick-move', to: 'up', rows: 5});
		expect(pickOptions(state, 'region')[state.pickIndex]?.value).toBe('us-gov-west-1');
		state = run(state, {type: 'pick-move', to: 'page-up', rows: 50});
		expect(pickOptions(state, 'region')[state.pickIndex]?.value).toBe('us-east-1');
	});

	test('the cluster list: loaded for the account the draft reaches, its failure kept to be shown, stale answers ignored', () => {
		let state = run(fresh(), edit('name', 'p'), {type: 'next'}, {type: 'next'}, {type: 'query', step: 'region', value: 'eu-west-1'}, {type: 'pick'});
		expect(state.step).toBe('cluster');
		state = run(state, {type: 'load', list: 'clusters', key: 'a'}, {type: 'loaded', list: 'clusters', key: 'old', names: ['x']});
		expect(state.clusters).toEqual({status: 'loading', key: 'a'});
		state = run(state, {type: 'load-failed', list: 'clusters', key: 'a', error: 'AccessDenied'});
		expect(state.clusters).toEqual({status: 'failed', key: 'a', error: 'AccessDenied'});
		state = run(state, {type: 'query', step: 'cluster', value: 'main'}, {type: 'pick'});
		expect(state).toMatchObject({step: 'environments', draft: {cluster: 'main'}});
		// Back on the step, the selection is the value picked before.
		state = run(state, {type: 'load', list: 'clusters', key: 'b'}, {type: 'loaded', list: 'clusters', key: 'b', names: ['blue', 'main']}, {type: 'back'}, {type: 'query', step: 'cluster', value: ''});
		expect(pickOptions(state, 'cluster')[state.pickIndex]?.value).toBe('main');
	});

	test('environments: typed or ticked from the recipes, at least one, each a valid name', () => {
		let state = run(fresh(), {type: 'offer', environments: ['dev', 'staging', 'production']});
		state = {...state, step: 'environments'};
		expect(run(state, {type: 'next'}).errors.environments).toBe('name at least one environment this target serves');
		state = run(state, edit('environments', 'qa'), {type: 'focus', delta: 1}, {type: 'toggle-environment'}, {type: 'focus', delta: 2}, {type: 'toggle-environment'});
		expect(state.draft.environments).toBe('qa, dev, production');
		state = run(state, {type: 'toggle-environment'});
		expect(state.draft.environments).toBe('qa, dev');
		expect(run(state, edit('environments', 'qa, 9lives'), {type: 'next'}).errors.environments).toContain('"9lives" is not an environment name');
		expect(run(state, {type: 'next'}).step).toBe('tags');
	});

	test('verification answers for an earlier run are ignored', () => {
		let state = run(fresh(), {type: 'verify', key: 'k', run: 1}, {type: 'verify', key: 'k', run: 2});
		state = run(state, {type: 'verified', run: 1, state: {status: 'failed', error: 'old'}});
		expect(state.verification?.state).toEqual({status: 'running'});
		state = run(state, {type: 'verified', run: 2, state: {status: 'failed', error: 'new'}});
		expect(state.verification?.state).toEqual({status: 'failed', error: 'new'});
	});

	test('changes are what differs from the target as it was', () => {
		const state = initialWizard([sandbox, prod], prod);
		expect(hasChanges(state)).toBe(false);
		expect(hasChanges(run(state, edit('tags', 'eu, b')))).toBe(true);
		expect(hasChanges(run(state, edit('tags', 'eu, b'), edit('tags', 'eu')))).toBe(false);
		expect(run(state, {type: 'ask-discard'}).confirmDiscard).toBe(true);
		expect(run(state, {type: 'ask-discard'}, {type: 'keep-editing'}).confirmDiscard).toBe(false);
	});
});

describe('the draft', () => {
	test('a stored target round-trips through the draft', () => {
		expect(draftTarget(draftOf(prod))).toEqual(prod);
		const plain: Target = {name: 'a', region: 'us-east-1', cluster: 'c', environments: ['dev', 'qa'], tags: [], credentials: {source: 'default'}};
		expect(draftTarget(draftOf(plain))).toEqual(plain);
	});

	test('a role without a base profile assumes it from the default chain; the profile choice ignores role fields', () => {
		const draft: Draft = {...emptyDraft, name: 'x', credentials: 'role', roleArn: 'arn:aws:iam::123456789012:role/r', region: 'eu-west-1', cluster: 'c', environments: 'dev'};
		expect(draftTarget(draft)).toMatchObject({credentials: {source: 'default'}, assumeRole: {roleArn: 'arn:aws:iam::123456789012:role/r'}});
		expect(draftTarget({...draft, credentials: 'profile', profile: 'ops'})).not.toHaveProperty('assumeRole');
	});

	test('the checks are the ones `target add` uses', () => {
		expect(fieldProblem({...emptyDraft, cluster: 'a b'}, 'cluster')).toBe('"a b" is not an ECS cluster name (up to 255 letters, digits, - and _)');
		expect(fieldProblem({...emptyDraft, tags: 'ok, -no'}, 'tags')).toBe('"-no" must be up to 128 letters, digits and _ . : / -');
		expect(fieldProblem({...emptyDraft, credentials: 'profile'}, 'profile')).toBe('pick a profile, or type its name');
		expect(fieldProblem({...emptyDraft, credentials: 'role'}, 'profile')).toBeUndefined();
		expect(fieldProblem({...emptyDraft, externalId: 'x'}, 'externalId')).toBe('"x" must be 2 to 1224 letters, digits or +=,.@:/-');
		expect(fieldProblem({...emptyDraft, sessionName: 'a b'}, 'sessionName')).toBe('"a b" must be 2 to 64 letters, digits or +=,.@-');
	});

	test('lists split on commas, spaces and lines, each name once', () => {
		expect(splitNames(' staging,production\nqa  staging ')).toEqual(['staging', 'production', 'qa']);
	});
});

describe('the regions', () => {
	test('every listed region passes the region check, once', () => {
		for (const region of awsRegions) expect(checkRegion(region.code), region.code).toBeUndefined();
		expect(new Set(awsRegions.map(r => r.code)).size).toBe(awsRegions.length);
	});
});

describe('the wizard keys', () => {
	const intent = (state: WizardState, sequence: string, changed = false) => wizardIntent(state, parseKey(sequence), 10, changed);
	const onRegion = () => run(fresh(), edit('name', 'p'), {type: 'next'}, {type: 'next'});

	test('a text field has the letters: q, j and k type, only the arrows move the list', () => {
		const state = onRegion();
		expect(typingIn(state)).toBe(true);
		for (const letter of ['q', 'j', 'k', 'v']) expect(intent(state, letter)).toBeUndefined();
		expect(intent(state, '\u001B[B')).toEqual({type: 'dispatch', action: {type: 'pick-move', to: 'down', rows: 10}});
		expect(intent(state, '\r')).toEqual({type: 'dispatch', action: {type: 'pick'}});
	});

	test('Shift+Tab goes back a step, Tab does not; Esc asks when something was typed, else is left to the shell', () => {
		const state = onRegion();
		expect(intent(state, '\u001B[Z')).toEqual({type: 'dispatch', action: {type: 'back'}});
		expect(intent(state, '\t')).toBeUndefined();
		expect(intent(state, '\u001B')).toBeUndefined();
		expect(intent(state, '\u001B', true)).toEqual({type: 'dispatch', action: {type: 'ask-discard'}});
	});

	test('while "discard?" is asked, y leaves and n keeps editing; the footer says so', () => {
		const asking = run(onRegion(), {type: 'ask-discard'});
		expect(typingIn(asking)).toBe(false);
		expect(commandsOf(asking)).toEqual(['yes', 'no']);
		expect(intent(asking, 'y')).toEqual({type: 'leave'});
		expect(intent(asking, 'n')).toEqual({type: 'dispatch', action: {type: 'keep-editing'}});
	});

	test('the last step saves on Enter and verifies again on v', () => {
		const state = {...fresh(), step: 'verify' as const};
		expect(intent(state, '\r')).toEqual({type: 'save'});
		expect(intent(state, 'v')).toEqual({type: 'verify'});
		expect(commandsOf(state)).toEqual(['saveTarget', 'verify', 'previousStep', 'leaveWizard']);
	});
});
