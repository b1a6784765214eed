import {resolveRecipe} from '../../domain/recipe/resolve.js';
import type {TargetInfo} from '../../domain/recipe/resolved.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {autoLogGroup} from '../../domain/log-streams.js';
import {plainStackName} from './plain-stack-name.js';

/**
 * The stack name of an environment, as a deploy would resolve it: the recipe's `stackName` (which may use
 * variables), else `<project>-<environment>`. Placeholder tags and version let fields that use them resolve.
 * A name without variables needs no resolving (it is the same whether or not the rest of the recipe resolves
 * for the environment): the dashboard asks for one per cell, and resolving checks and builds the whole recipe.
 */
export function stackNameFor(recipe: RecipeDocument, environment: string, target: TargetInfo): string {
	const plain = plainStackName(recipe, environment);
	if (plain !== undefined) return plain;
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
	const {resolved} = resolveRecipe({recipe, environment, target: {...(target.name === undefined ? {} : {name: target.name}), cluster: target.cluster, region: target.region}, images, releaseVersion: '0.0.0'});
	return resolved?.service.stackName ?? `${recipe.name}-${environment}`;
}

/**
 * The CloudWatch log group the environment's stack creates (a container with `logging: auto`, the default), or
 * undefined when it creates none. Its name is the project's and environment's (`/ecs/<project>/<environment>`),
 * whatever the stack is called, so two stacks of one environment in one account and region would both create it.
 */
export function stackLogGroupFor(recipe: RecipeDocument, environment: string, target: TargetInfo): string | undefined {
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
	const {resolved} = resolveRecipe({recipe, environment, target: {...(target.name === undefined ? {} : {name: target.name}), cluster: target.cluster, region: target.region}, images, releaseVersion: '0.0.0'});
	if (!resolved) return undefined;
	return resolved.service.containers.some(c => c.logging.type === 'auto') ? autoLogGroup(resolved.project, environment) : undefined;
}
