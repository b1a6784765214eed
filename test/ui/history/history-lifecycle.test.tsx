import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {renderApp, type AppHarness} from '../../helpers/app.js';
import {repoRoot} from '../../helpers/cli.js';
import {recordingHost} from '../../helpers/engine.js';
import {keys, press, waitForText} from '../../helpers/ink.js';

/*
 * The history browser's ECS side shows the lifecycle of blue/green deployments (DescribeServiceDeployments):
 * the strategy, the stage each ended at, its approval gate's answer, and in a row's details each stage group.
 */

const checkout = 'recipes/checkout-api.yaml';
let harnesses: AppHarness[] = [];
afterEach(() => {
	for (const h of harnesses) h.app.unmount();
	harnesses = [];
});

test('a promoted deployment ends at CLEAN_UP with its gate SUCCEEDED; a rejected one stopped after test traffic, its gate FAILED', async () => {
	const before = renderApp({recipes: [checkout]});
	harnesses.push(before);
	const recipeFile = path.join(repoRoot, checkout);
	const picked = before.engine.pickTarget({}, 'production');
	if ('error' in picked) throw new Error(picked.error);
	const deploy = async (tag: string, answer: string) =>
		(await before.engine.deploy({recipeFile, environment: 'production', target: picked.target, reattach: 'watch', images: {api: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true, 'approve-deployment': answer})).result).outcome;
	expect([await deploy('1.3.0', 'wait'), await deploy('1.4.0', 'promote'), await deploy('1.2.1', 'rollback')]).toEqual(['succeeded', 'succeeded', 'rolled-back']);
	before.app.unmount();
	const h = renderApp({recipes: [checkout], route: {name: 'history', file: checkout, environment: 'production'}, size: {columns: 80, rows: 24}, account: before.account, workspace: before.workspace});
	harnesses.push(h);
	await waitForText(h.app, '3 deployments');
	await press(h.app, '2');
	await waitForText(h.app, 'UPDATE_COMPLETE');
	await press(h.app, 'e');
	const ecs = await waitForText(h.app, 'ECS deployments (3)');
	const rows = ecs.split('\n');
	expect(rows.find(l => l.includes('ROLLBACK_SUCCESSFUL'))).toMatch(/ROLLBACK_SUCCESSFUL {2}blue-green at test traffic, gate FAILED/);
	expect(rows.find(l => / SUCCESSFUL {2}blue-green at clean up/.test(l))).toMatch(/ SUCCESSFUL {2}blue-green at clean up, gate SUCCEEDED/);
	// The rejected one's details: where it stopped, and the stages that never came.
	await press(h.app, keys.down, keys.enter);
	const detail = await waitForText(h.app, '↵ or esc closes');
	expect(detail).toMatch(/strategy +blue-green/);
	expect(detail).toMatch(/stages +✓ scale up › ✗ test traffic › ○ production traffic › ○ bake time[\s│]+› ○ clean up/);
	expect(detail).toMatch(/finished +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
	expect(detail).toMatch(/gate +FAILED \(if nobody answers: ROLLBACK\)/);
}, 60_000);
