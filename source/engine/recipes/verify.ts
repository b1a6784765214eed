import {createHash} from 'node:crypto';
import type {AwsPorts} from '../../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import {countWords, hasErrors, type Problem} from '../../domain/problems.js';
import {verifyItems, verifyPassed, type VerifyCache, type VerifyCacheEntry, type VerifyCheck, type VerifyItem} from '../../domain/preflight.js';
import type {ResolvedRecipe} from '../../domain/recipe/resolved.js';
import type {Target} from '../../domain/records.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost} from '../core/host.js';
import {readRecipe, resolveParsed} from '../core/prepare.js';
import {runCheck, type CheckScope} from './verify-checks.js';

/*
 * The pre-flight verify: before a deploy (and with `ecs-deployer verify`), the resources a recipe names are
 * read from the target's account: roles and their trust, subnets and security groups in one VPC, target
 * groups of type ip on the container's port, secrets and parameters the execution role may read, images
 * with a variant for the task's CPU architecture. Checks run at once, each within a time bound; passed
 * results are remembered for a short while per target and inputs (VerifyCache), so a deploy right after a
 * verify (or a second deploy) does not wait for them again.
 */

export type {VerifyCache, VerifyCacheEntry};

/** A cache in memory: for tests, and for runs without a workspace file. */
export function memoryVerifyCache(): VerifyCache {
	let kept: Record<string, VerifyCacheEntry> = {};
	return {load: () => ({...kept}), save: entries => void (kept = {...entries})};
}

/** How long a passed check is trusted: long enough for verify-then-deploy, short enough that a change made since is seen soon. */
export const verifyCacheMs = 10 * 60_000;
/** Each check's time bound: a check that has no answer by then is "not checked". */
export const verifyTimeoutMs = 10_000;

export type VerifyOptions = {
	/** Check again even what passed a moment ago. */
	refresh?: boolean;
	/** @default verifyTimeoutMs */
	timeoutMs?: number;
};

/** The checks of a resolved recipe on a target: run at once, each time-bound, passes cached. */
export async function runVerify(aws: AwsPorts, resolved: ResolvedRecipe, target: Target, scope: CheckScope, deps: Pick<EngineDeps, 'clock' | 'verifyCache'>, options: VerifyOptions = {}, items: VerifyItem[] = verifyItems(resolved)): Promise<VerifyCheck[]> {
	const cache = deps.verifyCache;
	const now = deps.clock.now();
	const stored = cache?.load() ?? {};
	// Expired entries go on each save.
	const entries = Object.fromEntries(Object.entries(stored).filter(([, e]) => now - e.at < verifyCacheMs));
	const timeoutMs = options.timeoutMs ?? verifyTimeoutMs;
	const results = await Promise.all(
		items.map(async item => {
			const key = cacheKey(target, scope, item);
			const hit = options.refresh ? undefined : entries[key];
			if (hit) return hit.checks.map(c => ({...c, cached: true}));
			const checks = await withTimeout(timeoutMs, () => runCheck(aws, item, scope), error => [timedOut(item, error, timeoutMs)]);
			if (checks.every(c => c.state === 'passed')) entries[key] = {at: now, checks};
			else delete entries[key];
			return checks;
		}),
	);
	cache?.save(entries);
	return crossCheckVpcs(results.flat());
}

/** A target group in another VPC than the service's subnets cannot reach its tasks. */
function crossCheckVpcs(checks: VerifyCheck[]): VerifyCheck[] {
	const subnets = checks.find(c => c.kind === 'network' && c.field.endsWith('.subnets') && c.state === 'passed');
	if (!subnets?.vpc) return checks;
	return checks.map(c =>
		c.kind === 'target-group' && c.state === 'passed' && c.vpc !== undefined && c.vpc !== subnets.vpc
			? {...c, state: 'failed' as const, cached: false, reason: `it is in ${c.vpc}, the service's subnets in ${subnets.vpc}: its health checks cannot reach the tasks`, fix: `name a target group of ${subnets.vpc} in ${c.field}, or subnets of ${c.vpc} in service.network.subnets`}
			: c,
	);
}

function cacheKey(target: Target, scope: CheckScope, item: VerifyItem): string {
	const who = {target: target.name, region: target.region, account: scope.accountId, credentials: target.credentials, role: target.assumeRole?.roleArn};
	return createHash('sha256').update(JSON.stringify({who, item})).digest('hex').slice(0, 32);
}

function timedOut(item: VerifyItem, error: unknown, timeoutMs: number): VerifyCheck {
	const reason = error === timeout ? `no answer within ${timeoutMs / 1000} s` : `the check failed: ${describeAwsError(error)}`;
	return {kind: item.kind, field: item.field, subject: item.field, state: 'not checked', reason};
}

const timeout = Symbol('timeout');

/**
 * Runs `work`, or gives `fallback` when it takes longer than `ms` (or throws). A real timer, not the engine's
 * clock: the clock's sleeps are the polling cadence (tests move time with them), this is a bound on a call.
 */
