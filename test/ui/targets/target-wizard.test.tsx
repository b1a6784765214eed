import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Engine} from '../../../source/engine/engine.js';
import {memoryWorkspace} from '../../../source/engine/core/workspace.js';
import type {Target} from '../../../source/domain/records.js';
import {renderApp, type AppHarness} from '../../helpers/app.js';
import {keys, press, screen, waitForText} from '../../helpers/ink.js';

const shiftTab = '\u001B[Z';
const type = (text: string) => [...text];

let harness: AppHarness | undefined;
afterEach(() => harness?.app.unmount());

/** The app on the targets list, with the engine's target calls spied on. */
function open(options: {targets?: Target[]; size?: {columns: number; rows: number}; wrap?: (engine: Engine) => Engine} = {}) {
	harness = renderApp({
		route: {name: 'targets'},
		workspace: memoryWorkspace({targets: options.targets ?? []}),
		size: options.size ?? {columns: 80, rows: 24},
		wrapEngine: engine => {
			const spied = {...engine, listClusters: vi.fn(engine.listClusters), verifyTarget: vi.fn(engine.verifyTarget), saveTarget: vi.fn(engine.saveTarget)};
			return options.wrap ? options.wrap(spied) : spied;
		},
	});
	return harness;
}

/** From the list: `a`, then the name and the default credential chain; leaves the wizard on the region step. */
async function toRegion(h: AppHarness, name = 'prod') {
	await waitForText(h.app, 'NAME');
	await press(h.app, 'a');
	await waitForText(h.app, 'New target');
	await press(h.app, ...type(name), keys.enter);
	await waitForText(h.app, 'default credential chain');
	await press(h.app, keys.enter);
	await waitForText(h.app, 'Which AWS Region');
}

