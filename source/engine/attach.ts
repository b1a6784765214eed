import {error as problem, hasErrors, type Problem} from '../domain/problems.js';
import {isInProgress} from '../domain/stack-status.js';
import {buildTemplate} from '../domain/template/build.js';
import type {Target} from '../store/types.js';
import {pollingFor, type EngineDeps} from './deps.js';
import {startRun, type DeployRun} from './deploy-release.js';
import type {EngineHost} from './host.js';
import {prepareRecipe} from './prepare.js';
import {reconcileRecords} from './records.js';
import {releaseFromStack} from './release-lookup.js';
import type {DeployResult} from './results.js';
import type {RunControl} from './run-control.js';
import type {StackContext} from './stack-context.js';
import {operationResult} from './stack-deploy.js';
import {describeStack, monitorStack} from './stack-monitor.js';
import {resultFactory, resultForError, type RunInfo} from './stack-results.js';

export type AttachInput = {recipeFile: string; environment: string; target: Target; reattach: string};

/**
 * Re-attaches to an environment's stack: follows the operation in progress to its end (CloudFormation and
 * ECS, with everything that happened since it started), or, when none runs, reports how the last one
 * ended and why. Open deployment records of the environment are brought up to date afterwards.
 */
export function attach(input: AttachInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runAttach(control, input, deps, host));
}

async function runAttach(control: RunControl, input: AttachInput, deps: EngineDeps, host: EngineHost): Promise<DeployResult> {
	const info: RunInfo = {project: '', environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock};
	const finish = (result: DeployResult) => {
		host.notify({code: 'deploy.end', result});
		return result;
	};
	const invalid = (problems: Problem[], message: string) => finish(resultFactory(info).make({outcome: 'invalid', problems, message}));
	// The release is read from the stack; placeholders let fields that name it resolve.
	const prepared = await prepareRecipe({recipeFile: input.recipeFile, environment: input.environment, target: {cluster: input.target.cluster, region: input.target.region}, releaseVersion: 'current'});
	if (prepared.file?.recipe) info.project = prepared.file.recipe.name;
	if (!prepared.resolved || hasErrors(prepared.problems)) return invalid(prepared.problems, `cannot watch ${input.environment}: the recipe has problems`);
	const built = buildTemplate(prepared.resolved);
	info.stackName = built.stackName;
	try {
		const aws = await deps.awsFor(input.target);
		const context: StackContext = {
			host,
			clock: deps.clock,
			polling: pollingFor(deps, input.target),
			control,
			...(aws.refreshCredentials ? {refreshCredentials: aws.refreshCredentials} : {}),
			aws,
			cluster: input.target.cluster,
			newId: deps.newId,
			resolved: prepared.resolved,
			reattach: input.reattach,
		};
		const stack = await describeStack(context, built.stackName);
		if (!stack) return invalid([problem('--env', `there is no stack ${built.stackName}: ${input.environment} has not been deployed`)], `nothing to watch: ${input.environment} has not been deployed (no stack ${built.stackName})`);
		const status = stack.StackStatus ?? '';
		const release = releaseFromStack(stack, info.project);
		if (release) {
			info.release = {version: release.version, images: release.images, source: 'aws'};
			context.resolved = {...context.resolved, releaseVersion: release.version};
			host.notify({code: 'release', release: info.release});
		}
		host.notify({code: 'deploy.start', project: info.project, environment: input.environment, stackName: built.stackName, ...(release ? {releaseVersion: release.version} : {}), target: {name: input.target.name, region: input.target.region, cluster: input.target.cluster, sandbox: Boolean(input.target.sandbox)}});
		const started = stack.LastUpdatedTime ?? stack.CreationTime;
		// Events of the last operation start when it did; a second earlier covers clock rounding.
		const since = started ? new Date(started).getTime() - 1000 : 0;
		host.notify({code: 'note', message: isInProgress(status) ? `re-attached to ${built.stackName} (${status})` : `${built.stackName} is ${status}; the last operation:`});
		const end = await monitorStack(context, {stackId: stack.StackId ?? built.stackName, tokens: new Set(), since, followService: true});
		const result = operationResult(context, end, [], resultFactory(info));
		await reconcileRecords(deps.workspace, info.project, aws, context, deps.clock.now());
		return finish(result);
	} catch (error) {
		return finish(resultForError(error, resultFactory(info), input.reattach));
	}
}
