import {afterEach, describe, expect, test, vi} from 'vitest';
import {memoryWorkspace} from '../../../source/engine/core/workspace.js';
import type {Target} from '../../../source/domain/records.js';
import {renderApp, type AppHarness} from '../../helpers/app.js';
import {keys, press, screen, waitForText} from '../../helpers/ink.js';

const prod: Target = {
	name: 'prod',
	region: 'eu-west-1',
	cluster: 'sandbox',
	environments: ['production'],
	tags: ['team:payments'],
	credentials: {source: 'profile', profile: 'ops'},
	assumeRole: {roleArn: 'arn:aws:iam::123456789012:role/deployer', sessionName: 'deploys'},
};
const ghost: Target = {name: 'ghost', region: 'eu-west-1', cluster: 'nope', environments: ['staging'], tags: [], credentials: {source: 'default'}};

let harness: AppHarness | undefined;
afterEach(() => harness?.app.unmount());

function open(targets: Target[], size = {columns: 80, rows: 24}) {
	harness = renderApp({
		route: {name: 'targets'},
		workspace: memoryWorkspace({targets}),
		size,
		wrapEngine: engine => ({...engine, verifyTarget: vi.fn(engine.verifyTarget), removeTarget: vi.fn(engine.removeTarget)}),
	});
	return harness;
}

describe('the targets list', () => {
	test('lists every target, the sandbox marked as built in, with the selected one in full', async () => {
		const h = open([prod]);
		const frame = await waitForText(h.app, 'sandbox (built in)');
		expect(frame).toMatch(/❯\s+prod\s+sandbox\s+eu-west-1\s+production/);
		expect(frame).toContain('credentials  assumes arn:aws:iam::123456789012:role/deployer (from profile ops)');
		expect(frame).toContain('region       eu-west-1 (Europe (Ireland))');
		expect(frame).toContain('tags         team:payments');
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(80);
	});

	test('wide terminals show the credentials and tags as columns', async () => {
		const h = open([prod], {columns: 160, rows: 50});
		const frame = await waitForText(h.app, 'CREDENTIALS');
		expect(frame).toMatch(/prod\s+sandbox\s+eu-west-1\s+production\s+role deployer \(profile ops\)\s+team:payments/);
	});

	test('x asks before removing; n keeps the target, y removes it', async () => {
		const h = open([prod]);
		await waitForText(h.app, 'NAME');
		await press(h.app, 'x');
		expect(await waitForText(h.app, 'Remove target prod?')).toContain('nothing changes in AWS');
		expect(h.engine.removeTarget).not.toHaveBeenCalled();
		await press(h.app, 'n');
		expect(screen(h.app)).not.toContain('Remove target prod?');
		await press(h.app, 'x', keys.escape);
		expect(screen(h.app)).not.toContain('Remove target prod?');
		expect(screen(h.app)).toContain('NAME'); // Esc answered the question; it did not leave the list
		await press(h.app, 'x', 'y');
		await waitForText(h.app, 'removed target prod');
		expect(h.engine.removeTarget).toHaveBeenCalledWith('prod');
		expect(h.engine.targets().map(t => t.name)).toEqual(['sandbox']);
		expect(screen(h.app)).not.toMatch(/❯\s+prod/);
	});

	test('the sandbox cannot be removed or edited', async () => {
		const h = open([]);
		await waitForText(h.app, 'sandbox (built in)');
		await press(h.app, 'x');
		expect(await waitForText(h.app, 'it cannot be removed')).not.toContain('Remove target');
		await press(h.app, 'e');
		await waitForText(h.app, 'it cannot be edited');
		expect(h.engine.removeTarget).not.toHaveBeenCalled();
	});

	test('v verifies a target live: a cluster that does not exist shows ✗ with the reason', async () => {
		const h = open([ghost]);
		await waitForText(h.app, 'NAME');
		await press(h.app, 'v');
		const frame = await waitForText(h.app, '✗ cluster');
		expect(frame).toContain('✓ credentials account 123456789012');
		expect(frame).toContain('cluster nope not found in eu-west-1 (MISSING)');
		expect(frame).toMatch(/❯ ✗ ghost/);
		expect(h.engine.verifyTarget).toHaveBeenCalledWith(ghost);
	});

	test('a and Enter open the wizard, to add and to edit', async () => {
		const h = open([prod]);
		await waitForText(h.app, 'NAME');
		await press(h.app, keys.enter);
		expect(await waitForText(h.app, 'Editing target prod')).toContain('› name: prod');
		await press(h.app, keys.escape);
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a');
		await waitForText(h.app, 'New target');
	});

	test('keys typed faster than frames are drawn (a paste) still land in the filter; q there is text, not quit', async () => {
		const h = open([prod, ghost]);
		await waitForText(h.app, 'NAME');
		await press(h.app);
		// No wait between the keys: each must see what the one before it did.
		for (const key of ['/', 'q', 's', 't', 'a', 'g']) h.app.stdin.write(key);
		await press(h.app);
		const frame = screen(h.app);
		expect(frame).toContain('/qstag');
		expect(frame).toContain('NAME');
		await press(h.app, keys.backspace, keys.escape);
		expect(screen(h.app)).toMatch(/prod\s+sandbox\s+eu-west-1/);
	});

	test('/ filters the list, and Esc clears the filter before it leaves', async () => {
		const h = open([prod, ghost]);
		await waitForText(h.app, 'NAME');
		await press(h.app, '/', ...'stag');
		let frame = screen(h.app);
		expect(frame).toMatch(/❯\s+ghost/);
		expect(frame).not.toMatch(/^\s+prod\s/m);
		await press(h.app, keys.escape);
		frame = screen(h.app);
		expect(frame).toContain('NAME');
		expect(frame).toMatch(/prod\s+sandbox\s+eu-west-1/);
	});
});
