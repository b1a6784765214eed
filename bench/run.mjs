// `npm run bench`: start-up time of the built CLI, then the cases in bench/cases.tsx (bundled with esbuild).
import {build} from 'esbuild';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';

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
line('CLI: ecs-deployer --help (median of 7)', `${time(['--help']).toFixed(0)} ms`);
line('CLI: validate orders-api for production (median of 7)', `${time(['validate', '-r', 'recipes/orders-api.yaml', '-e', 'production', '-i', 'api=1.0.0', '--release-version', '1.0.0']).toFixed(0)} ms`);

// Inside the project, so the bundle's imports of packages resolve to node_modules.
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '.out');
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
await import(pathToFileURL(path.join(out, 'cases.mjs')).href);
