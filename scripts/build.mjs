// Bundles source/cli.tsx into dist/ with esbuild: an ESM bundle paints the first frame about twice as fast as
// tsc output, and code splitting keeps the AWS SDK and the TUI in chunks that load only when used.
// dist/run-cli.js is the CLI as a function (runCli, source/run-cli.ts) that dist/cli.js calls with the process's
// arguments, streams and signals: the CLI tests import it to run commands in their own process, on the bundle.
// `--if-stale` skips the build when dist/cli.js is newer than every source file (used by `npm start`).
// `--sourcemap` (npm run build -- --sourcemap) writes source maps next to the chunks; the published package
// has none (they were two thirds of its size), so stack traces with DEBUG=1 name bundle lines unless asked.
import {build} from 'esbuild';
import {chmod, readdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {packagePatches} from './build-patches.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entries = ['source/cli.tsx', 'source/run-cli.ts'].map(file => path.join(root, file));
const out = path.join(root, 'dist');

async function newestSource() {
	let newest = (await stat(path.join(root, 'package.json'))).mtimeMs;
	for (const file of await readdir(path.join(root, 'source'), {recursive: true})) {
		newest = Math.max(newest, (await stat(path.join(root, 'source', file))).mtimeMs);
	}
	return newest;
}

async function isStale() {
	try {
		return (await stat(path.join(out, 'cli.js'))).mtimeMs < (await newestSource());
	} catch {
		return true;
	}
}

if (process.argv.includes('--if-stale') && !(await isStale())) process.exit(0);
const sourcemap = process.argv.includes('--sourcemap');
// `--metafile FILE`: esbuild's account of the build (which inputs went into which chunk, the chunks' imports),
// read by `npm run bench` to list what loads before the app's first frame.
const metafileArg = process.argv.indexOf('--metafile');
const metafile = metafileArg > 0 ? path.resolve(process.argv[metafileArg + 1] ?? '') : undefined;

// Build next to dist/ and swap it in at the end: a failed build leaves the previous dist/ as it was.
const next = path.join(root, `dist.next-${process.pid}`);
await rm(next, {recursive: true, force: true});
try {
	await bundle(next);
} catch (error) {
	await rm(next, {recursive: true, force: true});
	throw error;
}
await chmod(path.join(next, 'cli.js'), 0o755);
const old = path.join(root, `dist.old-${process.pid}`);
await rename(out, old).catch(() => undefined);
await rename(next, out);
await rm(old, {recursive: true, force: true});

async function bundle(outdir) {
	const result = await build({
		entryPoints: entries,
		outdir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		jsx: 'automatic',
		// Prefer the ES module builds (the AWS SDK ships both): named exports survive code splitting.
		mainFields: ['module', 'main'],
		sourcemap: sourcemap ? 'linked' : false,
		legalComments: 'none',
		logLevel: 'warning',
		// React and its reconciler pick their development builds when NODE_ENV is not "production": twice the
		// code to parse at start-up, and slower renders. The bundle is what users run, so it is production.
		define: {'process.env.NODE_ENV': '"production"'},
		chunkNames: 'chunks/[name]-[hash]',
		metafile: metafile !== undefined,
		// Bundled CommonJS packages call require(); give them one in the ESM output.
		banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
		plugins: [
			{
				// Ink imports its devtools (react-devtools-core and a WebSocket client) only when DEV=true, which
				// ecs-deployer never sets: ship neither.
				name: 'stub-react-devtools',
				setup(b) {
					b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
					b.onResolve({filter: /^\.\/devtools\.js$/}, args => (/[\\/]ink[\\/]build$/.test(args.resolveDir) ? {path: 'ink-devtools', namespace: 'stub'} : undefined));
					b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
				},
			},
			{
				// Ink's layout engine (yoga) carries its WebAssembly as base64 and, when `fetch` exists, loads it
				// through fetch(): on Node that first loads undici, and Ink's first frame waits for both. Decoding
				// the base64 directly (its own fallback) is what it does without fetch.
				name: 'yoga-without-fetch',
				setup(b) {
					b.onLoad({filter: /yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/}, async args => {
						const source = await readFile(args.path, 'utf8');
						const patched = source.replaceAll('"function"!=typeof fetch', '!0');
						if (patched === source) console.warn(`build: ${args.path} no longer tests for fetch as expected; the start-up shortcut is off`);
						return {contents: patched, loader: 'js'};
					});
				},
			},
			{
				// Source changes to packages Ink renders with, for start-up and frame time only (build-patches.mjs says
				// what each does; test/scripts/build-patches.test.ts checks that each answers as the package does).
				name: 'package-patches',
				setup(b) {
					for (const {name, file, patch, applies} of packagePatches) {
						b.onLoad({filter: file}, async args => {
							const source = await readFile(args.path, 'utf8');
							// Copies the patch is not meant for (other packages' own, older ones) are bundled as they are.
							if (applies && !applies(source)) return undefined;
							const patched = patch(source);
							if (patched === source) console.warn(`build: ${args.path} is no longer as ${name} expects; that patch is off`);
							return {contents: patched, loader: 'js'};
						});
					}
				},
			},
			{
				// conf builds an ajv validator only for its `schema` options, which the workspace store does not use
				// (its deserializer checks the file): leave ajv out. It was most of the store's code, loaded before
				// the dashboard's first status.
				name: 'conf-without-ajv',
				setup(b) {
					b.onResolve({filter: /^(ajv\/dist\/2020\.js|ajv-formats)$/}, args => (/[\\/]conf[\\/]/.test(args.importer) ? {path: args.path, namespace: 'no-ajv'} : undefined));
					b.onLoad({filter: /.*/, namespace: 'no-ajv'}, () => ({
						contents: "const unsupported = () => { throw new Error('ecs-deployer is built without ajv: conf schema options are not supported'); };\nexport class Ajv2020 { constructor() { unsupported(); } }\nexport default unsupported;\n",
						loader: 'js',
					}));
				},
			},
			{
				// zod re-exports its error messages in every language (`z.locales`, half of zod's code); ecs-deployer
				// uses the English ones zod configures itself with. Bundle only those.
				name: 'zod-english-only',
				setup(b) {
					b.onResolve({filter: /^\.\.\/locales\/index\.js$/}, args =>
						/zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? {path: path.join(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales'} : undefined,
					);
					b.onLoad({filter: /.*/, namespace: 'zod-locales'}, args => ({contents: `export {default as en} from ${JSON.stringify(args.path)};`, loader: 'js', resolveDir: path.dirname(args.path)}));
				},
			},
		],
	});
	// Named as they end up (dist/…), not as built (dist.next-PID/…).
	if (metafile) await writeFile(metafile, JSON.stringify(result.metafile).replaceAll(`${path.relative(root, outdir)}/`, 'dist/'));
}

