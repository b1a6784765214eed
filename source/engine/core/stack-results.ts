import type {Stack} from '../../aws/ports.js';
import {reportError} from '../../domain/aws-errors.js';
import {StateFileError} from '../../io/state-file-error.js';
import {LedgerError} from '../../domain/ledger-error.js';
import {AwsAccessError, operationOf} from './aws-call.js';
import type {Clock} from './clock.js';
import {Unanswered} from './host.js';
import {Detached} from './run-control.js';
import type {QuestionId, ReleaseView} from './host.js';
import {stepWords, type DeployResult, type RunStep} from './results.js';

type Shared = 'project' | 'environment' | 'stackName' | 'stackStatus' | 'release' | 'durationMs';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A result without the fields every result shares (project, environment, stack, release, duration). */
export type ResultBody = DistributiveOmit<DeployResult, Shared>;

/** Makes results for one run: fills in what every result shares. */
export type ResultFactory = {
	make(body: ResultBody, stack?: Stack): DeployResult;
	declined(question: QuestionId, flag: string, message: string, stack?: Stack): DeployResult;
};

export type RunInfo = {
	project: string;
	environment: string;
	stackName?: string;
	release?: ReleaseView;
	startedAt: number;
	clock: Clock;
	/** Where the run is: an error that ends it names this step. */
	step?: RunStep;
};

export function resultFactory(info: RunInfo): ResultFactory {
	const make = (body: ResultBody, stack?: Stack): DeployResult =>
		({
			...body,
			project: info.project,
			environment: info.environment,
			...(info.stackName === undefined ? {} : {stackName: info.stackName}),
			...(stack?.StackStatus ? {stackStatus: stack.StackStatus} : {}),
			...(info.release === undefined ? {} : {release: info.release}),
			durationMs: Math.max(0, info.clock.now() - info.startedAt),
		}) as DeployResult;
	return {make, declined: (question, flag, message, stack) => make({outcome: 'declined', question, flag, message}, stack)};
}

/** The stack's outputs by key. */
export function stackOutputs(stack: Stack | undefined): Record<string, string> {
	return Object.fromEntries((stack?.Outputs ?? []).filter(o => o.OutputKey && o.OutputValue !== undefined).map(o => [o.OutputKey!, o.OutputValue!]));
}

/** UpdateStack (and some endpoints' CreateChangeSet) refuse an unchanged template with this ValidationError. */
export function isNoUpdatesError(error: unknown): boolean {
	const e = error as {name?: string; message?: string} | undefined;
	return e?.name === 'ValidationError' && /No updates are to be performed/.test(e.message ?? '');
}

/**
 * The result for an error that ends a run: a detach (the operation goes on), an expired session (sign in,
 * then re-attach), an access problem, an unanswered question. Any other error (an AWS error nobody
 * classified, an answer that is not AWS's, our own bug) is an `error` result naming the step, the AWS call,
 * the code and a hint: a run always ends with a result, never with a rejected promise.
 */
export function resultForError(error: unknown, results: ResultFactory, reattach: string, step: RunStep): DeployResult {
	if (error instanceof Detached) return results.make({outcome: 'detached', reattach, expired: false, message: `stopped watching; the operation goes on in AWS. Re-attach with: ${reattach}`});
	if (error instanceof AwsAccessError) {
		if (error.kind === 'expired-credentials') {
			return results.make({outcome: 'detached', reattach, expired: true, message: `your AWS session expired while calling ${error.operation}; sign in again, then re-attach with: ${reattach}`});
		}
		return results.make({outcome: 'access-denied', operation: error.operation, message: `${error.operation}: ${error.message}`});
	}
	if (error instanceof Unanswered) {
		return results.declined(error.question.id, error.question.flag, `${error.question.message} — not answered, so nothing was changed (answer it with ${error.question.flag})`);
	}
	if (error instanceof LedgerError) {
		// The project's ledger cannot be used: the bucket is missing (the recipe or target names it), access is denied, or it cannot be read.
		if (error.kind === 'denied') return results.make({outcome: 'access-denied', operation: 'S3', message: `${error.message}; ${error.hint}`});
		if (error.kind === 'missing-bucket' || error.kind === 'unavailable') return results.make({outcome: 'invalid', problems: [{path: 'ledger', message: `${error.message}; ${error.hint}`, severity: 'error'}], message: `${error.message}; nothing was changed`});
		return results.make({outcome: 'error', step, code: error.code, hint: error.hint, message: error.message});
	}
	if (error instanceof StateFileError) {
		return results.make({outcome: 'error', step, code: 'StateFileError', hint: error.fix, file: {path: error.file, kind: error.kind}, message: `${error.file}: ${error.problem}`});
	}
	const report = reportError(error, operationOf(error));
	return results.make({outcome: 'error', step, code: report.code, hint: report.hint, message: `${stepWords[step]} failed: ${report.message}`});
}

