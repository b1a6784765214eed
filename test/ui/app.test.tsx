import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog, RecipeSummary} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {navigationReducer} from '../../source/ui/navigation.js';
import {keys, press, screen, settle, waitForText} from '../helpers/ink.js';

const recipes: RecipeSummary[] = [
	{
		file: 'recipes/hello-color.yaml',
		name: 'hello-color',
		description: 'httpd page',
		environments: ['dev', 'staging', 'production'],
		images: [{ref: 'web', source: 'ECR hello-color'}],
		containers: ['web'],
		problems: [],
	},
	{
		file: 'recipes/orders-api.yaml',
		name: 'orders-api',
		description: 'REST API',
		environments: ['dev', 'production'],
		images: [{ref: 'api', source: 'ECR orders-api'}],
		containers: ['api'],
		problems: [{path: 'service.cpu', message: 'must be at least 256', severity: 'error', line: 9}],
	},
];

const catalogOf = (list: RecipeSummary[]): RecipeCatalog => ({folder: './recipes', list: vi.fn(async () => list)});

function renderApp(catalog: RecipeCatalog, size = {columns: 100, rows: 30}) {
	return render(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} />
		</TerminalSizeContext.Provider>,
	);
}

let app: ReturnType<typeof render> | undefined;
afterEach(() => app?.unmount());

describe('home screen', () => {
	test('lists the recipes found with their environments in promotion order', async () => {
		app = renderApp(catalogOf(recipes));
		const frame = await waitForText(app, 'hello-color');
		expect(frame).toContain('Recipes in ./recipes');
		expect(frame).toContain('dev → staging → production');
		expect(frame).toContain('orders-api');
		expect(frame).toContain('q quit');
	});

	test('says so when there are no recipes', async () => {
		app = renderApp(catalogOf([]));
		expect(await waitForText(app, 'No recipes in ./recipes yet')).toContain('docs/recipe.md');
	});

	test('down + enter opens the second recipe with its problems; esc comes back', async () => {
		app = renderApp(catalogOf(recipes));
		await waitForText(app, 'orders-api');
		await press(app, keys.down, keys.enter);
		const frame = await waitForText(app, 'Problems');
		expect(frame).toContain('service.cpu (line 9): must be at least 256');
		expect(frame).toContain('api');
		await press(app, keys.escape);
		await waitForText(app, 'Recipes in ./recipes');
	});

	test('a terminal that is too small says what it needs', async () => {
		app = renderApp(catalogOf(recipes), {columns: 40, rows: 10});
		await settle();
		expect(screen(app)).toContain('Terminal too small (40×10)');
	});
});

describe('navigation', () => {
	test('pop never leaves the home screen', () => {
		expect(navigationReducer([{name: 'home'}], {type: 'pop'})).toEqual([{name: 'home'}]);
		expect(navigationReducer([{name: 'home'}, {name: 'recipe', file: 'a'}], {type: 'pop'})).toEqual([{name: 'home'}]);
	});
});

test('long recipe rows are cut to the terminal width, one row each', async () => {
	const long = {...recipes[0]!, description: 'x'.repeat(200)};
	app = renderApp(catalogOf([long, recipes[1]!]), {columns: 80, rows: 24});
	const frame = await waitForText(app, 'orders-api');
	for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	expect(frame).toContain('…');
});
