import type {Problem} from '../../domain/problems.js';
import {managedPolicyPattern} from '../../domain/recipe/rules.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Engine} from '../../engine/engine.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {Output} from '../output.js';
import {badInput} from './shared.js';

/** Flags of `ecs-deployer iam-policy`; each target value applies to every environment and wins over its target. */
export type IamPolicyFlags = {recipe: string; region?: string; account?: string; cluster?: string; permissionsBoundary?: string; ledgerOnly?: boolean; preflightOnly?: boolean};

/** What each flag takes, checked before anything is resolved. */
const flagRules: Array<{flag: 'region' | 'account' | 'cluster' | 'permissionsBoundary'; name: string; pattern: RegExp; says: string}> = [
	{flag: 'region', name: '--region', pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, says: 'an AWS region like eu-west-1'},
	{flag: 'account', name: '--account', pattern: /^\d{12}$/, says: 'a 12-digit AWS account id'},
	{flag: 'cluster', name: '--cluster', pattern: /^[A-Za-z0-9_-]{1,255}$/, says: 'an ECS cluster name: up to 255 letters, digits, hyphens and underscores'},
	{flag: 'permissionsBoundary', name: '--permissions-boundary', pattern: managedPolicyPattern, says: 'a managed policy: its ARN (arn:aws:iam::123456789012:policy/ecs-deployer-boundary) or its name'},
];

/**
 * `ecs-deployer iam-policy`: prints the policy for deploying the recipe to all its environments as JSON on
 * stdout (ready for `aws iam create-policy --policy-document file://…`), and on stderr a note per statement
 * that uses `*`. Exit 2, printing no policy, when the policy could let its holder escalate (a stack that
 * creates its role without a permissions boundary) or a flag or the recipe is wrong.
 */
export async function iamPolicyCommand(flags: IamPolicyFlags, recipe: RecipeDocument, engine: Engine, output: Output): Promise<ExitCode> {
	const problems: Problem[] = [];
	for (const {flag, name, pattern, says} of flagRules) {
		const value = flags[flag];
		if (value !== undefined && !pattern.test(value)) problems.push({path: name, message: `must be ${says} (got ${JSON.stringify(value)})`, severity: 'error'});
	}
	if (flags.ledgerOnly && flags.preflightOnly) problems.push({path: '--preflight-only', message: 'give --ledger-only or --preflight-only, not both: each prints a policy of its own', severity: 'error'});
	if (problems.length > 0) return badInput(output, false, 'cannot make the policy', problems);
	const made = await engine.iamPolicy(flags.recipe, recipe, {
		...(flags.region === undefined ? {} : {region: flags.region}),
		...(flags.account === undefined ? {} : {accountId: flags.account}),
		...(flags.cluster === undefined ? {} : {cluster: flags.cluster}),
		...(flags.permissionsBoundary === undefined ? {} : {permissionsBoundary: flags.permissionsBoundary}),
		...(flags.ledgerOnly ? {ledgerOnly: true} : {}),
		...(flags.preflightOnly ? {preflightOnly: true} : {}),
	});
	if ('problems' in made) return badInput(output, false, `no policy printed for ${flags.recipe}`, made.problems);
	output.json(made.policy);
	for (const note of made.notes) output.note(`note: ${note}`);
	return exitCodes.success;
}
