import type {Engine} from '../../engine/engine.js';
import type {ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {runCommand, type DeployFlags, type RunIo} from './deploy.js';

/** `ecs-deployer rollback`: deploys an earlier release again (`--to VERSION`, or `previous`). */
export async function rollbackCommand(flags: DeployFlags & {to?: string}, engine: Engine, output: Output, io: RunIo): Promise<ExitCode> {
	return runCommand(flags, engine, output, io, input => engine.rollback({...input, ...(flags.to === undefined ? {} : {to: flags.to})}, input.host));
}
