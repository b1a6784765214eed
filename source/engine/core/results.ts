import type {FailureReason} from '../../domain/failures.js';
import type {Problem} from '../../domain/problems.js';
import type {ChangeView, QuestionId, ReleaseView} from './host.js';

/** What every result says: which stack, which release, how long. */
type Common = {
	project: string;
	environment: string;
	/** Absent when the deploy stopped before the stack was known (bad input). */
	stackName?: string;
	stackStatus?: string;
	release?: ReleaseView;
	/** One sentence for the operator. */
	message: string;
	durationMs: number;
};

/**
 * How a deploy (or a rollback, or a re-attach) ended: one variant per outcome, each with its own data
 * (after aws-cdk-cli's deployment-result.ts). Hosts render it; `exitCodeFor` maps it for scripts.
 */
export type DeployResult =
	/**
	 * This release is serving, on ECS evidence: the stack succeeded, and the service it holds has its PRIMARY
	 * deployment on the task definition the stack holds, rollout COMPLETED, running = desired (`confirmed`).
	 */
	| (Common & {outcome: 'succeeded'; changes: ChangeView[]; outputs: Record<string, string>; confirmed: string[]})
	/** Nothing to change: the stack already has this release, and ECS shows it serving (`confirmed`). */
	| (Common & {outcome: 'no-op'; outputs: Record<string, string>; confirmed: string[]})
	/**
	 * The stack operation succeeded (or had nothing to change), but ECS evidence that this release serves is
	 * missing: what was confirmed, and what was not.
	 */
	| (Common & {outcome: 'unconfirmed'; changes: ChangeView[]; outputs: Record<string, string>; confirmed: string[]; unconfirmed: string[]})
	/** The change set was shown and removed; nothing changed. */
	| (Common & {outcome: 'previewed'; changes: ChangeView[]})
	/** The operation started and was not waited for (wait option "don't wait"). */
	| (Common & {outcome: 'started'; changes: ChangeView[]; reattach: string})
	/** The deploy did not happen: the stack failed, or rolled back to the previous release. */
	| (Common & {outcome: 'failed' | 'rolled-back'; reasons: FailureReason[]; changes: ChangeView[]})
	/**
	 * The update failed and so did its rollback: the stack is UPDATE_ROLLBACK_FAILED (the service usually
	 * still runs). Continuing the rollback (ContinueUpdateRollback) gets it out.
	 */
	| (Common & {outcome: 'stuck'; reasons: FailureReason[]; changes: ChangeView[]})
	/** The wait timed out; an update was cancelled so the previous release came back. */
	| (Common & {outcome: 'timed-out'; reasons: FailureReason[]; changes: ChangeView[]})
	/** The operator cancelled: before anything changed, or the update was cancelled and rolled back. */
	| (Common & {outcome: 'cancelled'; reasons: FailureReason[]; changed: boolean})
	/** The operator (or a missing flag) said no to a question; nothing was changed. */
	| (Common & {outcome: 'declined'; question: QuestionId; flag: string})
	/** Bad input (recipe, release, flags): nothing was changed. */
	| (Common & {outcome: 'invalid'; problems: Problem[]})
	/** Another operation runs on the stack and waiting was not wanted. */
	| (Common & {outcome: 'busy'})
	/** Stopped watching; the operation goes on in AWS. */
	| (Common & {outcome: 'detached'; reattach: string; expired: boolean})
	/** AWS refused access (permissions, credentials). */
	| (Common & {outcome: 'access-denied'; operation: string})
	/**
	 * An error nobody classified ended the run (an AWS error, an unreadable answer, our own bug): where it
	 * happened, the error's code and message, and what to try.
	 */
	| (Common & {
			outcome: 'error';
			step: RunStep;
			code: string;
			hint: string;
			/** A workspace file of ours that could not be used (corrupt, unreadable, locked): not an AWS matter. */
			file?: {path: string; kind: 'corrupt' | 'io' | 'locked'};
	  });

/** The steps of a run, in order: where an error happened. */
export type RunStep = 'recipe' | 'connect' | 'release' | 'preflight' | 'plan' | 'change-set' | 'before-deploy' | 'apply' | 'monitor' | 'verify';

/** What each step of a run is doing, as the faces say it (the live view's status line, an error's message). */
export const stepWords: Readonly<Record<RunStep, string>> = {
	recipe: 'reading the recipe',
	connect: 'reaching AWS',
	release: 'resolving the release',
	preflight: 'checking the cluster and the template',
	plan: 'reading the stack',
	'change-set': 'creating the change set',
	'before-deploy': 'running the beforeDeploy tasks',
	apply: 'applying the change set',
	monitor: 'following the deployment',
	verify: 'confirming the service',
};


/** The failure reasons of a result, if it has any. */
export function reasonsOf(result: DeployResult): FailureReason[] {
	return 'reasons' in result ? result.reasons : [];
}
