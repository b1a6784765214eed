import {countWords, hasErrors} from '../../domain/problems.js';
import type {Engine} from '../../engine/engine.js';
import type {Prepared} from '../../engine/core/prepare.js';
import type {ExitCode} from '../../exit-codes.js';
import {parseImageChoices} from '../flags.js';
import type {Output} from '../output.js';
import {printProblems, resultCode} from './shared.js';

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

/**
 * Resolves the recipe from flags: the target's values come from `--cluster`/`--region`/`--account`, else from
 * the target that serves the environment. Flag problems are reported like recipe problems.
 */
export async function prepareFromFlags(flags: RecipeFlags, engine: Engine, options: {lenient?: boolean} = {}): Promise<Prepared> {
	const {images, problems} = parseImageChoices(flags.image ?? []);
	const prepared = await engine.validate({
		recipeFile: flags.recipe,
		environment: flags.env,
		images,
		...(flags.releaseVersion === undefined ? {} : {releaseVersion: flags.releaseVersion}),
		target: {...(flags.cluster === undefined ? {} : {cluster: flags.cluster}), ...(flags.region === undefined ? {} : {region: flags.region}), ...(flags.account === undefined ? {} : {accountId: flags.account})},
		...(options.lenient ? {lenient: true} : {}),
	});
	if (problems.length === 0) return prepared;
	const {resolved: _dropped, ...rest} = prepared;
	return {...rest, problems: [...problems, ...prepared.problems]};
}

/** `ecs-deployer validate`: checks a recipe for one environment without touching AWS; prints every problem. */
export async function validateCommand(flags: RecipeFlags, engine: Engine, output: Output): Promise<ExitCode> {
	const prepared = await prepareFromFlags(flags, engine, {lenient: true});
	const valid = !hasErrors(prepared.problems);
	if (flags.json) {
		output.json({valid, recipe: flags.recipe, environment: flags.env, problems: prepared.problems});
		return resultCode(valid);
	}
	const {paint} = output;
	if (valid) {
		output.line(`${paint.green('✓')} ${flags.recipe} is valid for ${flags.env}${prepared.problems.length > 0 ? ` (${countWords(prepared.problems)})` : ''}`);
	} else {
		output.line(`${paint.red('✗')} ${flags.recipe} is not valid for ${flags.env}: ${countWords(prepared.problems)}`);
	}
	printProblems(output, prepared.problems);
	return resultCode(valid);
}
