#!/usr/bin/env node
// The AWS SDK warns on Node 20 at import time; set this before anything can load it (the SDK loads lazily).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import {Command, CommanderError, Option} from 'commander';
import packageJson from '../package.json' with {type: 'json'};
import {exitCodes, type ExitCode} from './exit-codes.js';
import type {DeployFlags} from './headless/commands/deploy.js';
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
		.showSuggestionAfterError(true)
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

	program
		.command('deploy')
		.description('deploy a release of a recipe to an environment')
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment to deploy to')
		.option('-i, --image <ref=tag>', 'image tag for the release (repeatable)', collect)
		.option('--release-version <version>', 'release version (default: the first image\'s tag)')
		.option('--cluster <name>', 'ECS cluster to deploy to')
		.option('--region <region>', 'AWS region (also: AWS_REGION)')
		.option('--preview', 'show the change set and stop')
		.option('-y, --yes', 'confirm deleting and recreating a stack that cannot be updated')
		.option('--recreate', 'for UPDATE_ROLLBACK_FAILED: delete and recreate instead of continuing the rollback')
		.option('--no-wait', 'return once the stack operation has started')
		.option('--timeout <minutes>', 'cancel the update after this many minutes')
		.option('--cancel-on-interrupt', 'on Ctrl+C, cancel the update instead of leaving it running')
		.option('--json', 'JSON lines for events, one JSON document for the result')
		.exitOverride()
		.action(async (flags: DeployFlags) => {
			const [{deployCommand}, {createAwsPorts}] = await Promise.all([import('./headless/commands/deploy.js'), import('./aws/clients.js')]);
			const global = program.opts<{profile?: string; endpointUrl?: string}>();
			const profile = global.profile ?? process.env['AWS_PROFILE'];
			const endpoint = global.endpointUrl ?? process.env['AWS_ENDPOINT_URL'];
			const controller = new AbortController();
			// First Ctrl+C: stop watching (the deploy goes on in AWS); a second one quits at once.
			process.on('SIGINT', () => {
				if (controller.signal.aborted) process.exit(exitCodes.interrupted);
				process.stderr.write('\ninterrupted: stopping (press Ctrl+C again to quit at once)\n');
				controller.abort();
			});
			run(
				deployCommand(flags, output(), {
					ports: region => createAwsPorts({region, ...(profile ? {profile} : {}), ...(endpoint ? {endpoint} : {})}),
					signal: controller.signal,
				}),
			);
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
