import type {RecipeDocument} from '../domain/recipe/schema.js';
import type {Release, Target} from '../store/types.js';
import {connect, type EngineDeps} from './deps.js';
import {listeningHost, type EngineHost} from './host.js';
import {makeRelease, type ReleaseProblem} from './releases.js';

export type CreateReleaseInput = {
	/** Tags by image ref; the others default to the newest the channel allows (stable unless it admits pre-releases). */
	tags: Record<string, string>;
	version?: string;
	channel?: string;
	notes?: string;
};

/** Creates a release (each image's tag and digest from ECR, the channel, the version) and stores it. */
export async function createRelease(recipe: RecipeDocument, input: CreateReleaseInput, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<{release: Release} | {problems: ReleaseProblem[]}> {
	const {aws, context} = await connect(deps, target, host);
	const made = await makeRelease(
		{
			recipe,
			tags: input.tags,
			existing: deps.workspace.releases(recipe.name),
			now: new Date(deps.clock.now()),
			...(input.version === undefined ? {} : {version: input.version}),
			...(input.channel === undefined ? {} : {channel: input.channel}),
			...(input.notes === undefined ? {} : {notes: input.notes}),
		},
		aws.ecr,
		context,
	);
	if ('release' in made) deps.workspace.saveRelease(made.release);
	return made;
}

/** The version a new release gets when none is given, for the picker to suggest. */
