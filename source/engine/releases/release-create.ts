import type {AwsPorts} from '../../aws/ports.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {sameImagePins} from '../../domain/release-snapshot.js';
import {defaultReleaseVersion} from '../../domain/release-version.js';
import type {Release, Target} from '../../domain/records.js';
import type {CallContext} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {openLedger, type Ledger} from './ledger.js';
import {describeMaker, makeRelease, sameSnapshot, type MadeRelease, type ReleaseProblem} from './releases.js';

export type CreateReleaseInput = {
	/** Tags by image ref; the others default to the recipe's pinned tag, else the newest the channel allows (stable unless it admits pre-releases). */
	tags: Record<string, string>;
	version?: string;
	channel?: string;
	notes?: string;
};

/** A release made (or found: `existing`, the same images and configuration), and where it is kept. */
export type CreatedRelease = MadeRelease & {ledger?: string};

/**
 * Creates a release (each image's tag and digest, the channel, the version, the recipe as it is now) and
 * stores it in the project's ledger. A release with the same images and configuration is not made again:
 * that one is returned (`existing`).
 */
export async function createRelease(recipe: RecipeDocument, input: CreateReleaseInput, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<CreatedRelease | {problems: ReleaseProblem[]}> {
	const {aws, context} = await connect(deps, target, host);
	const ledger = await openLedger(deps, recipe, target, host);
	const made = await createReleaseIn(ledger, recipe, input, aws, context, deps);
	return 'problems' in made ? made : {...made, ledger: ledger.where};
}

/**
 * Makes a release and creates it in a ledger, once: the ledger writes a version only when it is not there
 * (S3: If-None-Match). When another operator created the version meanwhile, their release is used if it
 * pins the same images with the same configuration; otherwise a version that was not asked for moves on to
 * the next free one, and a version that was asked for is refused (`exists`, naming who made it).
 */
export async function createReleaseIn(ledger: Ledger, recipe: RecipeDocument, input: CreateReleaseInput, aws: Pick<AwsPorts, 'ecr' | 'registry'>, context: CallContext, deps: Pick<EngineDeps, 'clock' | 'actor'>): Promise<MadeRelease | {problems: ReleaseProblem[]}> {
	let existing = await ledger.releases(recipe.name);
	const request = {
		recipe,
		tags: input.tags,
		now: new Date(deps.clock.now()),
		...(input.version === undefined ? {} : {version: input.version}),
		...(input.channel === undefined ? {} : {channel: input.channel}),
		...(input.notes === undefined ? {} : {notes: input.notes}),
		...(deps.actor === undefined ? {} : {createdBy: deps.actor}),
	};
	for (let attempt = 1; ; attempt++) {
		const made = await makeRelease({...request, existing}, aws, context);
		if ('problems' in made || made.existing) return made;
		const stored = await ledger.createRelease(made.release);
		if ('created' in stored) return made;
		// Someone made this version meanwhile.
		const theirs = stored.exists;
		if (sameImagePins(theirs.images, made.release.images) && theirs.channel === made.release.channel && sameSnapshot(theirs, recipe)) return {release: theirs, existing: true};
		if (input.version !== undefined || attempt >= 5) {
			return {problems: [{path: '--version', kind: 'exists', message: `release ${theirs.version} was just created by someone else${describeMaker(theirs)} with other images or configuration; pick another version`}]};
		}
		existing = [...existing.filter(r => r.version !== theirs.version), theirs];
	}
}

/**
 * A new release from today's recipe with the images of an existing release: what to make when today's
 * recipe differs from the one a release keeps and that change should be deployed. (When nothing differs,
 * the existing release is returned, `existing`.)
 */
export async function releaseLike(recipe: RecipeDocument, version: string, input: Omit<CreateReleaseInput, 'tags'>, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<CreatedRelease | {problems: ReleaseProblem[]}> {
	const ledger = await openLedger(deps, recipe, target, host);
	const like = (await ledger.releases(recipe.name)).find(r => r.version === version);
	if (!like) return {problems: [{path: '--like', message: `there is no release ${version} of ${recipe.name} in ${ledger.where}`}]};
	const tags = Object.fromEntries(Object.entries(like.images).filter(([ref]) => recipe.images[ref] !== undefined).map(([ref, image]) => [ref, image.tag]));
	return createRelease(recipe, {...input, tags, ...(input.channel === undefined && like.channel !== undefined ? {channel: like.channel} : {})}, target, deps, host);
}

/**
 * The version a new release would get when none is given, computed from every release the ledger holds
 * now (so it never names a version that exists): the primary image's tag when unused, else the next patch.
 */
export async function suggestReleaseVersion(recipe: RecipeDocument, primaryTag: string | undefined, target: Target, deps: EngineDeps, host?: EngineHost): Promise<string> {
	const ledger = await openLedger(deps, recipe, target, host);
	return defaultReleaseVersion(primaryTag, (await ledger.releases(recipe.name)).map(r => r.version));
}

/** The releases of a project in its ledger, newest first (by creation time). */
export async function ledgerReleases(recipe: RecipeDocument, target: Target, deps: EngineDeps, host?: EngineHost): Promise<Release[]> {
	const ledger = await openLedger(deps, recipe, target, host);
	return [...(await ledger.releases(recipe.name))].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
