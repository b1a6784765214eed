import {parseDuration} from '../../domain/log-streams.js';
import type {Engine} from '../../engine/engine.js';
import {listeningHost, type EngineHost} from '../../engine/core/host.js';
import {linkSignal} from '../../engine/core/run-control.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {recipeTargetFromFlags, type TargetFlags} from '../target-flags.js';
import type {RunIo} from './deploy.js';
import {badInput, printProblems} from './shared.js';

/** The flags of `logs`. */
export type LogsFlags = TargetFlags & {recipe: string; env: string; follow?: boolean; since?: string; task?: string; container?: string; json?: boolean};

/**
 * `ecs-deployer logs`: flags → the engine's logs use case → one line per log event (`time container/task
 * message`, or one JSON object per event with --json); notes on stderr. With --follow it goes on until Ctrl+C.
 */
export async function logsCommand(flags: LogsFlags, engine: Engine, output: Output, io: Pick<RunIo, 'signal' | 'env'>, now: () => number = Date.now): Promise<ExitCode> {
	const json = Boolean(flags.json);
	const since = flags.since === undefined ? undefined : parseDuration(flags.since);
	if (flags.since !== undefined && since === undefined) {
		return badInput(output, json, `cannot read the logs of ${flags.env}`, [{path: '--since', message: `"${flags.since}" is not a duration: give a number and s, m, h or d (90s, 10m, 2h, 1d)`, severity: 'error'}]);
	}
	const {picked} = await recipeTargetFromFlags(engine, flags, flags.env, io.env);
	if ('error' in picked) return badInput(output, json, `cannot read the logs of ${flags.env}`, [{path: picked.path, message: picked.error, severity: 'error'}]);
	const {paint} = output;
	// Reading logs asks nothing: a listening host.
	const host: EngineHost = listeningHost(event => {
			if (event.code === 'log.lines') {
				for (const line of event.lines) {
					const time = new Date(line.timestamp).toISOString();
					if (json) output.line(JSON.stringify({timestamp: time, container: line.container, task: line.taskId, message: line.message}));
					else output.line(`${paint.dim(`${time.slice(0, 19)}Z`)} ${paint.bold(`${line.container}/${line.taskId.slice(0, 8)}`)} ${line.message}`);
				}
			} else if (event.code === 'note') output.note(event.message);
			else if (event.code === 'aws.retry') output.note(`${event.operation} ${event.kind === 'throttling' ? 'throttled' : 'failed'}; retrying in ${(event.delayMs / 1000).toFixed(1)} s`);
		});
	const run = engine.logs(
		{
			recipeFile: flags.recipe,
			environment: flags.env,
			target: picked.target,
			follow: Boolean(flags.follow),
			...(since === undefined ? {} : {since: now() - since}),
			...(flags.task === undefined ? {} : {task: flags.task}),
			...(flags.container === undefined ? {} : {container: flags.container}),
		},
		host,
	);
	// Ctrl+C stops following (the first one; a second quits at once).
	linkSignal(run.control, io.signal);
	const result = await run.result;
	switch (result.outcome) {
		case 'done':
			output.note(result.message);
			return exitCodes.success;
		case 'stopped':
			output.note(result.message);
			return io.signal?.aborted ? exitCodes.interrupted : exitCodes.success;
		case 'invalid':
			if (json) output.line(JSON.stringify({outcome: 'invalid', problems: result.problems}));
			output.note(result.message);
			printProblems({...output, line: output.note}, result.problems);
			return exitCodes.badInput;
		case 'access-denied':
			output.note(`error: ${result.message}`);
			output.note('check your credentials (AWS_PROFILE, --profile, or aws sso login) and the permissions ecs-deployer needs (ecs-deployer iam-policy --recipe FILE)');
			return exitCodes.awsAccess;
		case 'error':
			output.note(`error: ${result.message}`);
			output.note(`${result.code}; hint: ${result.hint}`);
			return exitCodes.deploymentFailed;
	}
}
