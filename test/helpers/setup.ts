import {appendFileSync, mkdirSync, readFileSync} from 'node:fs';
import {register} from 'node:module';
import path from 'node:path';
import {afterAll} from 'vitest';

// The package patches the bundle has (scripts/build-patches.mjs), for the packages Ink loads outside Vite: once
// per worker, before the first test file imports Ink.
const patched = globalThis as {packagePatches?: true};
if (!patched.packagePatches) {
	register('./package-patches.mjs', import.meta.url);
	patched.packagePatches = true;
}

// Ink renders differently when CI is set; tests must see what a terminal user sees.
delete process.env['CI'];
process.env['FORCE_COLOR'] = '0';
// The AWS SDK warns on Node 20; the warning is noise in test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

/**
 * The CPU time each test file took in its worker (its tests, and the module imports it was first to need) and in
 * the processes it ran (the built CLI), in milliseconds: unlike a file's wall-clock duration it hardly moves when
 * other work shares the machine. `npm test` (scripts/test.mjs) names the file to append to; `npm run bench`
 * prints the heaviest files.
 */
const cpuLog = process.env['ECS_DEPLOYER_TEST_CPU_LOG'];
if (cpuLog) {
	const ticksPerMs = 100 / 1000;
	// Children's CPU time (waited-for processes: the CLI runs), in clock ticks of 10 ms, where Linux says it.
	const children = () => {
		try {
			const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
			return (Number(fields[13]) + Number(fields[14])) / ticksPerMs;
		} catch {
			return 0;
		}
	};
	const start = process.cpuUsage();
	const startChildren = children();
	afterAll(({}, suite) => {
		const used = process.cpuUsage(start);
		const file = path.relative(process.cwd(), suite.file.filepath);
		mkdirSync(path.dirname(cpuLog), {recursive: true});
		appendFileSync(cpuLog, `${JSON.stringify({file, cpuMs: Math.round((used.user + used.system) / 1000), childrenMs: Math.round(children() - startChildren)})}\n`);
	});
}
