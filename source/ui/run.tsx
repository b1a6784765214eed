import path from 'node:path';
import {render} from 'ink';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import {findRecipeFiles, readRecipeFile} from '../io/recipe-files.js';
import {App} from './app.js';
import {summarizeRecipe, type RecipeCatalog} from './catalog.js';

/** Opens the full-screen app on the workspace in `cwd` and resolves when the operator quits. */
export async function runApp({cwd}: {cwd: string}): Promise<ExitCode> {
	const folder = path.join(cwd, 'recipes');
	const catalog: RecipeCatalog = {
		folder: `./${path.relative(cwd, folder) || '.'}`,
		async list() {
			const files = await findRecipeFiles(folder);
			const parsed = await Promise.all(files.map(readRecipeFile));
			return parsed.map(file => summarizeRecipe(path.relative(cwd, file.file), file));
		},
	};
	// We handle Ctrl+C ourselves (during a deploy it will ask or detach); nothing prints while Ink owns the screen.
	const instance = render(<App catalog={catalog} />, {exitOnCtrlC: false, patchConsole: false});
	await instance.waitUntilExit();
	return exitCodes.success;
}
