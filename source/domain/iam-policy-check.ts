import type {IamPolicy, IamPolicyInput} from './iam-policy.js';

/*
 * Checks an IAM policy for deploying against the rules that keep its holder from escalating, and says where
 * it uses `*`. Pure: it reads the policy document and what is known of the environments, nothing else.
 * The rules follow the IAM User Guide, "Permissions boundaries for IAM entities" (delegating role creation
 * to a principal that may only create roles with a boundary, and may neither remove the boundary nor
 * change the boundary policy), and the Service Authorization Reference for IAM (which actions take the
 * `iam:PermissionsBoundary` condition key):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */

type Statement = IamPolicy['Statement'][number];

/**
 * Creating a role and writing a role's policies or boundary: the actions the `iam:PermissionsBoundary`
 * condition key applies to. Allowed only with that key pinned to a boundary policy.
 */
export const boundedRoleActions: readonly string[] = [
	'iam:CreateRole',
	'iam:PutRolePolicy',
	'iam:DeleteRolePolicy',
	'iam:AttachRolePolicy',
	'iam:DetachRolePolicy',
	'iam:PutRolePermissionsBoundary',
];

/**
 * Actions that change what a role may do or who may use it, and that no boundary condition limits (the key
 * does not apply to them, or they take the boundary away): never allowed.
 */
export const unboundedRoleActions: readonly string[] = [
	'iam:UpdateAssumeRolePolicy',
	'iam:DeleteRolePermissionsBoundary',
	'iam:CreatePolicyVersion',
	'iam:SetDefaultPolicyVersion',
];

/** What must be denied on the boundary policy itself, so that its holder cannot widen it. */
export const boundaryPolicyActions: readonly string[] = ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'];

/** Actions whose Resource must be `*`, and why (the Service Authorization Reference lists no usable resource type). */
export const actionsWithoutResource: Readonly<Record<string, string>> = {
	'ecs:DescribeTaskDefinition': 'ECS supports no resource-level permissions for it',
	'ecs:DeregisterTaskDefinition': 'ECS supports no resource-level permissions for it',
	'ecs:ListTasks': 'it is authorised against container instances, which Fargate tasks do not have; the ecs:cluster condition limits it to the clusters',
	'logs:DescribeLogGroups': 'a list action with no resource type',
	'sts:GetCallerIdentity': 'it takes no resource',
	'cloudformation:ValidateTemplate': 'it takes no resource (it checks a template, not a stack)',
	'application-autoscaling:DescribeScalableTargets': 'a Describe action with no resource type',
	'application-autoscaling:DescribeScalingPolicies': 'a Describe action with no resource type',
	'application-autoscaling:DescribeScheduledActions': 'a Describe action with no resource type',
	'ec2:DescribeSubnets': 'EC2 Describe actions support no resource-level permissions',
	'ec2:DescribeSecurityGroups': 'EC2 Describe actions support no resource-level permissions',
	'elasticloadbalancing:DescribeTargetGroups': 'Elastic Load Balancing Describe actions support no resource-level permissions',
	'ssm:DescribeParameters': 'Systems Manager lists parameters (their metadata, never a value) with no resource-level permissions',
};

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
/** `a`, `a and b`, `a, b and c`. */
const and = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Whether an IAM action pattern (`iam:*`, `iam:Put*Policy`, case-insensitive) matches an action. */
export function actionMatches(pattern: string, action: string): boolean {
	const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
	return new RegExp(`^${source}$`, 'i').test(action);
}

const allows = (s: Statement, action: string) => list(s.Action).some(pattern => actionMatches(pattern, action));

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined for anything else. */
export function arnParts(value: string): {service: string; region: string; account: string; resource: string} | undefined {
	const parts = value.split(':');
	if (parts[0] !== 'arn' || parts.length < 6) return undefined;
	return {service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(':')};
}

/** Which of region, account and cluster an ARN leaves open with `*`. */
export function openParts(value: string): Array<'region' | 'account' | 'cluster'> {
	const arn = arnParts(value);
	if (!arn) return [];
	const open: Array<'region' | 'account' | 'cluster'> = [];
	if (arn.region.includes('*')) open.push('region');
	if (arn.account.includes('*')) open.push('account');
	if (arn.service === 'ecs' && /^(cluster\/\*|(service|task|service-deployment)\/\*\/)/.test(arn.resource)) open.push('cluster');
	return open;
}

/** The ARNs a statement names: its resources and the ARN values of its conditions. */
export function statementArns(s: Statement): string[] {
	const values = Object.values(s.Condition ?? {}).flatMap(keys => Object.values(keys).flatMap(list));
	return [...list(s.Resource), ...values].filter(value => value.startsWith('arn:'));
}

