import {hasErrors} from '../../domain/problems.js';
import type {ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {countWords, prepareFromFlags, printProblems, resultCode, type RecipeFlags} from './shared.js';

/** `ecs-deployer validate`: checks a recipe for one environment without touching AWS; prints every problem. */
export async function validateCommand(flags: RecipeFlags, output: Output): Promise<ExitCode> {
	const prepared = await prepareFromFlags(flags);
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
