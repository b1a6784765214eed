import type {Engine} from '../../engine/engine.js';
import {linkSignal} from '../../engine/core/run-control.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import {commandLine} from '../flags.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';
import {reportResult} from '../run-report.js';
import {recipeTargetFromFlags, type TargetFlags} from '../target-flags.js';
import type {RunIo} from './deploy.js';
import {badInput} from './shared.js';

export type RunTaskFlags = TargetFlags & {recipe: string; env: string; container?: string; json?: boolean};

/**
 * `ecs-deployer run`: a one-off task from the release the environment runs, in the service's network; its
 * state and log lines as they come, and the container's exit code as the command's (a task that never ran
 * exits 1; bad input 2; AWS access 3).
 */
export async function runTaskCommand(flags: RunTaskFlags, command: readonly string[], engine: Engine, output: Output, io: RunIo): Promise<ExitCode | number> {
	const json = Boolean(flags.json);
	const {picked, args: targetArgs} = await recipeTargetFromFlags(engine, flags, flags.env, io.env);
	if ('error' in picked) return badInput(output, json, `cannot run a task in ${flags.env}`, [{path: picked.path, message: picked.error, severity: 'error'}]);
	const host = createPrinter(output, {json, answers: {}});
	const run = engine.runTask(
		{
			recipeFile: flags.recipe,
			environment: flags.env,
			target: picked.target,
			reattach: commandLine([...io.globalArgs, 'watch', '--recipe', flags.recipe, '--env', flags.env, ...targetArgs]),
			...(flags.container === undefined ? {} : {container: flags.container}),
			...(command.length === 0 ? {} : {command: [...command]}),
		},
		host,
	);
	linkSignal(run.control, io.signal);
	const outcome = await run.result;
	if (outcome.kind === 'run') return reportResult(output, outcome.result, {json, interrupted: io.signal?.aborted ?? false});
	if (json) output.line(JSON.stringify({result: outcome}));
	if (outcome.kind === 'not-run') {
		if (!json) output.note(`✗ ${outcome.message}`);
		return exitCodes.deploymentFailed;
	}
	if (!json) (outcome.exitCode === 0 ? output.line : output.note)(`${outcome.exitCode === 0 ? '✓' : '✗'} ${outcome.message}`);
	return outcome.exitCode;
}
