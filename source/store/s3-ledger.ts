import {createHash} from 'node:crypto';
import type {S3Port} from '../aws/ports.js';
import {deploymentKey, deploymentsPrefix, describeLedger, releaseKey, releasesPrefix} from '../domain/ledger-location.js';
import {LedgerError} from '../domain/ledger-error.js';
import type {DeploymentRecord, Release} from '../domain/records.js';
import {deploymentSchema, releaseSchema} from './workspace-schema.js';

/*
 * A ledger in an S3 bucket that a team shares: one object per release and per deployment record (the key
 * layout is in domain/ledger-location.ts and docs/ledger.md). No lock server: every write is conditional.
 *
 * - A release is created once: PutObject with `IfNoneMatch: "*"`. HTTP 412 PreconditionFailed means another
 *   operator created that version first; the release they made is returned, and the caller decides.
 * - A deployment record is created the same way, then updated with `IfMatch: <ETag>` (the ETag of the version
 *   this process last wrote or read). 412 means someone else changed it meanwhile (another operator's
 *   `status` settled it): the current version is read again, the two are merged, and the write is tried again.
 * - HTTP 409 ConditionalRequestConflict (a concurrent conditional write on the same key) is tried again after
 *   a short wait.
 *
 * Reads list a prefix (ListObjectsV2: every key with its ETag, 1,000 to a page) and fetch only the objects
 * whose ETag is not in the cache (memory, and a file in the workspace between runs); a listing is reused for
 * `maxAgeMs`. Objects that cannot be read are skipped with a warning, never taken for something else.
 */

/** What an S3 ledger object holds: the format and one release or one deployment record. */
type LedgerObject = {format: 1; release: Release} | {format: 1; deployment: DeploymentRecord};

/** Cached objects by key: their ETag and body. */
export type CachedObjects = Map<string, {etag: string; body: string}>;

/** Where the cache of a ledger's objects is kept between runs (a file in the workspace; memory in tests). */
export type LedgerObjectCache = {load(): CachedObjects; save(objects: CachedObjects): void};

export type S3LedgerOptions = {
	s3: S3Port;
	bucket: string;
	prefix: string;
	/** Where the ledger was named, for messages: "the recipe's `ledger` field", "target prod's ledger". */
	origin: string;
	cache?: LedgerObjectCache;
	/** How long a listing is reused. @default 2000 */
	maxAgeMs?: number;
	now?: () => number;
	/** Waits before a write is tried again after a 409. */
	sleep?: (ms: number) => Promise<void>;
	/** Objects skipped because they cannot be read, and other things worth saying. */
	warn?: (message: string) => void;
	/**
	 * Merges a record this process writes with the version another process wrote meanwhile: the record to
	 * write, or undefined to keep theirs. @default ours
	 */
	mergeRecords?: (theirs: DeploymentRecord, ours: DeploymentRecord) => DeploymentRecord | undefined;
};

/** How often a conditional write that conflicts is tried. */
const maxAttempts = 6;

export class S3Ledger {
	/** Calls made, by S3 operation (for the figures in docs/ledger.md). */
	readonly calls: Record<string, number> = {};
	private readonly objects: CachedObjects;
	private readonly listed = new Map<string, {at: number; keys: string[]}>();
	/** Objects already said to be unreadable (once each). */
	private readonly warned = new Set<string>();
	private readonly now: () => number;

	constructor(private readonly options: S3LedgerOptions) {
		this.objects = options.cache?.load() ?? new Map();
		this.now = options.now ?? (() => Date.now());
	}

	/** `s3://bucket/prefix`. */
	get where(): string {
		return describeLedger({kind: 's3', bucket: this.options.bucket, prefix: this.options.prefix});
	}

	async releases(project: string): Promise<Release[]> {
		const values = await this.read(releasesPrefix(this.options, project));
		return values.flatMap(v => ('release' in v && v.release.project === project ? [v.release] : []));
	}

	async deployments(project: string): Promise<DeploymentRecord[]> {
		const values = await this.read(deploymentsPrefix(this.options, project));
		return values.flatMap(v => ('deployment' in v && v.deployment.project === project ? [v.deployment] : [])).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
	}

	/** Creates a release once: `created`, or the release that already has its version (`exists`). */
	async createRelease(release: Release): Promise<{created: Release} | {exists: Release}> {
		const key = releaseKey(this.options, release.project, release.version);
		const body = JSON.stringify({format: 1, release} satisfies LedgerObject);
		for (let attempt = 1; ; attempt++) {
			try {
				await this.put(key, body, {IfNoneMatch: '*'});
				return {created: release};
			} catch (error) {
				if (isPreconditionFailed(error)) {
					const current = await this.get(key);
					if (current && 'release' in current.value) return {exists: current.value.release};
					throw new LedgerError('unreadable', `${this.where}: release ${release.version} of ${release.project} exists (${key}) but cannot be read`, 'look at the object in the bucket; a ledger object is written only by ecs-deployer');
				}
				if (isConflict(error) && attempt < maxAttempts) {
					await this.pause(attempt);
					continue;
				}
				throw this.explain(error, 'PutObject', key);
			}
		}
	}

