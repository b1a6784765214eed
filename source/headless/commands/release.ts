import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Engine} from '../../engine/engine.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Target} from '../../store/types.js';
import {parseImageChoices, wholeNumber} from '../flags.js';
import type {Output} from '../output.js';
import {awsFailure, badFlag, stderrHost} from './shared.js';

export type TagsFlags = {image?: string; channel?: string; all?: boolean; json?: boolean; limit?: string};

/** `ecs-deployer tags`: an ECR repository's tags as semver, newest first, filtered by the channel. */
export async function tagsCommand(recipe: RecipeDocument, flags: TagsFlags, target: Target, engine: Engine, output: Output): Promise<ExitCode> {
	const limit = wholeNumber('--limit', flags.limit, 1, 100_000);
	if (limit.problem) return badFlag(output, limit.problem.path, limit.problem.message);
	let tags;
	try {
		tags = await engine.imageTags(recipe, flags.image, flags.channel, target, stderrHost(output));
	} catch (error) {
		return awsFailure(output, error);
	}
	if ('problem' in tags) return badFlag(output, tags.problem.path, tags.problem.message);
	const allowed = tags.versions.filter(v => v.allowed);
	if (flags.json) {
		output.json({
			image: tags.ref,
			repository: tags.repository,
			...(tags.channel ? {channel: tags.channel} : {}),
			...(tags.defaultTag ? {defaultTag: tags.defaultTag} : {}),
			versions: allowed.map(v => ({tag: v.tag, version: v.version.version, prerelease: v.prerelease, default: v.isDefault, digest: v.digest, pushedAt: v.pushedAt === undefined ? undefined : new Date(v.pushedAt).toISOString()})),
			notSemver: flags.all ? tags.others.map(o => ({tag: o.tag, digest: o.digest})) : tags.others.length,
		});
		return exitCodes.success;
	}
	const shown = limit.value ?? 50;
	output.line(`${tags.ref}: ECR repository ${tags.repository}${tags.channel ? `, channel ${tags.channel}` : ''} — ${allowed.length} of ${tags.versions.length} semver tags`);
	for (const v of allowed.slice(0, shown)) {
		const pushed = v.pushedAt === undefined ? '' : new Date(v.pushedAt).toISOString().slice(0, 16).replace('T', ' ');
		const mark = v.isDefault ? output.paint.green('default    ') : v.prerelease ? output.paint.yellow('pre-release') : '           ';
		output.line(`  ${v.tag.padEnd(24)} ${mark}  ${pushed}  ${v.digest.slice(7, 19)}`);
	}
	if (allowed.length > shown) output.line(`  … ${allowed.length - shown} older (--limit N to show more)`);
	if (flags.all) for (const o of tags.others) output.line(`  ${o.tag.padEnd(24)} not semver   ${o.digest.slice(7, 19)}`);
	else if (tags.others.length > 0) output.line(`  (${tags.others.length} tags are not semver, like ${tags.others[0]!.tag}; --all shows them)`);
	return exitCodes.success;
}

export type ReleaseCreateFlags = {version?: string; image?: string[]; channel?: string; notes?: string; json?: boolean};

/** `ecs-deployer release create`: pins each image's tag and digest, the channel and the recipe. */
export async function releaseCreateCommand(recipe: RecipeDocument, flags: ReleaseCreateFlags, target: Target, engine: Engine, output: Output): Promise<ExitCode> {
	const {images, problems} = parseImageChoices(flags.image ?? []);
	if (problems.length > 0) {
		for (const p of problems) output.note(`error: ${p.path}: ${p.message}`);
		return exitCodes.badInput;
	}
	const tags = Object.fromEntries(Object.entries(images).map(([ref, choice]) => [ref, choice.tag]));
	let made;
	try {
		made = await engine.createRelease(
			recipe,
			{tags, ...(flags.version === undefined ? {} : {version: flags.version}), ...(flags.channel === undefined ? {} : {channel: flags.channel}), ...(flags.notes === undefined ? {} : {notes: flags.notes})},
			target,
			stderrHost(output),
		);
	} catch (error) {
		return awsFailure(output, error);
	}
	if ('problems' in made) {
		for (const p of made.problems) output.note(`error: ${p.path}: ${p.message}`);
		return exitCodes.badInput;
	}
	if (flags.json) output.json(made.release);
	else {
		output.line(`created release ${made.release.version} of ${recipe.name}${made.release.channel ? ` on channel ${made.release.channel}` : ''}`);
		for (const [ref, image] of Object.entries(made.release.images)) output.line(`  ${ref.padEnd(16)} ${image.tag}${image.digest ? `  ${image.digest.slice(0, 19)}` : ''}`);
	}
	return exitCodes.success;
}
