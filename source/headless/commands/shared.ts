import {classifyAwsError, describeAwsError, reportError} from '../../domain/aws-errors.js';
import {countWords, type Problem} from '../../domain/problems.js';
import {AwsAccessError, operationOf} from '../../engine/core/aws-call.js';
import {LedgerError} from '../../domain/ledger-error.js';
import type {EngineHost} from '../../engine/core/host.js';
import {createPrinter} from '../printer.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import {formatProblem, type Output} from '../output.js';

/** Prints problems as plain lines, errors first. */
export function printProblems(output: Output, problems: readonly Problem[]): void {
	const ordered = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
	for (const problem of ordered) output.line(formatProblem(problem, output.paint));
}

export const resultCode = (ok: boolean): ExitCode => (ok ? exitCodes.success : exitCodes.badInput);

/** Reports bad input (flags, recipe) before anything was asked of AWS: exit 2. */
export function badInput(output: Output, json: boolean, title: string, problems: readonly Problem[]): ExitCode {
	if (json) output.json({outcome: 'invalid', problems});
	else {
		output.note(`${title}: ${countWords(problems)}; nothing was changed in AWS`);
		printProblems({...output, line: output.note}, problems);
	}
	return exitCodes.badInput;
}

/** One error line on stderr and exit 2: for a single bad flag. */
export function badFlag(output: Output, path: string, message: string): ExitCode {
	output.note(`error: ${path}: ${message}`);
	return exitCodes.badInput;
}

/** A host for short commands: retries and notes go to stderr as plain lines, stdout stays the command's output. */
export function stderrHost(output: Output): EngineHost {
	return createPrinter({...output, line: output.note}, {json: false, answers: {}});
}

/** Turns AWS errors into a message and an exit code (3 for access problems, 1 for the rest); other errors go on up. */
export function awsFailure(output: Output, error: unknown): ExitCode {
	if (error instanceof LedgerError) {
		output.note(`error: ${error.message}`);
		output.note(error.hint);
		return error.kind === 'missing-bucket' || error.kind === 'unavailable' ? exitCodes.badInput : error.kind === 'denied' ? exitCodes.awsAccess : exitCodes.deploymentFailed;
	}
	if (error instanceof AwsAccessError) {
		output.note(`error: ${describeAwsError(error.cause)}`);
		if (error.kind === 'expired-credentials') output.note('your AWS session expired: sign in again (aws sso login, or refresh your credentials) and run the command again');
		return exitCodes.awsAccess;
	}
	const kind = classifyAwsError(error);
	const report = reportError(error, operationOf(error));
	// AWS (or the endpoint) answered, with something that is not an AWS response: say that, not "cannot reach".
	const answered = report.code.startsWith('HTTP ') || (error as {$metadata?: {httpStatusCode?: number}})?.$metadata?.httpStatusCode !== undefined;
	if (kind === 'transient' && !answered) {
		output.note(`error: cannot reach AWS: ${describeAwsError(error)} (check the network, the region and --endpoint-url)`);
		return exitCodes.awsAccess;
	}
	if (kind !== 'other' || answered) {
		output.note(`error: ${report.code}: ${report.message}`);
		output.note(`hint: ${report.hint}`);
		return exitCodes.deploymentFailed;
	}
	throw error;
}
