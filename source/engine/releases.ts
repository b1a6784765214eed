import semver from 'semver';
import type {EcrPort} from '../aws/ports.js';
import {classifyAwsError} from '../domain/aws-errors.js';
import {allowedOnChannel, pickChannel, prereleaseAdmitted, sortTags, type ImageTagInfo, type TagList} from '../domain/image-tags.js';
import type {ChannelEntry, ImageSource, RecipeDocument} from '../domain/recipe/schema.js';
import {defaultReleaseVersion} from '../domain/release-version.js';
import type {Release} from '../store/types.js';
import {callAws, type CallContext} from './aws-call.js';
import {listEcrTags} from './ecr-tags.js';

export type ReleaseRequest = {
	recipe: RecipeDocument;
	version?: string;
	/** Tags asked for, by image ref; the others default to the newest the channel allows (stable unless the channel admits pre-releases). */
	tags: Record<string, string>;
	channel?: string;
	notes?: string;
	existing: readonly Release[];
	now: Date;
};

/** A problem with a release request, naming the flag (or field) it is about. */
export type ReleaseProblem = {path: string; message: string};

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
		if ((error as {name?: string}).name === 'ImageNotFoundException' || (classifyAwsError(error) === 'not-found' && !/repository/i.test((error as Error).message ?? ''))) return undefined;
		throw error;
	}
}

/**
 * Makes a release: each image's tag and digest from ECR (a tag asked for must exist; the others default to
 * the newest the channel allows), the channel's rules, and the version (checked as semver and unused).
 */
export async function makeRelease(request: ReleaseRequest, ecr: EcrPort, context: CallContext): Promise<{release: Release} | {problems: ReleaseProblem[]}> {
	const {recipe} = request;
	const channel = pickChannel(recipe.channels, request.channel);
	if (channel && 'error' in channel) return {problems: [{path: '--channel', message: channel.error}]};
	const problems: ReleaseProblem[] = [];
	const images: Release['images'] = {};
	for (const ref of Object.keys(request.tags)) {
		if (recipe.images[ref] === undefined) problems.push({path: '--image', message: `"${ref}" is not one of the recipe's images (${Object.keys(recipe.images).join(', ')})`});
	}
	for (const [ref, source] of Object.entries(recipe.images)) {
		const asked = request.tags[ref];
		if (source.registry !== undefined) {
			// Not ECR: no listing; the tag must be given and is pinned without a digest.
			if (asked === undefined) problems.push({path: '--image', message: `${ref}: ${source.registry}/${source.repository} is not in ECR; give its tag (--image ${ref}=TAG)`});
			else images[ref] = {tag: asked};
			continue;
		}
		if (asked !== undefined) {
			const digest = await ecrDigest(ecr, context, source, asked);
			if (digest === undefined) {
				problems.push({path: '--image', message: `${ref}: tag ${asked} is not in ECR repository ${source.repository} (list the tags with ecs-deployer tags --image ${ref})`});
				continue;
			}
			const version = semver.parse(asked.replace(/^v(?=\d)/, ''));
			if (channel && version && !allowedOnChannel(version, channel, ref)) problems.push({path: '--image', message: `${ref}: ${asked} is not allowed on channel ${channel.name}${describeChannel(channel)}`});
			if (channel && !version && (channel.versionRange !== undefined || channel.prereleaseTag !== undefined)) problems.push({path: '--image', message: `${ref}: ${asked} is not a semver version, so channel ${channel.name}'s rules cannot admit it`});
			images[ref] = {tag: asked, digest};
			continue;
		}
		const newest = defaultTag(sortTags(await listEcrTags(ecr, context, source)), channel, ref);
		if (!newest) problems.push({path: '--image', message: `${ref}: no stable semver tag in ${source.repository} is allowed${channel ? ` on channel ${channel.name}` : ''}; give one with --image ${ref}=TAG`});
		else images[ref] = {tag: newest.tag, digest: newest.digest};
	}
	if (problems.length > 0) return {problems};
	const existing = request.existing.map(r => r.version);
	const primary = Object.keys(recipe.images)[0];
	const version = request.version ?? defaultReleaseVersion(primary === undefined ? undefined : images[primary]?.tag, existing);
	if (!semver.valid(version)) return {problems: [{path: '--version', message: `"${version}" is not a semver version (like 1.4.2 or 2.0.0-rc.1)`}]};
	if (existing.includes(version)) return {problems: [{path: '--version', message: `release ${version} already exists; pick another version`}]};
	return {
		release: {
			project: recipe.name,
			version,
			...(channel ? {channel: channel.name} : {}),
			images,
			createdAt: request.now.toISOString(),
			...(request.notes === undefined ? {} : {notes: request.notes}),
			recipe: withoutSensitiveValues(recipe),
		},
	};
}

function describeChannel(channel: ChannelEntry): string {
	const rules = [channel.versionRange === undefined ? '' : `versions ${channel.versionRange}`, channel.prereleaseTag === undefined ? '' : `pre-releases matching /${channel.prereleaseTag}/`].filter(Boolean);
	return rules.length > 0 ? ` (${rules.join(', ')})` : '';
}

/** The recipe snapshot kept with a release: sensitive values are dropped (references stay). */
export function withoutSensitiveValues(recipe: RecipeDocument): RecipeDocument {
	return {
		...recipe,
		...(recipe.variables === undefined ? {} : {variables: recipe.variables.map(v => (v.sensitive ? {...v, value: undefined} : v)).map(v => JSON.parse(JSON.stringify(v)) as typeof v)}),
	};
}

/** The channel a release belongs to: its own, else the recipe's default channel. */
export function channelOf(recipe: RecipeDocument, release: Pick<Release, 'channel'>): ChannelEntry | undefined {
	if (release.channel !== undefined) return recipe.channels?.find(c => c.name === release.channel);
	return recipe.channels?.find(c => c.default);
}