	/** Creates a record only when the ledger does not have it (an import): `created`, or `exists` (left as it is). */
	async createRecord(record: DeploymentRecord): Promise<'created' | 'exists'> {
		const key = deploymentKey(this.options, {...record, id: recordId(record)});
		for (let attempt = 1; ; attempt++) {
			try {
				await this.put(key, JSON.stringify({format: 1, deployment: record} satisfies LedgerObject), {IfNoneMatch: '*'});
				return 'created';
			} catch (error) {
				if (isPreconditionFailed(error)) return 'exists';
				if (isConflict(error) && attempt < maxAttempts) {
					await this.pause(attempt);
					continue;
				}
				throw this.explain(error, 'PutObject', key);
			}
		}
	}

	/** Adds a record, or updates it (same environment, start time and id): created once, then replaced only over the version last seen. */
	async recordDeployment(record: DeploymentRecord): Promise<void> {
		const key = deploymentKey(this.options, {...record, id: recordId(record)});
		let ours = record;
		for (let attempt = 1; ; attempt++) {
			const known = this.objects.get(key);
			try {
				await this.put(key, JSON.stringify({format: 1, deployment: ours} satisfies LedgerObject), known ? {IfMatch: known.etag} : {IfNoneMatch: '*'});
				return;
			} catch (error) {
				const changed = isPreconditionFailed(error) || (known !== undefined && isMissingKey(error));
				if (!changed && !(isConflict(error) && attempt < maxAttempts)) throw this.explain(error, 'PutObject', key);
				if (attempt >= maxAttempts) throw this.explain(error, 'PutObject', key);
				if (isConflict(error)) {
					await this.pause(attempt);
					continue;
				}
				// Someone else wrote it meanwhile: merge with what they wrote, then try again over their version.
				const theirs = await this.get(key);
				if (!theirs) {
					this.objects.delete(key);
					continue;
				}
				if (!('deployment' in theirs.value)) throw new LedgerError('unreadable', `${this.where}: ${key} is not a deployment record`, 'look at the object in the bucket; a ledger object is written only by ecs-deployer');
				const merged = this.options.mergeRecords ? this.options.mergeRecords(theirs.value.deployment, ours) : ours;
				if (merged === undefined) return;
				ours = merged;
			}
		}
	}

	/** Every readable object under a prefix: listed, and fetched when not cached (or changed). */
	private async read(prefix: string): Promise<LedgerObject[]> {
		const keys = await this.list(prefix);
		const missing = keys.filter(k => !this.objects.has(k.key) || this.objects.get(k.key)!.etag !== k.etag);
		// A few at a time: a first read of a big ledger is many small objects.
		for (let i = 0; i < missing.length; i += 8) await Promise.all(missing.slice(i, i + 8).map(k => this.get(k.key)));
		if (missing.length > 0) this.options.cache?.save(this.objects);
		const values: LedgerObject[] = [];
		for (const {key} of keys) {
			const cached = this.objects.get(key);
			const value = cached && this.parse(key, cached.body);
			if (value) values.push(value);
		}
		return values;
	}

	private async list(prefix: string): Promise<Array<{key: string; etag: string}>> {
		const fresh = this.listed.get(prefix);
		if (fresh && this.now() - fresh.at < (this.options.maxAgeMs ?? 2000)) return fresh.keys.flatMap(key => (this.objects.has(key) ? [{key, etag: this.objects.get(key)!.etag}] : []));
		const keys: Array<{key: string; etag: string}> = [];
		let token: string | undefined;
		do {
			const page = await this.call('ListObjectsV2', prefix, () => this.options.s3.listObjectsV2({Bucket: this.options.bucket, Prefix: prefix, ...(token === undefined ? {} : {ContinuationToken: token})}));
			for (const item of page.Contents ?? []) if (item.Key && item.Key.endsWith('.json')) keys.push({key: item.Key, etag: item.ETag ?? ''});
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
		this.listed.set(prefix, {at: this.now(), keys: keys.map(k => k.key)});
		return keys;
	}

	/** One object, read and cached; undefined when it is gone. */
	private async get(key: string): Promise<{value: LedgerObject; etag: string} | undefined> {
		let answer;
		try {
			answer = await this.call('GetObject', key, () => this.options.s3.getObject({Bucket: this.options.bucket, Key: key}));
		} catch (error) {
			if (isMissingKey(error)) return undefined;
			throw error;
		}
		const body = (await answer.Body?.transformToString('utf8')) ?? '';
		const etag = answer.ETag ?? '';
		this.objects.set(key, {etag, body});
		const value = this.parse(key, body);
		return value ? {value, etag} : undefined;
	}

	private async put(key: string, body: string, condition: {IfNoneMatch: '*'} | {IfMatch: string}): Promise<void> {
		const answer = await this.call('PutObject', key, () => this.options.s3.putObject({Bucket: this.options.bucket, Key: key, Body: body, ContentType: 'application/json', ...condition}));
		this.objects.set(key, {etag: answer.ETag ?? '', body});
		const listing = [...this.listed].find(([prefix]) => key.startsWith(prefix));
		if (listing && !listing[1].keys.includes(key)) listing[1].keys.push(key);
		this.options.cache?.save(this.objects);
	}

	/** Counts the call; an S3 error about the bucket or access becomes a LedgerError naming them. */
	private async call<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
		this.calls[operation] = (this.calls[operation] ?? 0) + 1;
		try {
			return await send();
		} catch (error) {
			if (isPreconditionFailed(error) || isConflict(error) || isMissingKey(error)) throw error;
			throw this.explain(error, operation, key);
		}
	}

