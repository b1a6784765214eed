import {RE2JS} from 're2js';
import semver from 'semver';
import type {ChannelEntry} from './recipe/schema.js';
import {printable} from './text.js';

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

/** The longest pre-release rule a channel may have: a rule is a short pattern (`^$`, `^(beta|rc)`). */
export const maxPrereleaseRuleLength = 200;

/** A channel's pre-release rule, compiled: whether it admits a pre-release part (`beta.1`, `` for none). */
export type PrereleaseMatcher = {test(prerelease: string): boolean};

/** Compiled rules by their text: a tag list of thousands of tags compiles each rule once. */
const compiled = new Map<string, PrereleaseMatcher | {problem: string}>();

/**
 * A channel's pre-release rule as a matcher, or why it cannot be one. Rules are RE2 patterns
 * (https://github.com/google/re2/wiki/Syntax), matched by re2js, which runs in time linear in the text: no
 * rule, however written (`^(a|a)*$`, `.*` twenty times then `x`), can make matching take long. RE2 has no
 * look-around and no back-references; a pattern that uses them is refused with RE2's reason.
 */
export function prereleasePattern(text: string): PrereleaseMatcher | {problem: string} {
	let found = compiled.get(text);
	if (found === undefined) {
		found = compile(text);
		// Bounded: recipes have a few rules; a tool that validates many recipes must not keep them all.
		if (compiled.size >= 256) compiled.clear();
		compiled.set(text, found);
	}
	return found;
}

function compile(text: string): PrereleaseMatcher | {problem: string} {
	if (text.length > maxPrereleaseRuleLength) return {problem: `is longer than the ${maxPrereleaseRuleLength} characters a pre-release rule may have`};
	try {
		const pattern = RE2JS.compile(text);
		return {test: prerelease => pattern.test(prerelease)};
	} catch (cause) {
		// RE2's reason names what it does not accept: "invalid or unsupported Perl syntax: `(?=`".
		const reason = printable((cause as Error).message.replace(/^error parsing regexp: /, ''));
		return {problem: `is not a pattern this tool can match (RE2 syntax, without look-around or back-references): ${reason}`};
	}
}

/** Whether a channel's pre-release rule admits a version's pre-release part; a rule that cannot be compiled admits nothing. */
export function prereleaseAdmitted(version: semver.SemVer, rule: string): boolean {
	const pattern = prereleasePattern(rule);
	return !('problem' in pattern) && pattern.test(version.prerelease.join('.'));
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
