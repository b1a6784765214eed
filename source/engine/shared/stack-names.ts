import {resolveRecipe} from '../../domain/recipe/resolve.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';

/**
 * The stack name of an environment, as a deploy would resolve it: the recipe's `stackName` (which may use
 * variables), else `<project>-<environment>`. Placeholder tags and version let fields that use them resolve.
 */
export function stackNameFor(recipe: RecipeDocument, environment: string, cluster: string, region: string): string {
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
	const {resolved} = resolveRecipe({recipe, environment, target: {cluster, region}, images, releaseVersion: '0.0.0'});
	const raw = recipe.service['stackName'];
	return resolved?.service.stackName ?? (typeof raw === 'string' && !raw.includes('#{') ? raw : `${recipe.name}-${environment}`);
}
