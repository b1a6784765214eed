import {hasErrors} from '../../domain/problems.js';
import type {ResolvedRecipe} from '../../domain/recipe/resolved.js';
import type {AwsPorts, Stack} from '../../aws/ports.js';
import type {Target} from '../../domain/records.js';
import {callContextFor, type EngineDeps} from '../core/deps.js';
import type {EngineHost, ReleaseView} from '../core/host.js';
import {prepareRecipe} from '../core/prepare.js';
import type {DeployResult} from '../core/results.js';
import type {RunControl} from '../core/run-control.js';
import type {StackContext} from '../core/stack-context.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {resultFactory, resultForError, type RunInfo} from '../core/stack-results.js';

/** The use cases that act on what an environment runs now (watch it, redeploy it) rather than on a new release. */
export type CurrentStackInput = {recipeFile: string; environment: string; target: Target; reattach: string};

export type CurrentStack = {
	info: RunInfo;
	resolved: ResolvedRecipe;
	/** Where the project's records are kept (the recipe's `ledger` field). */
	ledger?: string;
	stackName: string;
	/** Reports the end of the run to the host and returns the result. */
	finish: (result: DeployResult) => DeployResult;
};

/**
 * The recipe for an environment whose release is read from its stack afterwards: placeholders stand for the
 * release so that fields naming it resolve. A recipe with errors ends the run as invalid (`what` says what
 * could not be done).
 */
async function openCurrentStack(input: CurrentStackInput, deps: EngineDeps, host: EngineHost, what: string): Promise<CurrentStack | {ended: DeployResult}> {
	const info: RunInfo = {project: '', environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock};
	const finish = (result: DeployResult) => {
		host.notify({code: 'deploy.end', result});
		return result;
	};
	const prepared = await prepareRecipe({recipeFile: input.recipeFile, environment: input.environment, target: {name: input.target.name, cluster: input.target.cluster, region: input.target.region}, releaseVersion: 'current'}, deps.files);
	if (prepared.file?.recipe) info.project = prepared.file.recipe.name;
	if (!prepared.resolved || hasErrors(prepared.problems)) {
		return {ended: finish(resultFactory(info).make({outcome: 'invalid', problems: prepared.problems, message: `cannot ${what} ${input.environment}: the recipe has problems`}))};
	}
	const stackName = prepared.resolved.service.stackName;
	info.stackName = stackName;
	const ledger = prepared.file?.recipe?.ledger;
	return {info, resolved: prepared.resolved, stackName, finish, ...(ledger === undefined ? {} : {ledger})};
}

/** The context every AWS call of a run on this target shares. */
function currentStackContext(control: RunControl, input: CurrentStackInput, deps: EngineDeps, host: EngineHost, aws: AwsPorts, resolved: ResolvedRecipe): StackContext {
	return {
		...callContextFor(deps, input.target, aws, host, control),
		aws,
		cluster: input.target.cluster,
		newId: deps.newId,
		resolved,
		reattach: input.reattach,
	};
}

/** Tells the host which stack, release and target the run is about. */
export function notifyStart(host: EngineHost, current: CurrentStack, input: CurrentStackInput, release: ReleaseView | undefined, startedAt?: number, heading?: string): void {
	host.notify({
		code: 'deploy.start',
		project: current.info.project,
		environment: input.environment,
		stackName: current.stackName,
		...(release ? {releaseVersion: release.version} : {}),
		target: {name: input.target.name, region: input.target.region, cluster: input.target.cluster, sandbox: Boolean(input.target.sandbox)},
		...(startedAt === undefined ? {} : {startedAt}),
		...(heading === undefined ? {} : {heading}),
	});
}

/** What a use case on the running stack works with: the recipe, AWS, the call context and the stack as it is. */
export type OnCurrentStack = {current: CurrentStack; aws: AwsPorts; context: StackContext; stack: Stack | undefined};

/**
 * Runs `body` on an environment's stack as it is now: the recipe opened, AWS reached, the stack described.
 * The result is reported to the host; an AWS failure (throttled, credentials expired, detached) becomes a
 * result too, with how to re-attach.
 */
export async function onCurrentStack(control: RunControl, input: CurrentStackInput, deps: EngineDeps, host: EngineHost, what: string, body: (on: OnCurrentStack) => Promise<DeployResult>): Promise<DeployResult> {
	let current: CurrentStack | {ended: DeployResult} | undefined;
	try {
		current = await openCurrentStack(input, deps, host, what);
		if ('ended' in current) return current.ended;
		current.info.step = 'connect';
		const aws = await deps.awsFor(input.target);
		const context = currentStackContext(control, input, deps, host, aws, current.resolved);
		current.info.step = 'plan';
		const stack = await describeStack(context, current.stackName);
		current.info.step = 'monitor';
		return current.finish(await body({current, aws, context, stack}));
	} catch (error) {
		// Whatever happened, the run ends with a result the faces show.
		const info = current && !('ended' in current) ? current.info : {project: '', environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock};
		const result = resultForError(error, resultFactory(info), input.reattach, info.step ?? 'recipe');
		host.notify({code: 'deploy.end', result});
		return result;
	}
}
