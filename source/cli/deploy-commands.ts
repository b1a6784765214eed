import type {Command} from 'commander';
import type {ExitCode} from '../exit-codes.js';
import type {DeployFlags} from '../headless/commands/deploy.js';
import type {LogsFlags} from '../headless/commands/logs.js';
import type {RunTaskFlags} from '../headless/commands/run-task.js';
import type {ServiceActionFlags} from '../headless/commands/service-actions.js';
import type {CommandKit, TargetFlags} from './command-line.js';

/** deploy, rollback, watch, logs, the service actions (approve, reject, redeploy, cancel, scale) and run. */
export function addDeployCommands(program: Command, kit: CommandKit): void {
	const {run, output, engineFor, io, collect, targetOptions} = kit;
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
			const {deployCommand} = await import('../headless/commands/deploy.js');
			run(deployCommand(flags, await engineFor(flags), output(), await io(Boolean(flags.json))));
		});

	deployOptions(program.command('rollback').description('deploy an earlier release again'))
		.option('--to <version>', 'release version, or "previous": the last one that served before the current (default: ask, or previous)')
		.action(async (flags: DeployFlags & {to?: string}) => {
			const {rollbackCommand} = await import('../headless/commands/rollback.js');
			run(rollbackCommand(flags, await engineFor(flags), output(), await io(Boolean(flags.json))));
		});

	targetOptions(program.command('watch').description('re-attach to a deploy in progress, or show how the last one ended'))
		.requiredOption('-r, --recipe <file>', 'recipe YAML file')
		.requiredOption('-e, --env <name>', 'environment')
		.option('--json', 'JSON lines')
		.action(async (flags: TargetFlags & {recipe: string; env: string; json?: boolean}) => {
			const {watchCommand} = await import('../headless/commands/watch.js');
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
			const {logsCommand} = await import('../headless/commands/logs.js');
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
			const {serviceActionCommand} = await import('../headless/commands/service-actions.js');
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
			const {runTaskCommand} = await import('../headless/commands/run-task.js');
			run(runTaskCommand(flags, command, await engineFor(flags), output(), await io(Boolean(flags.json))) as Promise<ExitCode>);
		});
}
