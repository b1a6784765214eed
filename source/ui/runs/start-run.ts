import {quote} from 'shell-quote';
import type {DeployRun} from '../../engine/deploy/deploy-release.js';
import type {Engine} from '../../engine/engine.js';
import type {EngineHost} from '../../engine/core/host.js';
import type {Target} from '../../domain/records.js';
import type {Services} from '../services.js';
import {uiHost} from './questions.js';
import type {AppRun} from './run-registry.js';

/**
 * How to follow a run again after detaching, as the operator would type it in another terminal (every
 * argument shell-quoted; a sandbox target needs `--sandbox`), or from the dashboard.
 */
export function reattachCommand(recipeFile: string, environment: string, target: Pick<Target, 'sandbox'> & {name?: string}, named = false): string {
	return `ecs-deployer ${quote([...(target.sandbox ? ['--sandbox'] : []), 'watch', '--recipe', recipeFile, '--env', environment, ...(named && target.name ? ['--target', target.name] : [])])} (or attach from the dashboard)`;
}

/**
 * Starts a run the app shows in the live view: the engine's events go to the run's store, its questions to
 * the dialog layer. Returns the run (its id is the live view's route).
 */
export function startAppRun(services: Pick<Services, 'runs' | 'questions'>, details: Omit<AppRun, 'id' | 'run' | 'store' | 'detached' | 'ended' | 'startedAt'>, start: (host: EngineHost) => DeployRun): AppRun {
	return services.runs.add(details, store => start(uiHost(services.questions, event => store.push(event))));
}

/**
 * The target of an environment in the app: the stored one that serves it (never the sandbox unasked); when
 * several do, an error naming them (`several`), for the screens that work on one.
 */
export function targetOf(engine: Engine, environment: string): Target | {error: string; several?: Target[]} {
	const picked = engine.pickTarget({}, environment);
	return 'error' in picked ? {error: picked.error, ...(picked.several ? {several: picked.several} : {})} : picked.target;
}

/** What a run is listed as: the recipe it deploys, the project's name, the environment. */
export type RunSubject = {recipeFile: string; project: string; environment: string};

/**
 * Deploys `release` to an environment, on the target that serves it (or says why it cannot). When several
 * serve it, the engine asks first (a dialog: all of them one after the other, or one); all of them is one
 * run per target, started one after the other by the engine's sequence (the next once the one before ends
 * serving the release), each naming its target; the first is returned, and the live view follows the next.
 */
export async function startDeploy(services: Pick<Services, 'runs' | 'questions' | 'flash'>, engine: Engine, {recipeFile, project, environment}: RunSubject, release: string): Promise<AppRun | {error: string}> {
	const picked = await engine.targetsForDeploy({recipeFile, environment, choice: {}}, uiHost(services.questions));
	if ('error' in picked) return {error: picked.error};
	const {targets} = picked;
	if (targets.length === 0) return {error: `nothing was deployed: no target of ${environment} was chosen`};
	const several = targets.length > 1;
	const runs: AppRun[] = [];
	const sequence = engine.deployEach(targets, (target, index) => {
		const details = {kind: 'deploy' as const, recipeFile, project, environment, ...(several ? {target: target.name, sequence: {index, count: targets.length, ...(runs.at(-1) ? {follows: runs.at(-1)!.id} : {})}} : {})};
		const run = startAppRun(services, details, host => engine.deploy({recipeFile, environment, target, release, reattach: reattachCommand(recipeFile, environment, target, several)}, host));
		runs.push(run);
		return run.run;
	});
	if (several) {
		void sequence.result.then(({verdicts}) => {
			const skipped = verdicts.flatMap(v => ('skipped' in v ? [v.target.name] : []));
			if (skipped.length > 0) services.flash(`${environment}: not deployed to ${skipped.join(', ')} (the deploy before ended without serving ${release})`);
		});
	}
	// The sequence starts its first run at once (before its first wait), so there is one by now.
	return runs[0] ?? {error: `nothing was deployed to ${environment}`};
}

/** Redeploys the release running on an environment, on the target that serves it (or says why it cannot). */
export function startRedeploy(services: Pick<Services, 'runs' | 'questions'>, engine: Engine, {recipeFile, project, environment}: RunSubject): AppRun | {error: string} {
	const target = targetOf(engine, environment);
	if ('error' in target) return target;
	return startAppRun(services, {kind: 'redeploy', recipeFile, project, environment}, host => engine.redeploy({recipeFile, environment, target, reattach: reattachCommand(recipeFile, environment, target)}, host));
}

/** Attaches to the operation in progress on an environment (or shows how the last one ended). */
export function attachTo(services: Services, engine: Engine, recipeFile: string, project: string, environment: string): AppRun | {error: string} {
	const existing = services.runs.active(recipeFile, environment);
	if (existing && !existing.detached) return existing;
	const target = targetOf(engine, environment);
	if ('error' in target) return target;
	return startAppRun(services, {kind: 'attach', recipeFile, project, environment}, host => engine.attach({recipeFile, environment, target, reattach: reattachCommand(recipeFile, environment, target)}, host));
}

/** Continues the rollback of a stack stuck in UPDATE_ROLLBACK_FAILED (asks first), on the target that serves the environment. */
export function startContinueRollback(services: Pick<Services, 'runs' | 'questions'>, engine: Engine, {recipeFile, project, environment}: RunSubject): AppRun | {error: string} {
	const target = targetOf(engine, environment);
	if ('error' in target) return target;
	return startAppRun(services, {kind: 'continue-rollback', recipeFile, project, environment}, host => engine.continueRollback({recipeFile, environment, target, reattach: reattachCommand(recipeFile, environment, target)}, host));
}
