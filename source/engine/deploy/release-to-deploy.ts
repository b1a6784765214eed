import type {AwsPorts} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {error as problem, type Problem} from '../../domain/problems.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Release, Target} from '../../domain/records.js';
import {readSnapshot, recipeDifferences} from '../../domain/release-snapshot.js';
import {isSuccess} from '../../domain/stack-status.js';
import {targetTagsFor} from '../../domain/target.js';
import type {CallContext} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import type {EngineHost, ReleaseView} from '../core/host.js';
import type {StackContext} from '../core/stack-context.js';
import {stackNameFor} from '../core/stack-names.js';
import {deploymentsFromAws} from '../history/aws-history.js';
import {reconcileRecords, servingOutcomes} from '../history/records.js';
import {runningNow} from '../monitor/running-now.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {openLedger, type Ledger} from '../releases/ledger.js';
import {findRelease} from '../releases/release-lookup.js';
import {ecrDigest, makeRelease} from '../releases/releases.js';
import {resolveTargets} from '../targets/targets.js';
import type {DeployReleaseInput} from './deploy-release.js';

/*
 * The release a deploy deploys (deploy-release.ts asks these in order): which one it is, the recipe it is
 * built from, whether it ran in the environment before this one, and whether its image tags still point
 * where they did when it was made.
 */

export type ResolvedRelease = {view: ReleaseView; save?: Release; stored?: Release} | {problems: Problem[]};

/** The release to deploy: a stored (or AWS-known) release, image tags that exist in ECR, or one the operator picks. */
export async function resolveRelease(input: DeployReleaseInput, recipe: RecipeDocument, deps: EngineDeps, aws: AwsPorts, context: CallContext, host: EngineHost, ledger: Ledger): Promise<ResolvedRelease> {
	const stored = await ledger.releases(recipe.name);
	if (input.images !== undefined && Object.keys(input.images).length > 0) {
		const missing = Object.keys(recipe.images).filter(ref => input.images![ref] === undefined && recipe.images[ref]?.tag === undefined);
		if (missing.length > 0) return {problems: [problem('--image', `choose a tag for every image (missing: ${missing.join(', ')}); for example --image ${missing[0]}=1.4.2`)]};
		try {
			// The same tags and configuration again (a redeploy): the release made the first time (makeRelease finds it).
			const made = await makeRelease(
				{recipe, tags: input.images, existing: stored, now: new Date(deps.clock.now()), ...(input.releaseVersion === undefined ? {} : {version: input.releaseVersion}), ...(input.channel === undefined ? {} : {channel: input.channel}), ...(deps.actor ? {createdBy: deps.actor} : {})},
				aws,
				context,
			);
			if ('problems' in made) return {problems: made.problems.map(p => problem(p.path === '--version' ? '--release-version' : p.path, p.message))};
			if (made.existing) return {view: {...view(made.release), source: 'stored'}, stored: made.release};
			return {view: {...view(made.release), source: 'new'}, save: made.release};
		} catch (cause) {
			if (classifyAwsError(cause) === 'not-found') return {problems: [problem('--image', (cause as Error).message)]};
			throw cause;
		}
	}
	let version = input.release;
	if (version === undefined) {
		const choices = [...stored].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
		if (choices.length === 0) return {problems: [problem('--release', `there are no releases of ${recipe.name} in ${ledger.where} yet: create one (ecs-deployer release create), or give image tags (--image REF=TAG)`)]};
		version = await host.request({
			kind: 'choose',
			id: 'pick-release',
			message: `Which release of ${recipe.name} goes to ${input.environment}?`,
			choices: choices.map(r => ({value: r.version, label: r.version, hint: Object.entries(r.images).map(([ref, i]) => `${ref}=${i.tag}`).join(' ')})),
			defaultAnswer: undefined,
			flag: '--release',
		});
	}
	const own = stored.find(r => r.version === version);
	if (own) return {view: {...view(own), source: 'stored'}, stored: own};
	const stacks = recipe.environments.map(e => stackNameFor(recipe, e.name, input.target));
	const found = await findRelease(recipe, version, [], aws, context, stacks);
	if (found) return {view: found};
	// Known only from what this environment ran (a task definition's release tag), when no ledger has it.
	const fromHistory = await releaseFromAwsHistory({...context, aws}, recipe, stackNameFor(recipe, input.environment, input.target), version);
	if (fromHistory) return {view: fromHistory};
	return {problems: [problem('--release', `there is no release ${version} of ${recipe.name} in ${ledger.where} (releases: ${stored.map(r => r.version).join(', ') || 'none'}), nor on the stacks; create it with ecs-deployer release create`)]};
}

/** A release an environment's stack once ran (its task definition tagged with the version), from AWS alone. */
async function releaseFromAwsHistory(context: CallContext & {aws: AwsPorts}, recipe: RecipeDocument, stackName: string, version: string): Promise<ReleaseView | undefined> {
	try {
		const ran = (await deploymentsFromAws(context, stackName, recipe)).find(d => d.version === version && Object.keys(d.images).length > 0);
		return ran ? {version, images: ran.images, source: 'aws'} : undefined;
	} catch (cause) {
		if (classifyAwsError(cause) === 'not-found') return undefined;
		throw cause;
	}
}