	/** An object's content, checked; undefined (and a warning) when it is not a ledger object this version reads. */
	private parse(key: string, body: string): LedgerObject | undefined {
		const warn = (message: string) => {
			if (this.warned.has(`${key}\n${body}`)) return;
			this.warned.add(`${key}\n${body}`);
			this.options.warn?.(message);
		};
		let value: unknown;
		try {
			value = JSON.parse(body);
		} catch {
			warn(`${this.where}: ${key} is not JSON; skipped`);
			return undefined;
		}
		const object = value as {format?: unknown; release?: unknown; deployment?: unknown};
		if (object?.format !== 1) {
			warn(`${this.where}: ${key} is not a ledger object of format 1 (written by another version of ecs-deployer?); skipped`);
			return undefined;
		}
		if (object.release !== undefined) {
			const parsed = releaseSchema.safeParse(object.release);
			if (parsed.success) return {format: 1, release: parsed.data as Release};
		} else if (object.deployment !== undefined) {
			const parsed = deploymentSchema.safeParse(object.deployment);
			if (parsed.success) return {format: 1, deployment: parsed.data as DeploymentRecord};
		}
		warn(`${this.where}: ${key} is not a release or a deployment record this version reads; skipped`);
		return undefined;
	}

	private explain(error: unknown, operation: string, key: string): unknown {
		if (error instanceof LedgerError) return error;
		const e = (error ?? {}) as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}};
		const status = e.$metadata?.httpStatusCode;
		const {bucket} = this.options;
		if (e.name === 'NoSuchBucket') {
			return new LedgerError('missing-bucket', `the ledger bucket ${bucket} does not exist (${this.where}, named in ${this.options.origin})`, `create the bucket (aws s3 mb s3://${bucket}), or name an existing one in ${this.options.origin}`, {cause: error});
		}
		if (e.name === 'AccessDenied' || e.name === 'Forbidden' || e.name === 'AllAccessDisabled' || status === 403) {
			const {action, resource} = permissionOf(operation, bucket, key);
			return new LedgerError(
				'denied',
				`access to the ledger ${this.where} was denied: ${operation} needs ${action} on ${resource}${e.message && e.message !== 'Access Denied' ? ` (${e.message})` : ''}`,
				`allow s3:ListBucket on arn:aws:s3:::${bucket} and s3:GetObject, s3:PutObject on its objects under the prefix to the identity that runs ecs-deployer (ecs-deployer iam-policy --recipe FILE prints a policy with them)`,
				{cause: error},
			);
		}
		return error;
	}

	private async pause(attempt: number): Promise<void> {
		const ms = Math.round(100 * 2 ** (attempt - 1) * (0.5 + Math.random()));
		await (this.options.sleep ?? (t => new Promise<void>(resolve => setTimeout(resolve, t))))(ms);
	}
}

/** The IAM permission an S3 call needs, and on what. */
function permissionOf(operation: string, bucket: string, key: string): {action: string; resource: string} {
	if (operation === 'ListObjectsV2') return {action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket} (prefix ${key})`};
	return {action: operation === 'GetObject' ? 's3:GetObject' : 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${key}`};
}

/**
 * A record's id: its own, or (records of older versions, imported) one derived from what identifies it, so
 * that importing twice finds the same key.
 */
export function recordId(record: DeploymentRecord): string {
	if (record.id !== undefined) return record.id;
	return createHash('sha256').update(`${record.project}\n${record.environment}\n${record.startedAt}\n${record.target}`).digest('hex').slice(0, 16);
}

const nameOrStatus = (error: unknown) => {
	const e = (error ?? {}) as {name?: string; $metadata?: {httpStatusCode?: number}};
	return {name: e.name, status: e.$metadata?.httpStatusCode};
};

/** HTTP 412: the condition of a conditional write did not hold. */
export function isPreconditionFailed(error: unknown): boolean {
	const {name, status} = nameOrStatus(error);
	return name === 'PreconditionFailed' || status === 412;
}

/** HTTP 409 ConditionalRequestConflict: a concurrent conditional write on the same key; try again. */
export function isConflict(error: unknown): boolean {
	const {name, status} = nameOrStatus(error);
	return name === 'ConditionalRequestConflict' || status === 409;
}

function isMissingKey(error: unknown): boolean {
	const {name} = nameOrStatus(error);
	return name === 'NoSuchKey' || name === 'NotFound';
}
