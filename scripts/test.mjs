// `npm test`: build dist/ (the CLI tests run it), then the type check and the test suite at the same time: tsc
// keeps one core busy for several seconds while vitest has both, so running them one after the other left a
// core idle. tsc's output is printed after vitest's; the exit code is vitest's, or tsc's when only it failed.
// Arguments go to vitest (`npm test -- --reporter=verbose`).
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// The packages' own entry points, run with this Node (npm run test:node22 puts another first on PATH).
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');

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

const build = await run(process.execPath, [path.join(root, 'scripts/build.mjs')]);
if (build.code !== 0) {
	console.error('npm test: the build failed');
	process.exit(build.code);
}
const typecheck = run(process.execPath, [tsc, '--noEmit'], {capture: true});
const tests = await run(process.execPath, [vitest, 'run', ...process.argv.slice(2)]);
const types = await typecheck;
if (types.code === 0) {
	console.log('type check: no errors');
} else {
	process.stdout.write(types.output);
	console.error(`type check: tsc exited ${types.code}`);
}
process.exit(tests.code !== 0 ? tests.code : types.code);
