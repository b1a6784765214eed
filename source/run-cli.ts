import path from 'node:path';
import {Command, CommanderError} from 'commander';
import packageJson from '../package.json' with {type: 'json'};
import {exitCodes, type ExitCode} from './exit-codes.js';
import {createOutput} from './headless/output.js';
import {storeFolderFor} from './io/store-folder.js';
import {describeUnexpected} from './unexpected.js';

/**
 * Composition root: parses argv, builds the engine (composition.ts), then runs a headless command (a thin
 * face: flags in, the engine's use case, lines out; the commands are in cli-commands.ts) or opens the
 * full-screen app (lazily imported, so headless runs never load Ink or React, and the app never loads the
 * commands).
 *
 * One run of the CLI, on what it is given rather than on the process: dist/cli.js passes the process's
 * arguments, environment, working folder, streams and signals; the tests run commands in their own process
 * with streams of their own. Nothing of a run outlives it: no listener, no timer, no process state.
 */

/** A stream the CLI writes to: a terminal, a pipe or a file (the process's), or a test's collector. */
export type CliOutputStream = NodeJS.WritableStream & {isTTY?: boolean; columns?: number};

/** What a run of the CLI reads and writes instead of the process's own. */
export type CliRun = {
	/** The arguments after the program's name (`process.argv.slice(2)`). */
	argv: readonly string[];
	/**
	 * The environment variables (ECS_DEPLOYER_HOME, ECS_DEPLOYER_SANDBOX*, AWS_PROFILE, AWS_REGION, NO_COLOR, DEBUG…).
	 * The AWS SDK itself reads credentials, its config files and its own settings from the process's environment.
	 */
	env: NodeJS.ProcessEnv;
	/** The working folder: relative recipe and output paths, and the default workspace folder (.ecs-deployer/). */
	cwd: string;
	/** Answers to prompts (only when it and stderr are terminals). */
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	stdout: CliOutputStream;
	stderr: CliOutputStream;
	/**
	 * Ctrl+C and SIGTERM, for the commands that watch AWS: the first stops watching, a second quits at once.
	 * Absent: nothing interrupts the run (an in-process run has no signals of its own).
	 */
	interrupts?: Interrupts;
};

