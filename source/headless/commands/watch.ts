import {randomUUID} from 'node:crypto';
import type {AwsPorts} from '../../aws/ports.js';
import {hasErrors} from '../../domain/problems.js';
import {buildTemplate} from '../../domain/template/build.js';
import {attach} from '../../engine/attach.js';
import {realClock, type Clock, type PollingOptions} from '../../engine/clock.js';
import {prepareRecipe} from '../../engine/prepare.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';
import {exitCodeFor} from './deploy.js';
import {printProblems} from './shared.js';

/** `ecs-deployer watch`: re-attach to the operation in progress on an environment's stack, or show how the last one ended. */
export async function watchCommand(
	flags: {recipe: string; env: string; json?: boolean},
	target: {cluster: string; region: string},
	ports: AwsPorts,
	output: Output,
	options: {clock?: Clock; polling?: PollingOptions; signal?: AbortSignal} = {},
): Promise<ExitCode> {
	// The release is read from the stack; a placeholder lets fields that name it resolve.
	const prepared = await prepareRecipe({recipeFile: flags.recipe, environment: flags.env, target, releaseVersion: 'current'});
	if (!prepared.resolved || hasErrors(prepared.problems)) {
		printProblems({...output, line: output.note}, prepared.problems);
		return exitCodes.badInput;
	}
	const built = buildTemplate(prepared.resolved);
	const result = await attach(prepared.resolved, built, {
		aws: ports,
		host: createPrinter(output, {json: Boolean(flags.json), answers: {}}),
		clock: options.clock ?? realClock,
		...(options.polling ? {polling: options.polling} : {}),
		...(options.signal ? {signal: options.signal} : {}),
		newId: randomUUID,
	});
	const code = exitCodeFor(result, options.signal?.aborted ?? false);
	if (flags.json) output.line(JSON.stringify({result: {...result, exitCode: code}}));
	else output.line(`${code === 0 ? output.paint.green('✓') : output.paint.red('✗')} ${result.message}`);
	return code;
}
