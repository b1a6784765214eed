/* The records the tool keeps (pure types): the targets it deploys to, releases, and deployment records. */

/** Where a target's credentials come from. The tool never stores credentials, only which source to use. */
export type CredentialSource = {source: 'default'} | {source: 'profile'; profile: string};

export type AssumeRole = {roleArn: string; externalId?: string; sessionName?: string; durationSeconds?: number};

/** An ECS cluster the operator deploys to, and the environments it serves. */
export type Target = {
	name: string;
	region: string;
	cluster: string;
	environments: string[];
	tags: string[];
	credentials: CredentialSource;
	assumeRole?: AssumeRole;
	/** The built-in simulated account (see the sandbox). */
	sandbox?: boolean;
	/** The account id, when known without asking AWS (the sandbox's). */
	accountId?: string;
	/**
	 * Where the releases and deployment records of recipes deployed through this target are kept, when the
	 * recipe names no ledger: `s3://bucket/prefix` (shared by a team), else this workspace. See docs/ledger.md.
	 */
	ledger?: string;
};

/**
 * A release: an immutable snapshot that deploys are built from. A version that pins each image's tag (and
 * digest), the channel, who made it and when, and the recipe as it was (sensitive values never: only their
 * names and references). Deploying, promoting, re-deploying or rolling back a release builds the template
 * from `recipe`, not from the recipe file as it is today.
 */
export type Release = {
	project: string;
	version: string;
	channel?: string;
	images: Record<string, {tag: string; digest?: string}>;
	createdAt: string;
	/** Who made it: user@host. */
	createdBy?: string;
	notes?: string;
	/** The recipe as it was when the release was made, without sensitive values (read back with readSnapshot). */
	recipe?: unknown;
};

export type DeploymentRecord = {
	/** Unique per record (with the start time, its key in an S3 ledger); absent in records of older versions. */
	id?: string;
	project: string;
	environment: string;
	version: string;
	target: string;
	stackName: string;
	startedAt: string;
	finishedAt?: string;
	/** succeeded, no-op, failed, rolled-back, timed-out, cancelled; `in progress` or `detached` until it ends. */
	outcome: string;
	/** The stack's id (ARN) and the client request token of the operation: how the record is matched with AWS later. */
	stackId?: string;
	token?: string;
	/** The stack status the operation ended in. */
	stackStatus?: string;
	/** The first failure reason, when it failed. */
	reason?: string;
	/** Who ran it: user@host. */
	by?: string;
	/** True when the outcome was learned from AWS after the run ended (killed, detached). */
	reconciled?: boolean;
};
