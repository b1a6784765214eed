import {iamPolicy, iamPolicyEnvironment, type IamPolicy} from '../domain/iam-policy.js';
import {hasErrors, type Problem} from '../domain/problems.js';
import type {RecipeDocument} from '../domain/recipe/schema.js';
import type {EngineDeps} from './deps.js';
import {validateRecipe} from './validate.js';

/**
 * The least-privilege IAM policy for deploying a recipe to all its environments, each resolved with the
 * target that serves it (so stacks, clusters, regions and accounts are named where known). No AWS call.
 */
export async function recipePolicy(recipeFile: string, recipe: RecipeDocument, deps: EngineDeps): Promise<{policy: IamPolicy} | {problems: Problem[]}> {
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
	const environments = [];
	for (const {name} of recipe.environments) {
		const prepared = await validateRecipe({recipeFile, environment: name, images, releaseVersion: '0.0.0'}, deps);
		if (!prepared.resolved || hasErrors(prepared.problems)) return {problems: prepared.problems.map(p => ({...p, path: `${name}: ${p.path}`}))};
		environments.push(iamPolicyEnvironment(prepared.resolved));
	}
	return {policy: iamPolicy({project: recipe.name, environments})};
}
