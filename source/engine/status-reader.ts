import type {RecipeDocument} from '../domain/recipe/schema.js';
import type {Target} from '../domain/records.js';
import {targetTagsFor} from '../domain/target.js';
import type {EngineDeps} from './core/deps.js';
import type {Engine} from './engine.js';
import type {EngineHost} from './core/host.js';
import {environmentStatus, type EnvironmentStatus} from './history/status.js';
import {resolveTargets, type TargetChoice, type TargetsPick} from './targets/targets.js';

/**
 * The part of the engine the dashboard's status cells use: which targets serve an environment, and where it
 * stands there. It loads without the rest of the engine (no recipe schema, YAML parser or template rules), so
 * the app can show statuses while the other use cases load. The engine's `targetsFor` and `status` are these.
 */
export type StatusReader = {
	/** Every target that serves a recipe's environment (and carries one of its target tags), in name order, or why none does. */
	targetsFor(recipe: RecipeDocument | undefined, environment: string, choice?: TargetChoice): TargetsPick;
	status(recipe: RecipeDocument, environment: string, target: Target, host?: EngineHost, options?: {digests?: boolean}): Promise<EnvironmentStatus>;
};

export function createStatusReader(deps: EngineDeps): StatusReader {
	return {
		targetsFor: (recipe, environment, choice = {}) => resolveTargets(deps, {tags: targetTagsFor(recipe, environment), ...choice}, environment),
		status: (recipe, environment, target, host, options) => environmentStatus(recipe, environment, target, deps, host, options),
	};
}

/** A StatusReader whose target choice may come later (the app's reads wait for the workspace store when its file exists). */
export type StatusSource = {
	targetsFor(...args: Parameters<StatusReader['targetsFor']>): ReturnType<StatusReader['targetsFor']> | Promise<ReturnType<StatusReader['targetsFor']>>;
	status: StatusReader['status'];
};

/**
 * The engine in two steps (the app's): the status reads at once, the other use cases (most of the engine's
 * code: the recipe schema, YAML, the template rules) when `engine` is first called.
 */
export type StagedEngine = {
	statuses: StatusSource;
	engine(): Promise<Engine>;
};
