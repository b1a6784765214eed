import {exitCodes, type ExitCode} from './exit-codes.js';

/** The fields of io/state-file's StateFileError, read without importing it (it pulls in the lock library). */
type StateFileErrorLike = Error & {file: string; problem: string; fix: string; kind: 'corrupt' | 'io' | 'locked'};

function isStateFileError(cause: unknown): cause is StateFileErrorLike {
	return cause instanceof Error && cause.name === 'StateFileError' && 'file' in cause && 'problem' in cause && 'kind' in cause;
}

/**
 * What to print, and which exit code to use, for an error no command handled: a workspace file that cannot
 * be read, written or locked is explained with its fix (exit 2 for a bad file, 1 for I/O or a lock held too
 * long, as stateFileExitCode says); anything else is "unexpected" in one line (the stack only with DEBUG set).
 */
export function describeUnexpected(cause: unknown): {message: string; code: ExitCode} {
	if (isStateFileError(cause)) return {message: `error: ${cause.file}: ${cause.problem}\n${cause.fix}`, code: cause.kind === 'corrupt' ? exitCodes.badInput : exitCodes.deploymentFailed};
	return {message: `ecs-deployer: unexpected error: ${cause instanceof Error ? cause.message : String(cause)}`, code: exitCodes.deploymentFailed};
}