/** What the environments know: a part is known when every environment has it. */
function knownParts(input: IamPolicyInput): Record<'region' | 'account' | 'cluster', boolean> {
	const envs = input.environments;
	return {
		region: envs.length > 0 && envs.every(e => e.region !== undefined),
		account: envs.length > 0 && envs.every(e => e.accountId !== undefined),
		cluster: envs.length > 0 && envs.every(e => e.cluster !== undefined),
	};
}

const managedPolicyArn = /^arn:aws[a-z-]*:iam::(\d{12}|aws|\*):policy\/[\w+=,.@/-]+$/;

/**
 * The boundary policies a statement's condition pins `iam:PermissionsBoundary` to, or undefined when it
 * does not pin it (absent, `…IfExists`, a set operator, or a value that is not one policy). `StringLike` may
 * leave only the account open, and only where the account is not known.
 */
function pinnedBoundaries(s: Statement, accountKnown: boolean): string[] | undefined {
	for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
		const entry = Object.entries(keys).find(([key]) => key.toLowerCase() === 'iam:permissionsboundary');
		if (!entry) continue;
		const values = list(entry[1]);
		if (values.length === 0 || !values.every(v => managedPolicyArn.test(v))) return undefined;
		const exact = operator === 'StringEquals' || operator === 'ArnEquals';
		const like = operator === 'StringLike' || operator === 'ArnLike';
		if (exact && values.every(v => !v.includes('*'))) return values;
		if (like && !accountKnown && values.every(v => !/[*?]/.test(v.replace(/^(arn:[^:]+:iam::)\*:/, '$1x:')))) return values;
		return undefined;
	}
	return undefined;
}

/**
 * The rules a policy for deploying must keep, as one message per breach (none = it keeps them all):
 * - no Allow of an action that changes a role's permissions without a boundary condition can limit
 *   (`iam:UpdateAssumeRolePolicy`, `iam:DeleteRolePermissionsBoundary`, policy versions);
 * - creating a role or writing its policies or boundary only with `iam:PermissionsBoundary` pinned to a
 *   boundary policy, and then Deny statements that keep the boundary on every role and the boundary policy
 *   as it is;
 * - `iam:PassRole` only with `iam:PassedToService` naming the service (ECS tasks, or ECS for the
 *   infrastructure role), and never on `*`;
 * - `iam:CreateServiceLinkedRole` only with `iam:AWSServiceName` naming the service;
 * - a bare `*` resource only for actions that take no resource;
 * - no `*` for the region, account or cluster in an ARN where the environments know it;
 * - S3 only on the ledgers' buckets, objects only under their prefixes, listing only with `s3:prefix` set
 *   to the prefix, and no S3 action but listing, reading and writing objects.
 */
export function checkIamPolicy(policy: IamPolicy, input: IamPolicyInput): string[] {
	const breaches: string[] = [];
	const known = knownParts(input);
	const allowStatements = policy.Statement.filter(s => s.Effect === 'Allow');
	const denyStatements = policy.Statement.filter(s => s.Effect === 'Deny');
	const boundaries = new Set<string>();

	for (const s of allowStatements) {
		for (const action of unboundedRoleActions) {
			if (allows(s, action)) breaches.push(`${s.Sid}: allows ${action}, which no permissions boundary condition can limit`);
		}
		const writes = boundedRoleActions.filter(action => allows(s, action));
		if (writes.length > 0) {
			const pinned = pinnedBoundaries(s, known.account);
			if (pinned === undefined) breaches.push(`${s.Sid}: allows ${writes.join(', ')} without iam:PermissionsBoundary pinned to a boundary policy`);
			else for (const boundary of pinned) boundaries.add(boundary);
		}
		if (allows(s, 'iam:PassRole')) {
			const passedTo = s.Condition?.['StringEquals']?.['iam:PassedToService'];
			if (passedTo === undefined || list(passedTo).some(v => v.includes('*'))) breaches.push(`${s.Sid}: allows iam:PassRole without iam:PassedToService naming the service`);
		}
		if (allows(s, 'iam:CreateServiceLinkedRole')) {
			const service = s.Condition?.['StringEquals']?.['iam:AWSServiceName'];
			if (service === undefined || list(service).some(v => v.includes('*'))) breaches.push(`${s.Sid}: allows iam:CreateServiceLinkedRole without iam:AWSServiceName naming the service`);
		}
		if (list(s.Resource).includes('*')) {
			const scoped = list(s.Action).filter(action => actionsWithoutResource[action] === undefined);
			if (scoped.length > 0) breaches.push(`${s.Sid}: allows ${scoped.join(', ')} on "*", though ${scoped.length === 1 ? 'it takes' : 'they take'} a resource`);
		}
		for (const arn of statementArns(s)) {
			const open = openParts(arn).filter(part => known[part]);
			if (open.length > 0) breaches.push(`${s.Sid}: ${arn} leaves the ${and(open)} open, though ${open.length === 1 ? 'it is' : 'they are'} known`);
		}
		breaches.push(...ledgerBreaches(s, input));
	}

	if (boundaries.size > 0) {
		const denies = (action: string, resource: string) =>
			denyStatements.some(s => s.Condition === undefined && allows(s, action) && list(s.Resource).some(r => r === '*' || r === resource));
		if (!denies('iam:DeleteRolePermissionsBoundary', '*')) breaches.push('no Deny of iam:DeleteRolePermissionsBoundary on "*": a role\'s boundary could be taken off');
		for (const boundary of boundaries) {
			const missing = boundaryPolicyActions.filter(action => !denies(action, boundary));
			if (missing.length > 0) breaches.push(`no Deny of ${missing.join(', ')} on ${boundary}: the boundary policy could be widened`);
		}
	}
	return breaches;
}

