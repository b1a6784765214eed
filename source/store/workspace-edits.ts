import type {DeploymentRecord, Release, Target} from '../domain/records.js';
import type {WorkspaceData} from './workspace-schema.js';

/*
 * The changes a workspace takes, as pure functions over its data: the workspace store applies them to what
 * the file holds under its lock, and the engine's in-memory workspace to what it holds, so both keep the same
 * rules (sorted targets, one release per version, a bounded deployment history). Types only are imported:
 * the in-memory workspace loads neither zod nor the lock library.
 */

/** How many deployment records to keep per project (the newest). */
const keepDeployments = 500;

/** Adds or replaces a target by name; targets are kept sorted by name. */
export function withTarget(data: WorkspaceData, target: Target): WorkspaceData {
	return {...data, targets: [...data.targets.filter(t => t.name !== target.name), target].sort((a, b) => a.name.localeCompare(b.name))};
}

/** The data without the target of that name; undefined when there is no such target (nothing to write). */
export function withoutTarget(data: WorkspaceData, name: string): WorkspaceData | undefined {
	const targets = data.targets.filter(t => t.name !== name);
	return targets.length === data.targets.length ? undefined : {...data, targets};
}

/** Adds a release, or replaces the one with the same project and version. */
export function withRelease(data: WorkspaceData, release: Release): WorkspaceData {
	return {...data, releases: [...data.releases.filter(r => !(r.project === release.project && r.version === release.version)), release]};
}

/**
 * Adds a record, or replaces the one with the same project, environment, target and start time (two targets
 * of one environment keep a record each); keeps the newest `keepDeployments` of its project. */
export function withDeployment(data: WorkspaceData, record: DeploymentRecord): WorkspaceData {
	const all = data.deployments.filter(d => !(d.project === record.project && d.startedAt === record.startedAt && d.environment === record.environment && d.target === record.target));
	const mine = [...all.filter(d => d.project === record.project), record].slice(-keepDeployments);
	return {...data, deployments: [...all.filter(d => d.project !== record.project), ...mine]};
}
