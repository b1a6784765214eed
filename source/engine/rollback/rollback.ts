import {error as problem} from '../../domain/problems.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {EngineDeps} from '../core/deps.js';
import {deployWith, startRun, type DeployReleaseInput, type DeployRun} from '../deploy/deploy-release.js';
import type {EngineHost} from '../core/host.js';
import {previousServing, rollbackCandidates} from '../history/history.js';
import {servingOutcomes} from '../history/records.js';
import type {RunControl} from '../core/run-control.js';
import {resultFactory, resultForError} from '../core/stack-results.js';

export type RollbackInput = Omit<DeployReleaseInput, 'release' | 'images' | 'releaseVersion' | 'channel' | 'purpose'> & {
	/** The release to go back to; `previous`: the newest that served here before the current one; absent: ask. */
	to?: string;
};

/**
 * Rolls an environment back by deploying an earlier release again: the release is picked from the ones
 * that served there (asked for when not given), then deployed like any release, without the promotion order
 * (it ran here before), with the moved-tag check, the change set and the confirmation.
 */
export function rollback(input: RollbackInput, deps: EngineDeps, host: EngineHost): DeployRun {
	return startRun(control => runRollback(control, input, deps, host));
}

async function runRollback(control: RunControl, input: RollbackInput, deps: EngineDeps, host: EngineHost) {
	const results = resultFactory({project: '', environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock});
	const invalid = (path: string, message: string) => {
		const result = results.make({outcome: 'invalid', problems: [problem(path, message)], message: `cannot roll back ${input.environment}: ${message}`});
		host.notify({code: 'deploy.end', result});
		return result;
	};
	const file = await deps.files.readRecipe(input.recipeFile).catch((cause: Error) => ({recipe: undefined, problems: [problem('recipe', cause.message)]}));
	if (!file.recipe) return invalid('recipe', file.problems.map(p => `${p.path}: ${p.message}`).join('; '));
	const recipe = file.recipe;
	let version = input.to;
	try {
		if (version === undefined || version === 'previous') version = await pickVersion(recipe, version, input, deps, host);
	} catch (error) {
		if (error instanceof NothingToRollBackTo) return invalid('--to', error.message);
		const result = resultForError(error, resultFactory({project: recipe.name, environment: input.environment, startedAt: deps.clock.now(), clock: deps.clock}), input.reattach, 'release');
		host.notify({code: 'deploy.end', result});
		return result;
	}
	return deployWith(control, {...input, release: version, purpose: 'rollback'}, deps, host);
}

class NothingToRollBackTo extends Error {}

/** The version to go back to: the previous serving release, or the one the operator picks (default: the previous). */
async function pickVersion(recipe: RecipeDocument, to: 'previous' | undefined, input: RollbackInput, deps: EngineDeps, host: EngineHost): Promise<string> {
	const candidates = await rollbackCandidates(recipe, input.environment, input.target, deps, host);
	const previous = previousServing(candidates);
	const current = candidates.find(c => c.current);
	const nothing = current
		? `${input.environment} runs ${current.version}, and no release served there before it: there is nothing earlier to roll back to`
		: `there is no earlier successful deployment of ${recipe.name} to ${input.environment}`;
	if (to === 'previous') {
		if (!previous) throw new NothingToRollBackTo(nothing);
		return previous.version;
	}
	const choices = candidates.filter(c => !c.current && servingOutcomes.has(c.outcome));
	if (choices.length === 0) throw new NothingToRollBackTo(nothing);
	return host.request({
		kind: 'choose',
		id: 'pick-release',
		message: `Roll ${input.environment} back to which release?`,
		choices: choices.map(c => ({value: c.version, label: c.version, hint: `${c.outcome} ${c.at.slice(0, 16).replace('T', ' ')} ${Object.entries(c.images).map(([ref, i]) => `${ref}=${i.tag}`).join(' ')}`})),
		defaultAnswer: previous?.version,
		flag: '--to',
	});
}
