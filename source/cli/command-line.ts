import {Command, CommanderError} from 'commander';
import packageJson from '../../package.json' with {type: 'json'};
import type {CompositionOptions} from '../composition.js';
import type {Engine} from '../engine/engine.js';
import {exitCodes, type ExitCode} from '../exit-codes.js';
import type {RunIo} from '../headless/commands/deploy.js';
import {createOutput, type Output} from '../headless/output.js';
import {choiceFromFlags, targetFromFlags} from '../headless/target-flags.js';
import type {RecipeDocument} from '../domain/recipe/schema.js';
import {storeFolderFor} from '../io/store-folder.js';
import type {CliOutputStream, CliRun, GlobalFlags} from '../run-cli.js';
import {addDeployCommands} from './deploy-commands.js';
import {addHistoryCommands} from './history-commands.js';
import {addIamPolicyCommand, addRecipeCommands} from './recipe-commands.js';
import {addTargetCommands} from './target-commands.js';

/*
 * The command line as commander reads it: the global options, what the commands share, and the commands in
 * their groups (recipe-, deploy-, history- and target-commands.ts). run-cli.ts loads it for anything but the app
 * on plain flags.
 */

/**
 * Runs the command line: a command, help, the version, or (no command) the app on the global flags, through
 * `openApp`. Commander's own messages (an unknown option or command, a missing argument) exit 2.
 */
export async function runCommandLine(cli: CliRun, interruptible: () => AbortSignal, openApp: (global: GlobalFlags) => Promise<ExitCode>): Promise<ExitCode> {
	/** What the command's action handed over: its exit code, to come. */
	let outcome: Promise<ExitCode> | undefined;
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
		if (operands.length === 0 && unknown.length === 0 && !wantsHelp) return await openApp(program.opts<GlobalFlags>());
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
		return await (outcome ?? exitCodes.success);
	} catch (cause) {
		// Commander has printed its message (unknown option or command, missing argument, help, version).
		if (cause instanceof CommanderError) return cause.code === 'commander.helpDisplayed' || cause.code === 'commander.version' || cause.code === 'commander.help' ? exitCodes.success : exitCodes.badInput;
		throw cause;
	}
}

/** The program with the global options only: enough to tell the app from a command (addCommands adds those). */
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

/** The flags that choose a command's target. */
export type TargetFlags = {target?: string; cluster?: string; region?: string; profile?: string; endpointUrl?: string};

/**
 * What the commands share: the run's streams and environment, the output, the engine for a command's flags, the
 * prompter and interrupts, the common options, and reading a command's recipe and target (each printing why
 * not). `run` takes a command's exit code, to come.
 */
