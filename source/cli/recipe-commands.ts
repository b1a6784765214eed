import {Option, type Command} from 'commander';
import type {ExportFlags} from '../headless/commands/export.js';
import type {IamPolicyFlags} from '../headless/commands/iam-policy.js';
import type {RecipeFlags} from '../headless/commands/validate.js';
import type {VerifyFlags} from '../headless/commands/verify.js';
import type {CommandKit, TargetFlags} from './command-line.js';

/** validate, verify and export: a recipe for an environment. */
export function addRecipeCommands(program: Command, kit: CommandKit): void {
	const {run, cli, output, engineFor, collect, recipeOptions, targetOptions, bad, recipeWithTarget} = kit;
	recipeOptions(program.command('validate').description('check a recipe for an environment without touching AWS'))
		.option('--json', 'print the result as JSON')
		.action(async (flags: RecipeFlags) => {
			const {validateCommand} = await import('../headless/commands/validate.js');
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
			const {verifyCommand} = await import('../headless/commands/verify.js');
			run(verifyCommand(flags, found.target, found.engine, out));
		});

	recipeOptions(program.command('export').description('write the CloudFormation template for an environment'))
		.addOption(new Option('-f, --format <format>', 'template format').choices(['yaml', 'json']).default('yaml'))
		.option('-o, --out <file>', 'write to a file instead of stdout (never over the recipe; over another file only with --force)')
		.option('--force', 'overwrite the --out file if it exists')
		.action(async (flags: ExportFlags) => {
			const {exportCommand} = await import('../headless/commands/export.js');
			run(exportCommand(flags, await engineFor(), output(), cli.stdout));
		});
}

/** iam-policy: the least-privilege policy for deploying a recipe (listed last in help). */
export function addIamPolicyCommand(program: Command, kit: CommandKit): void {
	const {run, output, engineFor, recipeOrProblems, bad} = kit;
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
			const {iamPolicyCommand} = await import('../headless/commands/iam-policy.js');
			run(iamPolicyCommand(flags, recipe, await engineFor(), out));
		});
}
