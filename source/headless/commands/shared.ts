import type {Problem} from '../../domain/problems.js';
import type {TargetInfo} from '../../domain/recipe/resolved.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import {parseImageChoices, prepareRecipe, type Prepared} from '../../engine/prepare.js';
import {formatProblem, type Output} from '../output.js';

/** Flags shared by the commands that resolve a recipe for an environment without touching AWS. */
export type RecipeFlags = {
	recipe: string;
	env: string;
	image?: string[];
	releaseVersion?: string;
	cluster?: string;
	region?: string;
	account?: string;
	json?: boolean;
};

/** Resolves the recipe from flags; flag problems are reported like recipe problems. */
export async function prepareFromFlags(flags: RecipeFlags): Promise<Prepared> {
	const {images, problems} = parseImageChoices(flags.image ?? []);
	const targetProblems: Problem[] = [];
	let target: TargetInfo | undefined;
	if (flags.cluster !== undefined || flags.region !== undefined) {
		if (flags.cluster === undefined || flags.region === undefined) {
			targetProblems.push({path: flags.cluster === undefined ? '--cluster' : '--region', message: 'give --cluster and --region together', severity: 'error'});
		} else {
			target = {cluster: flags.cluster, region: flags.region, ...(flags.account === undefined ? {} : {accountId: flags.account})};
		}
	}
	const prepared = await prepareRecipe({
		recipeFile: flags.recipe,
		environment: flags.env,
		images,
		...(flags.releaseVersion === undefined ? {} : {releaseVersion: flags.releaseVersion}),
		...(target === undefined ? {} : {target}),
	});
	const flagProblems = [...problems, ...targetProblems];
	if (flagProblems.length === 0) return prepared;
	const {resolved: _dropped, ...rest} = prepared;
	return {...rest, problems: [...flagProblems, ...prepared.problems]};
}

/** Prints problems as plain lines, errors first. */
export function printProblems(output: Output, problems: readonly Problem[]): void {
	const ordered = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
	for (const problem of ordered) output.line(formatProblem(problem, output.paint));
}

export function countWords(problems: readonly Problem[]): string {
	const errors = problems.filter(p => p.severity === 'error').length;
	const warnings = problems.length - errors;
	const parts = [];
	if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
	if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
	return parts.join(', ');
}

export const resultCode = (ok: boolean): ExitCode => (ok ? exitCodes.success : exitCodes.badInput);
