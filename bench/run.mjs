// `npm run bench`: the slowest test files of the last vitest run, start-up times of the built CLI and the app's
// first frames, then the cases in bench/cases.tsx (bundled with esbuild).
import {build} from 'esbuild';
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {loadavg} from 'node:os';
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

/** The pids of a process's children (Linux), recursively, nearest first. */
function descendants(pid) {
	const found = [];
	try {
		for (const task of readdirSync(`/proc/${pid}/task`)) {
			for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number)) found.push(child, ...descendants(child));
		}
	} catch {}
	return found;
}

/**
 * CPU time (ms) a process has used so far, from /proc (Linux): `main` its main thread's (in ns, from schedstat:
 * what the first frame waits for), `all` every thread's (user + system in 10 ms ticks: the compiler's and the
 * garbage collector's threads too). Unlike wall-clock time it hardly moves when other work shares the machine.
 */
function cpuTime(pid) {
	try {
		const main = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
		return {main, all: (Number(fields[11]) + Number(fields[12])) * 10};
	} catch {
		return undefined;
	}
}

/**
 * Times from spawn until each marker has appeared on a real pseudo-terminal (`script` gives the process a pty),
 * the process killed once its last marker is on screen. With each time: the CPU time the program (the node process
 * under `script`) had used by then (undefined where /proc is missing). One run of one command.
 */
async function frameTimes(command, markers) {
	const {spawn} = await import('node:child_process');
	const times = [];
	const cpu = [];
	let program;
	const start = performance.now();
	await new Promise(resolve => {
		const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...process.env, COLUMNS: '120', LINES: '40', ECS_DEPLOYER_HOME: path.join(out, 'home')}});
		let seen = '';
		const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.stdout.on('data', data => {
			// Without colour codes and cursor moves, so a marker Ink wrote in pieces still matches.
			seen += String(data).replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
			while (times.length < markers.length && seen.includes(markers[times.length])) {
				times.push(performance.now() - start);
				program ??= descendants(child.pid).find(pid => {
					try {
						return readlinkSync(`/proc/${pid}/exe`) === process.execPath;
					} catch {
						return false;
					}
				});
				cpu.push(program === undefined ? undefined : cpuTime(program));
			}
			if (times.length === markers.length) child.kill('SIGKILL');
		});
		child.on('close', () => {
			clearTimeout(timeout);
			if (times.length < markers.length) throw new Error(`${command}: "${markers[times.length]}" never appeared; the screen showed:\n${seen.slice(-2000)}`);
			resolve();
		});
	});
	// The program ends on its own once its terminal is gone (SIGHUP); the next run starts after it, not beside it.
	for (let waited = 0; program !== undefined && existsSync(`/proc/${program}`) && waited < 3000; waited += 10) await new Promise(resolve => setTimeout(resolve, 10));
	return {times, cpu};
}

/**
 * The first frames of several commands, `runs` rounds of one run each, in turn: a machine that slows down or
 * speeds up (a VM's neighbours) does so for all of them alike, so their ratios hold. Per command and marker: the
 * median time, and the median CPU time (main thread, all threads) where /proc has it for every run.
 */
async function firstFrames(commands, runs = 7) {
	const samples = commands.map(() => []);
	for (let round = 0; round < runs; round++) {
		for (const [i, {command, markers}] of commands.entries()) samples[i].push(await frameTimes(command, markers));
	}
	return commands.map(({markers}, i) =>
		markers.map((_, m) => {
			const cpu = samples[i].map(run => run.cpu[m]);
			return {ms: median(samples[i].map(run => run.times[m])), cpu: cpu.every(Boolean) ? {main: median(cpu.map(c => c.main)), all: median(cpu.map(c => c.all))} : undefined};
		}),
	);
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
	// node -e stays up after its line (it is killed then, as the app is), so its CPU time can still be read. The
	// app: the dashboard of ./recipes on a sandbox workspace: the header, then the project names (the recipes are
	// read), then the first status cell (the engine is up and a status was read: a new workspace has "not deployed").
	// One of each in turn, seven times.
	const [[node], [header, names, statuses]] = await firstFrames([
		{command: `${process.execPath} -e 'console.log("ready"); setTimeout(() => {}, 15000)'`, markers: ['ready']},
		{command: `${process.execPath} dist/cli.js --sandbox`, markers: ['ecs-deployer', 'hello-color', 'not deployed']},
	]);
	// Wall-clock time, and CPU time (the main thread's, then all threads') as multiples of node -e's: the CPU
	// figures barely change with the machine's load, the wall-clock ones do (the load average is printed).
	const times = frame => {
		const wall = `${frame.ms.toFixed(0)} ms (${(frame.ms / node.ms).toFixed(1)}× node -e)`;
		if (!frame.cpu || !node.cpu) return wall;
		return `${wall}; CPU ${frame.cpu.main.toFixed(0)} ms main thread (${(frame.cpu.main / node.cpu.main).toFixed(1)}×), ${frame.cpu.all.toFixed(0)} ms all (${(frame.cpu.all / node.cpu.all).toFixed(1)}×)`;
	};
	line('load average (1 min) before the start-up timings', loadavg()[0].toFixed(2));
	line('node -e in a pseudo-terminal (median of 7, in turn with the app)', `${node.ms.toFixed(0)} ms${node.cpu ? `; CPU ${node.cpu.main.toFixed(0)} ms main thread, ${node.cpu.all.toFixed(0)} ms all` : ''}`);
	line('app: dashboard header (median of 7)', times(header));
	line('app: project names on the dashboard (target ≤ 3×)', times(names));
	line('app: first status cell on the dashboard (target ≤ 4×)', times(statuses));
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
// The cases run in a child with --expose-gc, so heap figures are after a collection, and with the packages
// Ink renders with patched as the bundle has them (the cases' bundle leaves packages out).
const cases = spawnSync(process.execPath, ['--expose-gc', '--import', new URL('package-patches.mjs', import.meta.url).href, path.join(out, 'cases.mjs')], {stdio: 'inherit', env: {...process.env, NODE_ENV: 'production'}});
process.exitCode = cases.status ?? 1;
