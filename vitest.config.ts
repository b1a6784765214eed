import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	// With React in its production build (below), JSX compiles to the production runtime's jsx(), as esbuild
	// compiles it for the bundle.
	oxc: {jsx: {development: false}},
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// The emulator suite has a config of its own (it needs the emulator running).
		exclude: ['test/integration/**', 'node_modules/**'],
		setupFiles: ['test/helpers/setup.ts'],
		// React and its reconciler in their production builds, as the bundle ships them (scripts/build.mjs
		// defines NODE_ENV): the development builds render the same frames at about 1.4× the CPU time, and most
		// of the suite's time is frames rendered after keys.
		env: {NODE_ENV: 'production'},
		testTimeout: 20_000,
		// Two test files per core: much of the suite waits on real time (the sandbox playing AWS, a lock's stale
		// time, a debounce), and a core whose file waits runs the other one meanwhile. On 2 cores, 4 workers
		// took `npm test` from 81 s to 59 s for the same CPU time (vitest's default keeps a core free for itself).
		maxWorkers: 2 * availableParallelism(),
		// The files of a worker share its module cache: importing Ink, React, yaml and zod again for each of
		// 50 files cost about a third of the suite's CPU time. Safe here: no test mocks modules or fakes timers
		// globally, the setup file only sets environment variables, and module-level caches are keyed by the
		// engine or object a test made.
		isolate: false,
		// The JSON report is where `npm run bench` finds the slowest files of the last run.
		// (A run's own --outputFile.json=FILE, as CI passes, takes its place.)
		reporters: ['default', 'json'],
		outputFile: {json: 'node_modules/.cache/vitest/report.json'},
	},
});
