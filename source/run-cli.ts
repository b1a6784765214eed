import path from 'node:path';
import {exitCodes, type ExitCode} from './exit-codes.js';
import {createOutput} from './headless/output.js';
import {storeFolderFor} from './io/store-folder.js';
import {describeUnexpected} from './unexpected.js';

/**
 * Composition root: parses argv, builds the engine (composition.ts), then runs a headless command (a thin
 * face: flags in, the engine's use case, lines out; the command line is in cli/command-line.ts) or opens the
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

/**
 * The app's flags when the arguments are only global options in their plain forms (`--sandbox`, `--no-color`,
 * `--profile NAME`, `--endpoint-url URL`, `-r FILE` or `--recipe FILE` repeated, the long ones as `--name=value`
 * too), read as commander reads them, without loading commander and every command's definition: the app's
 * first frame is sooner. Anything else (a command, help, a value that starts with `-` or is empty, an option
 * given twice that takes one value): undefined, and commander decides.
 */
export function plainAppFlags(argv: readonly string[]): GlobalFlags | undefined {
	// Commander's default for a `--no-` option.
	const flags: GlobalFlags = {color: true};
	const valued = {'--profile': 'profile', '--endpoint-url': 'endpointUrl', '-r': 'recipe', '--recipe': 'recipe'} as const;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--sandbox') flags.sandbox = true;
		else if (arg === '--no-color') flags.color = false;
		else {
			const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
			const key = Object.hasOwn(valued, name) ? valued[name as keyof typeof valued] : undefined;
			if (key === undefined) return undefined;
			const value = inline ?? argv[++i];
			if (value === undefined || value === '' || value.startsWith('-')) return undefined;
			if (key === 'recipe') flags.recipe = [...(flags.recipe ?? []), value];
			else if (flags[key] !== undefined) return undefined;
			else flags[key] = value;
		}
	}
	return flags;
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
	try {
		// The app on its plain flags: commander is not loaded.
		const plain = plainAppFlags(cli.argv);
		if (plain) return await openApp(cli, plain);
		const {runCommandLine} = await import('./cli/command-line.js');
		return await runCommandLine(cli, interruptible, global => openApp(cli, global));
	} catch (cause) {
		return unexpected(cli, cause);
	} finally {
		for (const stop of stopListening) stop();
	}
}