describe('the target wizard', () => {
	test('adds a target: a profile, a region found by filtering, a cluster from the live list, verified, saved', async () => {
		const h = open();
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a');
		await waitForText(h.app, 'New target');
		await press(h.app, ...type('prod'), keys.enter);
		await waitForText(h.app, 'a profile');
		await press(h.app, keys.down, keys.enter);
		// The profiles of the AWS config files (the harness has default, ops and prod-admin).
		await waitForText(h.app, 'prod-admin');
		await press(h.app, ...type('op'));
		expect(screen(h.app)).not.toContain('prod-admin');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Which AWS Region');
		await press(h.app, ...type('frankf'));
		const filtered = screen(h.app);
		expect(filtered).toContain('eu-central-1');
		expect(filtered).toContain('Europe (Frankfurt)');
		expect(filtered).not.toContain('us-east-1');
		await press(h.app, keys.enter);
		// The clusters are listed live from the account, with the draft's credentials and region.
		await waitForText(h.app, 'sandbox-blue');
		expect(h.engine.listClusters).toHaveBeenCalledWith(expect.objectContaining({region: 'eu-central-1', credentials: {source: 'profile', profile: 'ops'}}));
		await press(h.app, keys.down, keys.enter);
		await waitForText(h.app, 'Which environments');
		await press(h.app, ...type('staging, production'), keys.enter);
		await waitForText(h.app, 'Tags tell targets apart');
		await press(h.app, ...type('team:payments'), keys.enter);
		const verified = await waitForText(h.app, '✓ cluster');
		expect(verified).toContain('✓ credentials');
		expect(verified).toContain('sandbox-blue is ACTIVE');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'saved target prod');
		expect(h.engine.targets()).toContainEqual({
			name: 'prod',
			region: 'eu-central-1',
			cluster: 'sandbox-blue',
			environments: ['staging', 'production'],
			tags: ['team:payments'],
			credentials: {source: 'profile', profile: 'ops'},
		});
		// Back on the list, with the new target in it.
		expect(screen(h.app)).toMatch(/prod\s+sandbox-blue\s+eu-central-1\s+staging, production/);
	});

	test('a bad name is shown under the name field, and the wizard stays there until it is right', async () => {
		const h = open();
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a', ...type('-bad name'), keys.enter);
		const frame = await waitForText(h.app, '✗ "-bad name" must be 1 to 63 letters');
		expect(frame).toContain('› name: -bad name');
		expect(frame).not.toContain('Where do the credentials come from');
		// Fixing it clears the problem as it is typed.
		await press(h.app, ...Array(9).fill(keys.backspace), ...type('ok'));
		expect(screen(h.app)).not.toContain('✗');
		// The sandbox's name is taken.
		await press(h.app, keys.backspace, keys.backspace, ...type('sandbox'), keys.enter);
		expect(await waitForText(h.app, '✗ "sandbox"')).toContain('built-in simulated account');
	});

	test('a bad role ARN and a bad duration are shown where they are typed', async () => {
		const h = open();
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a', ...type('prod'), keys.enter, keys.down, keys.down, keys.enter);
		await waitForText(h.app, 'Which IAM role to assume?');
		await press(h.app, ...type('arn:aws:iam::12:role/x'), keys.enter);
		let frame = await waitForText(h.app, '✗ "arn:aws:iam::12:role/x" is not an IAM role ARN');
		expect(frame).toMatch(/› role ARN:\s+arn:aws:iam::12:role\/x/);
		await press(h.app, ...Array(9).fill(keys.backspace), ...type("123456789012:role/deployer"));
		expect(screen(h.app)).not.toContain('is not an IAM role ARN');
		// Enter accepts the ARN and moves on; the optional fields may stay empty.
		await press(h.app, keys.enter, keys.enter, keys.enter, ...type('60'), keys.enter);
		frame = await waitForText(h.app, '✗ "60" must be whole seconds from 900 to 43200');
		expect(frame).toMatch(/› duration:\s+60/);
		await press(h.app, keys.backspace, keys.backspace, ...type('3600'), keys.enter, keys.enter);
		await waitForText(h.app, 'Which AWS Region');
	});

	test('back (Shift+Tab) and next keep what was typed', async () => {
		const h = open();
		await toRegion(h);
		await press(h.app, ...type('ohio'));
		await press(h.app, shiftTab);
		await waitForText(h.app, 'Where do the credentials come from');
		await press(h.app, shiftTab);
		expect(await waitForText(h.app, '› name: prod')).toContain('Name the target');
		await press(h.app, keys.enter, keys.enter);
		const frame = await waitForText(h.app, 'Which AWS Region');
		expect(frame).toContain('region: ohio');
		expect(frame).toContain('us-east-2');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Which ECS cluster');
		await press(h.app, shiftTab);
		expect(await waitForText(h.app, 'Which AWS Region')).toContain('(current)');
	});

	test('Esc with changes asks before discarding them; without changes it just goes back', async () => {
		const h = open();
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a');
		await waitForText(h.app, 'New target');
		await press(h.app, keys.escape);
		await waitForText(h.app, 'NAME');
		await press(h.app, 'a', ...type('prod'), keys.escape);
		expect(await waitForText(h.app, 'Discard what was typed for this target?')).toContain('New target');
		await press(h.app, 'n');
		expect(screen(h.app)).not.toContain('Discard what');
		expect(screen(h.app)).toContain('name: prod');
		await press(h.app, keys.escape, 'y');
		await waitForText(h.app, 'NAME');
		expect(h.engine.targets().map(t => t.name)).toEqual(['sandbox']);
	});

	test('when the clusters cannot be listed it says why, and the name can be typed', async () => {
		const h = open({wrap: engine => ({...engine, listClusters: vi.fn(async () => Promise.reject(new Error('AccessDeniedException: not allowed to ecs:ListClusters')))})});
		await toRegion(h);
		await press(h.app, ...type('eu-west-1'), keys.enter);
		const frame = await waitForText(h.app, 'Could not list the clusters in eu-west-1: AccessDeniedException');
		expect(frame.replace(/\s+/g, ' ')).toContain('not allowed to ecs:ListClusters. Type the cluster\'s name.');
		await press(h.app, ...type('main'), keys.enter);
		await waitForText(h.app, 'Which environments');
	});

	test('edits a target under a new name: the old one is removed on save', async () => {
		const old: Target = {name: 'prod', region: 'eu-west-1', cluster: 'sandbox', environments: ['production'], tags: [], credentials: {source: 'default'}};
		const h = open({targets: [old]});
		await waitForText(h.app, 'NAME');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Editing target prod');
		await press(h.app, ...type('-eu'), keys.enter, keys.enter, keys.enter);
		await waitForText(h.app, 'Which ECS cluster');
		await press(h.app, keys.enter, keys.enter, keys.enter);
		await waitForText(h.app, '✓ cluster');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'saved target prod-eu (renamed from prod)');
		expect(h.engine.targets().map(t => t.name)).toEqual(['prod-eu', 'sandbox']);
		expect(h.engine.targets()[0]).toEqual({...old, name: 'prod-eu'});
	});

	test('fits 80×24', async () => {
		const h = open();
		await toRegion(h);
		const lines = screen(h.app).split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(80);
	});
});

describe('the environments step', () => {
	test('ticks environments of the recipes, and typing after ticking adds at the end', async () => {
		const h = open();
		await toRegion(h);
		await press(h.app, ...type('eu-west-1'), keys.enter);
		await waitForText(h.app, 'sandbox-blue');
		await press(h.app, keys.enter);
		expect(await waitForText(h.app, 'From the recipes in the catalog')).toMatch(/\[ \] dev[\s\S]*\[ \] staging[\s\S]*\[ \] production/);
		await press(h.app, keys.down, ' ', keys.down, keys.down, ' ', keys.up, keys.up, keys.up, ...type(' qa'));
		const frame = screen(h.app);
		expect(frame).toContain('environments: dev, production qa');
		expect(frame).toMatch(/\[x\] dev[\s\S]*\[ \] staging[\s\S]*\[x\] production/);
		await press(h.app, keys.enter, keys.enter);
		await waitForText(h.app, '✓ cluster');
		expect(screen(h.app)).toContain('environments dev, production, qa');
	});
});
