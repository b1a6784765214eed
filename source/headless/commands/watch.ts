import type {Engine} from '../../engine/engine.js';
import {linkSignal} from '../../engine/core/run-control.js';
import type {ExitCode} from '../../exit-codes.js';
import {commandLine} from '../flags.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';
import {reportResult} from '../run-report.js';
import type {RunIo} from './deploy.js';
import {recipeTargetFromFlags, type TargetFlags} from '../target-flags.js';
import {badInput} from './shared.js';

/** `ecs-deployer watch`: re-attach to the operation in progress on an environment's stack, or show how the last one ended. */
export async function watchCommand(flags: TargetFlags & {recipe: string; env: string; json?: boolean}, engine: Engine, output: Output, io: RunIo): Promise<ExitCode> {
	const {picked, args: targetArgs} = await recipeTargetFromFlags(engine, flags, flags.env, io.env);
	if ('error' in picked) return badInput(output, Boolean(flags.json), `cannot watch ${flags.env}`, [{path: picked.path, message: picked.error, severity: 'error'}]);
	const host = createPrinter(output, {json: Boolean(flags.json), answers: {}});
	const run = engine.attach({recipeFile: flags.recipe, environment: flags.env, target: picked.target, reattach: commandLine([...io.globalArgs, 'watch', '--recipe', flags.recipe, '--env', flags.env, ...targetArgs])}, host);
	linkSignal(run.control, io.signal);
	const result = await run.result;
	return reportResult(output, result, {json: Boolean(flags.json), interrupted: io.signal?.aborted ?? false});
}
