import type {TargetVerification} from '../../../engine/targets/targets.js';
import type {Target} from '../../../domain/records.js';

/*
 * A live check of a target (`engine.verifyTarget`) as the screens show it: each check with a spinner while it
 * runs, then ✓ or ✗ with the reason. Shared by the targets list and the wizard's last step. Pure.
 */

/** A verification: running, done (with what each check found), or failed before any check could run. */
export type VerificationState = {status: 'running'} | {status: 'done'; result: TargetVerification} | {status: 'failed'; error: string};

/** One line of a verification. */
export type CheckLine = {check: string; state: 'running' | 'passed' | 'failed' | 'skipped'; detail: string};

/** The checks every verification makes, in order (the engine adds a report of the cluster's capacity providers). */
const expected = ['credentials', 'cluster'] as const;

/** The lines a verification shows: every expected check, running, passed, failed or skipped. */
export function checkLines(state: VerificationState, target: Pick<Target, 'cluster' | 'region'>): CheckLine[] {
	if (state.status === 'running') {
		return [
			{check: 'credentials', state: 'running', detail: 'asking AWS STS who these credentials are…'},
			{check: 'cluster', state: 'running', detail: `looking for cluster ${target.cluster} in ${target.region}…`},
		];
	}
	if (state.status === 'failed') {
		return [
			{check: 'credentials', state: 'failed', detail: state.error},
			{check: 'cluster', state: 'skipped', detail: 'not checked: the credentials did not work'},
		];
	}
	const lines: CheckLine[] = state.result.checks.map(c => ({check: c.check, state: c.passed ? 'passed' : 'failed', detail: c.detail}));
	for (const check of expected) {
		if (!lines.some(line => line.check === check)) lines.push({check, state: 'skipped', detail: 'not checked: the credentials did not work'});
	}
	return lines;
}

/** True when every check of a finished verification passed. */
export function verificationPassed(state: VerificationState | undefined): boolean {
	return state?.status === 'done' && state.result.checks.every(c => c.passed);
}

/** The message of whatever a verification threw (a credential provider that cannot start, for one). */
export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
