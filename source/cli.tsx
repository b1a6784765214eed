#!/usr/bin/env node
// The AWS SDK warns on Node 20 at import time; set this before anything can load it (the SDK loads lazily).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import module from 'node:module';
import {dropOutputOnClosedPipe} from './headless/output.js';
import type {Interrupts} from './run-cli.js';

// Node 22.1 and later keep the compiled code of the modules a start loads, in the system's temporary folder
// (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir), so the next start compiles less;
// Node 20 has no such cache. Before the CLI's modules load: they are imported below, not statically.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

/*
 * The `ecs-deployer` binary: one run of the CLI (run-cli.ts) on this process's arguments, environment,
 * working folder, streams and signals; its exit code is the process's.
 */

/** Ctrl+C and SIGTERM of the process, for a command that watches AWS. */
const interrupts: Interrupts = {
	listen(handler) {
		// conf's atomic writes (when-exit) re-raise SIGINT and SIGTERM to kill the process at once (which our
		// handler would take for a second signal); here they must let the engine stop watching and say how to
		// re-attach, so ours are the only handlers of both.
		process.removeAllListeners('SIGINT');
		process.removeAllListeners('SIGTERM');
		const onInterrupt = () => handler('SIGINT');
		const onTerminate = () => handler('SIGTERM');
		process.on('SIGINT', onInterrupt);
		process.on('SIGTERM', onTerminate);
		return () => {
			process.off('SIGINT', onInterrupt);
			process.off('SIGTERM', onTerminate);
		};
	},
	quit: code => process.exit(code),
};

// `ecs-deployer events | head -1`: a reader that stops early ends the output, not the command with a trace.
dropOutputOnClosedPipe();
// Not awaited at the top level: a run that ends with nothing left to wait for ends the process, as it always did.
void import('./run-cli.js')
	.then(({runCli}) => runCli({argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, interrupts}))
	.then(code => {
		process.exitCode = code;
	});
