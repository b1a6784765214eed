import {describe, expect, test} from 'vitest';
import type {RollbackCandidate} from '../../../source/engine/history.js';
import {reattachCommand} from '../../../source/ui/runs/start-run.js';
import {candidateRows, imageChanges, runningNow, variableChanges, variablesFor} from '../../../source/ui/screens/rollback/rollback-changes.js';
import {initialRollbackState, rollbackReducer, type RollbackState} from '../../../source/ui/screens/rollback/use-rollback.js';
import {minimalRecipe} from '../../helpers/recipes.js';

const candidates: RollbackCandidate[] = [
	{version: '1.3.0', images: {web: {tag: '1.3.0', digest: 'sha256:333'}}, outcome: 'rolled-back', at: '2026-01-03T00:00:00Z', current: false, running: false},
	{version: '1.2.0', images: {web: {tag: '1.2.0', digest: 'sha256:222'}}, outcome: 'succeeded', at: '2026-01-02T00:00:00Z', current: true, running: true},
	{version: '1.1.0', images: {web: {tag: '1.1.0', digest: 'sha256:111'}}, outcome: 'no-op', at: '2026-01-01T00:00:00Z', current: false, running: false},
	{version: '1.0.0', images: {}, outcome: 'unknown', at: '2025-12-31T00:00:00Z', current: false, running: false},
];

describe('what can be rolled back to', () => {
	test('releases that served here are offered; the one running now and the others say why not', () => {
		const rows = candidateRows(candidates);
		expect(rows.map(r => [r.version, r.offered, r.why])).toEqual([
			['1.3.0', false, 'not offered: it never served here (rolled back)'],
			['1.2.0', false, 'running now'],
			['1.1.0', true, undefined],
			['1.0.0', false, 'not offered: how its deployment ended is not known (unknown)'],
		]);
		expect(runningNow(rows)?.version).toBe('1.2.0');
	});

	test('images: tag and digest from what runs now to the release; a moved digest under the same tag is a change', () => {
		expect(imageChanges({web: {tag: '1.2.0', digest: 'sha256:222'}, worker: {tag: '2.0.0'}}, {web: {tag: '1.1.0', digest: 'sha256:111'}, worker: {tag: '2.0.0'}})).toEqual([
			{ref: 'web', from: {tag: '1.2.0', digest: 'sha256:222'}, to: {tag: '1.1.0', digest: 'sha256:111'}, changed: true},
			{ref: 'worker', from: {tag: '2.0.0'}, to: {tag: '2.0.0'}, changed: false},
		]);
		expect(imageChanges({web: {tag: '1.2.0', digest: 'sha256:aaa'}}, {web: {tag: '1.2.0', digest: 'sha256:bbb'}})[0]!.changed).toBe(true);
		expect(imageChanges(undefined, {web: {tag: '1.1.0'}})).toEqual([{ref: 'web', to: {tag: '1.1.0'}, changed: true}]);
	});

	test("variables of the environment: scoped beat unscoped, environments' own variables count, sensitive values are never shown", () => {
		const recipe = {
			environments: [{name: 'dev', variables: {Replicas: 2}}, {name: 'prod'}],
			variables: [
				{name: 'Color', value: '#f00'},
				{name: 'Color', value: '#0a0', environments: ['prod']},
				{name: 'Token', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:t'},
				{name: 'ApiKey', sensitive: true},
			],
		};
		expect(Object.fromEntries(variablesFor(recipe, 'dev'))).toEqual({Color: '#f00', Token: 'from arn:aws:secretsmanager:eu-west-1:1:secret:t', ApiKey: '(sensitive, given at deploy time)', Replicas: '2'});
		expect(variablesFor(recipe, 'prod').get('Color')).toBe('#0a0');
		// A snapshot from an older version, or none at all, does not break the screen.
		expect(variablesFor({variables: 'nonsense', environments: [null]}, 'dev').size).toBe(0);
	});

	test("the variables that differ between the release's recipe and the recipe now", () => {
		const then = minimalRecipe();
		then['variables'] = [{name: 'Color', value: '#f00'}, {name: 'Old', value: 'x'}];
		const now = minimalRecipe();
		now['variables'] = [{name: 'Color', value: '#00f'}, {name: 'New', value: 'y\u001b[2J'}];
		expect(variableChanges(then, now as never, 'dev')).toEqual([
			{name: 'Color', then: '#f00', now: '#00f'},
			{name: 'New', now: 'y\\u001b[2J'},
			{name: 'Old', then: 'x'},
		]);
		expect(variableChanges(now, now as never, 'dev')).toEqual([]);
		expect(variableChanges(undefined, now as never, 'dev')).toBeUndefined();
	});

	test('the re-attach command names the recipe and environment, quoted for a shell', () => {
		expect(reattachCommand('recipes/hello-color.yaml', 'dev', {sandbox: false})).toBe('ecs-deployer watch --recipe recipes/hello-color.yaml --env dev (or attach from the dashboard)');
		expect(reattachCommand('my recipes/a.yaml', 'dev', {sandbox: true})).toBe("ecs-deployer --sandbox watch --recipe 'my recipes/a.yaml' --env dev (or attach from the dashboard)");
	});
});

describe('rollback screen state', () => {
	const ready: RollbackState = rollbackReducer(initialRollbackState, {type: 'loaded', candidates, releases: []});

	test('Enter on a release that served opens the confirmation; on another says why and stays', () => {
		expect(rollbackReducer(ready, {type: 'choose', version: '1.1.0'}).phase).toEqual({kind: 'confirm', version: '1.1.0'});
		expect(rollbackReducer(ready, {type: 'choose', version: '1.3.0'})).toMatchObject({phase: {kind: 'list'}, notice: '1.3.0: not offered: it never served here (rolled back)'});
		expect(rollbackReducer(ready, {type: 'choose', version: '1.2.0'}).notice).toBe('1.2.0: running now');
	});

	test('n or Esc leaves the confirmation; R starts only when a release is known to run here', () => {
		const confirming = rollbackReducer(ready, {type: 'choose', version: '1.1.0'});
		expect(rollbackReducer(confirming, {type: 'cancel'}).phase).toEqual({kind: 'list'});
		// While a confirmation is open, other choices are ignored.
		expect(rollbackReducer(confirming, {type: 'choose', version: '1.0.0'})).toBe(confirming);
		expect(rollbackReducer(ready, {type: 'redeploy'}).phase).toEqual({kind: 'starting'});
		const nothingRuns = rollbackReducer(initialRollbackState, {type: 'loaded', candidates: candidates.map(c => ({...c, current: false, running: false})), releases: []});
		expect(rollbackReducer(nothingRuns, {type: 'redeploy'})).toMatchObject({phase: {kind: 'list'}, notice: expect.stringContaining('nothing to redeploy')});
		expect(rollbackReducer(confirming, {type: 'starting'}).phase).toEqual({kind: 'starting'});
	});

	test('a failed load can be asked again', () => {
		const failed = rollbackReducer(initialRollbackState, {type: 'failed', message: 'AccessDenied'});
		expect(rollbackReducer(failed, {type: 'retry'}).load).toEqual({state: 'idle'});
		expect(rollbackReducer(ready, {type: 'retry'})).toBe(ready);
	});
});
