import type {Target} from '../../domain/records.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {stackLogGroupFor, stackNameFor} from '../core/stack-names.js';
import {targetTagsFor} from '../../domain/target.js';
import type {EngineDeps} from '../core/deps.js';
import type {EngineHost} from '../core/host.js';
import {readRecipe} from '../core/prepare.js';
import type {DeployResult} from '../core/results.js';
import {describeTargets, oneOf, resolveTargets, type TargetChoice, type TargetPick, type TargetsPick} from '../targets/targets.js';
import type {DeployRun} from './deploy-release.js';

/*
 * A deploy to an environment served by several targets (two regions, two accounts): the targets are chosen
 * as Octopus Deploy's steps choose theirs (the environment, and the recipe's target tags), and the release
 * goes to each one after the other, with a verdict each and one for the whole.
 *
 * One after the other, not at once: a release that fails on the first target (a bad image, a health check
 * that never passes) stops there, while the others still serve the previous release, which is what an
 * operator wants of production; the order is the targets' name order, so it is the same every time and the
 * operator chooses it by naming them. A deploy that did not end serving the release (failed, rolled back,
 * not confirmed by ECS, declined, detached or interrupted) stops the sequence: the targets after it are
 * skipped, and said so. A preview, or a deploy that was only started (`--no-wait`), goes on to the next.
 */

/** The answer that deploys to every target, one after the other. */
export const allTargets = 'all';

/**
 * The targets a deploy of a recipe to an environment goes to: the one the choice names, else those that
 * serve the environment (and carry one of the recipe's target tags). When several do and none was named,
 * the operator is asked: all of them one after the other, or one (`--target` answers it without asking).
 * An empty list: the question was refused (nothing to deploy). A recipe that cannot be read chooses by
 * environment alone; the deploy then reports its problems.
 */
export async function targetsForDeploy(input: {recipeFile: string; environment: string; choice: TargetChoice}, deps: EngineDeps, host: EngineHost): Promise<TargetsPick> {
	const {recipe, resolved} = await recipeTargets(input, deps);
	if ('error' in resolved || resolved.targets.length === 1) return resolved;
	const {targets} = resolved;
	const clash = recipe && sameStack(recipe, input.environment, targets);
	if (clash) return {path: '--target', error: clash};
	const answer = await host.request({
		kind: 'choose',
		id: 'deploy-targets',
		message: `${input.environment} is served by ${targets.length} targets: deploy to all of them, one after the other, or to one?`,
		detail: [`targets: ${describeTargets(targets)}`, `all: in this order, stopping at the first that does not end serving the release`],
		choices: [{value: allTargets, label: `all ${targets.length}, one after the other`, hint: targets.map(t => t.name).join(' → ')}, ...targets.map(t => ({value: t.name, label: `only ${t.name}`, hint: `cluster ${t.cluster} in ${t.region}`}))],
		defaultAnswer: undefined,
		flag: '--target',
	});
	if (answer === allTargets) return {targets};
	const one = targets.find(t => t.name === answer);
	return {targets: one ? [one] : []};
}

/** The targets of a recipe's environment, with the target tags of the recipe file (none when it cannot be read). */
async function recipeTargets(input: {recipeFile: string; environment: string; choice: TargetChoice}, deps: EngineDeps): Promise<{recipe: RecipeDocument | undefined; resolved: TargetsPick}> {
	const read = await readRecipe(input.recipeFile, deps.files).catch(() => undefined);
	const recipe = read && 'file' in read ? read.file.recipe : undefined;
	return {recipe, resolved: resolveTargets(deps, {tags: targetTagsFor(recipe, input.environment), ...input.choice}, input.environment)};
}

/**
 * Two targets that would deploy to one stack: the same stack name in the same region of what looks like the
 * same account (the same credentials, the same role's account, or the same known account id). The second
 * deploy would update the first's stack, moving its service to another cluster: refused, saying how to
 * tell their stacks apart.
 */
function sameStack(recipe: RecipeDocument, environment: string, targets: readonly Target[]): string | undefined {
	const seen = new Map<string, Target>();
	for (const target of targets) {
		const account = target.accountId ?? target.assumeRole?.roleArn.split(':')[4] ?? JSON.stringify(target.credentials);
		const stack = stackNameFor(recipe, environment, target);
		const key = `${target.region}\n${account}\n${stack}`;
		const other = seen.get(key);
		if (other) return `targets ${other.name} and ${target.name} would deploy to the same stack ${stack} in ${target.region} (the same account, as far as can be told before asking AWS): name the target in service.stackName (for example "#{Project}-#{Environment}-#{Target.Cluster}"), or deploy to one of them with --target`;
		seen.set(key, target);
		// Stacks told apart still share the log group they create (its name is the project's and environment's):
		// CloudFormation would refuse the second stack's, as the group already exists.
		const group = stackLogGroupFor(recipe, environment, target);
		const sharing = group === undefined ? undefined : seen.get(`${target.region}\n${account}\nlog group ${group}`);
		if (group !== undefined && sharing) return `targets ${sharing.name} and ${target.name} are in the same region ${target.region} and account (as far as can be told before asking AWS): both stacks would create the log group ${group}, and CloudFormation refuses the second; deploy to one of them with --target`;
		if (group !== undefined) seen.set(`${target.region}\n${account}\nlog group ${group}`, target);
	}
	return undefined;
}

/**
 * The one target of a recipe's environment, for a use case that works on one (a rollback, a re-attach, logs):
 * as `pickTarget`, with the recipe's target tags; several is an error naming them and `--target`.
 */
export async function targetForRecipe(input: {recipeFile: string; environment: string; choice: TargetChoice}, deps: EngineDeps): Promise<TargetPick> {
	const {resolved} = await recipeTargets(input, deps);
	if ('error' in resolved) return resolved;
	return oneOf(resolved.targets, input.environment);
}

/** How one target of a sequence ended: its deploy's result, or skipped (the one before it did not end serving). */
export type TargetVerdict = {target: Target; result: DeployResult} | {target: Target; skipped: string};

/** The whole sequence: each target's verdict, in order; `ok` when every target ended serving the release (or as asked: previewed, started). */
export type SequenceResult = {verdicts: TargetVerdict[]; ok: boolean};

/** Outcomes after which the next target is deployed to. */
const goesOn: ReadonlySet<DeployResult['outcome']> = new Set(['succeeded', 'no-op', 'previewed', 'started']);

/** A deploy to several targets in progress: the whole result, and the run on the target being deployed to now. */
export type SequenceRun = {readonly result: Promise<SequenceResult>; current(): DeployRun | undefined};

/**
 * Deploys to each target, one after the other (see above), starting each deploy with `start` (the face
 * gives each its own host: a section of output, a run of the live view).
 */
export function deployEach(targets: readonly Target[], start: (target: Target, index: number) => DeployRun): SequenceRun {
	let current: DeployRun | undefined;
	const result = (async (): Promise<SequenceResult> => {
		const verdicts: TargetVerdict[] = [];
		let stoppedBy: {target: Target; outcome: string} | undefined;
		for (const [index, target] of targets.entries()) {
			if (stoppedBy) {
				verdicts.push({target, skipped: `not deployed: the deploy to ${stoppedBy.target.name} ended ${stoppedBy.outcome}`});
				continue;
			}
			current = start(target, index);
			const ended = await current.result;
			verdicts.push({target, result: ended});
			if (!goesOn.has(ended.outcome)) stoppedBy = {target, outcome: ended.outcome};
		}
		current = undefined;
		return {verdicts, ok: stoppedBy === undefined};
	})();
	return {result, current: () => current};
}
