import type {AwsPorts, Stack} from '../../aws/ports.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import type {Release} from '../../domain/records.js';
import type {CallContext} from '../core/aws-call.js';
import type {ReleaseView} from '../core/host.js';
import {describeStack} from '../monitor/stack-monitor.js';

/** A stack tag's value. */
export const stackTag = (stack: Stack | undefined, key: string): string | undefined => stack?.Tags?.find(t => t.Key === key)?.Value;

/** The release a stack runs, from its tags (`ecs-deployer:release`, `ecs-deployer:image:<ref>` = `tag@digest`). */
export function releaseFromStack(stack: Stack, project: string): Release | undefined {
	const version = stackTag(stack, toolTagKeys.release);
	if (version === undefined) return undefined;
	const images = Object.fromEntries(
		(stack.Tags ?? [])
			.filter(t => t.Key?.startsWith(toolTagKeys.image))
			.map(t => {
				const [tag, digest] = (t.Value ?? '').split('@');
				return [t.Key!.slice(toolTagKeys.image.length), {tag: tag!, ...(digest ? {digest} : {})}];
			}),
	);
	return {project, version, images, createdAt: ''};
}

/**
 * Finds a release by version: in the workspace, else on a stack of the recipe's environments (made on
 * another machine: the stack tags pin its images).
 */
export async function findRelease(recipe: RecipeDocument, version: string, stored: readonly Release[], aws: AwsPorts, context: CallContext, stackNames: readonly string[]): Promise<ReleaseView | undefined> {
	const local = stored.find(r => r.version === version);
	if (local) return {version: local.version, images: local.images, ...(local.channel === undefined ? {} : {channel: local.channel}), source: 'stored'};
	for (const name of stackNames) {
		const stack = await describeStack({...context, aws}, name);
		const release = stack && releaseFromStack(stack, recipe.name);
		if (release?.version === version) return {version, images: release.images, source: 'aws'};
	}
	return undefined;
}
