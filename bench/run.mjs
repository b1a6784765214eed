// `npm run bench`: the slowest test files of the last vitest run, start-up times of the built CLI and the app's
// first frames, then the cases in bench/cases.tsx (bundled with esbuild).
import {build} from 'esbuild';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {performance} from 'node:perf_hooks';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
delete process.env.CI;

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function time(args, runs = 7) {
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		const result = spawnSync(process.execPath, ['dist/cli.js', ...args], {encoding: 'utf8'});
		samples.push(performance.now() - start);
		if (result.status !== 0) throw new Error(`ecs-deployer ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	}
	return median(samples);
}

const line = (name, value) => console.log(`${name.padEnd(58)} ${value}`);

/**
 * Times from spawn until each marker has appeared on a real pseudo-terminal (`script` gives the process a pty),
 * median of 7 runs; the process is killed once the last marker is on screen.
 */
async function firstFrames(command, markers, runs = 7) {
	const {spawn} = await import('node:child_process');
	const samples = markers.map(() => []);
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await new Promise(resolve => {
			const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...process.env, COLUMNS: '120', LINES: '40', ECS_DEPLOYER_HOME: path.join(out, 'home')}});
			let seen = '';
			let next = 0;
			const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
			child.stdout.on('data', data => {
				// Without colour codes and cursor moves, so a marker Ink wrote in pieces still matches.
				seen += String(data).replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
				while (next < markers.length && seen.includes(markers[next])) samples[next++].push(performance.now() - start);
				if (next === markers.length) child.kill('SIGKILL');
			});
			child.on('close', () => {
				clearTimeout(timeout);
				if (next < markers.length) throw new Error(`${command}: "${markers[next]}" never appeared; the screen showed:\n${seen.slice(-2000)}`);
				resolve();
			});
		});
	}
	return samples.map(median);
}
// Inside the project, so the bundle's imports of packages resolve to node_modules.
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '.out');

// BENCH_ONLY names one in-process case of bench/cases.tsx to run alone (to profile it): start-up timings are
// skipped. BENCH_ONLY=startup runs the start-up timings alone.
const only = process.env.BENCH_ONLY;
if (!only) {
	const {slowestTestFiles} = await import('./slowest-tests.mjs');
	for (const text of await slowestTestFiles()) console.log(text);
}
if (!only || only === 'startup') {
	line('CLI: ecs-deployer --help (median of 7)', `${time(['--help']).toFixed(0)} ms`);
	line('CLI: validate orders-api for production (median of 7)', `${time(['validate', '-r', 'recipes/orders-api.yaml', '-e', 'production', '-i', 'api=1.0.0', '--release-version', '1.0.0']).toFixed(0)} ms`);
	const [node] = await firstFrames(`${process.execPath} -e 'console.log("ready")'`, ['ready']);
	// The dashboard of ./recipes on a sandbox workspace: the header, then the project names (the recipes are read),
	// then the first status cell (the engine is up and a status was read: a new workspace has "not deployed").
	const [header, names, statuses] = await firstFrames(`${process.execPath} dist/cli.js --sandbox`, ['ecs-deployer', 'hello-color', 'not deployed']);
	const vsNode = ms => `${ms.toFixed(0)} ms (${(ms / node).toFixed(1)}× node -e)`;
	line('node -e in a pseudo-terminal (median of 7)', `${node.toFixed(0)} ms`);
	line('app: dashboard header (median of 7)', vsNode(header));
	line('app: project names on the dashboard (target ≤ 3×)', vsNode(names));
	line('app: first status cell on the dashboard (target ≤ 4×)', vsNode(statuses));
	if (only === 'startup') process.exit(0);
}
await build({
	entryPoints: ['bench/cases.tsx'],
	outfile: path.join(out, 'cases.mjs'),
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	packages: 'external',
	logLevel: 'warning',
});
// The cases run in a child with --expose-gc, so heap figures are after a collection.
const cases = spawnSync(process.execPath, ['--expose-gc', path.join(out, 'cases.mjs')], {stdio: 'inherit', env: {...process.env, NODE_ENV: 'production'}});
process.exitCode = cases.status ?? 1;
