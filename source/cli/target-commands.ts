import type {Command} from 'commander';
import {exitCodes} from '../exit-codes.js';
import type {TargetAddFlags} from '../headless/commands/target.js';
import {storeFolderFor} from '../io/store-folder.js';
import type {CommandKit} from './command-line.js';

/** target add, list, remove and verify; sandbox reset. */
export function addTargetCommands(program: Command, kit: CommandKit): void {
	const {run, env, cwd, output, engineFor, collect} = kit;
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
			const {targetAddCommand} = await import('../headless/commands/target.js');
			run(Promise.resolve(targetAddCommand(flags, await engineFor(), output())));
		});
	target
		.command('list')
		.description('list targets')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (flags: {json?: boolean}) => {
			const {targetListCommand} = await import('../headless/commands/target.js');
			run(Promise.resolve(targetListCommand(await engineFor(), output(), Boolean(flags.json))));
		});
	target
		.command('remove <name>')
		.description('remove a target')
		.exitOverride()
		.action(async (name: string) => {
			const {targetRemoveCommand} = await import('../headless/commands/target.js');
			run(Promise.resolve(targetRemoveCommand(name, await engineFor(), output())));
		});
	target
		.command('verify <name>')
		.description('check the credentials and the cluster')
		.option('--json', 'print JSON')
		.exitOverride()
		.action(async (name: string, flags: {json?: boolean}) => {
			const {targetVerifyCommand} = await import('../headless/commands/target.js');
			run(targetVerifyCommand(name, await engineFor(), output(), Boolean(flags.json)));
		});

	program
		.command('sandbox')
		.description('the built-in sandbox account')
		.command('reset')
		.description('forget every sandbox stack, service and log; seed ECR again')
		.exitOverride()
		.action(async () => {
			const {resetSandbox} = await import('../composition.js');
			await resetSandbox({storeFolder: storeFolderFor(env, cwd), env, cwd});
			output().line(`the sandbox account is fresh again (${env['ECS_DEPLOYER_SANDBOX_HOME'] || storeFolderFor(env, cwd)})`);
			run(Promise.resolve(exitCodes.success));
		});
}
