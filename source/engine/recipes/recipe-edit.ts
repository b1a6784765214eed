import type {Problem} from '../../domain/problems.js';
import {parseRecipe} from '../../domain/recipe/parse.js';
import type {EngineDeps} from '../core/deps.js';
import {validateParsed} from './validate.js';

/** A recipe's problems, as written (parse, schema) and for each of its environments. */
export type RecipeCheck = {
	/** Problems of the document itself (before any environment). */
	problems: Problem[];
	/** Problems per environment, resolved with the target that serves it when there is one. */
	environments: Record<string, Problem[]>;
	/** No error anywhere: it can be deployed. */
	deployable: boolean;
};

/**
 * Checks recipe text the way `validate` checks a file (the same rules, lenient about values only a deploy
 * knows), for every environment at once: the step form shows the problems next to the fields and in a
 * summary. Image tags and the release version are placeholders; an environment no stored target serves is
 * checked against the sandbox, which is where the app deploys it.
 */
export function checkRecipeText(text: string, deps: EngineDeps): RecipeCheck {
	const parsed = parseRecipe(text);
	const environments: Record<string, Problem[]> = {};
	const {recipe} = parsed;
	if (recipe) {
		const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
		const {cluster, region, accountId} = deps.sandboxTarget;
		const sandbox = {cluster, region, ...(accountId === undefined ? {} : {accountId})};
		for (const {name} of recipe.environments) {
			const served = deps.sandboxOnly || deps.workspace.targetFor(name) !== undefined;
			environments[name] = validateParsed({recipe, lineOf: parsed.lineOf}, {environment: name, images, releaseVersion: '0.0.0', lenient: true, ...(served ? {} : {target: sandbox})}, deps).problems;
		}
	}
	const all = [...parsed.problems, ...Object.values(environments).flat()];
	return {problems: parsed.problems, environments, deployable: recipe !== undefined && !all.some(p => p.severity === 'error')};
}
