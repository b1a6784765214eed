import type {Command} from 'commander';
import type {LedgerImportFlags, ReleaseCreateFlags, TagsFlags} from '../headless/commands/release.js';
import type {CommandKit, TargetFlags} from './command-line.js';

/** status, events, tags, releases: what ran and what there is to deploy; release create and ledger import. */
export function addHistoryCommands(program: Command, kit: CommandKit): void {
	const {run, output, engineFor, collect, targetOptions, recipeOrProblems, targetFor, targetsOf, bad, recipeWithTarget} = kit;
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
			const {statusCommand} = await import('../headless/commands/history.js');
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
			const [{wholeNumber}, recipe] = await Promise.all([import('../headless/flags.js'), recipeOrProblems(flags.recipe, out)]);
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
			const {eventsCommand} = await import('../headless/commands/history.js');
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
			const {tagsCommand} = await import('../headless/commands/release.js');
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
			const {releaseCreateCommand} = await import('../headless/commands/release.js');
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
			const {releasesCommand} = await import('../headless/commands/history.js');
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
			const {ledgerImportCommand} = await import('../headless/commands/release.js');
			run(ledgerImportCommand(found.recipe, flags, found.target, found.engine, out));
		});
}
