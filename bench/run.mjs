// `npm run bench`: start-up time of the built CLI, then the cases in bench/cases.tsx (bundled with esbuild).
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
 * Time from spawn to the first frame in a real pseudo-terminal (`script` gives the process a pty), median of
 * 7; `marker` is text of the first frame.
 */
async function firstFrame(command, marker, runs = 7) {
	const {spawn} = await import('node:child_process');
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await new Promise(resolve => {
			const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...process.env, COLUMNS: '120', LINES: '40', ECS_DEPLOYER_HOME: path.join(out, 'home')}});
			let seen = '';
			child.stdout.on('data', data => {
				seen += data;
				if (seen.includes(marker) && samples.length === i) {
					samples.push(performance.now() - start);
					child.kill('SIGKILL');
				}
			});
			child.on('close', resolve);
		});
	}
	return median(samples);
}
// Inside the project, so the bundle's imports of packages resolve to node_modules.
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '.out');

// BENCH_ONLY names one in-process case of bench/cases.tsx to run alone (to profile it): start-up timings are skipped.
if (!process.env.BENCH_ONLY) {
	line('CLI: ecs-deployer --help (median of 7)', `${time(['--help']).toFixed(0)} ms`);
	line('CLI: validate orders-api for production (median of 7)', `${time(['validate', '-r', 'recipes/orders-api.yaml', '-e', 'production', '-i', 'api=1.0.0', '--release-version', '1.0.0']).toFixed(0)} ms`);
	const node = await firstFrame(`${process.execPath} -e 'console.log("ready")'`, 'ready');
	const app = await firstFrame(`${process.execPath} dist/cli.js --sandbox`, 'ecs-deployer');
	line('app: first frame in a pseudo-terminal (median of 7)', `${app.toFixed(0)} ms (node -e: ${node.toFixed(0)} ms, ${(app / node).toFixed(1)}×)`);
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
