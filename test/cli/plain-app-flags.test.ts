import {PassThrough} from 'node:stream';
import {expect, test} from 'vitest';
import {runCommandLine} from '../../source/cli/command-line.js';
import {plainAppFlags, type CliRun, type GlobalFlags} from '../../source/run-cli.js';

// The app opens without loading commander when its arguments are plain global options (run-cli.ts's
// plainAppFlags): it must read them exactly as commander does, and leave everything else to commander.

/** What commander makes of `argv`: the app's flags, or undefined when it is not the app (a command, help, an error). */
async function commanderReads(argv: readonly string[]): Promise<GlobalFlags | undefined> {
	let opened: GlobalFlags | undefined;
	const sink = () => Object.assign(new PassThrough(), {isTTY: false});
	const cli: CliRun = {argv, env: {}, cwd: process.cwd(), stdin: sink(), stdout: sink(), stderr: sink()};
	await runCommandLine(cli, () => new AbortController().signal, async global => {
		opened = {...global};
		return 0;
	});
	return opened;
}

const plain: string[][] = [
	[],
	['--sandbox'],
	['--no-color'],
	['--sandbox', '--no-color'],
	['--profile', 'prod'],
	['--profile=prod', '--sandbox'],
	['--endpoint-url', 'http://127.0.0.1:5000'],
	['--endpoint-url=http://127.0.0.1:5000/x?y=1'],
	['-r', 'recipes/orders-api.yaml'],
	['--recipe', 'a.yaml', '-r', 'b.yaml', '--recipe=c.yaml'],
	['--sandbox', '-r', 'a b.yaml', '--profile', 'p'],
];

test.each(plain.map(argv => [argv]))('%j: read as commander reads it', async argv => {
	const flags = plainAppFlags(argv);
	expect(flags).toBeDefined();
	expect(flags).toEqual(await commanderReads(argv));
});

const forCommander: string[][] = [
	['status'],
	['--sandbox', 'status'],
	['--help'],
	['-v'],
	['--version'],
	['--bogus'],
	['--color'],
	['--profile'],
	['--profile', '--sandbox'],
	['--profile='],
	['--profile', 'a', '--profile', 'b'],
	['-r'],
	['-rfile.yaml'],
	['-r=file.yaml'],
	['--sandbox=yes'],
	['-h'],
	['help'],
	['--', '--sandbox'],
];

test.each(forCommander.map(argv => [argv]))('%j: left to commander', argv => {
	expect(plainAppFlags(argv)).toBeUndefined();
});