/** The recipe a deploy is built from, and what to say about it. */
export type Basis = {parsed: {recipe: RecipeDocument; lineOf: (path: string) => number | undefined}; builtFrom: 'snapshot' | 'recipe'; changes: string[]; warnings: string[]};

/**
 * A release made earlier is built from the recipe it keeps, never from today's file; today's differences
 * are named (a warning), as they are not deployed. A release made now, or one that keeps no recipe (an older
 * ecs-deployer's, or one known only from AWS), is built from today's file, and that is said too.
 */
export function buildBasis(release: Exclude<ResolvedRelease, {problems: Problem[]}>, today: RecipeDocument, lineOf: (path: string) => number | undefined): Basis | {problems: Problem[]} {
	const fromToday: Basis = {parsed: {recipe: today, lineOf}, builtFrom: 'recipe', changes: [], warnings: []};
	const {version} = release.view;
	if (release.view.source === 'new') return fromToday;
	if (!release.stored) return {...fromToday, warnings: [`release ${version} is known only from AWS (no ledger has it), so it is deployed with today's recipe: its images, today's configuration`]};
	const read = readSnapshot(release.stored.recipe);
	if ('problem' in read) {
		if (release.stored.recipe === undefined) return {...fromToday, warnings: [`release ${version} keeps no recipe (made by an older ecs-deployer), so it is deployed with today's recipe`]};
		return {problems: [problem('--release', `release ${version}: ${read.problem}; make a new release (ecs-deployer release create)`)]};
	}
	const changes = recipeDifferences(read.recipe, today);
	const warnings =
		changes.length === 0
			? []
			: [`today's recipe differs from the one release ${version} keeps (${changes.join(', ')}): release ${version} is deployed as it was made; to deploy today's recipe, make a new release with its images (ecs-deployer release create --recipe FILE --like ${version})`];
	return {parsed: {recipe: read.recipe, lineOf: () => undefined}, builtFrom: 'snapshot', changes, warnings};
}

function view(release: Release): Omit<ReleaseView, 'source'> {
	return {version: release.version, images: release.images, ...(release.channel === undefined ? {} : {channel: release.channel})};
}

/**
 * Whether `version` ran successfully in `environment`: a (reconciled) record, or the stack's release tag and
 * status. The environment is looked at through the targets that serve it (with the recipe's target tags),
 * which may be other accounts or regions than this deploy's: every one of them must have run it. When no
 * stored target serves it, through this deploy's target.
 */
export async function ranSuccessfully(context: StackContext, deps: EngineDeps, recipe: RecipeDocument, environment: string, version: string, current: Target): Promise<boolean> {
	const resolved = resolveTargets(deps, {tags: targetTagsFor(recipe, environment)}, environment);
	const targets = 'targets' in resolved ? resolved.targets : [current];
	for (const target of targets) if (!(await ranOn(context, deps, recipe, environment, version, target, current, targets.length > 1))) return false;
	return true;
}

async function ranOn(context: StackContext, deps: EngineDeps, recipe: RecipeDocument, environment: string, version: string, target: Target, current: Target, several: boolean): Promise<boolean> {
	const {aws, context: call} = target.name === current.name ? {aws: context.aws, context: context as CallContext} : await connect(deps, target, context.host);
	const ledger = await openLedger(deps, recipe, target, context.host);
	const records = await reconcileRecords(ledger, {project: recipe.name, environment, target: target.name}, aws, call);
	if (records.some(d => d.environment === environment && (!several || d.target === target.name) && d.version === version && servingOutcomes.has(d.outcome))) return true;
	const stack = await describeStack({...call, aws}, stackNameFor(recipe, environment, target));
	if (!stack || !isSuccess(stack.StackStatus ?? '')) return false;
	// No record here (another operator's deploy): what ECS runs there says it.
	const now = await runningNow({...call, aws}, stack, target.cluster, recipe, await ledger.releases(recipe.name));
	return now.version === version && now.verdict.kind === 'serving';
}

/**
 * Messages for each ECR tag of the release that now points at another digest (or is gone); problems naming
 * the image and its repository when the repository itself is gone (deleted since the release was made).
 */
export async function movedTags(context: StackContext, recipe: RecipeDocument, release: ReleaseView): Promise<string[] | {problems: Problem[]}> {
	const moved: string[] = [];
	const missing: Problem[] = [];
	for (const [ref, pinned] of Object.entries(release.images)) {
		const source = recipe.images[ref];
		if (!source || source.registry !== undefined || pinned.digest === undefined) continue;
		let now: string | undefined;
		try {
			now = await ecrDigest(context.aws.ecr, context, source, pinned.tag);
		} catch (cause) {
			if ((cause as {name?: string}).name !== 'RepositoryNotFoundException') throw cause;
			missing.push(problem(`images.${ref}.repository`, `the ECR repository ${source.repository} no longer exists (${(cause as Error).message}): release ${release.version} pinned ${ref}=${pinned.tag} in it, and no task could pull that image; recreate the repository and push the image, or fix images.${ref} and make a new release`));
			continue;
		}
		if (now === undefined) moved.push(`${ref}: tag ${pinned.tag} no longer exists in ${source.repository}`);
		else if (now !== pinned.digest) moved.push(`${ref}: tag ${pinned.tag} now points at ${now.slice(0, 19)}, not ${pinned.digest.slice(0, 19)} as when release ${release.version} was made`);
	}
	return missing.length > 0 ? {problems: missing} : moved;
}
