import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Engine} from '../../engine/engine.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Target} from '../../domain/records.js';
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

export type ReleaseCreateFlags = {version?: string; image?: string[]; channel?: string; notes?: string; like?: string; json?: boolean};

/**
 * `ecs-deployer release create`: pins each image's tag and digest, the channel and the recipe, in the
 * project's ledger. The same images and configuration as an existing release: that release is shown, not
 * made again (exit 0; exit 5 when another --version was asked for). A version someone else has: exit 5.
 */
export async function releaseCreateCommand(recipe: RecipeDocument, flags: ReleaseCreateFlags, target: Target, engine: Engine, output: Output): Promise<ExitCode> {
	const {images, problems} = parseImageChoices(flags.image ?? []);
	if (problems.length > 0) {
		for (const p of problems) output.note(`error: ${p.path}: ${p.message}`);
		return exitCodes.badInput;
	}
	const tags = Object.fromEntries(Object.entries(images).map(([ref, choice]) => [ref, choice.tag]));
	if (flags.like !== undefined && Object.keys(tags).length > 0) return badFlag(output, '--like', 'give either --like (the images of a release) or --image tags, not both');
	const input = {...(flags.version === undefined ? {} : {version: flags.version}), ...(flags.channel === undefined ? {} : {channel: flags.channel}), ...(flags.notes === undefined ? {} : {notes: flags.notes})};
	let made;
	try {
		made = flags.like === undefined ? await engine.createRelease(recipe, {tags, ...input}, target, stderrHost(output)) : await engine.releaseLike(recipe, flags.like, input, target, stderrHost(output));
	} catch (error) {
		return awsFailure(output, error);
	}
	if ('problems' in made) {
		for (const p of made.problems) output.note(`error: ${p.path}: ${p.message}`);
		return made.problems.some(p => p.kind === 'exists') ? exitCodes.exists : exitCodes.badInput;
	}
	const {recipe: _snapshot, ...release} = made.release;
	if (flags.json) output.json({...release, existing: Boolean(made.existing), ...(made.ledger ? {ledger: made.ledger} : {})});
	else {
		// The workspace is the default: a shared bucket is named.
		const where = made.ledger?.startsWith('s3://') ? ` in ${made.ledger}` : '';
		if (made.existing) output.line(`release ${release.version} of ${recipe.name} already pins these images with this configuration${where}: not made again`);
		else output.line(`created release ${release.version} of ${recipe.name}${release.channel ? ` on channel ${release.channel}` : ''}${where}`);
		for (const [ref, image] of Object.entries(release.images)) output.line(`  ${ref.padEnd(16)} ${image.tag}${image.digest ? `  ${image.digest.slice(0, 19)}` : '  (no digest: pinned by tag)'}`);
	}
	return exitCodes.success;
}

export type LedgerImportFlags = {to?: string; json?: boolean};

/** `ecs-deployer ledger import`: copies this workspace's releases and records of the recipe's project into an S3 ledger. */
export async function ledgerImportCommand(recipe: RecipeDocument, flags: LedgerImportFlags, target: Target, engine: Engine, output: Output): Promise<ExitCode> {
	let summary;
	try {
		summary = await engine.importLedger({recipe, target, ...(flags.to === undefined ? {} : {to: flags.to})}, stderrHost(output));
	} catch (error) {
		return awsFailure(output, error);
	}
	if ('problem' in summary) return badFlag(output, summary.problem.path, summary.problem.message);
	if (flags.json) output.json(summary);
	else {
		const {releases, deployments} = summary;
		output.line(`imported ${recipe.name} into ${summary.ledger}: ${releases.created.length} release${releases.created.length === 1 ? '' : 's'} and ${deployments.created} deployment record${deployments.created === 1 ? '' : 's'} copied; ${releases.alreadyThere.length + deployments.alreadyThere} already there`);
		for (const c of releases.conflicts) output.line(`  ${output.paint.yellow('!')} release ${c.version}: ${c.why}`);
	}
	return summary.releases.conflicts.length > 0 ? exitCodes.exists : exitCodes.success;
}
