import semver from 'semver';
import type {StackEvent} from '../../aws/ports.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {readSnapshot, recipeDifferences} from '../../domain/release-snapshot.js';
import {sameImages, type RunningImage} from '../../domain/running-images.js';
import type {DeploymentRecord, Release, Target} from '../../domain/records.js';
import {callAws} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost, type StackEventView} from '../core/host.js';
import {deploymentsFromAws} from './aws-history.js';
import {openLedger, type Ledger} from '../releases/ledger.js';
import {reconcileRecords, servingOutcomes} from './records.js';
import {releaseFromStack} from '../releases/release-lookup.js';
import {runningNow} from '../monitor/running-now.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {stackEventView} from '../monitor/stack-feed.js';
import {stackNameFor} from '../core/stack-names.js';

/** A release with where it runs and how each deployment ended. */
export type ReleaseRow = Omit<Release, 'recipe'> & {
	/** Environments whose service runs this release now (read from ECS: seen by every operator). */
	deployedTo: Array<{environment: string; status?: string; serving: boolean; /** The target, when several serve the environment. */ target?: string}>;
	/** Each deployment of it, oldest first (from the ledger's records, reconciled with AWS). */
	outcomes: Array<{environment: string; outcome: string; at: string; by?: string}>;
	/** Known only from a stack's tags: made on another machine, with a ledger this one does not read. */
	fromAws: boolean;
	/** The release keeps the recipe it was made from (deploys of it are built from that, not from today's file). */
	hasSnapshot: boolean;
	/** Where today's recipe differs from the release's snapshot (field paths); empty when it does not (or there is no snapshot). */
	recipeChanges: string[];
};

/**
 * The releases of a project, newest version first: the ledger's, and those AWS knows from the stacks'
 * tags (made elsewhere), with where each runs now, how each deployment ended, and whether today's recipe
 * differs from the recipe each release keeps.
 */
