#!/usr/bin/env node
// The AWS SDK warns on Node 20 at import time; set this before anything can load it (the SDK loads lazily).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import path from 'node:path';
import {Command, CommanderError, Option} from 'commander';
import packageJson from '../package.json' with {type: 'json'};
import {exitCodes, type ExitCode} from './exit-codes.js';
import type {DeployFlags} from './headless/commands/deploy.js';
import type {Target} from './store/types.js';
import type {ExportFlags} from './headless/commands/export.js';
import type {RecipeFlags} from './headless/commands/shared.js';
import {createOutput} from './headless/output.js';

/**
 * Composition root: parses argv, then runs a headless command or opens the full-screen app.
 * Only this file knows every layer; the TUI is imported lazily so headless runs never load Ink or React.
 */
function createProgram(run: (code: Promise<ExitCode>) => void): Command {
	const program = new Command('ecs-deployer')
		.description('Deploy containerised services to Amazon ECS (Fargate) through CloudFormation.')
		.version(packageJson.version, '-v, --version', 'print the version')
		.helpOption('-h, --help', 'show help')
		.option('--no-color', 'plain output without colours (also: NO_COLOR=1)')
		.option('--profile <name>', 'AWS profile for this run (also: AWS_PROFILE)')
		.option('--endpoint-url <url>', 'custom AWS endpoint for this run (also: AWS_ENDPOINT_URL)')
		.option('--sandbox', 'use the built-in sandbox account (simulated AWS; also: ECS_DEPLOYER_SANDBOX=1)')
		.showSuggestionAfterError(true)
		// Global options go before the command; each AWS command takes --profile/--endpoint-url itself too.
		.enablePositionalOptions()
		.exitOverride()
		.addHelpText('after', '\nRun without a command to open the full-screen app.\nExit codes: 0 success, 1 deployment failed, 2 bad input, 3 AWS access problem, 130 interrupted.')
		.action(() => run(openApp()));

	const output = () => createOutput({noColor: program.opts<{color: boolean}>().color === false});
	const collect = (value: string, previous: string[] = []) => [...previous, value];
	const recipeOptions = (command: Command) =>
		command
			.requiredOption('-r, --recipe <file>', 'recipe YAML file')
			.requiredOption('-e, --env <name>', 'environment to resolve the recipe for')
			.option('-i, --image <ref=tag>', 'image tag for the release (repeatable)', collect)
			.option('--release-version <version>', 'release version (for #{Release.Version})')
			.option('--cluster <name>', 'target cluster (for #{Target.Cluster} and the ClusterName default)')
			.option('--region <region>', 'target region (for #{Target.Region})')
			.option('--account <id>', 'target account id (for ECR image references)')
			.exitOverride();

	recipeOptions(program.command('validate').description('check a recipe for an environment without touching AWS'))
		.option('--json', 'print the result as JSON')
		.action(async (flags: RecipeFlags) => {
			const {validateCommand} = await import('./headless/commands/validate.js');
			run(validateCommand(flags, output()));
		});

	recipeOptions(program.command('export').description('write the CloudFormation template for an environment'))
		.addOption(new Option('-f, --format <format>', 'template format').choices(['yaml', 'json']).default('yaml'))
		.option('-o, --out <file>', 'write to a file instead of stdout')
		.action(async (flags: ExportFlags) => {
			const {exportCommand} = await import('./headless/commands/export.js');
			run(exportCommand(flags, output()));
		});

	const storeFolder = () => process.env['ECS_DEPLOYER_HOME'] ?? path.join(process.cwd(), '.ecs-deployer');
	const store = async () => {
		const {WorkspaceStore} = await import('./store/workspace-store.js');
		return new WorkspaceStore({cwd: storeFolder()});
	};
	const sandboxMode = () => Boolean(program.opts<{sandbox?: boolean}>().sandbox) || process.env['ECS_DEPLOYER_SANDBOX'] === '1';
	/** Polling for a target: the sandbox plays faster than AWS, so it is polled as much faster. */
	const pollingFor = async (target: Target) => {
		const [{defaultPolling}, {sandboxSpeed}] = await Promise.all([import('./engine/clock.js'), import('./aws/sandbox/index.js')]);
		if (!target.sandbox) return defaultPolling;
		const speed = sandboxSpeed();
		return {...defaultPolling, activeMs: defaultPolling.activeMs / speed, idleMs: defaultPolling.idleMs / speed, throttleBaseMs: defaultPolling.throttleBaseMs / speed};
	};
	const awsFor = async (target: Target, commandFlags: object = {}) => {
		if (target.sandbox) {
			const {openSandbox} = await import('./aws/sandbox/index.js');
			return openSandbox(storeFolder()).ports();
		}
		const flags = commandFlags as {profile?: string; endpointUrl?: string};
		const [{createAwsPorts}, {connectionFor}] = await Promise.all([import('./aws/clients.js'), import('./headless/commands/target.js')]);
		const global = program.opts<{profile?: string; endpointUrl?: string}>();
		const profile = flags.profile ?? global.profile ?? process.env['AWS_PROFILE'];
		const endpoint = flags.endpointUrl ?? global.endpointUrl ?? process.env['AWS_ENDPOINT_URL'];
		return createAwsPorts(connectionFor(target, {...(profile ? {profile} : {}), ...(endpoint ? {endpoint} : {})}));
	};
	/** The target for a command from --target / --cluster --region / the store; undefined after printing why not. */
	const targetFor = async (flags: {target?: string; cluster?: string; region?: string}, env: string | undefined) => {
		const [{pickTarget}, {sandboxTarget}] = await Promise.all([import('./headless/session.js'), import('./aws/sandbox/index.js')]);
		if (sandboxMode() || flags.target === 'sandbox') return sandboxTarget;
		const picked = pickTarget(await store(), flags, env);
		if ('error' in picked) {
			process.stderr.write(`error: ${picked.error}\n`);
			return undefined;
		}
		return picked.target;
	};
	const interruptible = () => {
		const controller = new AbortController();
		// conf's atomic writes (when-exit) re-raise SIGINT to kill the process at once; here Ctrl+C must
		// let the engine stop watching and say how to re-attach, so ours is the only SIGINT handler.
		process.removeAllListeners('SIGINT');
		// First Ctrl+C: stop watching (the operation goes on in AWS); a second one quits at once.
		process.on('SIGINT', () => {
			if (controller.signal.aborted) process.exit(exitCodes.interrupted);
			process.stderr.write('\ninterrupted: stopping (press Ctrl+C again to quit at once)\n');
			controller.abort();
		});
		return controller.signal;
	};
	const targetOptions = (command: Command) =>
		command
			.option('-t, --target <name>', 'stored target to use (default: the one that serves --env)')
			.option('--cluster <name>', 'ECS cluster (instead of a stored target)')
			.option('--region <region>', 'AWS region (also: AWS_REGION)')
			.option('--profile <name>', 'AWS profile for this run (also: AWS_PROFILE)')
			.option('--endpoint-url <url>', 'custom AWS endpoint (also: AWS_ENDPOINT_URL)');
	const readRecipe = async (file: string) => {
		const {readRecipeFile} = await import('./io/recipe-files.js');
		const parsed = await readRecipeFile(file).catch((error: Error) => ({recipe: undefined, problems: [{path: 'recipe', message: error.message, severity: 'error' as const}]}));
		if (!parsed.recipe) for (const p of parsed.problems) process.stderr.write(`error: ${p.path}: ${p.message}\n`);
		return parsed.recipe;
	};

	const deployAction = async (flags: DeployFlags & {target?: string}) => {
		const target = await targetFor(flags, flags.env);
		if (!target) return run(Promise.resolve(exitCodes.badInput));
		const {deployCommand} = await import('./headless/commands/deploy.js');
		const ports = await awsFor(target, flags);
		const workspace = await store();
		const polling = await pollingFor(target);
		run(deployCommand({...flags, cluster: target.cluster, region: target.region}, output(), {ports: () => ports, signal: interruptible(), store: workspace, targetName: target.name, polling}));
	};
	const deployOptions = (command: Command) =>
		targetOptions(command)
			.requiredOption('-r, --recipe <file>', 'recipe YAML file')
			.requiredOption('-e, --env <name>', 'environment to deploy to')
			.option('--preview', 'show the change set and stop')
			.option('-y, --yes', 'confirm deleting and recreating a stack that cannot be updated')
			.option('--recreate', 'for UPDATE_ROLLBACK_FAILED: delete and recreate instead of continuing the rollback')
			.option('--no-wait', 'return once the stack operation has started')
			.option('--timeout <minutes>', 'cancel the update after this many minutes')
			.option('--cancel-on-interrupt', 'on Ctrl+C, cancel the update instead of leaving it running')
			.option('--allow-moved-tags', 'deploy a release even if its image tags now point at other images')
			.option('--skip-lifecycle', 'deploy even if the previous environment has not run this release')
			.option('--json', 'JSON lines for events, one JSON document for the result')
			.exitOverride();

	deployOptions(program.command('deploy').description('deploy a release (or image tags) of a recipe to an environment'))
		.option('-i, --image <ref=tag>', 'image tag (repeatable); a release is recorded for it', collect)
		.option('--release <version>', 'a stored release to deploy')
		.option('--release-version <version>', 'version for the release made from --image (default: the first image\'s tag)')
		.action(deployAction);

	deployOptions(program.command('rollback').description('deploy an earlier release again'))
		.requiredOption('--to <version>', 'release version, or "previous" for the last successful one before the current')
		.action(async (flags: DeployFlags & {target?: string; to: string}) => {
			const recipe = await readRecipe(flags.recipe);
			if (!recipe) return run(Promise.resolve(exitCodes.badInput));
			const {previousRelease} = await import('./headless/commands/rollback.js');
			const version = flags.to === 'previous' ? previousRelease((await store()).deployments(recipe.name), flags.env) : flags.to;
			if (!version) {
				process.stderr.write(`error: --to previous: there is no earlier successful deployment of ${recipe.name} to ${flags.env}\n`);
				return run(Promise.resolve(exitCodes.badInput));
			}
			await deployAction({...flags, release: version});
		});

	targetOptions(program.command('watch').description('re-attach to a deploy in progress, or show how the last one ended'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('--json', 'JSON lines')
		.exitOverride()
		.action(async (flags: {recipe: string; env: string; json?: boolean; target?: string; cluster?: string; region?: string}) => {
			const target = await targetFor(flags, flags.env);
			if (!target) return run(Promise.resolve(exitCodes.badInput));
			const {watchCommand} = await import('./headless/commands/watch.js');
			const ports = await awsFor(target, flags);
			const polling = await pollingFor(target);
			run(watchCommand(flags, target, ports, output(), {signal: interruptible(), polling}));
		});

	targetOptions(program.command('status').description('per environment: stack, release, rollout and tasks'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('-e, --env <name>', 'one environment (default: all)')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {recipe: string; env?: string; json?: boolean; target?: string; cluster?: string; region?: string}) => {
			const recipe = await readRecipe(flags.recipe);
			const target = recipe && (await targetFor(flags, flags.env ?? recipe.environments[0]?.name));
			if (!recipe || !target) return run(Promise.resolve(exitCodes.badInput));
			const {statusCommand} = await import('./headless/commands/history.js');
			const environments = flags.env ? [flags.env] : recipe.environments.map(e => e.name);
			run(statusCommand(recipe, environments, target, await awsFor(target, flags), await store(), output(), Boolean(flags.json)));
		});

	targetOptions(program.command('events').description('stack event history, newest operation first'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('-n, --limit <count>', 'how many events at most', '200')
		.option('--operation <id>', 'only this operation')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {recipe: string; env: string; limit: string; operation?: string; json?: boolean; target?: string; cluster?: string; region?: string}) => {
			const recipe = await readRecipe(flags.recipe);
			const target = recipe && (await targetFor(flags, flags.env));
			if (!recipe || !target) return run(Promise.resolve(exitCodes.badInput));
			const {eventsCommand, stackNameFor} = await import('./headless/commands/history.js');
			const limit = Number(flags.limit);
			if (!Number.isInteger(limit) || limit < 1) {
				process.stderr.write('error: --limit must be a whole number above 0\n');
				return run(Promise.resolve(exitCodes.badInput));
			}
			run(eventsCommand(stackNameFor(recipe, flags.env, target.cluster, target.region), {limit, ...(flags.operation ? {operation: flags.operation} : {}), json: Boolean(flags.json)}, await awsFor(target, flags), output()));
		});

	targetOptions(program.command('tags').description('list an image\'s tags from ECR, as semver, newest first'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--image <ref>', 'image ref (default: the first image)')
		.option('--channel <name>', 'only tags the channel allows')
		.option('-e, --env <name>', 'environment whose target to use')
		.option('--all', 'also list tags that are not semver')
		.option('--limit <count>', 'how many versions to list', '50')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {recipe: string; env?: string; target?: string; cluster?: string; region?: string} & Parameters<typeof import('./headless/commands/release.js').tagsCommand>[1]) => {
			const recipe = await readRecipe(flags.recipe);
			const target = recipe && (await targetFor(flags, flags.env));
			if (!recipe || !target) return run(Promise.resolve(exitCodes.badInput));
			const {tagsCommand} = await import('./headless/commands/release.js');
			run(tagsCommand(recipe, flags, await awsFor(target, flags), output()));
		});

	const release = program.command('release').description('create releases');
	targetOptions(release.command('create').description('pin each image\'s tag and digest as a release'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--version <version>', 'release version (default: the first image\'s tag, or the last release + 1)')
		.option('-i, --image <ref=tag>', 'image tag (default: the newest the channel allows)', collect)
		.option('--channel <name>', 'channel (default: the recipe\'s default channel)')
		.option('--notes <text>', 'release notes')
		.option('-e, --env <name>', 'environment whose target to use for ECR')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {recipe: string; env?: string; image?: string[]; target?: string; cluster?: string; region?: string} & Parameters<typeof import('./headless/commands/release.js').releaseCreateCommand>[1]) => {
			const recipe = await readRecipe(flags.recipe);
			const target = recipe && (await targetFor(flags, flags.env));
			if (!recipe || !target) return run(Promise.resolve(exitCodes.badInput));
			const [{releaseCreateCommand}, {parseImageChoices}] = await Promise.all([import('./headless/commands/release.js'), import('./engine/prepare.js')]);
			const {images, problems} = parseImageChoices(flags.image ?? []);
			if (problems.length > 0) {
				for (const p of problems) process.stderr.write(`error: ${p.path}: ${p.message}\n`);
				return run(Promise.resolve(exitCodes.badInput));
			}
			const tags = Object.fromEntries(Object.entries(images).map(([ref, choice]) => [ref, choice.tag]));
			run(releaseCreateCommand(recipe, flags, tags, await awsFor(target, flags), await store(), output()));
		});

	targetOptions(program.command('releases').description('releases, where each is deployed and how each deployment ended'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {recipe: string; json?: boolean; target?: string; cluster?: string; region?: string}) => {
			const recipe = await readRecipe(flags.recipe);
			const target = recipe && (await targetFor(flags, recipe.environments[0]?.name));
			if (!recipe || !target) return run(Promise.resolve(exitCodes.badInput));
			const {releasesCommand} = await import('./headless/commands/history.js');
			run(releasesCommand(recipe, target, await awsFor(target, flags), await store(), output(), Boolean(flags.json)));
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
		.exitOverride()
		.action(async (flags: Parameters<typeof import('./headless/commands/target.js').targetAddCommand>[0]) => {
			const {targetAddCommand} = await import('./headless/commands/target.js');
			run(Promise.resolve(targetAddCommand(flags, await store(), output())));
		});
	target
		.command('list')
		.description('list targets')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {json?: boolean}) => {
			const [{targetListCommand}, {sandboxTarget}] = await Promise.all([import('./headless/commands/target.js'), import('./aws/sandbox/index.js')]);
			run(Promise.resolve(targetListCommand(await store(), output(), Boolean(flags.json), [sandboxTarget])));
		});
	target
		.command('remove <name>')
		.description('remove a target')
		.exitOverride()
		.action(async (name: string) => {
			const {targetRemoveCommand} = await import('./headless/commands/target.js');
			run(Promise.resolve(targetRemoveCommand(name, await store(), output())));
		});
	target
		.command('verify <name>')
		.description('check credentials, the cluster and FARGATE')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (name: string, flags: {json?: boolean}) => {
			const {sandboxTarget} = await import('./aws/sandbox/index.js');
			const stored = name === 'sandbox' ? sandboxTarget : (await store()).target(name);
			if (!stored) {
				process.stderr.write(`error: there is no target named ${name}\n`);
				return run(Promise.resolve(exitCodes.badInput));
			}
			const {targetVerifyCommand} = await import('./headless/commands/target.js');
			run(targetVerifyCommand(stored, await awsFor(stored), output(), Boolean(flags.json)));
		});

	program
		.command('sandbox')
		.description('the built-in sandbox account')
		.command('reset')
		.description('forget every sandbox stack, service and log; seed ECR again')
		.exitOverride()
		.action(async () => {
			const {openSandbox} = await import('./aws/sandbox/index.js');
			await openSandbox(storeFolder()).reset();
			output().line(`the sandbox account is fresh again (${path.join(storeFolder(), 'sandbox.json')})`);
			run(Promise.resolve(exitCodes.success));
		});

	program
		.command('iam-policy')
		.description('print the least-privilege IAM policy the tool needs')
		.option('-r, --recipe <file>', 'scope it to this recipe\'s stacks and log groups')
		.exitOverride()
		.action(async (flags: {recipe?: string}) => {
			const {iamPolicy} = await import('./domain/iam-policy.js');
			const recipe = flags.recipe ? await readRecipe(flags.recipe) : undefined;
			if (flags.recipe && !recipe) return run(Promise.resolve(exitCodes.badInput));
			output().json(iamPolicy(recipe ? {name: recipe.name} : undefined));
			run(Promise.resolve(exitCodes.success));
		});

	return program;
}

async function openApp(): Promise<ExitCode> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'ecs-deployer: the full-screen app needs an interactive terminal.\nIn scripts and CI use the headless commands: ecs-deployer validate|export ... (see ecs-deployer --help)\n',
		);
		return exitCodes.badInput;
	}
	const {runApp} = await import('./ui/run.js');
	return runApp({cwd: process.cwd()});
}

function finish(code: Promise<ExitCode>): void {
	code.then(
		value => {
			process.exitCode = value;
		},
		(cause: unknown) => {
			// Unexpected: say what happened in one line; the stack only with DEBUG set.
			process.stderr.write(`ecs-deployer: unexpected error: ${cause instanceof Error ? cause.message : String(cause)}\n`);
			if (process.env['DEBUG'] && cause instanceof Error) process.stderr.write(`${cause.stack}\n`);
			process.exitCode = exitCodes.deploymentFailed;
		},
	);
}

try {
	await createProgram(finish).parseAsync(process.argv);
} catch (cause) {
	if (cause instanceof CommanderError) {
		// Commander has printed its message (unknown option, missing argument, help, version).
		const ok = cause.code === 'commander.helpDisplayed' || cause.code === 'commander.version' || cause.code === 'commander.help';
		process.exitCode = ok ? exitCodes.success : exitCodes.badInput;
	} else {
		throw cause;
	}
}
