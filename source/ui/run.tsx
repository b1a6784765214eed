import {watch, type FSWatcher} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import packageJson from '../../package.json' with {type: 'json'};
import {openFileCache, type FileCache} from '../io/file-cache.js';
import {render} from 'ink';
import {Component, type ReactNode} from 'react';
import {describeUnexpected} from '../unexpected.js';
import {filteredTerminal} from '../io/terminal.js';
import type {Engine} from '../engine/engine.js';
import type {StagedEngine} from '../engine/status-reader.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import {App} from './app.js';
import type {RecipeCatalog, RecipeSummary} from './catalog.js';
import {enterFullScreen} from './full-screen.js';
import {readRecipes} from './hooks/use-recipes.js';

/** The first frame waits this long at most for the recipes, so that it shows the projects rather than a header alone. */
const recipesWaitMs = 200;

export type RunAppOptions = {
	cwd: string;
	/** Every environment runs on the built-in sandbox account. */
	sandbox: boolean;
	/** The engine, built after the first frame: the dashboard's status reads first, the rest when the app asks. */
	engine: () => Promise<StagedEngine>;
	/** Recipe files named on the command line (`--recipe FILE`); else `./recipes` and the working directory. */
	recipes?: readonly string[];
	/** Where the recipe summaries are cached between starts (in the workspace's folder). @default no cache */
	cacheFile?: string;
};

/** Opens the full-screen app on the workspace in `cwd` and resolves when the operator quits. */
export async function runApp({cwd, sandbox, engine, recipes, cacheFile}: RunAppOptions): Promise<ExitCode> {
	const catalog = fileCatalog(cwd, recipes, cacheFile);
	let waited: NodeJS.Timeout | undefined;
	await Promise.race([readRecipes(catalog).catch(() => undefined), new Promise(resolve => (waited = setTimeout(resolve, recipesWaitMs)))]);
	clearTimeout(waited);
	let staging: Promise<StagedEngine> | undefined;
	const staged = () => (staging ??= engine());
	let loading: Promise<Engine> | undefined;
	const loadEngine = () => (loading ??= staged().then(parts => parts.engine()));
	const loadStatuses = () => staged().then(parts => parts.statuses);
	let stop = () => undefined as void;
	const leave = enterFullScreen({stdout: process.stdout, stderr: process.stderr, process, stop: () => stop(), describe: describeUnexpected});
	let failure: {error: unknown} | undefined;
	try {
		// We handle Ctrl+C ourselves (during a deploy it asks); nothing prints while Ink owns the screen. Every
		// frame passes the app's output filter on its way to the terminal.
		const instance = render(
			<StopOnError
				onError={error => {
					failure ??= {error};
					instance.unmount();
				}}
			>
				<App catalog={catalog} loadEngine={loadEngine} loadStatuses={loadStatuses} sandbox={sandbox} />
			</StopOnError>,
			{stdout: filteredTerminal(process.stdout), exitOnCtrlC: false, patchConsole: false},
		);
		stop = () => instance.unmount();
		// The first frame is on the screen: the status reads start loading now, not after the screens' effects have
		// run; the rest of the engine once the first status is on screen (see useEngineLoader).
		// (The app reports a failure; this only keeps it from counting as unhandled meanwhile.)
		staged().catch(() => undefined);
		await instance.waitUntilExit();
	} finally {
		leave();
	}
	// The caller says what went wrong (a workspace file that cannot be read: the file and the fix), no stack.
	if (failure) throw failure.error;
	return exitCodes.success;
}

/** The recipe summaries cache of this build (the running bundle's modification time tells builds apart). */
async function openSummaries(cacheFile: string): Promise<FileCache<RecipeSummary>> {
	const build = await stat(fileURLToPath(import.meta.url)).then(
		info => String(info.mtimeMs),
		() => 'unknown',
	);
	return openFileCache<RecipeSummary>(cacheFile, `${packageJson.version}/${build}`);
}

/**
 * Stops the app when a screen throws while rendering (a workspace file that became unreadable, a bug): Ink
 * would otherwise draw the error with its stack trace. The app closes and the error is said in words.
 */
export class StopOnError extends Component<{onError: (error: unknown) => void; children: ReactNode}, {failed: boolean}> {
	override state = {failed: false};

	static getDerivedStateFromError(): {failed: boolean} {
		return {failed: true};
	}

	override componentDidCatch(error: unknown): void {
		this.props.onError(error);
	}

	override render(): ReactNode {
		return this.state.failed ? null : this.props.children;
	}
}

/**
 * The recipes the app shows: the files named, else every recipe in `./recipes` (broken ones too, with their
 * problems) and the YAML files of the working directory that read as recipes. Read once, again on `refresh`;
 * `watch` follows the folders for recipe files added, changed or removed.
 */
export function fileCatalog(cwd: string, named?: readonly string[], cacheFile?: string): RecipeCatalog {
	const folder = path.join(cwd, 'recipes');
	let cached: Promise<RecipeSummary[]> | undefined;
	// Summaries of recipe files that did not change since the last start: no YAML parser, no schema to load.
	const summaries = cacheFile === undefined ? undefined : openSummaries(cacheFile);
	const read = async (file: string): Promise<RecipeSummary> => {
		const shown = path.relative(cwd, file) || file;
		const cache = await summaries;
		const known = await cache?.get(file);
		if (known && known.file === shown) return known;
		const [{readRecipeFile}, {summarizeRecipe}] = await Promise.all([import('../io/recipe-files.js'), import('./catalog.js')]);
		try {
			const summary = summarizeRecipe(shown, await readRecipeFile(file));
			await cache?.set(file, summary);
			return summary;
		} catch (cause) {
			return {file: shown, environments: [], images: [], containers: [], problems: [{path: 'recipe', message: (cause as Error).message, severity: 'error'}]};
		}
	};
	const list = async (): Promise<RecipeSummary[]> => {
		const {findRecipeFiles} = await import('../io/recipe-folder.js');
		const found =
			named && named.length > 0
				? await Promise.all(named.map(file => read(path.resolve(cwd, file))))
				: [...(await Promise.all((await findRecipeFiles(folder)).map(read))), ...(await Promise.all((await findRecipeFiles(cwd)).map(read))).filter(r => r.document !== undefined)];
		await (await summaries)?.save();
		return found;
	};
	return {
		folder: named && named.length > 0 ? named.join(', ') : `./${path.relative(cwd, folder) || '.'}`,
		list: () => (cached ??= list()),
		refresh: () => {
			cached = undefined;
		},
		watch: onChange => watchFolders(named && named.length > 0 ? named.map(file => path.dirname(path.resolve(cwd, file))) : [folder, cwd], onChange),
	};
}

/** How long the folders must be quiet before a change is told (an editor saves in several steps). */
const settleMs = 150;

/** Watches folders for YAML files added, changed or removed; calls `onChange` once things settle. */
function watchFolders(folders: readonly string[], onChange: () => void): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const changed = (_event: string, name: string | Buffer | null) => {
		if (name !== null && !/\.ya?ml$/i.test(String(name))) return;
		clearTimeout(timer);
		timer = setTimeout(onChange, settleMs);
	};
	const watchers: FSWatcher[] = [];
	for (const folder of new Set(folders)) {
		try {
			// A folder that is not there (yet) is not watched; a watcher that fails stops quietly.
			watchers.push(watch(folder, changed).on('error', () => undefined));
		} catch {}
	}
	return () => {
		clearTimeout(timer);
		for (const watcher of watchers) watcher.close();
	};
}
