import type {ResolvedRecipe} from '../domain/recipe/resolved.js';
import {isInProgress} from '../domain/stack-status.js';
import {toolTagKeys} from '../domain/template/tags.js';
import type {BuiltTemplate} from '../domain/template/types.js';
import {AwsAccessError} from './aws-call.js';
import {accessResult, createContext, describeStack, result, watchOperation, type DeployDeps, type DeployResult} from './deploy.js';

/**
 * Re-attaches to a stack: follows the operation in progress to its end (CloudFormation and ECS), or, when
 * none is running, reports how the last one ended and why. Used by `watch` after Ctrl+C or a lost session.
 */
export async function attach(resolved: ResolvedRecipe, built: BuiltTemplate, deps: DeployDeps): Promise<DeployResult> {
	const context = createContext(resolved, built, {}, deps);
	try {
		const stack = await describeStack(context, built.stackName);
		if (!stack) return result(context, 'failed', `there is no stack ${built.stackName}: ${resolved.environment} has not been deployed`, undefined);
		const status = stack.StackStatus ?? '';
		// The release running (or being deployed) is the one on the stack's tag.
		const release = stack.Tags?.find(t => t.Key === toolTagKeys.release)?.Value;
		if (release !== undefined) context.resolved = {...context.resolved, releaseVersion: release};
		const started = stack.LastUpdatedTime ?? stack.CreationTime;
		// Events of the last operation start when it did; a second earlier covers clock rounding.
		const since = started ? new Date(started).getTime() - 1000 : 0;
		context.host.notify({code: 'note', message: isInProgress(status) ? `re-attached to ${built.stackName} (${status})` : `${built.stackName} is ${status}; the last operation:`});
		return await watchOperation(context, stack.StackId ?? built.stackName, new Set(), since, undefined);
	} catch (error) {
		if (error instanceof AwsAccessError) return accessResult(context, error);
		throw error;
	}
}
