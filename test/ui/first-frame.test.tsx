import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog, RecipeSummary} from '../../source/ui/catalog.js';
import {readRecipes} from '../../source/ui/hooks/use-recipes.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {screen, waitForText} from '../helpers/ink.js';

// The app's first frame: what `runApp` paints once the recipes are read (or it stopped waiting for them).

const hello: RecipeSummary = {file: 'recipes/hello-color.yaml', name: 'hello-color', environments: ['dev', 'staging', 'production'], images: [], containers: ['web'], problems: []};

/** A catalog as fileCatalog is: one answer, handed out until refreshed. */
function catalogOf(recipes: RecipeSummary[]): RecipeCatalog & {reads: number; refresh(): void} {
	let answer: Promise<RecipeSummary[]> | undefined;
	const catalog = {
		folder: './recipes',
		reads: 0,
		list: () => (answer ??= (catalog.reads++, Promise.resolve(recipes))),
		refresh: () => {
			answer = undefined;
		},
	};
	return catalog;
}

const renderApp = (catalog: RecipeCatalog) =>
	render(
		<TerminalSizeContext.Provider value={{columns: 100, rows: 30}}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} />
		</TerminalSizeContext.Provider>,
	);

let app: ReturnType<typeof render> | undefined;
afterEach(() => app?.unmount());

describe('the first frame', () => {
	test('recipes read before the app mounts are on its first frame: no "Reading recipes…" frame', async () => {
		const catalog = catalogOf([hello]);
		await readRecipes(catalog);
		app = renderApp(catalog);
		const first = screen(app);
		expect(first).toMatch(/hello-color/);
		expect(first).not.toContain('Reading recipes…');
		expect(catalog.reads).toBe(1);
	});

	test('recipes not read yet: the first frame says so, and the next one lists them', async () => {
		const catalog = catalogOf([hello]);
		app = renderApp(catalog);
		expect(screen(app)).toContain('Reading recipes…');
		await waitForText(app, /hello-color/);
	});

	test('after a refresh the recipes read before are not shown as current: the screen reads them again', async () => {
		const catalog = catalogOf([hello]);
		await readRecipes(catalog);
		catalog.refresh();
		app = renderApp(catalog);
		expect(screen(app)).toContain('Reading recipes…');
		await waitForText(app, /hello-color/);
		expect(catalog.reads).toBe(2);
	});
});
