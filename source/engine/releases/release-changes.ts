import {configurationChanges, configurationFromTaskDefinition, configurationOf, type ConfigChange, type Configuration} from '../../domain/configuration.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {readSnapshot} from '../../domain/release-snapshot.js';
import type {Release, Target} from '../../domain/records.js';
import {callAws} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {openLedger} from './ledger.js';
import {resolveParsed} from '../core/prepare.js';
import {runningNow} from '../monitor/running-now.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {stackNameFor} from '../core/stack-names.js';

/** One side of a comparison: a release of the ledger, what the environment runs now, or today's recipe file (with the other side's images). */
export type ConfigurationSide = {release: string} | {running: true} | {recipe: true};

export type ReleaseChanges = {
	/** What each side is, in words: `release 1.3.0`, `what runs now (hello-color-dev:7)`, `today's recipe`. */
	from: string;
	to: string;
	changes: ConfigChange[];
	/** Things worth saying: a release that keeps no recipe (compared as today's), a side read from ECS. */
	notes: string[];
};

/**
 * The configuration difference, field by field, between two sides for one environment: images, variables
 * (sensitive ones masked), sizes, desired count, ports, health checks, environment, secrets (names), … A
 * release is read as the recipe it keeps, resolved for the environment; what runs, from the task definition
 * of the service's PRIMARY deployment. What the rollback screen shows before going back.
 */
export async function releaseChanges(recipe: RecipeDocument, environment: string, target: Target, from: ConfigurationSide, to: ConfigurationSide, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<ReleaseChanges | {problem: string}> {
	const ledger = await openLedger(deps, recipe, target, host);
	const releases = await ledger.releases(recipe.name);
	const {aws, context} = await connect(deps, target, host);
	const accountId = target.accountId ?? (await callAws(context, 'GetCallerIdentity', () => aws.sts.getCallerIdentity({}))).Account;
	const notes: string[] = [];

	const ofRelease = (release: Release, words: string): {configuration: Configuration; words: string} | {problem: string} => {
		const read = readSnapshot(release.recipe);
		if ('problem' in read) notes.push(`${words}: ${read.problem}; compared as today's recipe with its images`);
		const document = 'recipe' in read ? read.recipe : recipe;
		return ofRecipe(document, release.images, release.version, words);
	};
	const ofRecipe = (document: RecipeDocument, images: Release['images'], version: string | undefined, words: string): {configuration: Configuration; words: string} | {problem: string} => {
		const resolved = resolveParsed({recipe: document, lineOf: () => undefined}, {environment, images, ...(version === undefined ? {} : {releaseVersion: version}), target: {name: target.name, cluster: target.cluster, region: target.region, ...(accountId === undefined ? {} : {accountId})}});
		if (!resolved.resolved) return {problem: `${words} cannot be resolved for ${environment}: ${resolved.problems.filter(p => p.severity === 'error').map(p => `${p.path}: ${p.message}`).join('; ')}`};
		return {configuration: configurationOf(resolved.resolved, document), words};
	};
	const side = async (which: ConfigurationSide, other?: Release['images']): Promise<{configuration: Configuration; words: string; images?: Release['images']} | {problem: string}> => {
		if ('release' in which) {
			const release = releases.find(r => r.version === which.release);
			if (!release) return {problem: `there is no release ${which.release} of ${recipe.name} in ${ledger.where}`};
			const found = ofRelease(release, `release ${release.version}`);
			return 'problem' in found ? found : {...found, images: release.images};
		}
		if ('recipe' in which) return ofRecipe(recipe, other ?? {}, undefined, "today's recipe");
		const stack = await describeStack({...context, aws}, stackNameFor(recipe, environment, target));
		if (!stack) return {problem: `${environment} has not been deployed (no stack)`};
		const now = await runningNow({...context, aws}, stack, target.cluster, recipe, releases);
		if (!now.taskDefinition) return {problem: `ECS does not say what ${environment} runs (${now.verdict.kind === 'unconfirmed' ? now.verdict.unconfirmed.join('; ') : 'no task definition'})`};
		const definition = await callAws(context, 'DescribeTaskDefinition', () => aws.ecs.describeTaskDefinition({taskDefinition: now.taskDefinition!}));
		// ECS registers no task definition without containers (RegisterTaskDefinition requires them): one that
		// lists none says nothing about what runs, and would show every field of the other side as a change.
		if ((definition.taskDefinition?.containerDefinitions ?? []).length === 0) return {problem: `ECS's task definition ${now.taskDefinition.split('/').at(-1)} lists no containers, so what runs cannot be compared field by field`};
		notes.push(`what runs now is read from ECS (task definition ${now.taskDefinition.split('/').at(-1)}): only what a task definition says is compared`);
		return {configuration: configurationFromTaskDefinition(definition.taskDefinition ?? {}, recipe.images, now.service?.desired), words: `what runs now${now.version ? ` (release ${now.version})` : ''}`};
	};
	const a = await side(from);
	if ('problem' in a) return a;
	const b = await side(to, a.images);
	if ('problem' in b) return b;
	// Today's recipe compared with a release on the left: the release's images on the right too.
	const left = 'recipe' in from && 'images' in b ? await side(from, b.images) : a;
	if ('problem' in left) return left;
	return {from: left.words, to: b.words, changes: configurationChanges(left.configuration, b.configuration), notes};
}
