import {describeLedger, parseLedgerLocation} from '../../domain/ledger-location.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {readSnapshot, sameImagePins} from '../../domain/release-snapshot.js';
import type {Target} from '../../domain/records.js';
import type {EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {ledgerLocationFor, openLedgerAt} from './ledger.js';
import {sameSnapshot} from './releases.js';

export type ImportInput = {
	recipe: RecipeDocument;
	/** The bucket to copy into: `s3://bucket/prefix`. @default the recipe's (or the target's) ledger */
	to?: string;
	/** Whose credentials reach the bucket. */
	target: Target;
};

export type ImportSummary = {
	ledger: string;
	project: string;
	releases: {created: string[]; alreadyThere: string[]; conflicts: Array<{version: string; why: string}>};
	deployments: {created: number; alreadyThere: number};
};

/**
 * Copies this workspace's releases and deployment records of a project into an S3 ledger, so that a team
 * that starts sharing one keeps its history. Nothing is overwritten: each object is created only when the
 * bucket does not have it (If-None-Match); a release the bucket already has with other images or
 * configuration is reported as a conflict and the bucket's is kept. Running it again copies nothing twice.
 */
export async function importLedger(input: ImportInput, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<ImportSummary | {problem: {path: string; message: string}}> {
	const {recipe, target} = input;
	let location;
	let origin = '--to';
	if (input.to !== undefined) {
		location = parseLedgerLocation(input.to);
		if ('problem' in location) return {problem: {path: '--to', message: location.problem}};
	} else {
		({location, origin} = ledgerLocationFor(recipe, target));
	}
	if (location.kind !== 's3') return {problem: {path: '--to', message: `${recipe.name} has no S3 ledger to import into (neither the recipe's \`ledger\` field nor target ${target.name} names one): give one with --to s3://BUCKET/PREFIX`}};
	const ledger = await openLedgerAt(deps, location, origin, target, host);
	const summary: ImportSummary = {ledger: describeLedger(location), project: recipe.name, releases: {created: [], alreadyThere: [], conflicts: []}, deployments: {created: 0, alreadyThere: 0}};
	for (const release of deps.workspace.releases(recipe.name)) {
		const stored = await ledger.createRelease(release);
		if ('created' in stored) summary.releases.created.push(release.version);
		else {
			const theirs = stored.exists;
			const local = readSnapshot(release.recipe);
			const same = sameImagePins(theirs.images, release.images) && theirs.channel === release.channel && ('recipe' in local ? sameSnapshot(theirs, local.recipe) : theirs.recipe === undefined);
			if (same) summary.releases.alreadyThere.push(release.version);
			else summary.releases.conflicts.push({version: release.version, why: `the bucket's release ${theirs.version} pins ${Object.entries(theirs.images).map(([ref, i]) => `${ref}=${i.tag}`).join(' ')}${'recipe' in local && !sameSnapshot(theirs, local.recipe) ? ' with another configuration' : ''}; the bucket's is kept`});
		}
	}
	for (const record of deps.workspace.deployments(recipe.name)) {
		if ((await ledger.createRecord(record)) === 'created') summary.deployments.created++;
		else summary.deployments.alreadyThere++;
	}
	return summary;
}