/** The S3 actions a ledger needs; any other S3 action is a breach. */
const ledgerActions = ['s3:ListBucket', 's3:GetObject', 's3:PutObject'];

/** Breaches of the ledger rules by one Allow statement (see checkIamPolicy). */
function ledgerBreaches(s: Statement, input: IamPolicyInput): string[] {
	const actions = list(s.Action).filter(action => action.toLowerCase().startsWith('s3:') || action === '*');
	if (actions.length === 0) return [];
	const breaches: string[] = [];
	const ledgers = input.ledgers ?? [];
	const other = actions.filter(action => !ledgerActions.some(known => known.toLowerCase() === action.toLowerCase()));
	if (other.length > 0) breaches.push(`${s.Sid}: allows ${other.join(', ')}; a ledger needs only ${ledgerActions.join(', ')}`);
	const bucketOf = (resource: string) => /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(resource)?.[1];
	for (const resource of list(s.Resource)) {
		const bucket = bucketOf(resource);
		const ledger = ledgers.find(l => l.bucket === bucket);
		if (!ledger) {
			breaches.push(`${s.Sid}: ${resource} is not a ledger's bucket${ledgers.length === 0 ? ' (the recipe names no S3 ledger)' : ` (${ledgers.map(l => l.bucket).join(', ')})`}`);
			continue;
		}
		const objects = resource.slice(resource.indexOf(':::') + 3 + ledger.bucket.length);
		const wanted = ledger.prefix === '' ? '/*' : `/${ledger.prefix}/*`;
		if (actions.some(a => a.toLowerCase() !== 's3:listbucket') && objects !== wanted) breaches.push(`${s.Sid}: ${resource} is not the objects under the ledger's prefix (…${wanted})`);
		if (actions.some(a => a.toLowerCase() === 's3:listbucket') && ledger.prefix !== '') {
			const prefixes = list(s.Condition?.['StringLike']?.['s3:prefix'] ?? s.Condition?.['StringEquals']?.['s3:prefix'] ?? []);
			if (prefixes.length === 0 || prefixes.some(p => !(p === ledger.prefix || p.startsWith(`${ledger.prefix}/`)))) breaches.push(`${s.Sid}: lists ${ledger.bucket} beyond the ledger's prefix ${ledger.prefix} (s3:prefix must be set to it)`);
		}
	}
	return breaches;
}

/**
 * One note per statement that uses `*` where a value could be named: a bare `*` resource (and why AWS
 * requires it), and ARNs that leave the region, account or cluster open because no target or flag gives them
 * (naming the environments and the flags). Wildcards that are part of the scope (a stack's id, a revision,
 * the six characters Secrets Manager adds) are not values anyone could give, and get no note.
 */
export function iamPolicyNotes(policy: IamPolicy, input: IamPolicyInput): string[] {
	const notes: string[] = [];
	const flags = {region: '--region', account: '--account', cluster: '--cluster'} as const;
	const missing = {
		region: input.environments.filter(e => e.region === undefined).map(e => e.name),
		account: input.environments.filter(e => e.accountId === undefined).map(e => e.name),
		cluster: input.environments.filter(e => e.cluster === undefined).map(e => e.name),
	};
	for (const s of policy.Statement) {
		if (list(s.Resource).includes('*')) {
			const why = s.Effect === 'Deny' ? 'a Deny, so it holds for every resource' : [...new Set(list(s.Action).map(action => actionsWithoutResource[action] ?? 'no reason known'))].join('; ');
			notes.push(`${s.Sid}: resource "*": ${why}`);
		}
		const open = [...new Set(statementArns(s).flatMap(openParts))];
		if (open.length === 0) continue;
		const environments = [...new Set(open.flatMap(part => missing[part]))];
		notes.push(
			`${s.Sid}: the ${and(open)} ${open.length === 1 ? 'is' : 'are'} "*": not known for ${and(environments)} (no target or flag gives ${open.length === 1 ? 'it' : 'them'}); give ${and(open.map(part => flags[part]))}`,
		);
	}
	return notes;
}
