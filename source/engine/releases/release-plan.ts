import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Release, Target} from '../../domain/records.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {openLedger} from './ledger.js';
import type {CreateReleaseInput} from './release-create.js';
import {makeRelease, type ReleaseProblem} from './releases.js';

/**
 * What creating a release from these tags would give, without creating it: the release of the ledger that
 * already pins the same images with the same configuration (and channel), or the version a new one would
 * get (never one the ledger has) with the images pinned (tag and digest). `notes`: what the engine would
 * say while making it (an image pinned by its tag only). The release picker asks this before it offers a
 * version, so that the same content is never offered as a new release.
 */
export type ReleasePlan = {existing: Release; notes: string[]} | {version: string; images: Release['images']; notes: string[]} | {problems: ReleaseProblem[]};

export async function planRelease(recipe: RecipeDocument, input: Omit<CreateReleaseInput, 'version' | 'notes'>, target: Target, deps: EngineDeps, host?: EngineHost): Promise<ReleasePlan> {
	const notes: string[] = [];
	const listening = listeningHost(event => {
		if (event.code === 'note' || event.code === 'warning') notes.push(event.message);
		host?.notify(event);
	});
	const ledger = await openLedger(deps, recipe, target, listening);
	const existing = await ledger.releases(recipe.name);
	const {aws, context} = await connect(deps, target, listening);
	const made = await makeRelease({recipe, tags: input.tags, existing, now: new Date(deps.clock.now()), ...(input.channel === undefined ? {} : {channel: input.channel})}, aws, context);
	if ('problems' in made) return made;
	return made.existing ? {existing: made.release, notes} : {version: made.release.version, images: made.release.images, notes};
}
