import path from 'node:path';
import {render} from 'ink';
import type {Engine} from '../engine/engine.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import {App} from './app.js';
import type {RecipeCatalog, RecipeSummary} from './catalog.js';
import {readRecipes} from './hooks/use-recipes.js';

/** The first frame waits this long at most for the recipes, so that it shows the projects rather than a header alone. */
const recipesWaitMs = 200;

export type RunAppOptions = {
	cwd: string;
	/** Every environment runs on the built-in sandbox account. */
	sandbox: boolean;
	/** The engine, built after the first frame. */
	engine: () => Promise<Engine>;
	/** Recipe files named on the command line (`--recipe FILE`); else `./recipes` and the working directory. */
	recipes?: readonly string[];
};

/** Opens the full-screen app on the workspace in `cwd` and resolves when the operator quits. */
export async function runApp({cwd, sandbox, engine, recipes}: RunAppOptions): Promise<ExitCode> {
	const catalog = fileCatalog(cwd, recipes);
	let waited: NodeJS.Timeout | undefined;
	await Promise.race([readRecipes(catalog).catch(() => undefined), new Promise(resolve => (waited = setTimeout(resolve, recipesWaitMs)))]);
	clearTimeout(waited);
	let loading: Promise<Engine> | undefined;
	const loadEngine = () => (loading ??= engine());
	// We handle Ctrl+C ourselves (during a deploy it asks); nothing prints while Ink owns the screen.
	const instance = render(<App catalog={catalog} loadEngine={loadEngine} sandbox={sandbox} />, {exitOnCtrlC: false, patchConsole: false});
	// The first frame is on the screen: the engine starts loading now, not after the screens' effects have run.
	// (The app reports a failure; this only keeps it from counting as unhandled meanwhile.)
	loadEngine().catch(() => undefined);
	await instance.waitUntilExit();
	return exitCodes.success;
}

/**
 * The recipes the app shows: the files named, else every recipe in `./recipes` (broken ones too, with their
 * problems) and the YAML files of the working directory that read as recipes. Read once, again on `refresh`.
 */
export function fileCatalog(cwd: string, named?: readonly string[]): RecipeCatalog {
	const folder = path.join(cwd, 'recipes');
	let cached: Promise<RecipeSummary[]> | undefined;
	const read = async (file: string): Promise<RecipeSummary> => {
		const [{readRecipeFile}, {summarizeRecipe}] = await Promise.all([import('../io/recipe-files.js'), import('./catalog.js')]);
		const shown = path.relative(cwd, file) || file;
		try {
			return summarizeRecipe(shown, await readRecipeFile(file));
		} catch (cause) {
			return {file: shown, environments: [], images: [], containers: [], problems: [{path: 'recipe', message: (cause as Error).message, severity: 'error'}]};
		}
	};
	const list = async (): Promise<RecipeSummary[]> => {
		const {findRecipeFiles} = await import('../io/recipe-files.js');
		if (named && named.length > 0) return Promise.all(named.map(file => read(path.resolve(cwd, file))));
		const inFolder = await Promise.all((await findRecipeFiles(folder)).map(read));
		const here = (await Promise.all((await findRecipeFiles(cwd)).map(read))).filter(r => r.document !== undefined);
		return [...inFolder, ...here];
	};
	return {
		folder: named && named.length > 0 ? named.join(', ') : `./${path.relative(cwd, folder) || '.'}`,
		list: () => (cached ??= list()),
		refresh: () => {
			cached = undefined;
		},
	};
}
