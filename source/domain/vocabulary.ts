/*
 * One vocabulary for how runs end and where environments stand (pure): the live view, the project screen,
 * the dashboard, history, `status` and the records all say the same words for the same state.
 */

/** How a word is shown: good (green), bad (red), warn (yellow), busy (cyan), quiet (plain). */
export type Tone = 'good' | 'bad' | 'warn' | 'busy' | 'quiet';

export type Wording = {mark: string; words: string; tone: Tone};

/**
 * How a run or a deployment record ended, by outcome. `✓` is kept for outcomes that rest on ECS evidence
 * (succeeded, no-op); a stack that succeeded without it is `unconfirmed`.
 */
export const outcomeWords: Readonly<Record<string, Wording>> = {
	succeeded: {mark: '✓', words: 'succeeded', tone: 'good'},
	'no-op': {mark: '✓', words: 'nothing to change', tone: 'good'},
	unconfirmed: {mark: '?', words: 'unconfirmed', tone: 'warn'},
	previewed: {mark: '•', words: 'previewed', tone: 'busy'},
	started: {mark: '•', words: 'started (not watched)', tone: 'busy'},
	failed: {mark: '✗', words: 'failed', tone: 'bad'},
	'rolled-back': {mark: '↺', words: 'rolled back', tone: 'warn'},
	stuck: {mark: '✗', words: 'stuck', tone: 'bad'},
	'timed-out': {mark: '✗', words: 'timed out', tone: 'bad'},
	cancelled: {mark: '↺', words: 'cancelled', tone: 'warn'},
	declined: {mark: '•', words: 'not applied', tone: 'warn'},
	invalid: {mark: '✗', words: 'not started', tone: 'bad'},
	busy: {mark: '•', words: 'stack busy', tone: 'warn'},
	detached: {mark: '•', words: 'detached', tone: 'busy'},
	'access-denied': {mark: '✗', words: 'AWS refused', tone: 'bad'},
	error: {mark: '✗', words: 'error', tone: 'bad'},
	// Records only: a run that ended before its operation did, until it is reconciled with AWS.
	'in progress': {mark: '⟳', words: 'in progress', tone: 'busy'},
	unknown: {mark: '?', words: 'unknown', tone: 'quiet'},
};

/** The wording of an outcome; an outcome this version does not know is shown as it is. */
export function wordingOf(outcome: string): Wording {
	return outcomeWords[outcome] ?? {mark: '•', words: outcome, tone: 'quiet'};
}

/** Where an environment stands, as every screen and `status` name it. */
export type EnvironmentState =
	| 'not-deployed'
	| 'serving'
	| 'unconfirmed'
	| 'in-progress'
	| 'stuck'
	| 'rolled-back'
	| 'cancelled'
	| 'failed'
	| 'timed-out'
	| 'failed-create'
	| 'review'
	| 'delete-failed';

export const stateWords: Readonly<Record<EnvironmentState, Wording & {hint?: string}>> = {
	'not-deployed': {mark: '·', words: 'not deployed', tone: 'quiet'},
	serving: {mark: '✓', words: 'serving', tone: 'good'},
	unconfirmed: {mark: '?', words: 'unconfirmed', tone: 'warn', hint: 'ECS does not show the release serving: watch it, or look at the service'},
	'in-progress': {mark: '⟳', words: 'in progress', tone: 'busy'},
	stuck: {mark: '✗', words: 'stuck', tone: 'bad', hint: 'UPDATE_ROLLBACK_FAILED — r continues the rollback (the service keeps running)'},
	'rolled-back': {mark: '↺', words: 'rolled back', tone: 'warn'},
	cancelled: {mark: '↺', words: 'cancelled', tone: 'warn'},
	failed: {mark: '✗', words: 'failed', tone: 'bad'},
	'timed-out': {mark: '✗', words: 'timed out', tone: 'bad'},
	'failed-create': {mark: '✗', words: 'never created', tone: 'bad', hint: 'its first create failed: the next deploy deletes and creates the stack again (asks first)'},
	review: {mark: '·', words: 'not created', tone: 'quiet', hint: 'REVIEW_IN_PROGRESS: only an unexecuted change set exists; the next deploy creates the stack'},
	'delete-failed': {mark: '✗', words: 'delete failed', tone: 'bad', hint: 'DELETE_FAILED: the next deploy deletes and creates the stack again (asks first)'},
};

/** What an environment's state is read from: the stack, the ECS judgement, the last deployment record. */
export type StateInputs = {
	stackStatus?: string | undefined;
	/** A stack operation or an ECS rollout is running. */
	inProgress: boolean;
	/** The ECS judgement of what the stack holds (see serving.ts); absent when it could not be made. */
	serving?: 'serving' | 'rolling-out' | 'rollout-failed' | 'unconfirmed' | undefined;
	/** How the newest deployment record ended. */
	lastOutcome?: string | undefined;
};

/**
 * Where an environment stands. The stack's status decides first (busy, stuck, never created); a stack that
 * holds a release is `serving` only on ECS evidence; when the last deployment did not go through but the
 * previous release serves, the state says how that deployment ended (rolled back, cancelled, failed).
 */
export function environmentState(inputs: StateInputs): EnvironmentState {
	const status = inputs.stackStatus;
	if (status === undefined || status === 'DELETE_COMPLETE') return 'not-deployed';
	if (status === 'REVIEW_IN_PROGRESS') return 'review';
	if (status === 'UPDATE_ROLLBACK_FAILED') return 'stuck';
	if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED') return 'failed-create';
	if (status === 'DELETE_FAILED') return 'delete-failed';
	if (inputs.inProgress || inputs.serving === 'rolling-out') return 'in-progress';
	if (inputs.serving === 'rollout-failed') return 'rolled-back';
	if (inputs.serving !== 'serving') return 'unconfirmed';
	switch (inputs.lastOutcome) {
		case 'rolled-back':
		case 'cancelled':
		case 'failed':
		case 'timed-out':
			return inputs.lastOutcome;
		case 'error':
			return 'failed';
		case 'stuck':
			// The rollback was continued since: the previous release serves again.
			return 'rolled-back';
		default:
			return 'serving';
	}
}
