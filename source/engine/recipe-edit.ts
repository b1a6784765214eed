import {readFile, rename, unlink, writeFile} from 'node:fs/promises';
import type {Problem} from '../domain/problems.js';
import {parseRecipe} from '../domain/recipe/parse.js';
import type {EngineDeps} from './deps.js';
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

/**
 * Saves recipe text: written to a temporary file and renamed over the recipe (a reader never sees half a
 * file). `expected` is the text the editor started from: if the file changed on disk since, nothing is
 * written and the problem says so (someone else edited it). Returns a problem, or undefined when saved.
 */
export async function saveRecipeText(file: string, text: string, expected: string | undefined): Promise<string | undefined> {
	if (expected !== undefined) {
		const now = await readFile(file, 'utf8').catch(() => undefined);
		if (now !== undefined && now !== expected) return `${file} changed on disk since it was opened; nothing was written (open it again to see the other changes)`;
	}
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		await writeFile(temporary, text, {flag: 'wx'});
		await rename(temporary, file);
		return undefined;
	} catch (cause) {
		await unlink(temporary).catch(() => undefined);
		return `cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
	}
}