function commandKit(program: Command, cli: CliRun, run: (code: Promise<ExitCode>) => void, interruptible: () => AbortSignal) {
	const {env, cwd} = cli;
	const globals = () => program.opts<GlobalFlags>();
	const output = () => createOutput({stdout: cli.stdout, stderr: cli.stderr, env, noColor: globals().color === false});
	/** `--sandbox` after the command's name (`deploy --sandbox …`): the README says to add it to any command. */
	let sandboxAfterCommand = false;
	program.hook('preAction', (_, action) => {
		if (action.opts<{sandbox?: boolean}>().sandbox) sandboxAfterCommand = true;
	});
	const sandboxMode = () => Boolean(globals().sandbox) || sandboxAfterCommand || env['ECS_DEPLOYER_SANDBOX'] === '1';
	/** Global flags a printed command must repeat to reach the same account. */
	const globalArgs = () => [...(sandboxMode() ? ['--sandbox'] : []), ...(globals().profile ? ['--profile', globals().profile!] : [])];
	const engineFor = async (flags: TargetFlags = {}): Promise<Engine> => {
		const {composeEngine} = await import('../composition.js');
		const profile = flags.profile ?? globals().profile ?? env['AWS_PROFILE'];
		const endpoint = flags.endpointUrl ?? globals().endpointUrl ?? env['AWS_ENDPOINT_URL'];
		const options: CompositionOptions = {storeFolder: storeFolderFor(env, cwd), sandbox: sandboxMode(), env, cwd, ...(profile ? {profile} : {}), ...(endpoint ? {endpoint} : {})};
		return composeEngine(options);
	};
	const io = async (json: boolean): Promise<RunIo> => {
		const {canPrompt, terminalPrompter} = await import('../headless/prompter.js');
		return {signal: interruptible(), env, globalArgs: globalArgs(), ...(!json && canPrompt(cli.stdin, cli.stderr) ? {prompter: terminalPrompter({input: cli.stdin, output: cli.stderr})} : {})};
	};
	const collect = (value: string, previous: string[] = []) => [...previous, value];
	const recipeOptions = (command: Command) =>
		command
			.requiredOption('-r, --recipe <file>', 'recipe YAML file')
			.requiredOption('-e, --env <name>', 'environment to resolve the recipe for')
			.option('-i, --image <ref=tag>', 'image tag for the release (repeatable)', collect)
			.option('--release-version <version>', 'release version (for #{Release.Version})')
			.option('--cluster <name>', 'target cluster (default: the target that serves --env)')
			.option('--region <region>', 'target region (default: the target that serves --env)')
			.option('--account <id>', 'target account id (for ECR image references)')
			.exitOverride();
	const targetOptions = (command: Command) =>
		command
			.option('-t, --target <name>', 'stored target to use (default: the one that serves --env; "sandbox": the simulated account)')
			.option('--cluster <name>', 'ECS cluster (instead of a stored target)')
			.option('--region <region>', 'AWS region (also: AWS_REGION)')
			.option('--profile <name>', 'AWS profile for this run (also: AWS_PROFILE)')
			.option('--endpoint-url <url>', 'custom AWS endpoint (also: AWS_ENDPOINT_URL)')
			.exitOverride();
	/** The recipe of a command, or undefined after printing why it cannot be read. */
	const recipeOrProblems = async (file: string, out: Output) => {
		const {readRecipeFile} = await import('../io/recipe-files.js');
		const parsed = await readRecipeFile(file, cwd).catch((error: Error) => ({recipe: undefined, problems: [{path: 'recipe', message: error.message, severity: 'error' as const}]}));
		if (!parsed.recipe) for (const p of parsed.problems) out.note(`error: ${p.path}${'line' in p && p.line !== undefined ? ` (line ${p.line})` : ''}: ${p.message}`);
		return parsed.recipe;
	};
	/** The target for a command that reads AWS (chosen with the recipe's target tags too); undefined after printing why there is none. */
	const targetFor = (engine: Engine, flags: TargetFlags, environment: string | undefined, out: Output, recipe?: RecipeDocument) => {
		const {picked} = recipe && environment !== undefined ? {picked: engine.targetOf(recipe, environment, choiceFromFlags(flags, env).choice)} : targetFromFlags(engine, flags, environment, env);
		if ('error' in picked) {
			out.note(`error: ${picked.path}: ${picked.error}`);
			return undefined;
		}
		return picked.target;
	};
	/** Every target of a recipe's environment (several in name order: two regions, two accounts); undefined after printing why there is none. */
	const targetsOf = (engine: Engine, flags: TargetFlags, recipe: RecipeDocument, environment: string, out: Output) => {
		const picked = engine.targetsFor(recipe, environment, choiceFromFlags(flags, env).choice);
		if ('error' in picked) {
			out.note(`error: ${picked.path}: ${picked.error}`);
			return undefined;
		}
		return picked.targets;
	};
	const bad = () => run(Promise.resolve(exitCodes.badInput));
	/** For a command about one environment of a recipe: the recipe, the engine and that environment's target; undefined after printing why not. */
	const recipeWithTarget = async (flags: TargetFlags & {recipe: string}, environment: (recipe: {environments: readonly {name: string}[]}) => string | undefined, out: Output) => {
		const recipe = await recipeOrProblems(flags.recipe, out);
		if (!recipe) return undefined;
		const engine = await engineFor(flags);
		const target = targetFor(engine, flags, environment(recipe), out, recipe);
		return target ? {recipe, engine, target} : undefined;
	};
	return {run, cli, env, cwd, globals, output, engineFor, io, collect, recipeOptions, targetOptions, recipeOrProblems, targetFor, targetsOf, bad, recipeWithTarget};
}

/** The helpers every group of commands takes. */
export type CommandKit = ReturnType<typeof commandKit>;

/**
 * Adds every command to `program` (its global options already declared), in the order help lists them. A
 * command's action hands its exit code, to come, to `run`; `interruptible` gives a command that watches AWS the
 * signal of the run's interrupts.
 */
function addCommands(program: Command, cli: CliRun, run: (code: Promise<ExitCode>) => void, interruptible: () => AbortSignal): void {
	const kit = commandKit(program, cli, run, interruptible);
	addRecipeCommands(program, kit);
	addDeployCommands(program, kit);
	addHistoryCommands(program, kit);
	addTargetCommands(program, kit);
	addIamPolicyCommand(program, kit);
	// Every command takes --sandbox too, before or after its name.
	const commands = (command: Command): Command[] => command.commands.flatMap(c => (c.commands.length > 0 ? commands(c) : [c]));
	for (const command of commands(program)) command.option('--sandbox', 'use the built-in sandbox account (simulated AWS; also: ECS_DEPLOYER_SANDBOX=1)');
}
