import {describe, expect, test} from 'vitest';
import type {RollbackCandidate} from '../../../source/engine/history/history.js';
import {reattachCommand} from '../../../source/ui/runs/start-run.js';
import {candidateRows, imageChanges, rollbackChanges, runningNow} from '../../../source/ui/screens/rollback/rollback-changes.js';
import {initialRollbackState, rollbackReducer, type RollbackState} from '../../../source/ui/screens/rollback/use-rollback.js';

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

	test('what changes: ECS (what runs) against the release; fields a task definition does not say come from the releases\' recipes', () => {
		const running = {from: 'what runs now (release 1.2.0)', to: 'release 1.1.0', notes: ['read from ECS'], changes: [{path: 'images.web', group: 'image' as const, label: 'image web', before: '1.2.0', after: '1.1.0'}, {path: 'containers.web.environment.COLOR', group: 'environment' as const, label: 'web: COLOR', before: '#00f', after: '#f00'}]};
		const held = {from: 'release 1.2.0', to: 'release 1.1.0', notes: [], changes: [{path: 'variables.Color', group: 'variable' as const, label: 'variable Color', before: '#00f', after: '#f00'}, {path: 'task.cpu', group: 'size' as const, label: 'task CPU', before: '512', after: '256'}]};
		const both = rollbackChanges({running, held});
		if ('problem' in both) throw new Error(both.problem);
		// The size is ECS's to say (it did not change there): only the variable is taken from the recipes.
		expect(both.changes.map(c => [c.path, c.source])).toEqual([
			['images.web', 'ecs'],
			['containers.web.environment.COLOR', 'ecs'],
			['variables.Color', 'recipe'],
		]);
		expect(both.from).toBe('what runs now (release 1.2.0)');
		// ECS cannot say: the held release's recipe stands in, and a note says so.
		const fallback = rollbackChanges({running: {problem: 'ECS does not say what dev runs'}, held});
		if ('problem' in fallback) throw new Error(fallback.problem);
		expect(fallback.changes.map(c => c.path)).toEqual(['variables.Color', 'task.cpu']);
		expect(fallback.notes[0]).toBe('ECS does not say what dev runs: compared with release 1.2.0 as the ledger keeps it');
		expect(rollbackChanges({running: {problem: 'no stack'}})).toEqual({problem: 'no stack'});
		// ECS has not caught up with the stack: the held release is the other side.
		const behind = rollbackChanges({held});
		if ('problem' in behind) throw new Error(behind.problem);
		expect(behind.notes[0]).toBe('ECS has not caught up with the stack: compared with release 1.2.0 as the ledger keeps it');
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