/** Where interrupts come from, and how a second one ends everything. */
export type Interrupts = {
	/** Calls `handler` on every interrupt until the returned function is called. */
	listen(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
	/** Ends at once with `code` (130): a second Ctrl+C while the first is stopping the run. */
	quit(code: ExitCode): void;
};

/** The options before a command's name (and the app's). */
export type GlobalFlags = {color?: boolean; profile?: string; endpointUrl?: string; sandbox?: boolean; recipe?: string[]};

/** The program with the global options only: enough to tell the app from a command (cli-commands.ts adds those). */
function rootProgram(cli: CliRun): Command {
	const {env} = cli;
	const program = new Command('ecs-deployer')
		// Before any command is added: commands copy it. Help, errors and colours from the run's streams.
		.configureOutput({
			writeOut: text => cli.stdout.write(text),
			writeErr: text => cli.stderr.write(text),
			// Commander's default width (80) when not a terminal.
			getOutHelpWidth: () => (cli.stdout.isTTY && cli.stdout.columns) || 80,
			getErrHelpWidth: () => (cli.stderr.isTTY && cli.stderr.columns) || 80,
			getOutHasColors: () => hasColors(cli.stdout, env),
			getErrHasColors: () => hasColors(cli.stderr, env),
		})
		.description('Deploy containerised services to Amazon ECS (Fargate) through CloudFormation.')
		.version(packageJson.version, '-v, --version', 'print the version')
		.helpOption('-h, --help', 'show help')
		.option('--no-color', 'plain output without colours (also: NO_COLOR=1)')
		.option('--profile <name>', 'AWS profile for this run (also: AWS_PROFILE)')
		.option('--endpoint-url <url>', 'custom AWS endpoint for this run (also: AWS_ENDPOINT_URL)')
		.option('--sandbox', 'use the built-in sandbox account (simulated AWS; also: ECS_DEPLOYER_SANDBOX=1)')
		.option('-r, --recipe <file>', 'the app: open on this recipe only (repeatable; default: ./recipes and the working folder)', (value: string, previous: string[] = []) => [...previous, value])
		.showSuggestionAfterError(true)
		// Global options go before the command; each AWS command takes --profile/--endpoint-url itself too.
		.enablePositionalOptions()
		.exitOverride()
		.addHelpText('after', '\nRun without a command to open the full-screen app.\nExit codes: 0 success, 1 deployment failed, 2 bad input, 3 AWS access problem, 4 not confirmed by ECS, 5 release already in the ledger, 130 interrupted.');
	// An unknown command: say so and suggest the closest one (exit 2).
	program.on('command:*', () => (program as unknown as {unknownCommand(): void}).unknownCommand());

	return program;
}

/** Whether a stream shows colours, as commander decides it for its help and errors (NO_COLOR, FORCE_COLOR, a terminal). */
function hasColors(stream: CliOutputStream, env: NodeJS.ProcessEnv): boolean {
	if (env['NO_COLOR'] || env['FORCE_COLOR'] === '0' || env['FORCE_COLOR'] === 'false') return false;
	if (env['FORCE_COLOR'] || env['CLICOLOR_FORCE'] !== undefined) return true;
	return Boolean(stream.isTTY && (stream as {hasColors?: () => boolean}).hasColors?.());
}

async function openApp(cli: CliRun, global: GlobalFlags): Promise<ExitCode> {
	const {env, cwd} = cli;
	if (!cli.stdin.isTTY || !cli.stdout.isTTY) {
		cli.stderr.write(
			'ecs-deployer: the full-screen app needs an interactive terminal.\nIn scripts and CI use the headless commands: ecs-deployer validate|export|deploy|rollback|watch|logs|approve|reject|redeploy|cancel|run|scale|status|events|tags|release|releases|ledger|target (see ecs-deployer --help)\n',
		);
		return exitCodes.badInput;
	}
	const profile = global.profile ?? env['AWS_PROFILE'];
	const endpoint = global.endpointUrl ?? env['AWS_ENDPOINT_URL'];
	const sandbox = Boolean(global.sandbox) || env['ECS_DEPLOYER_SANDBOX'] === '1';
	const storeFolder = storeFolderFor(env, cwd);
	// The recipes are read (summaries cached beside the workspace's other files) while the app's modules load:
	// the first frame shows the projects and waits for whichever comes last, not for one after the other.
	const catalog = import('./ui/file-catalog.js').then(({fileCatalog}) => {
		const made = fileCatalog(cwd, global.recipe, path.join(storeFolder, 'recipe-summaries.json'));
		// Its answer is kept for the first frame (a failure shows there).
		made.list().catch(() => undefined);
		return made;
	});
	// The app draws on the process's terminal (only dist/cli.js passes terminals).
	const [{runApp}, recipes] = await Promise.all([import('./ui/run.js'), catalog]);
	return runApp({
		sandbox,
		catalog: recipes,
		// The engine (domain, workspace store, sandbox) loads after the first frame is on screen: the status reads first.
		engine: async () => {
			const {composeStagedEngine} = await import('./composition.js');
			return composeStagedEngine({storeFolder, sandbox, env, cwd, ...(profile ? {profile} : {}), ...(endpoint ? {endpoint} : {})});
		},
	});
}

/** An unexpected failure of a command, said in a few lines (the stack only with DEBUG=1), and its exit code. */
function unexpected(cli: CliRun, cause: unknown): ExitCode {
	const {message, code} = describeUnexpected(cause);
	// Through the one output filter: the message may quote a file name or an AWS message.
	const out = createOutput({stdout: cli.stdout, stderr: cli.stderr, env: cli.env, noColor: true});
	for (const line of message.split('\n')) out.note(line);
	if (cli.env['DEBUG'] && cause instanceof Error) for (const line of String(cause.stack).split('\n')) out.note(line);
	return code;
}

/**
 * Runs the CLI once: `ecs-deployer ARGS…` on what `cli` gives, to its exit code. Every listener it adds
 * (interrupts) is removed before it returns.
 */
export async function runCli(cli: CliRun): Promise<ExitCode> {
	/** What the command's action handed over: its exit code, to come. */
	let outcome: Promise<ExitCode> | undefined;
	const stopListening: Array<() => void> = [];
	/** First Ctrl+C (or SIGTERM): stop watching (the operation goes on in AWS) and say how to re-attach; a second one quits at once. */
	const interruptible = (): AbortSignal => {
		const controller = new AbortController();
		const {interrupts} = cli;
		if (interrupts) {
			stopListening.push(
				interrupts.listen(signal => {
					if (controller.signal.aborted) interrupts.quit(exitCodes.interrupted);
					cli.stderr.write(`\n${signal === 'SIGTERM' ? 'terminated' : 'interrupted'}: stopping (press Ctrl+C again to quit at once)\n`);
					controller.abort();
				}),
			);
		}
		return controller.signal;
	};
	const program = rootProgram(cli);
	const argv = [...cli.argv];
	try {
		// No command: the full-screen app (global flags still apply), without the commands' definitions. The
		// global options end at the first word that is not one (a command's name, as commander stops there when
		// the commands are known): what follows is the command's, `release create --version 1.0.0` included.
		const {operands, unknown} = program.passThroughOptions(true).parseOptions(argv);
		program.passThroughOptions(false);
		const wantsHelp = argv.some(a => ['-h', '--help', '-v', '--version'].includes(a));
		// An unknown option (`--bogus status`) is an error from commander, never the app.
		if (operands.length === 0 && unknown.length === 0 && !wantsHelp) outcome = openApp(cli, program.opts<GlobalFlags>());
		else {
			const {addCommands} = await import('./cli-commands.js');
			addCommands(
				program,
				cli,
				code => {
					outcome = code;
					// Awaited once commander is done with the action; a failure meanwhile is not an unhandled rejection.
					code.catch(() => undefined);
				},
				interruptible,
			);
			await program.parseAsync(argv, {from: 'user'});
		}
		return await (outcome ?? exitCodes.success);
	} catch (cause) {
		// Commander has printed its message (unknown option or command, missing argument, help, version).
		if (cause instanceof CommanderError) return cause.code === 'commander.helpDisplayed' || cause.code === 'commander.version' || cause.code === 'commander.help' ? exitCodes.success : exitCodes.badInput;
		return unexpected(cli, cause);
	} finally {
		for (const stop of stopListening) stop();
	}
}
