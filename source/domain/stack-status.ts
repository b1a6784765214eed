/*
 * CloudFormation stack statuses and what a deploy does about each (pure).
 * Status names: botocore cloudformation model; classification after the AWS CDK's stack-status.ts and the
 * Octopus ECS step's list of states that need the stack deleted before it can be created again.
 */

/** Busy: an operation is running. REVIEW_IN_PROGRESS is not busy: it is a stack with only an unexecuted CREATE change set. */
export function isInProgress(status: string): boolean {
	return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** The operation finished and the stack holds what was asked. */
export function isSuccess(status: string): boolean {
	return status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' || status === 'IMPORT_COMPLETE';
}

/** The operation ended and the stack went back (or failed to): the deploy did not happen. */
export function isFailure(status: string): boolean {
	return status.endsWith('_FAILED') || status === 'ROLLBACK_COMPLETE' || status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'IMPORT_ROLLBACK_COMPLETE';
}


/** What the stack's state calls for before this deploy's change can be applied. */
export type Plan =
	| {kind: 'create'}
	| {kind: 'update'}
	/** Another operation is running: wait for it to end, then plan again. */
	| {kind: 'wait'; status: string}
	/** The stack cannot be updated and must be deleted, then created (needs confirmation). */
	| {kind: 'recreate'; status: string; reason: string}
	/** UPDATE_ROLLBACK_FAILED: continue the rollback first (the service keeps running); recreate only if asked. */
	| {kind: 'continue-rollback'; status: string};

/**
 * Plans a deploy from the stack's current status (undefined: there is no stack). Follows the Octopus step's
 * state list, except UPDATE_ROLLBACK_FAILED, which is first given ContinueUpdateRollback: deleting that
 * stack would take the running service down with it.
 */
export function planDeployment(status: string | undefined): Plan {
	if (status === undefined || status === 'DELETE_COMPLETE') return {kind: 'create'};
	// An unexecuted CREATE change set left the stack in review: a new CREATE change set replaces it.
	if (status === 'REVIEW_IN_PROGRESS') return {kind: 'create'};
	if (isInProgress(status)) return {kind: 'wait', status};
	switch (status) {
		case 'UPDATE_ROLLBACK_FAILED':
			return {kind: 'continue-rollback', status};
		case 'ROLLBACK_COMPLETE':
			return {kind: 'recreate', status, reason: 'the stack was never created successfully (its first create rolled back) and cannot be updated'};
		case 'ROLLBACK_FAILED':
		case 'CREATE_FAILED':
			return {kind: 'recreate', status, reason: 'the stack failed to create and cannot be updated'};
		case 'DELETE_FAILED':
			return {kind: 'recreate', status, reason: 'an earlier delete of the stack failed'};
		default:
			return {kind: 'update'};
	}
}

/** CloudFormation's words for "nothing changed": a change set with no changes, or UpdateStack. */
export function isNoChangesReason(reason: string | undefined): boolean {
	if (!reason) return false;
	return reason.includes("didn't contain changes") || reason.includes('No updates are to be performed');
}
