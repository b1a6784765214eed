import semver from 'semver';
import type {AwsPorts, EcrPort} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {allowedOnChannel, pickChannel, prereleaseAdmitted, sortTags, type ImageTagInfo, type TagList} from '../../domain/image-tags.js';
import type {ChannelEntry, ImageSource, RecipeDocument} from '../../domain/recipe/schema.js';
import {readSnapshot, sameConfiguration, sameImagePins, snapshotOf} from '../../domain/release-snapshot.js';
import {defaultReleaseVersion} from '../../domain/release-version.js';
import type {Release} from '../../domain/records.js';
import {AwsAccessError, callAws, type CallContext} from '../core/aws-call.js';
import {listEcrTags} from './ecr-tags.js';

export type ReleaseRequest = {
	recipe: RecipeDocument;
	version?: string;
	/** Tags asked for, by image ref; the others default to the recipe's pinned tag (`images.<ref>.tag`), else the newest the channel allows (stable unless the channel admits pre-releases). */
	tags: Record<string, string>;
	channel?: string;
	notes?: string;
	existing: readonly Release[];
	now: Date;
	/** Who makes it (user@host). */
	createdBy?: string;
};

/**
 * A problem with a release request, naming the flag (or field) it is about. `exists`: the version is taken,
 * or these images and this configuration are already a release (exit code 5, see exit-codes.ts).
 */
export type ReleaseProblem = {path: string; message: string; kind?: 'exists'};

/**
 * Whether a tag is picked when nobody chose one: allowed on the channel, and stable unless the channel's
 * pre-release pattern admits its pre-release part. A newcomer's first release is then never a pre-release
 * (or a failure tag like `1.4.1-crashloop`).
 */
export function pickedByDefault(version: semver.SemVer, channel: ChannelEntry | undefined, ref: string): boolean {
	if (!allowedOnChannel(version, channel, ref)) return false;
	if (version.prerelease.length === 0) return true;
	const appliesToImage = channel?.images === undefined || channel.images.includes(ref);
	return channel?.prereleaseTag !== undefined && appliesToImage && prereleaseAdmitted(version, channel.prereleaseTag);
}

/** The newest tag of a sorted list that would be picked by default, if any. */
export function defaultTag(list: TagList, channel: ChannelEntry | undefined, ref: string): ImageTagInfo | undefined {
	return list.versions.find(v => pickedByDefault(v.version, channel, ref));
}

/**
 * The digest an ECR tag points at now (DescribeImages by tag), or undefined when the tag is not in the
 * repository ("ImageNotFoundException"). A missing repository is an error worth reporting as it is.
 */
export async function ecrDigest(ecr: EcrPort, context: CallContext, source: ImageSource, tag: string): Promise<string | undefined> {
	try {
		const out = await callAws(context, 'DescribeImages', () =>
			ecr.describeImages({repositoryName: source.repository, ...(source.account === undefined ? {} : {registryId: source.account}), imageIds: [{imageTag: tag}]}),
		);
		return out.imageDetails?.[0]?.imageDigest;
	} catch (error) {
		// No such tag: undefined. No such repository is an error worth reporting as it is.
		const name = (error as {name?: string}).name;
		if (name === 'ImageNotFoundException' || (classifyAwsError(error) === 'not-found' && name !== 'RepositoryNotFoundException')) return undefined;
		throw error;
	}
}

/** A release made from a request: new, or one that already pins the same images with the same configuration. */
export type MadeRelease = {release: Release; existing?: true};

/**
 * Makes a release: each image's tag and digest (ECR, or the registry of an image outside it, where it
 * answers), the channel's rules, the version (checked as semver and unused) and the recipe as it is now (its
 * snapshot). A tag asked for must exist in ECR; the others default to the recipe's pinned tag, else the
 * newest the channel allows. When a release already pins the same images with the same configuration (and
 * channel), that release is returned (`existing`) instead of a new one.
 */
