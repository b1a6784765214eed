import type {Stack} from '../aws/ports.js';
import {AwsAccessError} from './aws-call.js';
import type {Clock} from './clock.js';
import {Unanswered} from './host.js';
import {Detached} from './run-control.js';
import type {QuestionId, ReleaseView} from './host.js';
import type {DeployResult} from './results.js';

type Shared = 'project' | 'environment' | 'stackName' | 'stackStatus' | 'release' | 'durationMs';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A result without the fields every result shares (project, environment, stack, release, duration). */
export type ResultBody = DistributiveOmit<DeployResult, Shared>;

/** Makes results for one run: fills in what every result shares. */
export type ResultFactory = {
	make(body: ResultBody, stack?: Stack): DeployResult;
	declined(question: QuestionId, flag: string, message: string, stack?: Stack): DeployResult;
};

export type RunInfo = {project: string; environment: string; stackName?: string; release?: ReleaseView; startedAt: number; clock: Clock};

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
 * then re-attach), an access problem, an unanswered question. Any other error is not ours: it is rethrown.
 */
export function resultForError(error: unknown, results: ResultFactory, reattach: string): DeployResult {
	if (error instanceof Detached) return results.make({outcome: 'detached', reattach, expired: false, message: `stopped watching; the operation goes on in AWS. Re-attach with: ${reattach}`});
	if (error instanceof AwsAccessError) {
		if (error.kind === 'expired-credentials') {
			return results.make({outcome: 'detached', reattach, expired: true, message: `your AWS session expired while calling ${error.operation}; sign in again, then re-attach with: ${reattach}`});
		}
		return results.make({outcome: 'access-denied', operation: error.operation, message: `AWS refused ${error.operation}: ${error.message}`});
	}
	if (error instanceof Unanswered) {
		return results.declined(error.question.id, error.question.flag, `${error.question.message} — not answered, so nothing was changed (answer it with ${error.question.flag})`);
	}
	throw error;
}
