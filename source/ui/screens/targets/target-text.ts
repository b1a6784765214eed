import {regionName} from '../../../domain/regions.js';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';

/*
 * How the targets screens describe a target in words. Every value went through `printable` (a target's
 * fields were typed, or read from the workspace file). Pure.
 */

/** Where the credentials come from: `default credential chain`, `profile ops`, `assumes arn:… (from profile ops)`. */
export function describeCredentials(target: Target): string {
	if (target.sandbox) return 'simulated account (built in)';
	const base = target.credentials.source === 'profile' ? `profile ${printable(target.credentials.profile) || '—'}` : 'default credential chain';
	if (!target.assumeRole) return base;
	return `assumes ${printable(target.assumeRole.roleArn)} (from ${base})`;
}

/** The same, short, for a table cell: `default chain`, `profile ops`, `role deployer (profile ops)`. */
export function describeCredentialsShort(target: Target): string {
	if (target.sandbox) return 'simulated account';
	const base = target.credentials.source === 'profile' ? `profile ${printable(target.credentials.profile)}` : 'default chain';
	if (!target.assumeRole) return base;
	return `role ${printable(target.assumeRole.roleArn.split(':role/').at(-1) ?? target.assumeRole.roleArn)} (${base})`;
}

/** The assume-role options that were set: `external id set, session deploy, 3600 s`; empty when none. */
export function describeRoleOptions(target: Target): string {
	const role = target.assumeRole;
	if (!role) return '';
	return [
		// The external id is shared with the role's owner, not secret, but there is no need to show it whole.
		role.externalId === undefined ? undefined : 'external id set',
		role.sessionName === undefined ? undefined : `session ${printable(role.sessionName)}`,
		role.durationSeconds === undefined ? undefined : `${role.durationSeconds} s`,
	]
		.filter(Boolean)
		.join(', ');
}

/** `eu-west-1 (Europe (Ireland))`, or the code alone when it is not a listed Region. */
export function describeRegion(code: string): string {
	const name = regionName(code);
	return name ? `${printable(code)} (${name})` : printable(code);
}

/** A list of names, or a dash when there is none. */
export function namesText(names: readonly string[]): string {
	return names.length === 0 ? '—' : names.map(printable).join(', ');
}
