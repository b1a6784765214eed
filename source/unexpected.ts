import {exitCodes, type ExitCode} from './exit-codes.js';
import {StateFileError, stateFileExitCode} from './io/state-file-error.js';

/**
 * What to print, and which exit code to use, for an error no command handled: a workspace file that cannot
 * be read, written or locked is explained with its fix (exit code from stateFileExitCode); anything else is
 * "unexpected" in one line (the stack only with DEBUG set).
 */
export function describeUnexpected(cause: unknown): {message: string; code: ExitCode} {
	if (cause instanceof StateFileError) return {message: `error: ${cause.file}: ${cause.problem}\n${cause.fix}`, code: stateFileExitCode(cause)};
	return {message: `ecs-deployer: unexpected error: ${cause instanceof Error ? cause.message : String(cause)}`, code: exitCodes.deploymentFailed};
}
