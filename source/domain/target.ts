import type {Target} from './records.js';
import {environmentNamePattern, targetTagPattern} from './recipe/name-patterns.js';
import type {RecipeDocument} from './recipe/schema.js';
import {regionCodePattern} from './regions.js';
import {quote} from './text.js';

/*
 * The fields of a target (an ECS cluster the operator deploys to), each checked on its own so the target
 * wizard can check a field as it is typed and `target add` can check every flag. Pure.
 */

/** A field's problem as words that follow the value (`"x" is not …`, `"x" must be …`), or undefined when it is fine. */
export type FieldCheck = (value: string) => string | undefined;

export const checkTargetName: FieldCheck = value =>
	/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(value) ? (value === 'sandbox' ? 'is the name of the built-in simulated account: pick another name' : undefined) : 'must be 1 to 63 letters, digits, _ . and -, starting with a letter or digit';

/** AWS region codes: `eu-west-1`, `us-gov-west-1`, `ap-southeast-4`. */
export const checkRegion: FieldCheck = value => (regionCodePattern.test(value) ? undefined : 'is not an AWS region code (like eu-west-1, us-gov-west-1, ap-southeast-2)');

/** ECS cluster names: up to 255 letters, digits, hyphens and underscores. */
export const checkClusterName: FieldCheck = value => (/^[A-Za-z0-9_-]{1,255}$/.test(value) ? undefined : 'is not an ECS cluster name (up to 255 letters, digits, - and _)');

export const checkEnvironmentName: FieldCheck = value => (environmentNamePattern.test(value) ? undefined : 'is not an environment name (letters, digits, - and _, starting with a letter)');

export const checkProfileName: FieldCheck = value => (/^[A-Za-z0-9_.@+-]{1,128}$/.test(value) ? undefined : 'is not a profile name of the AWS config files');

export const checkRoleArn: FieldCheck = value => (/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value) ? undefined : 'is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)');

/** External ids: 2 to 1,224 characters of `\w+=,.@:/-` (STS AssumeRole). */
export const checkExternalId: FieldCheck = value => (/^[\w+=,.@:/-]{2,1224}$/.test(value) ? undefined : 'must be 2 to 1224 letters, digits or +=,.@:/-');

/** Role session names: 2 to 64 characters of `\w+=,.@-` (STS AssumeRole). */
export const checkSessionName: FieldCheck = value => (/^[\w+=,.@-]{2,64}$/.test(value) ? undefined : 'must be 2 to 64 letters, digits or +=,.@-');

/** Session duration in seconds: 900 to 43,200 (STS AssumeRole; the role's maximum may be lower). */
export const checkDuration: FieldCheck = value => {
	const n = Number(value);
	return /^\d+$/.test(value) && n >= 900 && n <= 43_200 ? undefined : 'must be whole seconds from 900 to 43200';
};

/** Target tags: short labels. */
export const checkTargetTag: FieldCheck = value => (targetTagPattern.test(value) ? undefined : 'must be up to 128 letters, digits and _ . : / -');

/**
 * The target tags a recipe deploys to in an environment: the environment's own `targetTags`, else the
 * recipe's; empty when neither names any (every target that serves the environment).
 */
export function targetTagsFor(recipe: Pick<RecipeDocument, 'targetTags' | 'environments'> | undefined, environment: string): string[] {
	const entry = recipe?.environments.find(e => e.name === environment);
	return [...(entry?.targetTags ?? recipe?.targetTags ?? [])];
}

/**
 * Whether a target serves a recipe's environment: it lists the environment and, when the recipe names
 * target tags, it carries at least one of them (as Octopus Deploy's steps choose targets by role).
 */
export function servesEnvironment(target: Pick<Target, 'environments' | 'tags'>, environment: string, tags: readonly string[]): boolean {
	return target.environments.includes(environment) && (tags.length === 0 || target.tags.some(tag => tags.includes(tag)));
}

/** The targets that serve a recipe's environment, in name order (the order a deploy to all of them goes in). */
export function targetsServing<T extends Pick<Target, 'name' | 'environments' | 'tags'>>(targets: readonly T[], environment: string, tags: readonly string[]): T[] {
	return targets.filter(t => servesEnvironment(t, environment, tags)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every field of a target, with the flag or field name it came from. */
export function targetProblems(fields: {name: string; region: string; cluster: string; environments: readonly string[]; tags?: readonly string[]; profile?: string; roleArn?: string; externalId?: string; sessionName?: string; duration?: string}): Array<{field: string; message: string}> {
	const problems: Array<{field: string; message: string}> = [];
	const add = (field: string, value: string | undefined, check: FieldCheck) => {
		if (value === undefined) return;
		const message = check(value);
		if (message) problems.push({field, message: `${quote(value)} ${message}`});
	};
	add('name', fields.name, checkTargetName);
	add('region', fields.region, checkRegion);
	add('cluster', fields.cluster, checkClusterName);
	if (fields.environments.length === 0) problems.push({field: 'env', message: 'name at least one environment this target serves'});
	for (const env of fields.environments) add('env', env, checkEnvironmentName);
	for (const tag of fields.tags ?? []) add('tag', tag, checkTargetTag);
	add('profile', fields.profile, checkProfileName);
	add('role-arn', fields.roleArn, checkRoleArn);
	add('external-id', fields.externalId, checkExternalId);
	add('session-name', fields.sessionName, checkSessionName);
	add('duration', fields.duration, checkDuration);
	return problems;
}
