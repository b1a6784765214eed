import {
	checkClusterName,
	checkDuration,
	checkEnvironmentName,
	checkExternalId,
	checkProfileName,
	checkRegion,
	checkRoleArn,
	checkSessionName,
	checkTargetName,
	checkTargetTag,
	type FieldCheck,
} from '../../../domain/target.js';
import {quote} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';

/*
 * A target as the wizard holds it while it is typed: every field as text, checked one at a time with the
 * same checks `target add` uses, and turned into a `Target` at the end. Pure.
 */

/** Where the credentials come from, as the wizard offers it: the default chain, a profile, or a role to assume. */
export type CredentialChoice = 'default' | 'profile' | 'role';

/** The wizard's fields, as typed. `profile` is the profile of the profile step, or the role's base profile. */
export type Draft = {
	name: string;
	credentials: CredentialChoice;
	profile: string;
	roleArn: string;
	externalId: string;
	sessionName: string;
	duration: string;
	region: string;
	cluster: string;
	/** Environment names, comma- or space-separated, as typed. */
	environments: string;
	/** Tags, comma- or space-separated, as typed. */
	tags: string;
};

/** The text fields of a draft. */
export type DraftField = Exclude<keyof Draft, 'credentials'>;

/** The fields of the assume-role form, in the order they are shown. */
export const roleFields = ['roleArn', 'externalId', 'sessionName', 'duration', 'profile'] as const satisfies readonly DraftField[];

/** A new target: nothing typed yet, the default credential chain. */
export const emptyDraft: Draft = {name: '', credentials: 'default', profile: '', roleArn: '', externalId: '', sessionName: '', duration: '', region: '', cluster: '', environments: '', tags: ''};

/** The draft of a stored target, for editing it. */
export function draftOf(target: Target): Draft {
	const role = target.assumeRole;
	return {
		name: target.name,
		credentials: role ? 'role' : target.credentials.source,
		profile: target.credentials.source === 'profile' ? target.credentials.profile : '',
		roleArn: role?.roleArn ?? '',
		externalId: role?.externalId ?? '',
		sessionName: role?.sessionName ?? '',
		duration: role?.durationSeconds === undefined ? '' : String(role.durationSeconds),
		region: target.region,
		cluster: target.cluster,
		environments: target.environments.join(', '),
		tags: target.tags.join(', '),
	};
}

/** Names from a list as typed: split on commas, spaces and new lines; each once, in order. */
export function splitNames(text: string): string[] {
	return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The target a draft describes (fields are not checked here: see `fieldProblem`). */
export function draftTarget(draft: Draft): Target {
	const profile = draft.profile.trim();
	const useProfile = draft.credentials === 'profile' || (draft.credentials === 'role' && profile !== '');
	const optional = (key: 'externalId' | 'sessionName', value: string) => (value.trim() === '' ? {} : {[key]: value.trim()});
	return {
		name: draft.name.trim(),
		region: draft.region.trim(),
		cluster: draft.cluster.trim(),
		environments: splitNames(draft.environments),
		tags: splitNames(draft.tags),
		credentials: useProfile ? {source: 'profile', profile} : {source: 'default'},
		...(draft.credentials === 'role'
			? {
					assumeRole: {
						roleArn: draft.roleArn.trim(),
						...optional('externalId', draft.externalId),
						...optional('sessionName', draft.sessionName),
						...(draft.duration.trim() === '' ? {} : {durationSeconds: Number(draft.duration.trim())}),
					},
				}
			: {}),
	};
}

/** What the checks of a field need besides the draft: the names already taken by other targets. */
export type CheckContext = {taken: readonly string[]};

/**
 * The problem with one field of the draft, as the operator reads it under the field
 * (`"arn:x" is not an IAM role ARN (…)`), or undefined when it is fine. Optional fields may be empty.
 */
export function fieldProblem(draft: Draft, field: DraftField, context: CheckContext = {taken: []}): string | undefined {
	const value = draft[field].trim();
	switch (field) {
		case 'name': {
			if (value === '') return 'a name is needed: the target is picked by it (e.g. prod)';
			const problem = single(value, checkTargetName);
			if (problem) return problem;
			return context.taken.includes(value) ? `a target named ${quote(value)} exists: pick another name, or edit that one from the list` : undefined;
		}
		case 'profile':
			if (value === '') return draft.credentials === 'profile' ? 'pick a profile, or type its name' : undefined;
			return single(value, checkProfileName);
		case 'roleArn':
			return value === '' ? 'a role ARN is needed (arn:aws:iam::123456789012:role/NAME)' : single(value, checkRoleArn);
		case 'externalId':
			return optional(value, checkExternalId);
		case 'sessionName':
			return optional(value, checkSessionName);
		case 'duration':
			return optional(value, checkDuration);
		case 'region':
			return value === '' ? 'pick a region, or type its code' : single(value, checkRegion);
		case 'cluster':
			return value === '' ? 'pick a cluster, or type its name' : single(value, checkClusterName);
		case 'environments': {
			const names = splitNames(value);
			if (names.length === 0) return 'name at least one environment this target serves';
			return each(names, checkEnvironmentName);
		}
		case 'tags':
			return each(splitNames(value), checkTargetTag);
	}
}

function single(value: string, check: FieldCheck): string | undefined {
	const message = check(value);
	return message === undefined ? undefined : `${quote(value)} ${message}`;
}

function optional(value: string, check: FieldCheck): string | undefined {
	return value === '' ? undefined : single(value, check);
}

function each(values: readonly string[], check: FieldCheck): string | undefined {
	for (const value of values) {
		const problem = single(value, check);
		if (problem) return problem;
	}
	return undefined;
}

/** True when two drafts hold the same values. */
export function sameDraft(a: Draft, b: Draft): boolean {
	return (Object.keys(a) as Array<keyof Draft>).every(key => a[key] === b[key]);
}

/** What identifies the account and region a draft reaches (the cluster list depends on nothing else). */
export function accountKey(draft: Draft): string {
	const target = draftTarget(draft);
	return JSON.stringify([target.region, target.credentials, target.assumeRole ?? null]);
}

/** What identifies everything a verification checks. */
export function verificationKey(draft: Draft): string {
	const target = draftTarget(draft);
	return JSON.stringify([target.region, target.cluster, target.credentials, target.assumeRole ?? null]);
}