async function withTimeout<T>(ms: number, work: () => Promise<T>, fallback: (error: unknown) => T): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			work(),
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(timeout), ms);
				timer.unref?.();
			}),
		]);
	} catch (error) {
		return fallback(error);
	} finally {
		clearTimeout(timer);
	}
}

/** The partition of a region: aws-cn, aws-us-gov, or aws. */
export function partitionOf(region: string): string {
	return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

export type VerifyInput = {
	recipeFile: string;
	environment: string;
	target: Target;
	/** Image tags by ref (`--image api=1.4.2`); other images use the recipe's `tag`, or are not checked. */
	images?: Record<string, string>;
	refresh?: boolean;
	timeoutMs?: number;
};

export type VerifyResult =
	| {kind: 'invalid'; problems: Problem[]; message: string}
	/** The target could not be reached: credentials, or the cluster. */
	| {kind: 'access'; message: string}
	| {kind: 'verified'; project: string; environment: string; target: string; accountId: string; cluster: string; checks: VerifyCheck[]; passed: boolean};

/**
 * `ecs-deployer verify`: the recipe for an environment, resolved on its target, then the target (who the
 * credentials are, the cluster ACTIVE) and every pre-flight check. The deploy runs the same checks.
 */
export async function verifyRecipe(input: VerifyInput, deps: EngineDeps): Promise<VerifyResult> {
	const read = await readRecipe(input.recipeFile, deps.files);
	if ('problems' in read) return {kind: 'invalid', problems: read.problems, message: `cannot read ${input.recipeFile}`};
	const recipe = read.file.recipe;
	if (!recipe) return {kind: 'invalid', problems: read.file.problems, message: `${input.recipeFile} is not valid: ${countWords(read.file.problems)}`};
	const {aws} = await connect(deps, input.target, listeningHost());
	let accountId: string;
	try {
		accountId = (await aws.sts.getCallerIdentity({})).Account ?? '';
	} catch (error) {
		return {kind: 'access', message: `the credentials of target ${input.target.name} could not be used: ${describeAwsError(error)}`};
	}
	// Tags: those given, else the recipe's default; an image without either is checked with a placeholder
	// tag for the rules, and reported "not checked".
	const chosen: Record<string, string> = {};
	for (const [ref, image] of Object.entries(recipe.images)) {
		const tag = input.images?.[ref] ?? image.tag;
		if (tag !== undefined) chosen[ref] = tag;
	}
	const prepared = resolveParsed(
		{recipe, lineOf: read.file.lineOf},
		{
			environment: input.environment,
			releaseVersion: '0.0.0',
			images: Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: chosen[ref] ?? '0.0.0'}])),
			target: {name: input.target.name, cluster: input.target.cluster, region: input.target.region, accountId},
		},
	);
	if (!prepared.resolved || hasErrors(prepared.problems)) return {kind: 'invalid', problems: prepared.problems, message: `${input.recipeFile} is not valid for ${input.environment}: ${countWords(prepared.problems)}`};
	const resolved = prepared.resolved;
	const items = verifyItems(resolved).map(item => (item.kind === 'image' && chosen[item.ref] === undefined ? withoutTag(item) : item));

	const cluster = await clusterCheck(aws, input.target);
	const scope = {region: input.target.region, accountId, partition: partitionOf(input.target.region)};
	const checks = [cluster, ...(await runVerify(aws, resolved, input.target, scope, deps, {...(input.refresh ? {refresh: true} : {}), ...(input.timeoutMs === undefined ? {} : {timeoutMs: input.timeoutMs})}, items))];
	return {kind: 'verified', project: recipe.name, environment: input.environment, target: input.target.name, accountId, cluster: input.target.cluster, checks, passed: verifyPassed(checks)};
}

function withoutTag(item: Extract<VerifyItem, {kind: 'image'}>): VerifyItem {
	const {tag: _tag, digest: _digest, ...rest} = item;
	return rest;
}

/** The target's cluster exists and is ACTIVE (the deploy's own pre-flight checks it too). */
async function clusterCheck(aws: AwsPorts, target: Target): Promise<VerifyCheck> {
	const base = {kind: 'cluster' as const, field: `target ${target.name}: cluster`, subject: `cluster ${target.cluster}`};
	try {
		const out = await aws.ecs.describeClusters({clusters: [target.cluster]});
		const found = out.clusters?.find(c => c.clusterName === target.cluster || c.clusterArn === target.cluster);
		if (!found) return {...base, state: 'failed', reason: `there is no ECS cluster ${target.cluster} in ${target.region} (${out.failures?.[0]?.reason ?? 'MISSING'})`, fix: `create it, or correct the target (ecs-deployer target add --name ${target.name} …)`};
		if (found.status !== 'ACTIVE') return {...base, state: 'failed', reason: `it is ${found.status}, not ACTIVE`, fix: 'deploy to an ACTIVE cluster'};
		return {...base, state: 'passed', reason: 'ACTIVE'};
	} catch (error) {
		return {...base, state: 'not checked', reason: classifyAwsError(error) === 'access' ? `not allowed to call ecs:DescribeClusters (${describeAwsError(error)})` : `ecs:DescribeClusters failed: ${describeAwsError(error)}`};
	}
}
