import {Command, CommanderError, Option} from 'commander';
import packageJson from '../package.json' with {type: 'json'};
import type {CompositionOptions} from './composition.js';
import type {Engine} from './engine/engine.js';
import {exitCodes, type ExitCode} from './exit-codes.js';
import type {DeployFlags, RunIo} from './headless/commands/deploy.js';
import type {ExportFlags} from './headless/commands/export.js';
import type {IamPolicyFlags} from './headless/commands/iam-policy.js';
import type {LogsFlags} from './headless/commands/logs.js';
import type {LedgerImportFlags, ReleaseCreateFlags, TagsFlags} from './headless/commands/release.js';
import type {TargetAddFlags} from './headless/commands/target.js';
import type {RecipeFlags} from './headless/commands/validate.js';
import type {VerifyFlags} from './headless/commands/verify.js';
import type {ServiceActionFlags} from './headless/commands/service-actions.js';
import type {RunTaskFlags} from './headless/commands/run-task.js';
import {createOutput, type Output} from './headless/output.js';
import {choiceFromFlags, targetFromFlags} from './headless/target-flags.js';
import type {RecipeDocument} from './domain/recipe/schema.js';
import {storeFolderFor} from './io/store-folder.js';
import type {CliOutputStream, CliRun, GlobalFlags} from './run-cli.js';

/*
 * The command line as commander reads it: the global options, and the commands (validate, deploy, status,
 * target add…). run-cli.ts loads it for anything but the app on plain flags.
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

type TargetFlags = {target?: string; cluster?: string; region?: string; profile?: string; endpointUrl?: string};

/**
 * Adds every command to `program` (its global options already declared). A command's action hands its exit code,
 * to come, to `run`; `interruptible` gives a command that watches AWS the signal of the run's interrupts.
 */
