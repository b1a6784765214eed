import {describeAwsError} from '../../domain/aws-errors.js';
import type {Target} from '../../domain/records.js';
import {targetsServing} from '../../domain/target.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost} from '../core/host.js';

/**
 * How a face names the target: a stored name, or a cluster and region, or nothing (the targets serving the
 * environment). `tags`: the target tags the recipe deploys to there (targetTagsFor), when the face knows the recipe.
 */
export type TargetChoice = {target?: string; cluster?: string; region?: string; tags?: readonly string[]};

/** One target, or why there is none; `several`: the environment is served by these targets and none was named. */
export type TargetPick = {target: Target} | {error: string; path: string; several?: Target[]};

/** The targets of a recipe's environment (several in name order), or why there are none. */
export type TargetsPick = {targets: Target[]} | {error: string; path: string};

/**
 * The target for an environment, for a use case that works on one: `--target NAME` (or `sandbox`), else a
 * cluster with its region, else the stored target that serves the environment. An environment served by
 * several targets is an error that names them and `--target` (never the first one silently).
 * With `sandboxOnly` (`--sandbox`) it is always the sandbox. The simulated account is never picked unasked.
 * A region given alongside a stored target overrides its region for this run.
 */
export function pickTarget(deps: EngineDeps, choice: TargetChoice, environment: string | undefined): TargetPick {
	const resolved = resolveTargets(deps, choice, environment);
	if ('error' in resolved) return resolved;
	return oneOf(resolved.targets, environment);
}

/** The only target, or an error naming them all and `--target`. */
export function oneOf(targets: Target[], environment: string | undefined): TargetPick {
	if (targets.length === 1) return {target: targets[0]!};
	return {path: '--target', several: targets, error: `${environment} is served by ${targets.length} targets (${describeTargets(targets)}): name one with --target NAME`};
}

/** `eu (cluster web in eu-west-1), us (cluster web in us-east-1)`. */
export function describeTargets(targets: readonly Target[]): string {
	return targets.map(t => `${t.name} (cluster ${t.cluster} in ${t.region})`).join(', ');
}

/**
 * Every target a recipe's environment deploys to: the one named (`--target`, `--cluster`, `--sandbox`), else
 * the stored targets that list the environment and, when the recipe names target tags, carry one of them
 * (in name order: the order a deploy to all of them goes in). None is an error that says what to add.
 * With one stored target, a region given overrides its region for this run; with several, each keeps its own.
 */
export function resolveTargets(deps: EngineDeps, choice: TargetChoice, environment: string | undefined): TargetsPick {
	const {workspace, sandboxTarget} = deps;
	if (deps.sandboxOnly || choice.target === sandboxTarget.name) return {targets: [sandboxTarget]};
	if (choice.target !== undefined) {
		const target = workspace.target(choice.target);
		if (!target) {
			const names = [...workspace.targets().map(t => t.name), sandboxTarget.name].join(', ');
			return {path: '--target', error: `there is no target named ${choice.target} (targets: ${names})`};
		}
		return {targets: [{...target, ...(choice.region === undefined ? {} : {region: choice.region}), ...(choice.cluster === undefined ? {} : {cluster: choice.cluster})}]};
	}
	if (choice.cluster !== undefined) {
		if (choice.region === undefined) return {path: '--region', error: 'name the AWS region of --cluster (or set AWS_REGION)'};
		return {targets: [{name: `${choice.cluster}@${choice.region}`, region: choice.region, cluster: choice.cluster, environments: environment ? [environment] : [], tags: [], credentials: {source: 'default'}}]};
	}
	const tags = choice.tags ?? [];
	if (environment === undefined) {
		const first = workspace.targets()[0];
		return first ? {targets: [{...first, ...(choice.region === undefined ? {} : {region: choice.region})}]} : {path: '--target', error: noTargetMessage(undefined, [], [])};
	}
	const serving = targetsServing(workspace.targets(), environment, tags);
	if (serving.length === 1) return {targets: [{...serving[0]!, ...(choice.region === undefined ? {} : {region: choice.region})}]};
	if (serving.length > 1) return {targets: serving};
	return {path: '--target', error: noTargetMessage(environment, tags, workspace.targets().filter(t => t.environments.includes(environment)))};
}