export async function listReleases(recipe: RecipeDocument, targetFor: (environment: string) => Target | readonly Target[] | undefined, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<ReleaseRow[]> {
	const rows = new Map<string, ReleaseRow>();
	const records: DeploymentRecord[] = [];
	const seen = new Set<Ledger>();
	// Every target of every environment (several serve one in two regions or accounts); none: nothing to read there.
	for (const {environment, target, several} of recipe.environments.flatMap(({name}) => {
		const targets = [targetFor(name) ?? []].flat();
		return targets.map(target => ({environment: name, target, several: targets.length > 1}));
	})) {
		const ledger = await openLedger(deps, recipe, target, host);
		if (!seen.has(ledger)) {
			seen.add(ledger);
			for (const release of await ledger.releases(recipe.name)) if (!rows.has(release.version)) rows.set(release.version, releaseRow(release, recipe));
		}
		const {aws, context} = await connect(deps, target, host);
		records.push(...(await reconcileRecords(ledger, {project: recipe.name, environment, target: target.name}, aws, context)).filter(r => r.environment === environment));
		const stack = await describeStack({...context, aws}, stackNameFor(recipe, environment, target));
		if (!stack) continue;
		// Where a release runs is read from ECS (the running task definition), not from the stack's tags.
		const now = await runningNow({...context, aws}, stack, target.cluster, recipe, [...rows.values()]);
		const tagged = releaseFromStack(stack, recipe.name);
		const version = now.version ?? (Object.keys(now.images).length === 0 ? undefined : tagged && sameImages(tagged.images, now.images) ? tagged.version : undefined);
		if (version === undefined) continue;
		let row = rows.get(version);
		if (!row) {
			row = {...(tagged?.version === version ? tagged : {project: recipe.name, version, images: imagesOf(now.images), createdAt: ''}), deployedTo: [], outcomes: [], fromAws: true, hasSnapshot: false, recipeChanges: []};
			rows.set(version, row);
		}
		row.deployedTo.push({environment, ...(stack.StackStatus ? {status: stack.StackStatus} : {}), serving: now.verdict.kind === 'serving', ...(several ? {target: target.name} : {})});
	}
	for (const d of records.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) rows.get(d.version)?.outcomes.push({environment: d.environment, outcome: d.outcome, at: d.finishedAt ?? d.startedAt, ...(d.by ? {by: d.by} : {})});
	return [...rows.values()].sort((a, b) => (semver.valid(a.version) && semver.valid(b.version) ? semver.rcompare(a.version, b.version) : b.version.localeCompare(a.version)));
}

/** A stored release as a row: without its snapshot, but saying whether today's recipe differs from it. */
function releaseRow(release: Release, today: RecipeDocument): ReleaseRow {
	const {recipe: snapshot, ...rest} = release;
	const read = readSnapshot(snapshot);
	return {...rest, deployedTo: [], outcomes: [], fromAws: false, hasSnapshot: 'recipe' in read, recipeChanges: 'recipe' in read ? recipeDifferences(read.recipe, today) : []};
}

/** Running images as a release's images (only those whose tag is known). */
function imagesOf(images: Record<string, RunningImage>): Release['images'] {
	return Object.fromEntries(Object.entries(images).flatMap(([ref, i]) => (i.tag === undefined ? [] : [[ref, {tag: i.tag, ...(i.digest ? {digest: i.digest} : {})}]])));
}

/**
 * One deployment of an environment, as the history browser lists it. `current`: the stack holds its release
 * (what the last change applied); `running`: ECS runs it. The two differ only while ECS has not caught up
 * (or never will: the verdict then said "unconfirmed"). `source: 'aws'`: no ledger has it, and it was read
 * from the stack's events and the task definition it registered (`images`).
 */
export type DeploymentRow = DeploymentRecord & {durationMs?: number; current: boolean; running: boolean; source?: 'ledger' | 'aws'; images?: Release['images']};

/**
 * An environment's deployments, newest first: the ledger's records, reconciled with AWS; when the ledger
 * has none for the environment, what AWS knows (the stack's operations and the task definitions they
 * registered). The one whose release runs now is marked.
 */
export async function environmentHistory(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<DeploymentRow[]> {
	const {aws, context} = await connect(deps, target, host);
	const ledger = await openLedger(deps, recipe, target, host);
	const records = await reconcileRecords(ledger, {project: recipe.name, environment, target: target.name}, aws, context);
	const stackName = stackNameFor(recipe, environment, target);
	const stack = await describeStack({...context, aws}, stackName);
	// What runs is read from ECS; the records are matched against it, never trusted over it.
	const now = stack ? await runningNow({...context, aws}, stack, target.cluster, recipe, await ledger.releases(recipe.name)) : undefined;
	const running = now?.version;
	const held = now?.held ? now.held.version : running;
	let mine: Array<DeploymentRecord & {source: 'ledger' | 'aws'; images?: Release['images']}> = records.filter(r => r.environment === environment).map(r => ({...r, source: 'ledger' as const}));
	if (mine.length === 0 && stack) {
		host.notify({code: 'note', message: `${ledger.where} has no deployment of ${environment}: showing what AWS knows (the stack's operations and their task definitions)`});
		mine = (await deploymentsFromAws({...context, aws}, stack.StackId ?? stackName, recipe)).map(d => ({
			project: recipe.name,
			environment,
			version: d.version ?? '(unknown)',
			target: target.name,
			stackName,
			startedAt: d.startedAt,
			...(d.finishedAt ? {finishedAt: d.finishedAt} : {}),
			outcome: d.outcome,
			stackStatus: d.stackStatus,
			...(d.token ? {token: d.token} : {}),
			source: 'aws' as const,
			images: d.images,
		}));
	}
	mine.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
	// The newest record of a version marks it (a deployment that did not end well still put it on the stack).
	const currentIndex = mine.findIndex(r => r.version === held && (servingOutcomes.has(r.outcome) || r.outcome === 'unconfirmed'));
	const runningIndex = mine.findIndex(r => r.version === running);
	return mine.map((r, i) => ({
		...r,
		current: i === currentIndex,
		running: i === runningIndex,
		...(r.finishedAt ? {durationMs: Date.parse(r.finishedAt) - Date.parse(r.startedAt)} : {}),
	}));
}

/** A release the environment can go back to. */
export type RollbackCandidate = {
	version: string;
	images: Release['images'];
	/** How its last deployment to this environment ended, and when. */
	outcome: string;
	at: string;
	/** The stack holds it now (what the last change applied): a rollback moves away from it. */
	current: boolean;
	/** ECS runs it now (the same as `current` unless ECS has not caught up). */
	running: boolean;
	/** Known from the ledger (with the recipe it keeps), or only from AWS (a task definition's tag and images). @default 'ledger' */
	source?: 'ledger' | 'aws';
};

/**
 * The releases an environment ran, newest first, with the one running now marked: what a rollback picks
 * from. Only releases that served there (succeeded or no-op) are offered as targets of a rollback; the
 * others are listed with their outcome so the operator sees the whole story.
 */
export async function rollbackCandidates(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<RollbackCandidate[]> {
	const history = await environmentHistory(recipe, environment, target, deps, host);
	const releases = await (await openLedger(deps, recipe, target, host)).releases(recipe.name);
	const seen = new Map<string, RollbackCandidate>();
	for (const row of history) {
		if (row.source === 'aws' && row.version === '(unknown)') continue;
		const existing = seen.get(row.version);
		if (existing) {
			// A release that failed once and served later: serving wins.
			if (!servingOutcomes.has(existing.outcome) && servingOutcomes.has(row.outcome)) Object.assign(existing, {outcome: row.outcome, at: row.finishedAt ?? row.startedAt});
			if (row.current) existing.current = true;
			if (row.running) existing.running = true;
			continue;
		}
		const stored = releases.find(r => r.version === row.version);
		seen.set(row.version, {version: row.version, images: stored?.images ?? row.images ?? {}, outcome: row.outcome, at: row.finishedAt ?? row.startedAt, current: row.current, running: row.running, source: stored ? 'ledger' : row.source});
	}
	return [...seen.values()];
}

/** The release a rollback goes to when none is named: the newest that served here and does not run now. */
export function previousServing(candidates: readonly RollbackCandidate[]): RollbackCandidate | undefined {
	const currentIndex = candidates.findIndex(c => c.current);
	return candidates.find((c, i) => !c.current && servingOutcomes.has(c.outcome) && (currentIndex < 0 || i > currentIndex));
}

/** Stack events grouped by operation, newest operation first, each operation's events old to new. */
export type OperationEvents = {operation: string; events: StackEventView[]};

export type EventPage = {operations: OperationEvents[]; nextToken?: string; stackName: string};

/**
 * A page of a stack's events (DescribeStackEvents pages newest first), grouped by operation: the operation
 * id where the API gives one, else the client request token. `nextToken` pages further back; the history
 * browser asks for the next page as the operator scrolls, never for all of them at once.
 */
export async function stackEvents(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, options: {limit?: number; nextToken?: string; operation?: string} = {}, host: EngineHost = listeningHost()): Promise<EventPage> {
	const {aws, context} = await connect(deps, target, host);
	const stackName = stackNameFor(recipe, environment, target);
	const limit = options.limit ?? 100;
	const events: StackEvent[] = [];
	let nextToken = options.nextToken;
	do {
		const page = await callAws(context, 'DescribeStackEvents', () => aws.cloudFormation.describeStackEvents({StackName: stackName, ...(nextToken ? {NextToken: nextToken} : {})}));
		events.push(...(page.StackEvents ?? []));
		nextToken = page.NextToken;
	} while (nextToken && events.length < limit);
	const groups = new Map<string, StackEventView[]>();
	for (const event of events) {
		const key = event.OperationId ?? event.ClientRequestToken ?? 'unknown';
		if (options.operation !== undefined && key !== options.operation) continue;
		const group = groups.get(key);
		if (group) group.push(stackEventView(event));
		else groups.set(key, [stackEventView(event)]);
	}
	return {
		stackName,
		operations: [...groups].map(([operation, list]) => ({operation, events: list.reverse()})),
		...(nextToken ? {nextToken} : {}),
	};
}
