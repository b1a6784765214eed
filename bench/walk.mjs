// `node bench/walk.mjs [REV] [--path] [--skip=PATH…]`: the walk of a deploy through the engine, from the first statement of
// deployRelease to the statement that sends CreateChangeSet, as a debugger's "step into" takes it: a headless
// sandbox deploy of recipes/hello-color.yaml to dev. A newcomer reads the engine and the AWS adapters; calls
// into the domain, files, the store, the printer and packages are read as leaves (stepped over), and so is the
// simulated account. The source (of the working tree, or of git revision REV) is transpiled file by file, so the
// walk names the source's files and functions. Figures:
// - stops: each time the walk moves to another function (a call, a return, or an await that resumes);
// - functions and files: the distinct ones it stops in;
// - file changes, and returns to a file already left (a file it had been in before the one it comes from);
// - calls up from the domain into the engine (a callback the engine handed down, called by the domain);
// - the files entered most often.
import {build} from 'esbuild';
import {execFileSync, spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const rev = process.argv.slice(2).find(arg => !arg.startsWith('--'));
// Inside the project, so the transpiled files' imports of packages resolve to node_modules.
const walkRoot = path.join(root, 'bench/.out', `walk-${rev ?? 'working-tree'}`);
rmSync(walkRoot, {recursive: true, force: true});
mkdirSync(walkRoot, {recursive: true});
let from = root;
if (rev) {
	from = path.join(walkRoot, 'checkout');
	mkdirSync(from);
	const archive = execFileSync('git', ['archive', rev, 'source', 'recipes', 'package.json'], {cwd: root, maxBuffer: 1 << 28});
	execFileSync('tar', ['-x', '-C', from], {input: archive});
}
const sourceFiles = readdirSync(path.join(from, 'source'), {recursive: true})
	.map(String)
	.filter(file => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
	.map(file => path.join(from, 'source', file));
await build({entryPoints: sourceFiles, outdir: path.join(walkRoot, 'source'), outbase: path.join(from, 'source'), format: 'esm', platform: 'node', target: 'esnext', jsx: 'automatic', logLevel: 'warning'});
cpSync(path.join(from, 'package.json'), path.join(walkRoot, 'package.json'));

const walked = path.join(walkRoot, 'source');
const entryFile = readdirSync(walked, {recursive: true})
	.map(String)
	.find(file => file.endsWith('.js') && /function deployRelease\(/.test(readFileSync(path.join(walked, file), 'utf8')));
if (!entryFile) throw new Error('walk: no deployRelease in the source');
const entryLine = readFileSync(path.join(walked, entryFile), 'utf8').split('\n').findIndex(line => /function deployRelease\(/.test(line)) + 1;

/** Folders whose calls the walk reads as leaves. */
const skip = [
	...['aws/sandbox/', 'domain/', 'io/', 'store/', 'headless/', 'ui/', 'exit-codes.js', 'composition.js', 'cli.js', 'run-cli.js', 'cli-commands.js'],
	// `--skip=PATH`: more (a step that one revision has and another has not, to compare the rest).
	...process.argv.filter(arg => arg.startsWith('--skip=')).map(arg => arg.slice('--skip='.length)),
];
const home = mkdtempSync(path.join(tmpdir(), 'ecs-deployer-walk-'));
const out = path.join(home, 'walk.json');
const sourceUrl = `${pathToFileURL(walked).href}/`;
const run = spawnSync(
	process.execPath,
	['--import', pathToFileURL(path.join(root, 'bench/walk-preload.mjs')).href, path.join(walked, 'cli.js'), '--sandbox', 'deploy', '-r', path.join(from, 'recipes/hello-color.yaml'), '-e', 'dev', '-i', 'web=1.4.0', '--yes'],
	{cwd: home, encoding: 'utf8', env: {...process.env, ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_SPEED: '100', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ECS_DEPLOYER_WALK: JSON.stringify({sourceUrl, entry: {file: entryFile, line: entryLine}, out, skip})}, timeout: 300_000},
);
let walk;
try {
	walk = JSON.parse(readFileSync(out, 'utf8'));
} catch {
	throw new Error(`walk: the deploy ended (exit ${run.status}) before CreateChangeSet:\n${run.stdout}\n${run.stderr}`);
} finally {
	rmSync(home, {recursive: true, force: true});
}

const layerOf = file => {
	const [top] = file.split('/');
	return ['domain', 'io', 'store', 'aws', 'engine', 'ui', 'headless'].includes(top) && file.includes('/') ? top : 'cli';
};
// A visit: the pauses in one function, one after the other.
const visits = [];
for (const [i, pause] of walk.pauses.entries()) {
	const at = pause.stack.findIndex(frame => !skip.some(folder => frame.file.startsWith(folder)));
	const top = pause.stack[at];
	if (visits.at(-1)?.at === top.at) continue;
	const before = walk.pauses[i - 1];
	const caller = pause.stack[at + 1];
	visits.push({...top, layer: layerOf(top.file), called: !before || !before.stack.some(frame => frame.at === top.at), fromDomain: caller !== undefined && layerOf(caller.file) === 'domain'});
}
let fileChanges = 0;
let returnsToLeftFile = 0;
let climbs = 0;
const entries = new Map();
const seen = new Set();
for (const [i, visit] of visits.entries()) {
	const previous = visits[i - 1];
	if (previous && previous.file !== visit.file) {
		fileChanges++;
		if (seen.has(visit.file)) returnsToLeftFile++;
		entries.set(visit.file, (entries.get(visit.file) ?? 0) + 1);
	}
	if (visit.called && visit.fromDomain) climbs++;
	if (previous) seen.add(previous.file);
}
const files = new Set(visits.map(v => v.file));
const functions = new Set(visits.map(v => `${v.file} ${v.fn}`));
const byLayer = {};
for (const file of files) byLayer[layerOf(file)] = (byLayer[layerOf(file)] ?? 0) + 1;
const line = (name, value) => console.log(`${name.padEnd(58)} ${value}`);
console.log(`deploy walk ${rev ? `at ${rev}` : 'of the working tree'}: deployRelease (${entryFile}) to CreateChangeSet${walk.reached ? '' : ' (NOT reached: step limit)'}`);
line('stops (moves to another function)', `${visits.length} (${walk.pauses.length} steps)`);
line('functions, files', `${functions.size} functions in ${files.size} files (${Object.entries(byLayer).map(([layer, n]) => `${layer} ${n}`).join(', ')})`);
line('file changes; returns to a file already left', `${fileChanges}; ${returnsToLeftFile}`);
line('calls up from the domain into the engine', climbs);
line('files entered most often', [...entries].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([file, n]) => `${file} ${n}`).join(', '));
if (process.argv.includes('--path')) for (const visit of visits) console.log(`  ${visit.called ? '→' : '←'} ${visit.file} ${visit.fn}`);
