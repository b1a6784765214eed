import {writeFile} from 'node:fs/promises';
import {hasErrors} from '../../domain/problems.js';
import {buildTemplate} from '../../domain/template/build.js';
import {renderTemplate} from '../../domain/template/render.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {countWords, prepareFromFlags, printProblems, type RecipeFlags} from './shared.js';

export type ExportFlags = RecipeFlags & {format?: string; out?: string};

/**
 * `ecs-deployer export`: writes the CloudFormation template for one environment (YAML by default).
 * Notes (parameters that still need values) go to stderr so stdout stays a clean template.
 */
export async function exportCommand(flags: ExportFlags, output: Output): Promise<ExitCode> {
	const format = flags.format ?? 'yaml';
	if (format !== 'yaml' && format !== 'json') {
		output.note(`error: --format must be yaml or json (got "${format}")`);
		return exitCodes.badInput;
	}
	const prepared = await prepareFromFlags(flags);
	if (!prepared.resolved || hasErrors(prepared.problems)) {
		output.note(`${flags.recipe} is not valid for ${flags.env}: ${countWords(prepared.problems)}; nothing exported`);
		printProblems({...output, line: output.note}, prepared.problems);
		return exitCodes.badInput;
	}
	const built = buildTemplate(prepared.resolved);
	const text = renderTemplate(built.template, format);
	if (flags.out) {
		try {
			await writeFile(flags.out, text);
		} catch (cause) {
			output.note(`error: cannot write ${flags.out}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
			return exitCodes.badInput;
		}
		output.note(`wrote the ${flags.env} template for ${prepared.resolved.project} to ${flags.out} (stack ${built.stackName})`);
	} else {
		process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
	}
	if (prepared.problems.length > 0) printProblems({...output, line: output.note}, prepared.problems);
	for (const parameter of built.imageParametersWithoutDefault) {
		output.note(`note: parameter ${parameter} has no default (no tag chosen): pass --image REF=TAG, or give the parameter a value when you deploy the template`);
	}
	for (const secret of built.secretParameters) {
		output.note(`note: parameter ${secret.parameter} (NoEcho) carries sensitive variable ${secret.variable}: give it a value when you deploy the template`);
	}
	return exitCodes.success;
}
