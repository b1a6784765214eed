import {describe, expect, test} from 'vitest';
import type {S3Port} from '../../source/aws/ports.js';
import {SandboxS3, sandboxBuckets} from '../../source/aws/sandbox/s3.js';
import {mergeRecords} from '../../source/engine/history/records.js';
import {memoryLedgerCache} from '../../source/store/ledger-cache.js';
import {S3Ledger} from '../../source/store/s3-ledger.js';
import type {DeploymentRecord, Release} from '../../source/domain/records.js';

const bucket = sandboxBuckets.ledger;
const release = (version: string, tag = version): Release => ({project: 'p', version, images: {web: {tag, digest: `sha256:${'a'.repeat(64)}`}}, createdAt: '2026-12-01T10:00:00.000Z'});
const record = (outcome: string, extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({id: 'r1', project: 'p', environment: 'dev', version: '1.0.0', target: 't', stackName: 's', startedAt: '2026-12-01T10:00:00.000Z', outcome, ...extra});

/** The sandbox's S3 (conditional writes as S3 answers them), with every call counted and faults to inject. */
function s3(options: {conflicts?: number} = {}) {
	const sandbox = new SandboxS3({now: () => Date.parse('2026-12-01T10:00:00.000Z')}).port();
	const calls: string[] = [];
	let conflicts = options.conflicts ?? 0;
	const port: S3Port = {
		listObjectsV2: async input => (calls.push('ListObjectsV2'), sandbox.listObjectsV2(input)),
		getObject: async input => (calls.push('GetObject'), sandbox.getObject(input)),
		putObject: async input => {
			calls.push(`PutObject ${input.IfNoneMatch ? 'IfNoneMatch' : input.IfMatch ? 'IfMatch' : 'unconditional'}`);
			if (conflicts-- > 0) throw Object.assign(new Error('A conflicting conditional operation is currently in progress against this resource. Please try again.'), {name: 'ConditionalRequestConflict', $metadata: {httpStatusCode: 409}});
			return sandbox.putObject(input);
		},
	};
	return {port, calls, sandbox};
}

const ledger = (port: S3Port, extra: Partial<ConstructorParameters<typeof S3Ledger>[0]> = {}) =>
	new S3Ledger({s3: port, bucket, prefix: 'team', origin: 'the test', sleep: async () => undefined, maxAgeMs: 0, mergeRecords, ...extra});

describe('an S3 ledger', () => {
	test('a release is created once: the second writer is told, and gets the release that is there', async () => {
		const {port, calls} = s3();
		const [a, b] = [ledger(port), ledger(port)];
		expect(await a.createRelease(release('1.0.0'))).toEqual({created: release('1.0.0')});
		expect(await b.createRelease(release('1.0.0', '9.9.9'))).toEqual({exists: release('1.0.0')});
		expect(calls).toEqual(['PutObject IfNoneMatch', 'PutObject IfNoneMatch', 'GetObject']);
		expect((await b.releases('p')).map(r => r.images['web']!.tag)).toEqual(['1.0.0']);
	});

	test('keys follow the documented layout', async () => {
		const {port, sandbox} = s3();
		const l = ledger(port);
		await l.createRelease(release('1.0.0+build.7'));
		await l.recordDeployment(record('in progress'));
		const keys = (await sandbox.listObjectsV2({Bucket: bucket, Prefix: ''})).Contents?.map(c => c.Key);
		expect(keys).toEqual(['team/p/deployments/dev/2026-12-01T10:00:00.000Z_r1.json', 'team/p/releases/1.0.0_build.7.json']);
	});

	test('a record is created, then updated over the version it wrote (If-Match)', async () => {
		const {port, calls} = s3();
		const l = ledger(port);
		await l.recordDeployment(record('in progress'));
		await l.recordDeployment(record('succeeded'));
		expect(calls).toEqual(['PutObject IfNoneMatch', 'PutObject IfMatch']);
		expect((await ledger(port).deployments('p')).map(d => d.outcome)).toEqual(['succeeded']);
	});

	test('a record someone settled meanwhile is merged: their final outcome is kept over a reconciliation that only learned it', async () => {
		const {port} = s3();
		const mine = ledger(port);
		const theirs = ledger(port);
		await mine.recordDeployment(record('in progress'));
		await theirs.deployments('p');
		await theirs.recordDeployment(record('failed', {reason: 'the run said so'}));
		// Mine is stale (412): read again, merged; a reconciled guess does not overwrite their word.
		await mine.recordDeployment(record('unknown', {reconciled: true}));
		expect((await ledger(port).deployments('p'))[0]).toMatchObject({outcome: 'failed', reason: 'the run said so'});
		// The run's own end does.
		await mine.recordDeployment(record('succeeded'));
		expect((await ledger(port).deployments('p'))[0]).toMatchObject({outcome: 'succeeded'});
	});

	test('HTTP 409 ConditionalRequestConflict is tried again', async () => {
		const {port, calls} = s3({conflicts: 2});
		expect(await ledger(port).createRelease(release('1.0.0'))).toEqual({created: release('1.0.0')});
		expect(calls).toEqual(['PutObject IfNoneMatch', 'PutObject IfNoneMatch', 'PutObject IfNoneMatch']);
	});

	test('reads list the prefix and fetch only what the cache does not have (a new run with the same cache: one call)', async () => {
		const {port, calls} = s3();
		const writer = ledger(port);
		for (const v of ['1.0.0', '1.1.0', '1.2.0']) await writer.createRelease(release(v));
		const cache = memoryLedgerCache();
		calls.length = 0;
		expect(await ledger(port, {cache}).releases('p')).toHaveLength(3);
		expect(calls).toEqual(['ListObjectsV2', 'GetObject', 'GetObject', 'GetObject']);
		calls.length = 0;
		await writer.createRelease(release('1.3.0'));
		calls.length = 0;
		expect(await ledger(port, {cache}).releases('p')).toHaveLength(4);
		expect(calls).toEqual(['ListObjectsV2', 'GetObject']);
	});

	test('a listing is reused for maxAgeMs', async () => {
		const {port, calls} = s3();
		let now = 0;
		const l = ledger(port, {maxAgeMs: 2000, now: () => now});
		await l.releases('p');
		await l.releases('p');
		now = 2500;
		await l.releases('p');
		expect(calls.filter(c => c === 'ListObjectsV2')).toHaveLength(2);
	});

	test('an object that is not a ledger object is skipped with a warning, never read as something else', async () => {
		const {port, sandbox} = s3();
		await sandbox.putObject({Bucket: bucket, Key: 'team/p/releases/9.9.9.json', Body: '{"format": 1, "release": {"version": 5}}'});
		await sandbox.putObject({Bucket: bucket, Key: 'team/p/releases/8.8.8.json', Body: 'not json'});
		await ledger(port).createRelease(release('1.0.0'));
		const warnings: string[] = [];
		expect((await ledger(port, {warn: w => warnings.push(w)}).releases('p')).map(r => r.version)).toEqual(['1.0.0']);
		expect(warnings).toEqual(['s3://sandbox-ledger/team: team/p/releases/8.8.8.json is not JSON; skipped', 's3://sandbox-ledger/team: team/p/releases/9.9.9.json is not a release or a deployment record this version reads; skipped']);
	});
});

describe('the sandbox S3 answers conditional writes as S3 does', () => {
	test('If-None-Match on an existing key and a stale If-Match are 412 PreconditionFailed; an unknown bucket is NoSuchBucket', async () => {
		const {sandbox} = s3();
		const first = await sandbox.putObject({Bucket: bucket, Key: 'k', Body: 'a', IfNoneMatch: '*'});
		expect(first.ETag).toBe('"0cc175b9c0f1b6a831c399e269772661"');
		await expect(sandbox.putObject({Bucket: bucket, Key: 'k', Body: 'b', IfNoneMatch: '*'})).rejects.toMatchObject({name: 'PreconditionFailed', $metadata: {httpStatusCode: 412}});
		const second = await sandbox.putObject({Bucket: bucket, Key: 'k', Body: 'b', IfMatch: first.ETag!});
		await expect(sandbox.putObject({Bucket: bucket, Key: 'k', Body: 'c', IfMatch: first.ETag!})).rejects.toMatchObject({name: 'PreconditionFailed'});
		expect(await (await sandbox.getObject({Bucket: bucket, Key: 'k'})).Body?.transformToString()).toBe('b');
		expect(second.ETag).not.toBe(first.ETag);
		await expect(sandbox.listObjectsV2({Bucket: 'nope'})).rejects.toMatchObject({name: 'NoSuchBucket', $metadata: {httpStatusCode: 404}});
		await expect(sandbox.listObjectsV2({Bucket: sandboxBuckets.denied})).rejects.toMatchObject({name: 'AccessDenied', $metadata: {httpStatusCode: 403}});
	});

	test('listings page at MaxKeys with a continuation token, in key order', async () => {
		const {sandbox} = s3();
		for (const key of ['b', 'a', 'c']) await sandbox.putObject({Bucket: bucket, Key: `x/${key}`, Body: key});
		const first = await sandbox.listObjectsV2({Bucket: bucket, Prefix: 'x/', MaxKeys: 2});
		expect([first.Contents?.map(c => c.Key), first.IsTruncated]).toEqual([['x/a', 'x/b'], true]);
		const next = await sandbox.listObjectsV2({Bucket: bucket, Prefix: 'x/', ContinuationToken: first.NextContinuationToken!});
		expect([next.Contents?.map(c => c.Key), next.IsTruncated]).toEqual([['x/c'], false]);
	});
});
