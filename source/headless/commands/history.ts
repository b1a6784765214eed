import {classifyAwsError} from '../../domain/aws-errors.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {unconfirmedSentence} from '../../domain/serving.js';
import {stateWords, wordingOf} from '../../domain/vocabulary.js';
import type {Engine} from '../../engine/engine.js';
import type {Target} from '../../domain/records.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {awsFailure, badFlag, stderrHost} from './shared.js';

/** `ecs-deployer status`: per environment, the stack, the release it runs, the rollout, the tasks and the last deployment. */
export async function statusCommand(recipe: RecipeDocument, environment: string | undefined, targetsFor: (environment: string) => readonly Target[], engine: Engine, out: Output, json: boolean): Promise<ExitCode> {
	const names = recipe.environments.map(e => e.name);
	if (environment !== undefined && !names.includes(environment)) return badFlag(out, '--env', `${recipe.name} has no environment "${environment}" (its environments: ${names.join(', ')})`);
	const rows = [];
	try {
		// An environment several targets serve: a row per target (each target's stack, service and records).
		for (const name of environment === undefined ? names : [environment]) {
			const targets = targetsFor(name);
			for (const target of targets) rows.push({...(await engine.status(recipe, name, target, stderrHost(out), {digests: true})), several: targets.length > 1});
		}
	} catch (error) {
		return awsFailure(out, error);
	}
	if (json) out.json(rows.map(({several: _, ...row}) => row));
	else
		for (const r of rows) {
			const state = stateWords[r.state];
			const paint = {good: out.paint.green, bad: out.paint.red, warn: out.paint.yellow, busy: out.paint.bold, quiet: (t: string) => t}[state.tone];
			const images = Object.entries(r.images ?? {}).map(([ref, i]) => `${ref}=${i.tag ?? i.digest?.slice(0, 19) ?? '?'}`).join(' ');
			const runs = r.release ? `release ${r.release}${images ? ` (${images})` : ''}` : images ? `runs ${images}` : '';
			const tasks = r.desired === undefined ? '' : `  tasks ${r.running}/${r.desired}`;
			const last = r.lastDeployment ? `  last deploy: ${r.lastDeployment.version} ${wordingOf(r.lastDeployment.outcome).words}` : '';
			const label = r.several ? `${r.environment} on ${r.target.name}` : r.environment;
			out.line(`${label.padEnd(12)} ${paint(`${state.mark} ${state.words}`.padEnd(16))} ${runs}${r.stackStatus ? `  ${r.stackStatus}` : ''}${r.rollout ? `  rollout ${r.rollout}` : ''}${tasks}${last}`);
			if (r.disagreement) out.line(`  ${out.paint.yellow('!')} ${r.disagreement}`);
			if (r.state === 'unconfirmed' && r.verdict) out.line(`  not confirmed: ${unconfirmedSentence(r.verdict)}`);
			if (state.hint && r.state !== 'unconfirmed') out.line(`  ${state.hint}`);
		}
	return exitCodes.success;
}

/** `ecs-deployer events`: stack events, newest operation first, each operation's events in order. */
export async function eventsCommand(recipe: RecipeDocument, environment: string, target: Target, options: {limit: number; operation?: string; json: boolean}, engine: Engine, out: Output): Promise<ExitCode> {
	let page;
	try {
		page = await engine.events(recipe, environment, target, {limit: options.limit, ...(options.operation === undefined ? {} : {operation: options.operation})}, stderrHost(out));
	} catch (error) {
		if (classifyAwsError(error) === 'not-found') {
			out.note(`error: --env: ${environment} has not been deployed (there is no stack for it)`);
			return exitCodes.badInput;
		}
		return awsFailure(out, error);
	}
	// AWS pages by 100: the newest `limit` events of what came back, not whole pages.
	const {operations, cut} = newestEvents(page.operations, options.limit);
	if (options.json) {
		out.json(operations);
		return exitCodes.success;
	}
	for (const {operation, events} of operations) {
		out.line(out.paint.bold(`operation ${operation}`));
		for (const e of events) {
			const time = new Date(e.timestamp).toISOString().slice(0, 19).replace('T', ' ');
			out.line(`  ${time}  ${e.logicalId.padEnd(20)} ${e.status.padEnd(30)} ${e.reason ?? ''}`);
		}
	}
	if (page.nextToken || cut) out.note(`(older events not shown: --limit N shows more)`);
	return exitCodes.success;
}

/**
 * The newest `limit` events of operations listed newest first (each one's events old to new), in the same
 * order; `cut` when some were left out.
 */
function newestEvents<E>(operations: ReadonlyArray<{operation: string; events: readonly E[]}>, limit: number): {operations: Array<{operation: string; events: E[]}>; cut: boolean} {
	const kept: Array<{operation: string; events: E[]}> = [];
	let left = limit;
	let cut = false;
	for (const {operation, events} of operations) {
		if (left === 0) {
			cut = true;
			break;
		}
		const newest = events.slice(Math.max(0, events.length - left));
		cut ||= newest.length < events.length;
		left -= newest.length;
		kept.push({operation, events: newest});
	}
	return {operations: kept, cut};
}

/** `ecs-deployer releases`: releases from the workspace and those running in AWS, where each runs (read from ECS) and how each deployment ended. */
export async function releasesCommand(recipe: RecipeDocument, targetFor: (environment: string) => readonly Target[], engine: Engine, out: Output, json: boolean): Promise<ExitCode> {
	let list;
	try {
		list = await engine.releases(recipe, targetFor, stderrHost(out));
	} catch (error) {
		return awsFailure(out, error);
	}
	if (json) {
		out.json(list);
		return exitCodes.success;
	}
	if (list.length === 0) out.line(`no releases of ${recipe.name} yet: create one with ecs-deployer release create --recipe FILE`);
	for (const r of list) {
		const images = Object.entries(r.images).map(([ref, i]) => `${ref}=${i.tag}`).join(' ');
		const where = r.deployedTo.map(d => `${d.environment}${d.target ? ` on ${d.target}` : ''} (${d.status}${d.serving ? '' : ', not confirmed by ECS'})`).join(', ');
		out.line(`${r.version.padEnd(14)} ${images.padEnd(30)} ${where ? `running in ${where}` : ''}`);
		for (const o of r.outcomes) out.line(`  ${o.at.slice(0, 16).replace('T', ' ')}  ${o.environment}: ${wordingOf(o.outcome).words}${o.by ? ` (${o.by})` : ''}`);
		// Deploys of a release are built from the recipe it keeps: today's changes are not part of it.
		if (r.recipeChanges.length > 0) out.line(`  ${out.paint.yellow('!')} today's recipe differs from the one this release keeps: ${r.recipeChanges.join(', ')} (to deploy them: ecs-deployer release create --recipe FILE --like ${r.version})`);
	}
	return exitCodes.success;
}
