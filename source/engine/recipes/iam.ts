import {iamPolicyNotes} from '../../domain/iam-policy-check.js';
import {iamPolicy, iamPolicyEnvironment, iamPolicyProblems, ledgerPolicy, managedPolicyMaxLength, preflightPolicy, type IamPolicy, type IamPolicyEnvironment} from '../../domain/iam-policy.js';
import {error, hasErrors, type Problem} from '../../domain/problems.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {describeLedger} from '../../domain/ledger-location.js';
import type {EngineDeps} from '../core/deps.js';
import {ledgerLocationFor} from '../releases/ledger.js';
import {validateRecipe} from './validate.js';

/** What the operator gives on the command line; each applies to every environment and wins over its target. */
export type PolicyOptions = {
	region?: string;
	accountId?: string;
	cluster?: string;
	/** The boundary the operator expects the stacks' roles to have: each environment's recipe must agree. */
	permissionsBoundary?: string;
	/** Only the shared ledger's statements (S3), as a policy of their own. */
	ledgerOnly?: boolean;
	/** Only the pre-flight verify's read statements, as a policy of their own. */
	preflightOnly?: boolean;
};

/**
 * Stand-ins for what no target or flag gives: the recipe is resolved with them so that every rule runs, and
 * the policy leaves these parts `*`. They must not end up in anything the policy names (a stack name made
 * from `#{Target.Region}`): then the part is needed, and the flag is asked for.
 */
const unknown = {region: 'zz-unknown-9', cluster: 'ecs-deployer-unknown-cluster', accountId: '000000000000'} as const;
const flagOf = {region: '--region', cluster: '--cluster', accountId: '--account'} as const;

/**
 * The least-privilege IAM policy for deploying a recipe to all its environments, each resolved with what the
 * flags give, else the target that serves it (so stacks, clusters, regions and accounts are named where
 * known), with a note per statement that uses `*`. Refused (problems) when it could not be safe: a stack
 * that creates its role without a permissions boundary. No AWS call.
 */
export async function recipePolicy(
	recipeFile: string,
	recipe: RecipeDocument,
	deps: EngineDeps,
	options: PolicyOptions = {},
): Promise<{policy: IamPolicy; notes: string[]} | {problems: Problem[]}> {
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '0.0.0'}]));
	const environments: IamPolicyEnvironment[] = [];
	const problems: Problem[] = [];
	const ledgers = new Map<string, {bucket: string; prefix: string}>();
	for (const {name} of recipe.environments) {
		const stored = deps.sandboxOnly ? deps.sandboxTarget : deps.workspace.targetFor(name);
		// The ledger the environment's releases and records go to (the recipe's, else its target's).
		try {
			const {location} = ledgerLocationFor(recipe, stored ?? {name: '', ledger: undefined});
			if (location.kind === 's3') ledgers.set(describeLedger(location), {bucket: location.bucket, prefix: location.prefix});
		} catch (cause) {
			problems.push(error(`${name}: ledger`, (cause as Error).message));
		}
		const known = {
			region: options.region ?? stored?.region,
			cluster: options.cluster ?? stored?.cluster,
			accountId: options.accountId ?? stored?.accountId,
		};
		const target = {region: known.region ?? unknown.region, cluster: known.cluster ?? unknown.cluster, accountId: known.accountId ?? unknown.accountId};
		const prepared = await validateRecipe({recipeFile, environment: name, images, releaseVersion: '0.0.0', target}, deps);
		if (!prepared.resolved || hasErrors(prepared.problems)) {
			for (const p of prepared.problems) problems.push({...p, path: `${name}: ${p.path}`});
			continue;
		}
		// What the pre-flight check reads is only in the policy with it (IamPolicyInput.preflight); SSM
		// parameters named without an ARN would otherwise carry the stand-in region and account.
		const {region: _region, cluster: _cluster, accountId: _accountId, referencedSecrets, referencedParameters, ...deployOnly} = iamPolicyEnvironment(prepared.resolved);
		const rest = options.preflightOnly ? {...deployOnly, ...(referencedSecrets === undefined ? {} : {referencedSecrets}), ...(referencedParameters === undefined ? {} : {referencedParameters})} : deployOnly;
		const environment: IamPolicyEnvironment = {
			...rest,
			...(known.region === undefined ? {} : {region: known.region}),
			...(known.cluster === undefined ? {} : {cluster: known.cluster}),
			...(known.accountId === undefined ? {} : {accountId: known.accountId}),
		};
		const text = JSON.stringify(rest);
		for (const part of ['region', 'cluster', 'accountId'] as const) {
			if (known[part] === undefined && text.includes(unknown[part])) {
				problems.push(error(`${name}: service`, `names its ${part === 'accountId' ? 'account' : part} (through Target.* or a variable) in what the policy scopes to, and no target serves ${name}: give ${flagOf[part]}`));
			}
		}
		environments.push(environment);
	}
	if (problems.length > 0) return {problems};
	const deploying = {project: recipe.name, environments};
	const input = {...deploying, ...(ledgers.size > 0 ? {ledgers: [...ledgers.values()]} : {})};
	if (options.preflightOnly) return {policy: preflightPolicy({environments}), notes: []};
	if (options.ledgerOnly) {
		if (ledgers.size === 0) return {problems: [error('--ledger-only', `${recipe.name} keeps its releases and records in the workspace file: it has no S3 ledger (name one with \`ledger: s3://BUCKET/PREFIX\` in the recipe, or target add --ledger)`)]};
		return {policy: ledgerPolicy(input), notes: []};
	}
	const refused = iamPolicyProblems(input, options.permissionsBoundary === undefined ? {} : {permissionsBoundary: options.permissionsBoundary});
	if (refused.length > 0) return {problems: refused};
	const policy = iamPolicy(input);
	if (ledgers.size > 0 && JSON.stringify(policy).length > managedPolicyMaxLength) {
		// One managed policy cannot hold both: the deploy policy here, the ledger's statements as a second policy.
		const alone = iamPolicy(deploying);
		return {
			policy: alone,
			notes: [...iamPolicyNotes(alone, deploying), `the ledger's statements would take this policy past the ${managedPolicyMaxLength.toLocaleString('en')} characters a managed policy holds: they are left out; print them as a policy of their own with --ledger-only, and attach both`],
		};
	}
	const preflightNote = 'the pre-flight verify (before every deploy, and `ecs-deployer verify`) reads roles, the network, target groups, referenced secrets and parameters and image manifests: those reads are a policy of their own (--preflight-only); without it each such check is reported "not checked"';
	return {policy, notes: [...iamPolicyNotes(policy, input), ...taskRoleNotes(environments), preflightNote]};
}

/**
 * What the recipe asks of roles that are not this policy's: ECS Exec (`enableExecuteCommand`) needs the task
 * role to open the SSM channels; the deploying identity makes no call for it.
 */
function taskRoleNotes(environments: readonly IamPolicyEnvironment[]): string[] {
	const exec = environments.filter(e => e.executeCommand === true).map(e => e.name);
	if (exec.length === 0) return [];
	return [
		`enableExecuteCommand (${exec.join(', ')}): not in this policy: the task role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel (and whoever runs \`aws ecs execute-command\` needs ecs:ExecuteCommand)`,
	];
}
