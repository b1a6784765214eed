import {quote} from 'shell-quote';
import {z} from 'zod';
import {checkWith, type StateFileFormat} from '../io/state-file.js';
import type {DeploymentRecord, Release, Target} from './types.js';

/** What workspace.json holds. */
export type WorkspaceData = {
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
});

const release = z.looseObject({
	project: text,
	version: text,
	channel: text.optional(),
	images: z.record(z.string(), z.looseObject({tag: text, digest: text.optional()})),
	createdAt: text,
	notes: text.optional(),
});

const deployment = z.looseObject({
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
	releases: z.array(release).default([]),
	deployments: z.array(deployment).default([]),
});

/** An empty workspace: no targets, releases or deployment records. */
export function emptyWorkspace(): WorkspaceData {
	return {targets: [], releases: [], deployments: []};
}

/** How workspace.json is checked, and how to start afresh when it cannot be repaired. */
export const workspaceFormat: StateFileFormat<WorkspaceData> = {
	check: checkWith(workspace) as (value: unknown) => {data: WorkspaceData} | {problem: string},
	startAfresh: shown => `move it away to start with no targets, releases or deployment history: \`mv ${quote([shown, `${shown}.broken`])}\``,
};
