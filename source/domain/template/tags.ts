import type {ResolvedRecipe} from '../recipe/resolved.js';
import type {Tag} from './types.js';

/** The tag keys this tool writes on stacks and resources; the engine reads them back to find its deployments. */
export const toolTagKeys = {
	tool: 'ecs-deployer:tool',
	project: 'ecs-deployer:project',
	environment: 'ecs-deployer:environment',
	release: 'ecs-deployer:release',
	/** Prefix: `ecs-deployer:image:<ref>` = `<tag>` or `<tag>@<digest>`, on the stack. */
	image: 'ecs-deployer:image:',
} as const;

/** Stack tags: identity, the images of the release (so another machine can see what runs), then the recipe's. */
export function stackTags(resolved: ResolvedRecipe): Tag[] {
	const images = Object.values(resolved.images)
		.filter(image => image.tag !== undefined)
		.map(image => ({Key: `${toolTagKeys.image}${image.ref}`, Value: image.digest === undefined ? image.tag! : `${image.tag}@${image.digest}`}));
	return [...identityTags(resolved), ...images, ...resolved.service.tags.map(tag => ({Key: tag.key, Value: tag.value}))];
}

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
