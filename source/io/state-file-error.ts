import {exitCodes} from '../exit-codes.js';

/*
 * The error a state file raises, apart from state-file.ts so that printing an unexpected error
 * (source/unexpected.ts) can recognise it without loading the lock library.
 */

/** What went wrong with a state file: its content, the disk, or another process holding it. */
export type StateFileErrorKind = 'corrupt' | 'io' | 'locked';

/**
 * A state file that cannot be read, written or locked. `problem` says what is wrong, `fix` how to recover;
 * the CLI prints `error: <file>: <problem>` and the fix, without a stack trace.
 */
export class StateFileError extends Error {
	override name = 'StateFileError';
	/** The file, as the operator would type it (relative to the working folder when inside it). */
	readonly file: string;
	readonly problem: string;
	readonly fix: string;
	readonly kind: StateFileErrorKind;

	constructor(details: {file: string; problem: string; fix: string; kind: StateFileErrorKind; cause?: unknown}) {
		super(`${details.file}: ${details.problem}`, details.cause === undefined ? undefined : {cause: details.cause});
		this.file = details.file;
		this.problem = details.problem;
		this.fix = details.fix;
		this.kind = details.kind;
	}
}

/** The exit code for a state file error: 2 for a file that cannot be used as it is, 1 for an I/O failure or a lock timeout. */
export function stateFileExitCode(error: StateFileError): typeof exitCodes.badInput | typeof exitCodes.deploymentFailed {
	return error.kind === 'corrupt' ? exitCodes.badInput : exitCodes.deploymentFailed;
}
