/*
 * Where a project's releases and deployment records are kept (its ledger), and the layout of an S3 ledger.
 * Pure: the keys are computed here, the store reads and writes them (source/store/s3-ledger.ts), the IAM
 * policy scopes its statements to them (iam-policy.ts). docs/ledger.md describes the layout.
 */

/** The ledger of a project: this workspace's file, or a prefix of an S3 bucket a team shares. */
export type LedgerLocation = {kind: 'workspace'} | {kind: 's3'; bucket: string; prefix: string};

/** The workspace's own ledger (`.ecs-deployer/workspace.json`): the default. */
export const workspaceLedger: LedgerLocation = {kind: 'workspace'};

/**
 * S3 bucket names: 3-63 characters, lowercase letters, digits, dots and hyphens, starting and ending with a
 * letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What a ledger field accepts, in words (for problems about it). */
export const ledgerForm = 's3://BUCKET or s3://BUCKET/PREFIX (for example s3://acme-deployments/ledger)';

/**
 * Reads `s3://bucket` or `s3://bucket/some/prefix` (a trailing slash is optional); the prefix is kept without
 * leading or trailing slashes. Anything else is a problem naming the form.
 */
export function parseLedgerLocation(text: string): LedgerLocation | {problem: string} {
	const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(text.trim());
	if (!match) return {problem: `must be ${ledgerForm}, got ${JSON.stringify(text)}`};
	const bucket = match[1]!;
	if (!bucketPattern.test(bucket) || bucket.includes('..')) {
		return {problem: `names the bucket ${JSON.stringify(bucket)}, which is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`};
	}
	const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
	if (prefix.split('/').some(part => part === '' || part === '.' || part === '..') && prefix !== '') {
		return {problem: `has the prefix ${JSON.stringify(prefix)}, which has an empty, "." or ".." part`};
	}
	if (prefix.length > 512) return {problem: 'has a prefix longer than 512 characters'};
	return {kind: 's3', bucket, prefix};
}

/** The ledger as people read it: `s3://bucket/prefix`, or this workspace. */
export function describeLedger(location: LedgerLocation): string {
	if (location.kind === 'workspace') return 'this workspace (.ecs-deployer/workspace.json)';
	return `s3://${location.bucket}${location.prefix === '' ? '' : `/${location.prefix}`}`;
}

/** The same place? */
export function sameLedger(a: LedgerLocation, b: LedgerLocation): boolean {
	return describeLedger(a) === describeLedger(b);
}

/*
 * The key layout of an S3 ledger (under its prefix):
 *
 *   <prefix>/<project>/releases/<version>.json
 *       one object per release, created once (PutObject If-None-Match: *) and never replaced
 *   <prefix>/<project>/deployments/<environment>/<startedAt>_<id>.json
 *       one object per deployment record: created with If-None-Match: *, updated with If-Match: <ETag>
 *
 * Versions are semver; the `+` of build metadata becomes `_` in the key (no semver version holds `_`). The
 * start time is ISO 8601 in UTC, so a listing (UTF-8 binary order) is oldest first within an environment.
 */

const join = (prefix: string, rest: string) => (prefix === '' ? rest : `${prefix}/${rest}`);

/** The prefix every object of a project's ledger starts with. */
export function projectPrefix(location: {prefix: string}, project: string): string {
	return join(location.prefix, `${project}/`);
}

/** The prefix of a project's releases. */
export function releasesPrefix(location: {prefix: string}, project: string): string {
	return `${projectPrefix(location, project)}releases/`;
}

/** The key of one release. */
export function releaseKey(location: {prefix: string}, project: string, version: string): string {
	return `${releasesPrefix(location, project)}${version.replaceAll('+', '_')}.json`;
}

/** The prefix of a project's deployment records (of one environment when given). */
export function deploymentsPrefix(location: {prefix: string}, project: string, environment?: string): string {
	return `${projectPrefix(location, project)}deployments/${environment === undefined ? '' : `${environment}/`}`;
}

/** The key of one deployment record: its environment, when it started and its id. */
export function deploymentKey(location: {prefix: string}, record: {project: string; environment: string; startedAt: string; id: string}): string {
	return `${deploymentsPrefix(location, record.project, record.environment)}${record.startedAt}_${record.id.replace(/[^A-Za-z0-9-]/g, '-')}.json`;
}

/**
 * The ARNs an S3 ledger's IAM statements are scoped to: the bucket (for listing, with the `s3:prefix` values
 * the ledger lists under: every listing it makes is of a prefix below its own) and its objects under the prefix.
 */
export function ledgerArns(location: {bucket: string; prefix: string}): {bucket: string; objects: string; listPrefixes: string[]} {
	return {
		bucket: `arn:aws:s3:::${location.bucket}`,
		objects: `arn:aws:s3:::${location.bucket}/${join(location.prefix, '*')}`,
		listPrefixes: location.prefix === '' ? [] : [`${location.prefix}/*`],
	};
}
