import {describeLedger, parseLedgerLocation, workspaceLedger, type LedgerLocation} from '../../domain/ledger-location.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {LedgerError} from '../../domain/ledger-error.js';
import type {DeploymentRecord, Release, Target} from '../../domain/records.js';
import type {EngineDeps} from '../core/deps.js';
import type {EngineHost} from '../core/host.js';
import {mergeRecords} from '../history/records.js';
import type {Workspace} from '../core/workspace.js';

/**
 * Where a project's releases and deployment records go: one interface, two backends. The workspace file
 * (the default) and an S3 bucket a team shares (`ledger: s3://bucket/prefix` in the recipe or the target;
 * see docs/ledger.md). Releases are created once; a second release with the same version is not written,
 * the one there is returned (`exists`).
 */
export type Ledger = {
	readonly location: LedgerLocation;
	/** `s3://bucket/prefix`, or this workspace: for messages. */
	readonly where: string;
	releases(project: string): Promise<Release[]>;
	/** Creates a release unless its version exists: `created`, or the release that has the version. */
	createRelease(release: Release): Promise<{created: Release} | {exists: Release}>;
	deployments(project: string): Promise<DeploymentRecord[]>;
	/** Adds a record, or updates the one with the same environment, start time (and id). */
	recordDeployment(record: DeploymentRecord): Promise<void>;
	/** Adds a record only when the ledger does not have it (an import). */
	createRecord(record: DeploymentRecord): Promise<'created' | 'exists'>;
	/** S3 calls made so far, by operation (none for the workspace). */
	readonly calls: Readonly<Record<string, number>>;
};

/** The workspace file as a ledger. */
export function workspaceLedgerOf(workspace: Workspace): Ledger {
	return {
		location: workspaceLedger,
		where: describeLedger(workspaceLedger),
		calls: {},
		releases: async project => workspace.releases(project),
		createRelease: async release => {
			const existing = workspace.addRelease(release);
			return existing ? {exists: existing} : {created: release};
		},
		deployments: async project => workspace.deployments(project),
		recordDeployment: async record => workspace.recordDeployment(record),
		createRecord: async record => {
			if (workspace.deployments(record.project).some(d => d.environment === record.environment && d.startedAt === record.startedAt)) return 'exists';
			workspace.recordDeployment(record);
			return 'created';
		},
	};
}

/** Which ledger a recipe deployed through a target uses: the recipe's `ledger`, else the target's, else the workspace. */
export function ledgerLocationFor(recipe: Pick<RecipeDocument, 'ledger'>, target: Pick<Target, 'name' | 'ledger'>): {location: LedgerLocation; origin: string} {
	const named = recipe.ledger !== undefined ? {text: recipe.ledger, origin: "the recipe's `ledger` field"} : target.ledger !== undefined ? {text: target.ledger, origin: `target ${target.name}'s ledger`} : undefined;
	if (!named) return {location: workspaceLedger, origin: 'this workspace'};
	const parsed = parseLedgerLocation(named.text);
	if ('problem' in parsed) throw new LedgerError('unavailable', `${named.origin} ${parsed.problem}`, `fix ${named.origin}: ${'s3://BUCKET/PREFIX'}`);
	return {location: parsed, origin: named.origin};
}

const opened = new WeakMap<EngineDeps, Map<string, Ledger>>();

/**
 * The ledger of a recipe deployed through a target, opened once per engine (its reads are cached): S3 with
 * the target's credentials, or the workspace.
 */
export async function openLedger(deps: EngineDeps, recipe: Pick<RecipeDocument, 'ledger'>, target: Target, host?: EngineHost): Promise<Ledger> {
	const {location, origin} = ledgerLocationFor(recipe, target);
	return openLedgerAt(deps, location, origin, target, host);
}

/** A ledger by location, reached with a target's credentials. */
export async function openLedgerAt(deps: EngineDeps, location: LedgerLocation, origin: string, target: Target, host?: EngineHost): Promise<Ledger> {
	if (location.kind === 'workspace') return workspaceLedgerOf(deps.workspace);
	let ledgers = opened.get(deps);
	if (!ledgers) opened.set(deps, (ledgers = new Map()));
	const key = `${describeLedger(location)}\n${target.name}`;
	const known = ledgers.get(key);
	if (known) return known;
	// The S3 ledger (and the record schemas it checks objects with) loads when a recipe or target names a bucket.
	const [aws, {S3Ledger}] = await Promise.all([deps.awsFor(target), import('../../store/s3-ledger.js')]);
	const s3 = new S3Ledger({
		s3: aws.s3,
		bucket: location.bucket,
		prefix: location.prefix,
		origin,
		...(deps.ledgerCache ? {cache: deps.ledgerCache(location)} : {}),
		now: () => deps.clock.now(),
		sleep: ms => deps.clock.sleep(ms),
		warn: message => host?.notify({code: 'warning', message}),
		mergeRecords,
	});
	const ledger: Ledger = {
		location,
		where: s3.where,
		get calls() {
			return s3.calls;
		},
		releases: project => s3.releases(project),
		createRelease: release => s3.createRelease(release),
		deployments: project => s3.deployments(project),
		recordDeployment: record => s3.recordDeployment(record),
		createRecord: record => s3.createRecord(record),
	};
	ledgers.set(key, ledger);
	return ledger;
}
