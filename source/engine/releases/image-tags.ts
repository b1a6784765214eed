import {pickChannel, sortTags, type ImageTagInfo, type VersionedTag} from '../../domain/image-tags.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Target} from '../../domain/records.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {listEcrTags} from './ecr-tags.js';
import {allowedOnChannel} from '../../domain/image-tags.js';
import {pickedByDefault} from './releases.js';

/** A semver tag as the release picker shows it. */
export type TagRow = VersionedTag & {
	/** The channel's rules allow it. */
	allowed: boolean;
	/** It is the tag picked when nobody chooses: the newest stable one the channel allows. */
	isDefault: boolean;
};

export type ImageTags = {
	ref: string;
	repository: string;
	channel?: string;
	/** Every semver tag, newest first by semver precedence. */
	versions: TagRow[];
	/** Tags that are not semver (latest, commit hashes), newest push first. */
	others: ImageTagInfo[];
	/** The tag picked by default, if any. */
	defaultTag?: string;
};

export type ImageTagsProblem = {path: string; message: string};

/**
 * An image's tags from ECR (every page of DescribeImages), parsed as semver 2 and sorted newest first,
 * each marked with what the channel allows and which one is picked by default.
 */
export async function imageTags(recipe: RecipeDocument, ref: string | undefined, channelName: string | undefined, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<ImageTags | {problem: ImageTagsProblem}> {
	const imageRef = ref ?? Object.keys(recipe.images)[0]!;
	const source = recipe.images[imageRef];
	if (!source) return {problem: {path: '--image', message: `"${imageRef}" is not one of the recipe's images (${Object.keys(recipe.images).join(', ')})`}};
	if (source.registry !== undefined) return {problem: {path: '--image', message: `${imageRef} comes from ${source.registry}, not ECR; its tags cannot be listed here`}};
	const channel = pickChannel(recipe.channels, channelName);
	if (channel && 'error' in channel) return {problem: {path: '--channel', message: channel.error}};
	const {aws, context} = await connect(deps, target, host);
	const {versions, others} = sortTags(await listEcrTags(aws.ecr, context, source));
	let defaultTag: string | undefined;
	const rows = versions.map(v => {
		const isDefault = defaultTag === undefined && pickedByDefault(v.version, channel, imageRef);
		if (isDefault) defaultTag = v.tag;
		return {...v, allowed: allowedOnChannel(v.version, channel, imageRef), isDefault};
	});
	return {ref: imageRef, repository: source.repository, ...(channel ? {channel: channel.name} : {}), versions: rows, others, ...(defaultTag === undefined ? {} : {defaultTag})};
}
