import {describeAwsError} from '../../domain/aws-errors.js';
import type {Target} from '../../domain/records.js';
import {connect, type EngineDeps} from '../shared/deps.js';
import {listeningHost} from '../shared/host.js';

/** How a face names the target: a stored name, or a cluster and region, or nothing (the one serving the environment). */
export type TargetChoice = {target?: string; cluster?: string; region?: string};

export type TargetPick = {target: Target} | {error: string; path: string};

/**
 * The target for an environment: `--target NAME` (or `sandbox`), else a cluster with its region, else the
 * stored target that serves the environment. With `sandboxOnly` (`--sandbox`) it is always the sandbox.
 * The simulated account is never picked unasked: an environment no target serves is an error that says so
 * (a stored target marked as the sandbox serves the environments it names, like any other).
 * A region given alongside a stored target overrides its region for this run.
 */
export function pickTarget(deps: EngineDeps, choice: TargetChoice, environment: string | undefined): TargetPick {
	const {workspace, sandboxTarget} = deps;
	if (deps.sandboxOnly || choice.target === sandboxTarget.name) return {target: sandboxTarget};
	if (choice.target !== undefined) {
		const target = workspace.target(choice.target);
		if (!target) {
			const names = [...workspace.targets().map(t => t.name), sandboxTarget.name].join(', ');
			return {path: '--target', error: `there is no target named ${choice.target} (targets: ${names})`};
		}
		return {target: {...target, ...(choice.region === undefined ? {} : {region: choice.region}), ...(choice.cluster === undefined ? {} : {cluster: choice.cluster})}};
	}
	if (choice.cluster !== undefined) {
		if (choice.region === undefined) return {path: '--region', error: 'name the AWS region of --cluster (or set AWS_REGION)'};
		return {target: {name: `${choice.cluster}@${choice.region}`, region: choice.region, cluster: choice.cluster, environments: environment ? [environment] : [], tags: [], credentials: {source: 'default'}}};
	}
	const stored = environment === undefined ? workspace.targets()[0] : workspace.targetFor(environment);
	if (stored) return {target: {...stored, ...(choice.region === undefined ? {} : {region: choice.region})}};
	return {
		path: '--target',
		error: `no target serves ${environment ?? 'any environment'}: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ${environment ?? 'ENV'}, or pass --target, or --cluster and --region (or try it on the simulated account with --sandbox)`,
	};
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
