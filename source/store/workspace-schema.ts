import {quote} from 'shell-quote';
import {z} from 'zod';
import {checkWith, type StateFileFormat} from '../io/state-file.js';
import type {DeploymentRecord, Release, Target} from '../domain/records.js';

/** The version of workspace.json this ecs-deployer reads and writes. */
export const workspaceVersion = 1;

/** What workspace.json holds. */
export type WorkspaceData = {
	/** Written on every change; a file from before versions were written has none (and has its lists). */
	version?: typeof workspaceVersion;
	targets: Target[];
	releases: Release[];
	deployments: DeploymentRecord[];
};

/*
 * Enough checking that no command trips over a wrong shape (`.filter is not a function`): the lists, and
 * in each entry the fields the commands read. Objects are loose: a field this version does not know (one
 * a newer ecs-deployer wrote) is kept when the file is written again.
 */
const text = z.string();
const texts = z.array(z.string());

const target = z.looseObject({
	name: text,
	region: text,
	cluster: text,
	environments: texts,
	tags: texts.default([]),
	credentials: z.discriminatedUnion('source', [z.looseObject({source: z.literal('default')}), z.looseObject({source: z.literal('profile'), profile: text})]),
	assumeRole: z.looseObject({roleArn: text}).optional(),
	sandbox: z.boolean().optional(),
	ledger: text.optional(),
});

/** One release, as the workspace file and an S3 ledger's objects hold it. */
export const releaseSchema = z.looseObject({
	project: text,
	version: text,
	channel: text.optional(),
	images: z.record(z.string(), z.looseObject({tag: text, digest: text.optional()})),
	createdAt: text,
	notes: text.optional(),
});

/** One deployment record, as the workspace file and an S3 ledger's objects hold it. */
export const deploymentSchema = z.looseObject({
	project: text,
	environment: text,
	version: text,
	target: text,
	stackName: text,
	startedAt: text,
	finishedAt: text.optional(),
	outcome: text,
});

const workspace = z.looseObject({
	targets: z.array(target).default([]),
	releases: z.array(releaseSchema).default([]),
	deployments: z.array(deploymentSchema).default([]),
});

/** An empty workspace: no targets, releases or deployment records. */
export function emptyWorkspace(): WorkspaceData {
	return {targets: [], releases: [], deployments: []};
}

const checkWorkspace = checkWith(workspace) as (value: unknown) => {data: WorkspaceData} | {problem: string};
const lists = ['targets', 'releases', 'deployments'] as const;

/** How workspace.json is checked, and how to start afresh when it cannot be repaired. */
export const workspaceFormat: StateFileFormat<WorkspaceData> = {
	check(value) {
		// A version this ecs-deployer does not know, or an object that is no workspace file at all (`{}`), is
		// refused: read as an empty workspace, the next change would write over it.
		const version = value['version'];
		if (version === undefined && !lists.some(list => list in value)) {
			return {problem: `it has no version and none of ${lists.join(', ')}: it is not a workspace file (workspace files have "version": ${workspaceVersion})`};
		}
		if (version !== undefined && version !== workspaceVersion) {
			return {problem: `version ${JSON.stringify(version)}: this ecs-deployer reads workspace files of version ${workspaceVersion} (was it written by another version of ecs-deployer, or by hand?)`};
		}
		return checkWorkspace(value);
	},
	startAfresh: shown => `move it away to start with no targets, releases or deployment history: \`mv ${quote([shown, `${shown}.broken`])}\``,
};
