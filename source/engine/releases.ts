import semver from 'semver';
import type {AwsPorts} from '../aws/ports.js';
import {allowedOnChannel, pickChannel, sortTags, type ImageTagInfo} from '../domain/image-tags.js';
import type {RecipeDocument} from '../domain/recipe/schema.js';
import {defaultReleaseVersion} from '../domain/release-version.js';
import type {Release} from '../store/types.js';
import type {CallContext} from './aws-call.js';
import {listEcrTags} from './ecr-tags.js';

export type ReleaseRequest = {
	recipe: RecipeDocument;
	version?: string;
	/** Tags asked for, by image ref; the others default to the newest the channel allows. */
	tags: Record<string, string>;
	channel?: string;
	notes?: string;
	existing: readonly Release[];
	now: Date;
};

/** Makes a release: each image's tag and digest from ECR, the channel's rules, and the version. */
export async function makeRelease(request: ReleaseRequest, aws: AwsPorts, context: CallContext): Promise<{release: Release} | {errors: string[]}> {
	const {recipe} = request;
	const channel = pickChannel(recipe.channels, request.channel);
	if (channel && 'error' in channel) return {errors: [`--channel: ${channel.error}`]};
	const errors: string[] = [];
	const images: Release['images'] = {};
	for (const [ref, source] of Object.entries(recipe.images)) {
		const asked = request.tags[ref];
		let tags: ImageTagInfo[];
		if (source.registry !== undefined) {
			// Not ECR: no listing; the tag must be given and is pinned without a digest.
			if (asked === undefined) errors.push(`--image ${ref}: ${source.registry}/${source.repository} is not in ECR; give its tag (--image ${ref}=TAG)`);
			else images[ref] = {tag: asked};
			continue;
		}
		tags = await listEcrTags(aws.ecr, context, source);
		const sorted = sortTags(tags);
		if (asked !== undefined) {
			const found = tags.find(t => t.tag === asked);
			if (!found) {
				errors.push(`--image ${ref}: tag ${asked} is not in ECR repository ${source.repository}`);
				continue;
			}
			const version = semver.parse(asked.replace(/^v(?=\d)/, ''));
			if (channel && version && !allowedOnChannel(version, channel, ref)) errors.push(`--image ${ref}: ${asked} is not allowed on channel ${channel.name}`);
			images[ref] = {tag: asked, digest: found.digest};
			continue;
		}
		const newest = sorted.versions.find(v => allowedOnChannel(v.version, channel, ref));
		if (!newest) errors.push(`--image ${ref}: no semver tag in ${source.repository} is allowed${channel ? ` on channel ${channel.name}` : ''}; give one with --image ${ref}=TAG`);
		else images[ref] = {tag: newest.tag, digest: newest.digest};
	}
	if (errors.length > 0) return {errors};
	const existing = request.existing.map(r => r.version);
	const primary = Object.keys(recipe.images)[0];
	const version = request.version ?? defaultReleaseVersion(primary === undefined ? undefined : images[primary]?.tag, existing);
	if (!semver.valid(version)) return {errors: [`--version: "${version}" is not a semver version (like 1.4.2 or 2.0.0-rc.1)`]};
	if (existing.includes(version)) return {errors: [`--version: release ${version} already exists`]};
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

/** The recipe snapshot kept with a release: sensitive values are dropped (references stay). */
export function withoutSensitiveValues(recipe: RecipeDocument): RecipeDocument {
	return {
		...recipe,
		...(recipe.variables === undefined ? {} : {variables: recipe.variables.map(v => (v.sensitive ? {...v, value: undefined} : v)).map(v => JSON.parse(JSON.stringify(v)) as typeof v)}),
	};
}
