import type {DeployRun} from '../../engine/deploy/deploy-release.js';
import type {Engine} from '../../engine/engine.js';
import type {CurrentStackInput} from '../../engine/service/current-stack.js';
import type {EngineHost} from '../../engine/core/host.js';
import {linkSignal} from '../../engine/core/run-control.js';
import type {ExitCode} from '../../exit-codes.js';
import {commandLine, wholeNumber} from '../flags.js';
import type {Output} from '../output.js';
import {createPrinter} from '../printer.js';
import {reportResult} from '../run-report.js';
import {recipeTargetFromFlags, type TargetFlags} from '../target-flags.js';
import type {RunIo} from './deploy.js';
import {badInput} from './shared.js';

/** The flags of the commands that act on what an environment runs: approve, reject, redeploy, cancel. */
export type ServiceActionFlags = TargetFlags & {recipe: string; env: string; yes?: boolean; json?: boolean; count?: string};

type Action = 'approve' | 'reject' | 'redeploy' | 'cancel' | 'scale';

/**
 * `approve`, `reject`, `redeploy` and `cancel`: flags → the engine's use case on the environment's stack →
 * plain or JSON lines and an exit code. `--yes` answers the question a redeploy or a cancel asks.
 */
export async function serviceActionCommand(action: Action, flags: ServiceActionFlags, engine: Engine, output: Output, io: RunIo): Promise<ExitCode> {
	const json = Boolean(flags.json);
	const {picked, args: targetArgs} = await recipeTargetFromFlags(engine, flags, flags.env, io.env);
	const count = action === 'scale' ? wholeNumber('--count', flags.count ?? '', 0, 10_000) : undefined;
	const problems = [...('error' in picked ? [{path: picked.path, message: picked.error, severity: 'error' as const}] : []), ...(count?.problem ? [count.problem] : [])];
	if (problems.length > 0 || 'error' in picked) return badInput(output, json, `cannot ${action} ${flags.env}`, problems);
	const yes = flags.yes ? true : undefined;
	const host = createPrinter(output, {json, answers: {confirm: {redeploy: yes, 'cancel-update': yes, 'scale-service': yes}}, ...(io.prompter ? {prompter: io.prompter} : {})});
	const input: CurrentStackInput = {
		recipeFile: flags.recipe,
		environment: flags.env,
		target: picked.target,
		reattach: commandLine([...io.globalArgs, 'watch', '--recipe', flags.recipe, '--env', flags.env, ...targetArgs]),
	};
	const run = action === 'scale' ? engine.scale({...input, count: count!.value!}, host) : start(action, engine, input, host);
	linkSignal(run.control, io.signal);
	const result = await run.result;
	return reportResult(output, result, {json, interrupted: io.signal?.aborted ?? false});
}

function start(action: Exclude<Action, 'scale'>, engine: Engine, input: CurrentStackInput, host: EngineHost): DeployRun {
	switch (action) {
		case 'approve':
			return engine.answerGate({...input, action: 'promote'}, host);
		case 'reject':
			return engine.answerGate({...input, action: 'rollback'}, host);
		case 'redeploy':
			return engine.redeploy(input, host);
		case 'cancel':
			return engine.cancelUpdate(input, host);
	}
}
