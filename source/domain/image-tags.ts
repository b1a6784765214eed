import safeRegex from 'safe-regex2';
import semver from 'semver';
import type {ChannelEntry} from './recipe/schema.js';

/** An image in a repository, as ECR describes it (one entry per tag). */
export type ImageTagInfo = {tag: string; digest: string; pushedAt?: number; sizeBytes?: number};

export type VersionedTag = ImageTagInfo & {version: semver.SemVer; prerelease: boolean};

export type TagList = {
	/** Semver tags, newest first by semver precedence. */
	versions: VersionedTag[];
	/** Tags that are not semver (latest, commit hashes), newest push first. */
	others: ImageTagInfo[];
};

/**
 * Sorts a repository's tags the way releases pick them: parsed as semver 2 (a leading `v` allowed),
 * newest first by precedence (1.10.0 > 1.9.0 > 1.9.0-rc.2 > 1.9.0-beta.1); other tags apart.
 */
export function sortTags(images: readonly ImageTagInfo[]): TagList {
	const versions: VersionedTag[] = [];
	const others: ImageTagInfo[] = [];
	for (const image of images) {
		const version = semver.parse(image.tag.replace(/^v(?=\d)/, ''));
		if (version) versions.push({...image, version, prerelease: version.prerelease.length > 0});
		else others.push(image);
	}
	// Equal precedence (1.0.0 and v1.0.0): the newer push first.
	versions.sort((a, b) => semver.rcompare(a.version, b.version) || (b.pushedAt ?? 0) - (a.pushedAt ?? 0));
	others.sort((a, b) => (b.pushedAt ?? 0) - (a.pushedAt ?? 0));
	return {versions, others};
}

/**
 * A channel's pre-release rule as a regular expression, or why it cannot be one: not a regular expression,
 * or one whose matching can take exponential time (nested repetition such as `(a+)+`), which a recipe from
 * someone else's branch must not be able to use to hang the tool.
 */
export function prereleasePattern(text: string): RegExp | {problem: string} {
	let pattern: RegExp;
	try {
		pattern = new RegExp(text);
	} catch {
		return {problem: 'is not a regular expression'};
	}
	return safeRegex(pattern) ? pattern : {problem: 'could take exponential time to match (nested repetition such as "(a+)+"): write it without a repeated group that itself repeats'};
}

/** Whether a channel's pre-release rule admits a version's pre-release part; a rule that is not safe admits nothing. */
export function prereleaseAdmitted(version: semver.SemVer, rule: string): boolean {
	const pattern = prereleasePattern(rule);
	return pattern instanceof RegExp && pattern.test(version.prerelease.join('.'));
}

/** Whether a version may be released on a channel (its range and pre-release rule), for the image `ref`. */
export function allowedOnChannel(version: semver.SemVer, channel: ChannelEntry | undefined, ref: string): boolean {
	if (!channel) return true;
	if (channel.images !== undefined && !channel.images.includes(ref)) return true;
	if (channel.versionRange !== undefined && !semver.satisfies(version, channel.versionRange, {includePrerelease: true})) return false;
	if (channel.prereleaseTag !== undefined && !prereleaseAdmitted(version, channel.prereleaseTag)) return false;
	return true;
}

/** The channel to use: the one named, else the recipe's default, else none (every tag allowed). */
export function pickChannel(channels: readonly ChannelEntry[] | undefined, name: string | undefined): ChannelEntry | undefined | {error: string} {
	if (name !== undefined) {
		const found = channels?.find(c => c.name === name);
		return found ?? {error: `there is no channel "${name}" (channels: ${(channels ?? []).map(c => c.name).join(', ') || 'none'})`};
	}
	return channels?.find(c => c.default);
}
