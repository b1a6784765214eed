import type {AwsPorts} from '../../aws/ports.js';
import {describeAwsError} from '../../domain/aws-errors.js';
import {allowedOnChannel, pickChannel, sortTags} from '../../domain/image-tags.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {AwsAccessError, type CallContext} from '../../engine/aws-call.js';
import {defaultPolling} from '../../engine/clock.js';
import {listEcrTags} from '../../engine/ecr-tags.js';
import {makeRelease} from '../../engine/releases.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {WorkspaceStore} from '../../store/workspace-store.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';

/** A call context for short commands: retries are reported as plain lines on stderr. */
export function commandContext(output: Output, clock = {now: () => Date.now(), sleep: (ms: number) => new Promise<void>(r => setTimeout(r, ms))}): CallContext {
	return {host: createPrinter({...output, line: output.note}, {json: false, answers: {}}), clock, polling: defaultPolling};
}

/** Turns AWS errors into an exit code and a message; other errors go on up. */
export function awsFailure(output: Output, error: unknown): ExitCode {
	const cause = error instanceof AwsAccessError ? error.cause : error;
	output.note(`error: ${describeAwsError(cause)}`);
	return error instanceof AwsAccessError ? exitCodes.awsAccess : exitCodes.deploymentFailed;
}

export type TagsFlags = {image?: string; channel?: string; all?: boolean; json?: boolean; limit?: string};

/** `ecs-deployer tags`: an ECR repository's tags as semver, newest first, filtered by the channel. */
export async function tagsCommand(recipe: RecipeDocument, flags: TagsFlags, aws: AwsPorts, output: Output, context = commandContext(output)): Promise<ExitCode> {
	const ref = flags.image ?? Object.keys(recipe.images)[0]!;
	const source = recipe.images[ref];
	if (!source) {
		output.note(`error: --image: "${ref}" is not one of the recipe's images (${Object.keys(recipe.images).join(', ')})`);
		return exitCodes.badInput;
	}
	if (source.registry !== undefined) {
		output.note(`error: --image: ${ref} comes from ${source.registry}, not ECR; its tags cannot be listed here`);
		return exitCodes.badInput;
	}
	const channel = pickChannel(recipe.channels, flags.channel);
	if (channel && 'error' in channel) {
		output.note(`error: --channel: ${channel.error}`);
		return exitCodes.badInput;
	}
	let tags;
	try {
		tags = await listEcrTags(aws.ecr, context, source);
	} catch (error) {
		return awsFailure(output, error);
	}
	const {versions, others} = sortTags(tags);
	const allowed = versions.filter(v => allowedOnChannel(v.version, channel, ref));
	const limit = flags.limit === undefined ? 50 : Number(flags.limit);
	if (flags.json) {
		output.json({
			image: ref,
			repository: source.repository,
			...(channel ? {channel: channel.name} : {}),
			versions: allowed.map(v => ({tag: v.tag, version: v.version.version, prerelease: v.prerelease, digest: v.digest, pushedAt: v.pushedAt === undefined ? undefined : new Date(v.pushedAt).toISOString()})),
			notSemver: flags.all ? others.map(o => ({tag: o.tag, digest: o.digest})) : others.length,
		});
		return exitCodes.success;
	}
	output.line(`${ref}: ECR repository ${source.repository}${channel ? `, channel ${channel.name}` : ''} — ${allowed.length} of ${versions.length} semver tags`);
	for (const v of allowed.slice(0, limit)) {
		const pushed = v.pushedAt === undefined ? '' : new Date(v.pushedAt).toISOString().slice(0, 16).replace('T', ' ');
		output.line(`  ${v.tag.padEnd(24)} ${v.prerelease ? output.paint.yellow('pre-release') : '           '}  ${pushed}  ${v.digest.slice(7, 19)}`);
	}
	if (allowed.length > limit) output.line(`  … ${allowed.length - limit} older (--limit N to show more)`);
	if (flags.all) for (const o of others) output.line(`  ${o.tag.padEnd(24)} not semver   ${o.digest.slice(7, 19)}`);
	else if (others.length > 0) output.line(`  (${others.length} tags are not semver, like ${others[0]!.tag}; --all shows them)`);
	return exitCodes.success;
}

export type ReleaseCreateFlags = {version?: string; image?: string[]; channel?: string; notes?: string; json?: boolean};

/** `ecs-deployer release create`: pins each image's tag and digest, the channel and the recipe. */
export async function releaseCreateCommand(recipe: RecipeDocument, flags: ReleaseCreateFlags, images: Record<string, string>, aws: AwsPorts, store: WorkspaceStore, output: Output, now = new Date()): Promise<ExitCode> {
	let made;
	try {
		made = await makeRelease(
			{recipe, tags: images, existing: store.releases(recipe.name), now, ...(flags.version === undefined ? {} : {version: flags.version}), ...(flags.channel === undefined ? {} : {channel: flags.channel}), ...(flags.notes === undefined ? {} : {notes: flags.notes})},
			aws,
			commandContext(output),
		);
	} catch (error) {
		return awsFailure(output, error);
	}
	if ('errors' in made) {
		for (const e of made.errors) output.note(`error: ${e}`);
		return exitCodes.badInput;
	}
	store.saveRelease(made.release);
	if (flags.json) output.json(made.release);
	else {
		output.line(`created release ${made.release.version} of ${recipe.name}${made.release.channel ? ` on channel ${made.release.channel}` : ''}`);
		for (const [ref, image] of Object.entries(made.release.images)) output.line(`  ${ref.padEnd(16)} ${image.tag}${image.digest ? `  ${image.digest.slice(0, 19)}` : ''}`);
	}
	return exitCodes.success;
}