/** Why no target serves an environment, and what to add (a target, or a tag on one that serves it). */
function noTargetMessage(environment: string | undefined, tags: readonly string[], untagged: readonly Target[]): string {
	const env = environment ?? 'ENV';
	const alternatives = 'or pass --target, or --cluster and --region (or try it on the simulated account with --sandbox)';
	if (tags.length === 0) {
		return `no target serves ${environment ?? 'any environment'}: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ${env}, ${alternatives}`;
	}
	const serving = untagged.length === 0 ? '' : ` (it is served by ${untagged.map(t => `${t.name}${t.tags.length > 0 ? ` with tags ${t.tags.join(', ')}` : ' without tags'}`).join('; ')})`;
	return `no target serves ${env} with the target tag${tags.length > 1 ? 's' : ''} ${tags.join(' or ')} the recipe names in targetTags${serving}: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ${env} --tag ${tags[0]}, ${alternatives}`;
}

/**
 * Removes a stored target. The built-in sandbox cannot be removed (a target marked as the sandbox, chosen
 * in the app, can: the app then asks again). Returns why not, or undefined when removed.
 */
export function removeTarget(deps: EngineDeps, name: string): string | undefined {
	if (deps.workspace.removeTarget(name)) return undefined;
	return name === deps.sandboxTarget.name ? 'the sandbox target is built in and cannot be removed' : `there is no target named ${name}`;
}

/** Every target the operator can use: the stored ones and the built-in sandbox (once, when none is stored as it). */
export function listTargets(deps: EngineDeps): Target[] {
	const stored = deps.workspace.targets();
	return stored.some(t => t.sandbox) ? stored : [...stored, deps.sandboxTarget];
}

/**
 * Chooses the simulated account for the environments given (the app's first-run choice): a stored target
 * marked as the sandbox, so every screen and command says so, and nothing falls back to it unasked.
 */
export function useSandboxTarget(deps: EngineDeps, environments: readonly string[]): Target {
	const target: Target = {...deps.sandboxTarget, environments: [...new Set([...deps.sandboxTarget.environments, ...environments])]};
	deps.workspace.saveTarget(target);
	return target;
}

export type TargetCheck = {check: 'credentials' | 'cluster' | 'fargate'; passed: boolean; detail: string};

export type TargetVerification = {target: string; checks: TargetCheck[]; accountId?: string; principal?: string; access: boolean};

/**
 * Checks a target live: who the credentials are (STS), whether the cluster exists and is ACTIVE. The
 * template deploys with `LaunchType: FARGATE`, which works on any active cluster in a region with Fargate,
 * so capacity providers are reported, not required.
 */
export async function verifyTarget(deps: EngineDeps, target: Target): Promise<TargetVerification> {
	const checks: TargetCheck[] = [];
	const {aws} = await connect(deps, target, listeningHost());
	let accountId: string | undefined;
	let principal: string | undefined;
	try {
		const me = await aws.sts.getCallerIdentity({});
		accountId = me.Account;
		principal = me.Arn;
		checks.push({check: 'credentials', passed: true, detail: `account ${me.Account}, principal ${me.Arn}`});
	} catch (error) {
		checks.push({check: 'credentials', passed: false, detail: describeAwsError(error)});
		return {target: target.name, checks, access: false};
	}
	try {
		const out = await aws.ecs.describeClusters({clusters: [target.cluster]});
		const cluster = out.clusters?.[0];
		if (!cluster) {
			checks.push({check: 'cluster', passed: false, detail: `cluster ${target.cluster} not found in ${target.region} (${out.failures?.[0]?.reason ?? 'MISSING'})`});
		} else {
			checks.push({check: 'cluster', passed: cluster.status === 'ACTIVE', detail: `${cluster.clusterName} is ${cluster.status}`});
			const providers = cluster.capacityProviders ?? [];
			checks.push({
				check: 'fargate',
				passed: true,
				detail: providers.length > 0 ? `capacity providers: ${providers.join(', ')} (services use launch type FARGATE)` : 'no capacity providers; services use launch type FARGATE, which needs none',
			});
		}
	} catch (error) {
		checks.push({check: 'cluster', passed: false, detail: describeAwsError(error)});
	}
	return {target: target.name, checks, access: true, ...(accountId === undefined ? {} : {accountId}), ...(principal === undefined ? {} : {principal})};
}

/** The cluster names of the target's account and region (for the target wizard); paged. */
export async function listClusters(deps: EngineDeps, target: Target): Promise<string[]> {
	const {aws} = await connect(deps, target, listeningHost());
	const names: string[] = [];
	let nextToken: string | undefined;
	do {
		const page = await aws.ecs.listClusters(nextToken === undefined ? {} : {nextToken});
		names.push(...(page.clusterArns ?? []).map(arn => arn.split('/').at(-1) ?? arn));
		nextToken = page.nextToken;
	} while (nextToken);
	return names.sort();
}
