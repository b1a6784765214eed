import type {RecipeDocument} from '../../domain/recipe/schema.js';

/**
 * The stack name of an environment when it needs no resolving: the recipe's `stackName` without variables,
 * else `<project>-<environment>`; undefined when it uses variables (stackNameFor in stack-names.ts resolves it,
 * which loads the recipe rules). Apart from stack-names.ts so the dashboard's status reads need neither.
 */
export function plainStackName(recipe: RecipeDocument, environment: string): string | undefined {
	const raw = recipe.service['stackName'];
	if (raw === undefined) return `${recipe.name}-${environment}`;
	if (typeof raw === 'string' && !raw.includes('#{')) return raw;
	return undefined;
}
