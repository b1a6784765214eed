import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {stringify} from 'yaml';
import {afterEach, describe, expect, test} from 'vitest';
import {fileCatalog} from '../../source/ui/run.js';
import {gridWidths} from '../../source/ui/screens/dashboard/dashboard-grid.js';
import {fitCell} from '../../source/ui/hooks/use-status-cells.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';
import {minimalRecipe} from '../helpers/recipes.js';
import {deployReleases} from './history/releases.js';

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

/** A workspace folder with `recipes/` holding a recipe per project (name → environments). */
async function workspace(projects: Record<string, Array<string | {name: string}>>) {
	const cwd = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-dashboard-'));
	await mkdir(path.join(cwd, 'recipes'));
	for (const [name, environments] of Object.entries(projects)) await writeRecipe(cwd, name, environments);
	return {cwd, catalog: fileCatalog(cwd)};
}

async function writeRecipe(cwd: string, name: string, environments: Array<string | {name: string}> = ['dev']) {
	await writeFile(path.join(cwd, 'recipes', `${name}.yaml`), stringify({...minimalRecipe(), name, environments}));
}

describe('the dashboard', () => {
	test('environments are column headers only, also when projects have different ones; cells name no environment', async () => {
		const {catalog} = await workspace({shop: ['dev', 'staging'], search: ['dev', 'qa']});
		h = renderApp({catalog, size: {columns: 80, rows: 24}});
		const frame = await waitForText(h.app, /shop\s+not deployed\s+not deployed/);
		expect(frame).toMatch(/project\s+dev\s+qa\s+staging/);
		expect(frame).not.toMatch(/dev: |staging: |qa: /);
		// Each second cell under its own column: search's under qa, shop's under staging.
		const lines = frame.split('\n');
		const header = lines.find(line => /project\s+dev/.test(line))!;
		const second = (name: string) => {
			const row = lines.find(line => line.includes(name))!;
			return row.indexOf('not deployed', row.indexOf('not deployed') + 1);
		};
		expect(second('search')).toBe(header.indexOf('qa'));
		expect(second('shop')).toBe(header.indexOf('staging'));
	});

	test('the cursor is where it was when the operator comes back', async () => {
		h = renderApp();
		await waitForText(h.app, /❯ hello-color/);
		await press(h.app, 'j', 'l');
		await waitForText(h.app, 'recipes/orders-api.yaml · staging');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Environments (promotion order)');
		expect(screen(h.app)).toMatch(/❯ staging/);
		await press(h.app, keys.escape);
		await waitForText(h.app, 'Projects in');
		expect(screen(h.app)).toMatch(/❯ orders-api/);
		expect(screen(h.app)).toContain('recipes/orders-api.yaml · staging');
	});

	test('recipe files added or removed while it runs show up', async () => {
		const {cwd, catalog} = await workspace({shop: ['dev']});
		h = renderApp({catalog});
		await waitForText(h.app, /shop\s+not deployed/);
		await writeRecipe(cwd, 'basket');
		await waitForText(h.app, /basket\s+not deployed/);
		await rm(path.join(cwd, 'recipes', 'shop.yaml'));
		await waitForText(h.app, frame => !frame.includes('shop'));
	});

	test('a narrow cell drops the time before it cuts the release', () => {
		const summary = {text: '1.4.0 ✗ 1.4.1-crashloop 3m ago', when: ' 3m ago', tone: 'bad', inProgress: false} as const;
		expect(fitCell(summary, 40)).toBe('1.4.0 ✗ 1.4.1-crashloop 3m ago');
		expect(fitCell(summary, 23)).toBe('1.4.0 ✗ 1.4.1-crashloop');
		expect(fitCell(summary, 12)).toBe('1.4.0 ✗ 1.4…');
	});

	test('the columns never pass the width', () => {
		for (const width of [80, 100, 160])
			for (const count of [1, 3, 6, 12])
				for (const focus of [0, count - 1]) {
					const widths = gridWidths(width, 40, count, focus);
					expect(2 + widths.name + widths.shown * widths.cell).toBeLessThanOrEqual(width);
					expect(focus).toBeGreaterThanOrEqual(widths.first);
					expect(focus).toBeLessThan(widths.first + widths.shown);
				}
		// Six environments at 80 columns: four shown, the last focused shows the last four.
		expect(gridWidths(80, 12, 6, 5)).toMatchObject({shown: 4, first: 2});
	});

	test('at 80×24 a failed release is cut in its cell but shown whole under the grid', async () => {
		const before = renderApp({recipes: ['recipes/hello-color.yaml']});
		await deployReleases(before, ['1.4.0', '1.4.1-crashloop']);
		before.app.unmount();
		h = renderApp({recipes: ['recipes/hello-color.yaml', 'recipes/orders-api.yaml', 'recipes/invoice-worker.yaml'], size: {columns: 80, rows: 24}, account: before.account, workspace: before.workspace});
		const frame = await waitForText(h.app, /hello-color\s+1\.4\.0 ↺ 1\.4\.1-cras…/);
		expect(frame).toContain('dev · 1.4.0 ↺ 1.4.1-crashloop');
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	});
});
