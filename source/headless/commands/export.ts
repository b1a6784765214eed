import {countWords} from '../../domain/problems.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Engine} from '../../engine/engine.js';
import {parseImageChoices} from '../flags.js';
import type {Output} from '../output.js';
import {printProblems} from './shared.js';
import type {RecipeFlags} from './validate.js';

export type ExportFlags = RecipeFlags & {format?: string; out?: string; force?: boolean};

/**
 * `ecs-deployer export`: writes the CloudFormation template for one environment (YAML by default).
 * Notes (parameters that still need values) go to stderr so stdout stays a clean template.
 */
export async function exportCommand(flags: ExportFlags, engine: Engine, output: Output, stdout: {write(text: string): unknown} = process.stdout): Promise<ExitCode> {
	const format = flags.format ?? 'yaml';
	if (format !== 'yaml' && format !== 'json') {
		output.note(`error: --format must be yaml or json (got "${format}")`);
		return exitCodes.badInput;
	}
	const {images, problems: flagProblems} = parseImageChoices(flags.image ?? []);
	const made = await engine.template(
		{
			recipeFile: flags.recipe,
			environment: flags.env,
			images,
			...(flags.releaseVersion === undefined ? {} : {releaseVersion: flags.releaseVersion}),
			target: {...(flags.cluster === undefined ? {} : {cluster: flags.cluster}), ...(flags.region === undefined ? {} : {region: flags.region}), ...(flags.account === undefined ? {} : {accountId: flags.account})},
		},
		format,
	);
	const problems = [...flagProblems, ...made.problems];
	if (made.text === undefined || flagProblems.length > 0) {
		output.note(`${flags.recipe} is not valid for ${flags.env}: ${countWords(problems)}; nothing exported`);
		printProblems({...output, line: output.note}, problems);
		return exitCodes.badInput;
	}
	if (flags.out) {
		const refused = await engine.writeNewFile(flags.out, made.text, {recipeFile: flags.recipe, force: Boolean(flags.force)});
		if (refused) {
			output.note(`error: --out: ${refused}`);
			return exitCodes.badInput;
		}
		output.note(`wrote the ${flags.env} template to ${flags.out} (stack ${made.stackName})`);
	} else if ((stdout as {isTTY?: boolean}).isTTY) {
		// On a terminal, through the output filter (recipe values in the template cannot drive it); to a pipe
		// or a file, the exact bytes of the template.
		for (const line of made.text.replace(/\n$/, '').split('\n')) output.line(line);
	} else {
		stdout.write(made.text.endsWith('\n') ? made.text : `${made.text}\n`);
	}
	if (problems.length > 0) printProblems({...output, line: output.note}, problems);
	for (const note of made.notes) output.note(`note: ${note}`);
	return exitCodes.success;
}