export async function makeRelease(request: ReleaseRequest, aws: Pick<AwsPorts, 'ecr' | 'registry'>, context: CallContext): Promise<MadeRelease | {problems: ReleaseProblem[]}> {
	const {recipe} = request;
	const channel = pickChannel(recipe.channels, request.channel);
	if (channel && 'error' in channel) return {problems: [{path: '--channel', message: channel.error}]};
	const problems: ReleaseProblem[] = [];
	const images: Release['images'] = {};
	for (const ref of Object.keys(request.tags)) {
		if (recipe.images[ref] === undefined) problems.push({path: '--image', message: `"${ref}" is not one of the recipe's images (${Object.keys(recipe.images).join(', ')})`});
	}
	for (const [ref, source] of Object.entries(recipe.images)) {
		const asked = request.tags[ref] ?? source.tag;
		const pinned = request.tags[ref] === undefined && asked !== undefined ? ` (pinned in images.${ref}.tag)` : '';
		if (asked !== undefined) {
			const version = semver.parse(asked.replace(/^v(?=\d)/, ''));
			if (channel && version && !allowedOnChannel(version, channel, ref)) problems.push({path: '--image', message: `${ref}: ${asked} is not allowed on channel ${channel.name}${describeChannel(channel)}`});
			const ruled = channel && (channel.images === undefined || channel.images.includes(ref)) && (channel.versionRange !== undefined || channel.prereleaseTag !== undefined);
			if (ruled && !version) problems.push({path: '--image', message: `${ref}: ${asked} is not a semver version, so channel ${channel.name}'s rules cannot admit it`});
		}
		if (source.registry !== undefined) {
			// Not ECR: its tags cannot be listed; the tag is given (or pinned in the recipe), its digest pinned where the registry answers.
			if (asked === undefined) {
				problems.push({path: '--image', message: `${ref}: ${source.registry}/${source.repository} is not in ECR, so its tags cannot be listed; give its tag (--image ${ref}=TAG) or pin one in the recipe (images.${ref}.tag)`});
				continue;
			}
			const found = aws.registry ? await aws.registry.manifestDigest({registry: source.registry, repository: source.repository, tag: asked}) : {unknown: 'no registry client'};
			if ('digest' in found) images[ref] = {tag: asked, digest: found.digest};
			else {
				images[ref] = {tag: asked};
				context.host.notify({code: 'note', message: `${ref}: ${source.registry}/${source.repository}:${asked} is pinned by its tag only (its digest is not known: ${found.unknown})`});
			}
			continue;
		}
		if (asked !== undefined) {
			let digest: string | undefined;
			try {
				digest = await ecrDigest(aws.ecr, context, source, asked);
			} catch (cause) {
				// Another account's repository this identity may not read: the tag given is taken as it is.
				if (source.account === undefined || !(cause instanceof AwsAccessError || (cause as {name?: string}).name === 'RepositoryNotFoundException')) throw cause;
				images[ref] = {tag: asked};
				context.host.notify({code: 'note', message: `${ref}: ${source.repository} in ECR of account ${source.account} cannot be read from here (${(cause as Error).message}); ${asked} is pinned by its tag only`});
				continue;
			}
			if (digest === undefined) {
				problems.push({path: '--image', message: `${ref}: tag ${asked}${pinned} is not in ECR repository ${source.repository} (list the tags with ecs-deployer tags --image ${ref})`});
				continue;
			}
			images[ref] = {tag: asked, digest};
			continue;
		}
		const newest = defaultTag(sortTags(await listEcrTags(aws.ecr, context, source)), channel, ref);
		if (!newest) problems.push({path: '--image', message: `${ref}: no stable semver tag in ${source.repository} is allowed${channel ? ` on channel ${channel.name}` : ''}; give one with --image ${ref}=TAG`});
		else images[ref] = {tag: newest.tag, digest: newest.digest};
	}
	if (problems.length > 0) return {problems};
	const same = request.existing.find(r => sameImagePins(r.images, images) && r.channel === channel?.name && sameSnapshot(r, recipe));
	if (same) {
		if (request.version === undefined || request.version === same.version) return {release: same, existing: true};
		return {problems: [{path: '--version', kind: 'exists', message: `release ${same.version} already pins these images with this configuration; deploy it (--release ${same.version}) rather than making ${request.version}`}]};
	}
	const existing = request.existing.map(r => r.version);
	const primary = Object.keys(recipe.images)[0];
	const version = request.version ?? defaultReleaseVersion(primary === undefined ? undefined : images[primary]?.tag, existing);
	if (!semver.valid(version)) return {problems: [{path: '--version', message: `"${version}" is not a semver version (like 1.4.2 or 2.0.0-rc.1)`}]};
	const taken = request.existing.find(r => r.version === version);
	if (taken) return {problems: [{path: '--version', kind: 'exists', message: `release ${version} already exists${describeMaker(taken)} with other images or configuration; pick another version`}]};
	return {
		release: {
			project: recipe.name,
			version,
			...(channel ? {channel: channel.name} : {}),
			images,
			createdAt: request.now.toISOString(),
			...(request.createdBy === undefined ? {} : {createdBy: request.createdBy}),
			...(request.notes === undefined ? {} : {notes: request.notes}),
			recipe: snapshotOf(recipe),
		},
	};
}

/** Whether a stored release keeps the same configuration as `recipe` (a release without a snapshot: cannot tell, so no). */
export function sameSnapshot(release: Pick<Release, 'recipe'>, recipe: RecipeDocument): boolean {
	const read = readSnapshot(release.recipe);
	return 'recipe' in read && sameConfiguration(read.recipe, recipe);
}

/** ` (made by who on when)`, or nothing. */
export function describeMaker(release: Pick<Release, 'createdAt' | 'createdBy'>): string {
	const when = release.createdAt ? release.createdAt.slice(0, 16).replace('T', ' ') : '';
	return release.createdBy || when ? ` (made${release.createdBy ? ` by ${release.createdBy}` : ''}${when ? ` on ${when} UTC` : ''})` : '';
}

function describeChannel(channel: ChannelEntry): string {
	const rules = [channel.versionRange === undefined ? '' : `versions ${channel.versionRange}`, channel.prereleaseTag === undefined ? '' : `pre-releases matching /${channel.prereleaseTag}/`].filter(Boolean);
	return rules.length > 0 ? ` (${rules.join(', ')})` : '';
}

/** The recipe snapshot kept with a release: sensitive values are dropped (references stay). */
export const withoutSensitiveValues = snapshotOf;

/** The channel a release belongs to: its own, else the recipe's default channel. */
export function channelOf(recipe: RecipeDocument, release: Pick<Release, 'channel'>): ChannelEntry | undefined {
	if (release.channel !== undefined) return recipe.channels?.find(c => c.name === release.channel);
	return recipe.channels?.find(c => c.default);
}
