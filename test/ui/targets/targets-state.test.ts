import {describe, expect, test} from 'vitest';
import type {TargetVerification} from '../../../source/engine/targets/targets.js';
import type {Target} from '../../../source/domain/records.js';
import {fit, headerCells, targetCells, targetColumns} from '../../../source/ui/screens/targets/target-columns.js';
import {initialTargets, targetsReducer} from '../../../source/ui/screens/targets/use-targets.js';
import {checkLines, verificationPassed} from '../../../source/ui/screens/targets/verification.js';

const prod: Target = {name: 'prod', region: 'eu-west-1', cluster: 'main', environments: ['production'], tags: [], credentials: {source: 'default'}};
const sandbox: Target = {...prod, name: 'sandbox', cluster: 'sandbox', sandbox: true};

describe('the targets list reducer', () => {
	test('removal is asked about, never for the sandbox', () => {
		const asked = targetsReducer(initialTargets, {type: 'ask-remove', target: prod});
		expect(asked.confirmRemove).toBe('prod');
		expect(targetsReducer(asked, {type: 'cancel-remove'}).confirmRemove).toBeUndefined();
		const removed = targetsReducer(asked, {type: 'removed', name: 'prod'});
		expect(removed).toMatchObject({confirmRemove: undefined, version: 1});
		expect(targetsReducer(initialTargets, {type: 'ask-remove', target: sandbox})).toMatchObject({confirmRemove: undefined, notice: expect.stringContaining('cannot be removed')});
	});

	test('each target keeps its own verification; an earlier run\'s answer is ignored', () => {
		let state = targetsReducer(initialTargets, {type: 'verify', name: 'prod', run: 1});
		state = targetsReducer(state, {type: 'verify', name: 'prod', run: 2});
		state = targetsReducer(state, {type: 'verified', name: 'prod', run: 1, state: {status: 'failed', error: 'old'}});
		expect(state.verifications['prod']?.state).toEqual({status: 'running'});
		state = targetsReducer(state, {type: 'verified', name: 'prod', run: 2, state: {status: 'failed', error: 'no credentials'}});
		expect(state.verifications['prod']?.state).toEqual({status: 'failed', error: 'no credentials'});
	});
});

describe('verification lines', () => {
	test('running: a line per check; done: what each found, and what was not checked', () => {
		expect(checkLines({status: 'running'}, prod).map(l => l.state)).toEqual(['running', 'running']);
		const denied: TargetVerification = {target: 'prod', access: false, checks: [{check: 'credentials', passed: false, detail: 'ExpiredToken'}]};
		expect(checkLines({status: 'done', result: denied}, prod)).toEqual([
			{check: 'credentials', state: 'failed', detail: 'ExpiredToken'},
			{check: 'cluster', state: 'skipped', detail: 'not checked: the credentials did not work'},
		]);
		expect(verificationPassed({status: 'done', result: denied})).toBe(false);
		expect(checkLines({status: 'failed', error: 'could not load the profile'}, prod)[0]).toEqual({check: 'credentials', state: 'failed', detail: 'could not load the profile'});
	});
});

describe('the table layout', () => {
	test('80 columns: name, cluster, region and environments fill the width; wide: credentials and tags too', () => {
		const narrow = targetColumns(76);
		expect(narrow.map(c => c.key)).toEqual(['name', 'cluster', 'region', 'environments']);
		expect(headerCells(narrow)).toHaveLength(76);
		const wide = targetColumns(156);
		expect(wide.map(c => c.key)).toEqual(['name', 'cluster', 'region', 'environments', 'credentials', 'tags']);
		expect(targetCells(prod, wide)).toHaveLength(156);
	});

	test('cells are cut with an ellipsis, and made printable', () => {
		expect(fit('abcdef', 4)).toBe('abc…');
		expect(fit('ab', 4)).toBe('ab  ');
		expect(targetCells({...prod, name: 'a\u001b[2Jb'}, targetColumns(76))).toContain('a\\u001b[2Jb');
	});
});
