import type {ResolvedRecipe} from '../recipe/resolved.js';
import type {Tag} from './types.js';

/** The tag keys this tool writes on stacks and resources; the engine reads them back to find its deployments. */
export const toolTagKeys = {
	tool: 'ecs-deployer:tool',
	project: 'ecs-deployer:project',
	environment: 'ecs-deployer:environment',
	release: 'ecs-deployer:release',
} as const;

/** Identity tags (tool, project, environment, release when known) followed by the recipe's own tags. */
export function resourceTags(resolved: ResolvedRecipe): Tag[] {
	return [...identityTags(resolved), ...resolved.service.tags.map(tag => ({Key: tag.key, Value: tag.value}))];
}

export function identityTags(resolved: ResolvedRecipe): Tag[] {
	const tags: Tag[] = [
		{Key: toolTagKeys.tool, Value: 'ecs-deployer'},
		{Key: toolTagKeys.project, Value: resolved.project},
		{Key: toolTagKeys.environment, Value: resolved.environment},
	];
	if (resolved.releaseVersion !== undefined) tags.push({Key: toolTagKeys.release, Value: resolved.releaseVersion});
	return tags;
}