function addCommands(program: Command, cli: CliRun, run: (code: Promise<ExitCode>) => void, interruptible: () => AbortSignal): void {
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
		const {composeEngine} = await import('./composition.js');
		const profile = flags.profile ?? globals().profile ?? env['AWS_PROFILE'];
		const endpoint = flags.endpointUrl ?? globals().endpointUrl ?? env['AWS_ENDPOINT_URL'];
		const options: CompositionOptions = {storeFolder: storeFolderFor(env, cwd), sandbox: sandboxMode(), env, cwd, ...(profile ? {profile} : {}), ...(endpoint ? {endpoint} : {})};
		return composeEngine(options);
	};
	const io = async (json: boolean): Promise<RunIo> => {
		const {canPrompt, terminalPrompter} = await import('./headless/prompter.js');
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
		const {readRecipeFile} = await import('./io/recipe-files.js');
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

	recipeOptions(program.command('validate').description('check a recipe for an environment without touching AWS'))
		.option('--json', 'print the result as JSON')
		.action(async (flags: RecipeFlags) => {
			const {validateCommand} = await import('./headless/commands/validate.js');
			run(validateCommand(flags, await engineFor(), output()));
		});

	targetOptions(program.command('verify').description("pre-flight checks of a recipe on its target: roles and their trust, subnets and security groups, target groups, secrets the execution role may read, image platforms (every deploy runs them first)"))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('-i, --image <ref=tag>', "image tag whose platforms to check (repeatable; default: the recipe's tag)", collect)
		.option('--no-verify-cache', 'check again what passed in the last 10 minutes')
		.option('--json', 'print the checks as JSON')
		.action(async (flags: TargetFlags & VerifyFlags) => {
			const out = output();
			const found = await recipeWithTarget(flags, () => flags.env, out);
			if (!found) return bad();
			const {verifyCommand} = await import('./headless/commands/verify.js');
			run(verifyCommand(flags, found.target, found.engine, out));
		});

	recipeOptions(program.command('export').description('write the CloudFormation template for an environment'))
		.addOption(new Option('-f, --format <format>', 'template format').choices(['yaml', 'json']).default('yaml'))
		.option('-o, --out <file>', 'write to a file instead of stdout (never over the recipe; over another file only with --force)')
		.option('--force', 'overwrite the --out file if it exists')
		.action(async (flags: ExportFlags) => {
			const {exportCommand} = await import('./headless/commands/export.js');
			run(exportCommand(flags, await engineFor(), output(), cli.stdout));
		});

	const deployOptions = (command: Command) =>
		targetOptions(command)
			.requiredOption('-r, --recipe <file>', 'recipe YAML file')
			.requiredOption('-e, --env <name>', 'environment to deploy to')
			.option('--preview', 'show the change set and stop')
			.option('-y, --yes', 'apply the change set without asking (and recreate a stack that never got created)')
			.option('--recreate', 'for UPDATE_ROLLBACK_FAILED: delete and recreate instead of continuing the rollback')
			.option('--no-wait', 'return once the stack operation has started')
			.option('--timeout <minutes>', 'cancel the update after this many minutes')
			.option('--cancel-on-interrupt', 'on Ctrl+C, cancel the update instead of leaving it running')
			.option('--allow-moved-tags', 'deploy a release even if its image tags now point at other images')
			.option('--skip-lifecycle', 'deploy even if the previous environment has not run this release')
			.option('--no-verify-cache', 'run every pre-flight check again, even those that passed in the last 10 minutes')
			.option('--approve-after <minutes>', 'approve a deployment waiting at its approval gate by itself after this many minutes (1-1440)')
			.option('--skip-before-deploy', "do not run the recipe's beforeDeploy tasks (migrations already applied, or run by hand)")
			.option('--json', 'JSON lines for events, one JSON document for the result');

	deployOptions(program.command('deploy').description('deploy a release (or image tags) of a recipe to an environment'))
		.option('-i, --image <ref=tag>', 'image tag (repeatable); a release is recorded for it', collect)
		.option('--release <version>', 'a release to deploy (made with release create, or running in another environment)')
		.option('--release-version <version>', 'version for the release made from --image (default: the first image\'s tag)')
		.option('--channel <name>', 'channel of the release made from --image (default: the recipe\'s default channel)')
		.action(async (flags: DeployFlags) => {
			const {deployCommand} = await import('./headless/commands/deploy.js');
			run(deployCommand(flags, await engineFor(flags), output(), await io(Boolean(flags.json))));
		});

	deployOptions(program.command('rollback').description('deploy an earlier release again'))
		.option('--to <version>', 'release version, or "previous": the last one that served before the current (default: ask, or previous)')
		.action(async (flags: DeployFlags & {to?: string}) => {
			const {rollbackCommand} = await import('./headless/commands/rollback.js');
			run(rollbackCommand(flags, await engineFor(flags), output(), await io(Boolean(flags.json))));
		});

	targetOptions(program.command('watch').description('re-attach to a deploy in progress, or show how the last one ended'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('--json', 'JSON lines')
		.action(async (flags: TargetFlags & {recipe: string; env: string; json?: boolean}) => {
			const {watchCommand} = await import('./headless/commands/watch.js');
			run(watchCommand(flags, await engineFor(flags), output(), await io(true)));
		});

	targetOptions(program.command('logs').description("the CloudWatch logs of an environment's tasks (its PRIMARY deployment's, or one task's)"))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('-f, --follow', 'keep printing new lines until Ctrl+C')
		.option('--since <duration>', 'only lines from this long ago: 90s, 10m, 2h, 1d')
		.option('--task <id>', 'only this task (its id or ARN)')
		.option('--container <name>', 'only this container')
		.option('--json', 'one JSON object per line')
		.action(async (flags: LogsFlags) => {
			const {logsCommand} = await import('./headless/commands/logs.js');
			run(logsCommand(flags, await engineFor(flags), output(), await io(true)));
		});

	const serviceAction = (name: 'approve' | 'reject' | 'redeploy' | 'cancel' | 'scale', description: string, withYes: boolean) => {
		const command = targetOptions(program.command(name).description(description))
			.requiredOption('-r, --recipe <file>', 'recipe YAML file')
			.requiredOption('-e, --env <name>', 'environment')
			.option('--json', 'JSON lines for events, one JSON document for the result');
		if (name === 'scale') command.requiredOption('--count <tasks>', 'how many tasks to run (0-10000)');
		if (withYes) command.option('-y, --yes', `${name} without asking`);
		command.action(async (flags: ServiceActionFlags) => {
			const {serviceActionCommand} = await import('./headless/commands/service-actions.js');
			run(serviceActionCommand(name, flags, await engineFor(flags), output(), await io(Boolean(flags.json))));
		});
	};
	serviceAction('approve', 'promote the deployment waiting at its approval gate (ECS goes on: ContinueServiceDeployment CONTINUE)', false);
	serviceAction('reject', 'roll back the deployment waiting at its approval gate (ContinueServiceDeployment ROLLBACK)', false);
	serviceAction('redeploy', 'start a fresh ECS deployment of the release that runs (new tasks; the stack is not changed)', true);
	serviceAction('cancel', 'cancel the update in progress (CancelUpdateStack): the previous release comes back', true);
	serviceAction('scale', 'set how many tasks the service runs (UpdateService desiredCount; within autoScaling\'s min and max)', true);

	targetOptions(program.command('run').description("run a one-off task (a migration) from the release an environment runs, in its service's network; exits with the container's exit code"))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('-c, --container <name>', 'the container to run (default: the first essential one)')
		.option('--json', 'JSON lines for events, one JSON document for the result')
		.argument('[command...]', 'the command instead of the image\'s (after --: ecs-deployer run -r r.yaml -e dev -- npm run migrate)')
		.action(async (command: string[], flags: RunTaskFlags) => {
			const {runTaskCommand} = await import('./headless/commands/run-task.js');
			run(runTaskCommand(flags, command, await engineFor(flags), output(), await io(Boolean(flags.json))) as Promise<ExitCode>);
		});

	targetOptions(program.command('status').description('per environment: stack, release, rollout, tasks and the last deployment'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('-e, --env <name>', 'one environment (default: all)')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & {recipe: string; env?: string; json?: boolean}) => {
			const out = output();
			const recipe = await recipeOrProblems(flags.recipe, out);
			if (!recipe) return bad();
			const engine = await engineFor(flags);
			const targets = new Map<string, ReturnType<typeof targetsOf>>();
			for (const e of recipe.environments) if (flags.env === undefined || flags.env === e.name) targets.set(e.name, targetsOf(engine, flags, recipe, e.name, out));
			if ([...targets.values()].some(t => t === undefined)) return bad();
			const {statusCommand} = await import('./headless/commands/history.js');
			run(statusCommand(recipe, flags.env, name => targets.get(name)!, engine, out, Boolean(flags.json)));
		});

	targetOptions(program.command('events').description('stack event history, newest operation first'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('-n, --limit <count>', 'how many events at most', '200')
		.option('--operation <id>', 'only this operation')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & {recipe: string; env: string; limit: string; operation?: string; json?: boolean}) => {
			const out = output();
			const [{wholeNumber}, recipe] = await Promise.all([import('./headless/flags.js'), recipeOrProblems(flags.recipe, out)]);
			const limit = wholeNumber('--limit', flags.limit, 1, 100_000);
			if (limit.problem) out.note(`error: --limit: ${limit.problem.message}`);
			if (!recipe || limit.problem) return bad();
			if (!recipe.environments.some(e => e.name === flags.env)) {
				out.note(`error: --env: ${recipe.name} has no environment "${flags.env}" (its environments: ${recipe.environments.map(e => e.name).join(', ')})`);
				return bad();
			}
			const engine = await engineFor(flags);
			const target = targetFor(engine, flags, flags.env, out, recipe);
			if (!target) return bad();
			const {eventsCommand} = await import('./headless/commands/history.js');
			run(eventsCommand(recipe, flags.env, target, {limit: limit.value!, ...(flags.operation ? {operation: flags.operation} : {}), json: Boolean(flags.json)}, engine, out));
		});

	targetOptions(program.command('tags').description('list an image\'s tags from ECR, as semver, newest first'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--image <ref>', 'image ref (default: the first image)')
		.option('--channel <name>', 'only tags the channel allows')
		.option('-e, --env <name>', 'environment whose target to use')
		.option('--all', 'also list tags that are not semver')
		.option('--limit <count>', 'how many versions to list', '50')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & TagsFlags & {recipe: string; env?: string}) => {
			const out = output();
			const found = await recipeWithTarget(flags, recipe => flags.env ?? recipe.environments[0]?.name, out);
			if (!found) return bad();
			const {tagsCommand} = await import('./headless/commands/release.js');
			run(tagsCommand(found.recipe, flags, found.target, found.engine, out));
		});

	const release = program.command('release').description('create releases');
	targetOptions(release.command('create').description('pin each image\'s tag and digest as a release'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--version <version>', 'release version (default: the first image\'s tag, or the last release + 1)')
		.option('-i, --image <ref=tag>', 'image tag (default: the newest stable tag the channel allows)', collect)
		.option('--channel <name>', 'channel (default: the recipe\'s default channel)')
		.option('--notes <text>', 'release notes')
		.option('--like <version>', "the images of this release, with today's recipe (to release a recipe change)")
		.option('-e, --env <name>', 'environment whose target to use for ECR')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & ReleaseCreateFlags & {recipe: string; env?: string}) => {
			const out = output();
			const found = await recipeWithTarget(flags, recipe => flags.env ?? recipe.environments[0]?.name, out);
			if (!found) return bad();
			const {releaseCreateCommand} = await import('./headless/commands/release.js');
			run(releaseCreateCommand(found.recipe, flags, found.target, found.engine, out));
		});

	targetOptions(program.command('releases').description('releases, where each is deployed and how each deployment ended'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & {recipe: string; json?: boolean}) => {
			const out = output();
			const recipe = await recipeOrProblems(flags.recipe, out);
			if (!recipe) return bad();
			const engine = await engineFor(flags);
			const targets = new Map(recipe.environments.map(e => [e.name, targetsOf(engine, flags, recipe, e.name, out)]));
			if ([...targets.values()].some(t => t === undefined)) return bad();
			const {releasesCommand} = await import('./headless/commands/history.js');
			run(releasesCommand(recipe, name => targets.get(name)!, engine, out, Boolean(flags.json)));
		});

	const ledger = program.command('ledger').description('the shared ledger of releases and deployment records (docs/ledger.md)');
	targetOptions(ledger.command('import').description("copy this workspace's releases and deployment records of a recipe's project into its S3 ledger (nothing is overwritten)"))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file (its project, and its ledger)')
		.option('--to <s3-url>', "the S3 ledger to copy into: s3://bucket/prefix (default: the recipe's or the target's ledger)")
		.option('-e, --env <name>', 'environment whose target (credentials) reaches the bucket')
		.option('--json', 'print JSON')
		.action(async (flags: TargetFlags & LedgerImportFlags & {recipe: string; env?: string}) => {
			const out = output();
			const found = await recipeWithTarget(flags, recipe => flags.env ?? recipe.environments[0]?.name, out);
			if (!found) return bad();
			const {ledgerImportCommand} = await import('./headless/commands/release.js');
			run(ledgerImportCommand(found.recipe, flags, found.target, found.engine, out));
		});

	const target = program.command('target').description('ECS cluster targets (kept in .ecs-deployer/ of this workspace)');
	target
		.command('add')
		.description('add or replace a target')
		.requiredOption('--name <name>', 'target name')
		.requiredOption('--region <region>', 'AWS region')
		.requiredOption('--cluster <name>', 'ECS cluster name')
		.option('--env <name>', 'an environment it serves (repeatable)', collect)
		.option('--tag <tag>', 'a target tag (repeatable)', collect)
		.option('--profile <name>', 'named AWS profile (default: the default credential chain)')
		.option('--role-arn <arn>', 'assume this role')
		.option('--external-id <id>', 'external id for the role')
		.option('--session-name <name>', 'role session name')
		.option('--duration <seconds>', 'role session duration')
		.option('--ledger <s3-url>', 'keep the releases and deployment records of recipes deployed here in this S3 bucket (s3://bucket/prefix), unless the recipe names a ledger')
		.exitOverride()
		.action(async (flags: TargetAddFlags) => {
			const {targetAddCommand} = await import('./headless/commands/target.js');
			run(Promise.resolve(targetAddCommand(flags, await engineFor(), output())));
		});
	target
		.command('list')
		.description('list targets')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {json?: boolean}) => {
			const {targetListCommand} = await import('./headless/commands/target.js');
			run(Promise.resolve(targetListCommand(await engineFor(), output(), Boolean(flags.json))));
		});
	target
		.command('remove <name>')
		.description('remove a target')
		.exitOverride()
		.action(async (name: string) => {
			const {targetRemoveCommand} = await import('./headless/commands/target.js');
			run(Promise.resolve(targetRemoveCommand(name, await engineFor(), output())));
		});
	target
		.command('verify <name>')
		.description('check the credentials and the cluster')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (name: string, flags: {json?: boolean}) => {
			const {targetVerifyCommand} = await import('./headless/commands/target.js');
			run(targetVerifyCommand(name, await engineFor(), output(), Boolean(flags.json)));
		});

	program
		.command('sandbox')
		.description('the built-in sandbox account')
		.command('reset')
		.description('forget every sandbox stack, service and log; seed ECR again')
		.exitOverride()
		.action(async () => {
			const {resetSandbox} = await import('./composition.js');
			await resetSandbox({storeFolder: storeFolderFor(env, cwd), env, cwd});
			output().line(`the sandbox account is fresh again (${env['ECS_DEPLOYER_SANDBOX_HOME'] || storeFolderFor(env, cwd)})`);
			run(Promise.resolve(exitCodes.success));
		});

	program
		.command('iam-policy')
		.description('print the least-privilege IAM policy for deploying a recipe (its stacks, cluster, roles, log groups and secrets)')
		.requiredOption('-r, --recipe <file>', 'the recipe whose environments the policy covers')
		.option('--region <region>', 'region of every environment (default: the target that serves each; else "*")')
		.option('--account <id>', 'account id of every environment (default: the target that serves each; else "*")')
		.option('--cluster <name>', 'ECS cluster of every environment (default: the target that serves each; else "*")')
		.option('--permissions-boundary <arn>', "the boundary every role the stacks create must have; fails unless the recipe's permissionsBoundary is the same")
		.option('--ledger-only', "only the statements for the recipe's S3 ledger (list, read and write under its prefix), as a policy of their own")
		.option('--preflight-only', "only the read statements of the pre-flight verify (roles, network, target groups, referenced secrets and parameters, image manifests), as a policy of their own")
		.exitOverride()
		.action(async (flags: IamPolicyFlags) => {
			const out = output();
			const recipe = await recipeOrProblems(flags.recipe, out);
			if (!recipe) return bad();
			const {iamPolicyCommand} = await import('./headless/commands/iam-policy.js');
			run(iamPolicyCommand(flags, recipe, await engineFor(), out));
		});

	// Every command takes --sandbox too, before or after its name.
	const commands = (command: Command): Command[] => command.commands.flatMap(c => (c.commands.length > 0 ? commands(c) : [c]));
	for (const command of commands(program)) command.option('--sandbox', 'use the built-in sandbox account (simulated AWS; also: ECS_DEPLOYER_SANDBOX=1)');
}
