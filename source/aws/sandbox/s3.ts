import {createHash} from 'node:crypto';
import {checkWith, isCheckedText, parseStateText, readStateText, withFileLock, writeStateFile, type LockOptions, type StateFileFormat} from '../../io/state-file.js';
import type {S3Port} from '../ports.js';
import {sandboxError} from './errors.js';

/*
 * The sandbox account's S3: the buckets a shared ledger uses, with the calls and conditional writes of real
 * S3 (PutObject `IfNoneMatch: "*"` creates only; `IfMatch: <ETag>` replaces only that version; otherwise
 * HTTP 412 PreconditionFailed). Objects are kept in their own file (`sandbox-s3.json` next to
 * `sandbox.json`), so ledgers never slow the account's other calls; every call that writes holds the file's
 * lock, reads it again inside the lock and replaces it in one rename, so processes sharing the sandbox folder
 * see each other's objects and never overwrite each other. In memory when the account has no file (tests).
 * See sandbox.md.
 */

/** The buckets the sandbox account has: a ledger bucket, and one every call is denied (to see the error). */
export const sandboxBuckets = {ledger: 'sandbox-ledger', denied: 'sandbox-ledger-denied'} as const;

type ObjectData = {body: string; etag: string; lastModified: number};
type S3State = {version: 1; buckets: Record<string, Record<string, ObjectData>>};

const fresh = (): S3State => ({version: 1, buckets: {[sandboxBuckets.ledger]: {}}});

/** The schema check of the file, made when a text that was not found good yet is to be checked (it needs zod). */
let checkObjects: ((value: unknown) => {data: unknown} | {problem: string}) | undefined;

const format: StateFileFormat<S3State> = {
	check: value => {
		if (value['version'] !== 1) return {problem: 'not a sandbox S3 file of version 1'};
		if (!checkObjects) throw new Error('the sandbox S3 check is not loaded (readObjects)');
		return checkObjects(value) as {data: S3State} | {problem: string};
	},
	startAfresh: () => '`ecs-deployer sandbox reset` starts afresh (it forgets every sandbox stack, service, log and ledger object)',
};

/** Reads and checks the file; undefined when there is none. zod loads for a text not found good before. */
async function readObjects(file: string): Promise<S3State | undefined> {
	const text = await readStateText(file);
	if (text === undefined) return undefined;
	if (!checkObjects && !isCheckedText(file, text, format)) {
		const {z} = await import('zod');
		checkObjects ??= checkWith(z.looseObject({version: z.literal(1), buckets: z.record(z.string(), z.record(z.string(), z.looseObject({body: z.string(), etag: z.string(), lastModified: z.number()})))}));
	}
	return parseStateText(file, text, format);
}

/** An S3 ETag: the MD5 of the body in quotes, as S3 gives it for a single-part upload. */
const etagOf = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;

export class SandboxS3 {
	private memory: S3State | undefined;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(private readonly options: {file?: string; now: () => number; lock?: LockOptions}) {}

	/** Forgets every object (the buckets stay). */
	async reset(): Promise<void> {
		this.memory = fresh();
		const file = this.options.file;
		if (file) await withFileLock(file, async held => writeStateFile(file, JSON.stringify(fresh()), {held}), this.options.lock);
	}

	/** Runs a call on the state: one at a time in this object, under the file's lock when it writes. */
	private run<T>(handler: (state: S3State) => T, writes: boolean): Promise<T> {
		const go = async (): Promise<T> => {
			const file = this.options.file;
			if (!file) return handler((this.memory ??= fresh()));
			if (!writes) return handler((await readObjects(file)) ?? fresh());
			return withFileLock(
				file,
				async held => {
					const state = (await readObjects(file)) ?? fresh();
					const result = handler(state);
					await writeStateFile(file, JSON.stringify(state), {held});
					return result;
				},
				this.options.lock,
			);
		};
		const next = this.queue.then(go, go);
		this.queue = next.catch(() => undefined);
		return next;
	}

	port(): S3Port {
		const bucketOf = (state: S3State, name: string | undefined) => {
			if (name === sandboxBuckets.denied) throw sandboxError('AccessDenied', 'Access Denied', 403);
			const bucket = name === undefined ? undefined : state.buckets[name];
			if (!bucket) throw sandboxError('NoSuchBucket', 'The specified bucket does not exist', 404);
			return bucket;
		};
		return {
			listObjectsV2: async input =>
				this.run(state => {
					const bucket = bucketOf(state, input.Bucket);
					const prefix = input.Prefix ?? '';
					const after = input.ContinuationToken ?? input.StartAfter ?? '';
					const max = Math.min(Math.max(input.MaxKeys ?? 1000, 1), 1000);
					// Keys are listed in UTF-8 binary order, as S3 lists them.
					const keys = Object.keys(bucket)
						.filter(k => k.startsWith(prefix) && k > after)
						.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
					const page = keys.slice(0, max);
					const truncated = keys.length > max;
					return {
						Contents: page.map(Key => ({Key, ETag: bucket[Key]!.etag, Size: Buffer.byteLength(bucket[Key]!.body), LastModified: new Date(bucket[Key]!.lastModified), StorageClass: 'STANDARD' as const})),
						KeyCount: page.length,
						IsTruncated: truncated,
						...(truncated ? {NextContinuationToken: page.at(-1)} : {}),
						Name: input.Bucket,
						Prefix: prefix,
						MaxKeys: max,
						$metadata: {httpStatusCode: 200},
					};
				}, false),
			getObject: async input =>
				this.run(state => {
					const object = input.Key === undefined ? undefined : bucketOf(state, input.Bucket)[input.Key];
					if (!object) throw sandboxError('NoSuchKey', 'The specified key does not exist.', 404);
					const body = object.body;
					return {Body: {transformToString: async () => body}, ETag: object.etag, ContentLength: Buffer.byteLength(body), LastModified: new Date(object.lastModified), ContentType: 'application/json', $metadata: {httpStatusCode: 200}};
				}, false),
			putObject: async input =>
				this.run(state => {
					const bucket = bucketOf(state, input.Bucket);
					const key = input.Key ?? '';
					const existing = bucket[key];
					if (input.IfNoneMatch !== undefined && existing) throw sandboxError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
					if (input.IfMatch !== undefined) {
						if (!existing) throw sandboxError('NoSuchKey', 'The specified key does not exist.', 404);
						if (existing.etag !== input.IfMatch) throw sandboxError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
					}
					const body = typeof input.Body === 'string' ? input.Body : Buffer.isBuffer(input.Body) ? input.Body.toString('utf8') : input.Body instanceof Uint8Array ? Buffer.from(input.Body).toString('utf8') : String(input.Body ?? '');
					const etag = etagOf(body);
					bucket[key] = {body, etag, lastModified: this.options.now()};
					return {ETag: etag, $metadata: {httpStatusCode: 200}};
				}, true),
		};
	}
}
