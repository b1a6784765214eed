// `npm test`: build dist/ (the CLI tests run it), then the type check and the test suite at the same time: tsc
// keeps one core busy for a few seconds while vitest has both, so running them one after the other left a
// core idle. tsc's output is printed after vitest's; the exit code is vitest's, or tsc's when only it failed.
// Arguments go to vitest (`npm test -- --reporter=verbose`).
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// The packages' own entry points, run with this Node (npm run test:node22 puts another first on PATH).
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
// Each test file's CPU time (test/helpers/setup.ts appends it; `npm run bench` lists the heaviest files).
const cpuLog = path.join(root, 'node_modules/.cache/vitest/cpu.jsonl');

/** CPU time (user + system, ms) of the children this process has waited for, where Linux says it; else undefined. */
function childrenCpuMs() {
	try {
		const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
		return (Number(fields[13]) + Number(fields[14])) * 10;
	} catch {
		return undefined;
	}
}

/** Runs a command to its end; `capture` keeps its output (stdout and stderr, in order) instead of showing it. */
function run(command, args, {capture = false} = {}) {
	return new Promise(resolve => {
		const child = spawn(command, args, {cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit'});
		let output = '';
		if (capture) for (const stream of [child.stdout, child.stderr]) stream.on('data', chunk => (output += chunk));
		child.on('error', error => resolve({code: 1, output: `${output}${command}: ${error.message}\n`}));
		child.on('close', (code, signal) => resolve({code: code ?? (signal ? 1 : 0), output}));
	});
}

const started = performance.now();
const build = await run(process.execPath, [path.join(root, 'scripts/build.mjs')]);
const buildCpu = childrenCpuMs();
if (build.code !== 0) {
	console.error('npm test: the build failed');
	process.exit(build.code);
}
rmSync(cpuLog, {force: true});
process.env['ECS_DEPLOYER_TEST_CPU_LOG'] = cpuLog;
// Each one's CPU time: what the children's total grew by when it ended.
const cpuOf = {};
let counted = buildCpu;
const timed = (name, promise) =>
	promise.then(result => {
		const now = childrenCpuMs();
		if (now !== undefined && counted !== undefined) [cpuOf[name], counted] = [now - counted, now];
		return result;
	});
// One thread: TypeScript 7 checks on several by default, which here only takes CPU from the tests running beside
// it (a cold check: 7.7 s of CPU on 4 threads, 4.4 s on one, in about the same wall time).
const typecheck = timed('type check', run(process.execPath, [tsc, '--noEmit', '--singleThreaded'], {capture: true}));
const tests = await timed('tests', run(process.execPath, [vitest, 'run', ...process.argv.slice(2)]));
const types = await typecheck;
if (types.code === 0) {
	console.log('type check: no errors');
} else {
	process.stdout.write(types.output);
	console.error(`type check: tsc exited ${types.code}`);
}
// Wall time depends on what else runs on the machine; CPU time much less (compare runs by it).
if (counted !== undefined) {
	const seconds = ms => `${(ms / 1000).toFixed(1)} s`;
	console.log(`npm test: ${seconds(performance.now() - started)} wall, ${seconds(counted)} CPU time (build ${seconds(buildCpu)}, type check ${seconds(cpuOf['type check'])}, tests ${seconds(cpuOf.tests)})`);
}
process.exit(tests.code !== 0 ? tests.code : types.code);
