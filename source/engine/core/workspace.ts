import type {DeploymentRecord, Release, Target} from '../../domain/records.js';
import {withDeployment, withoutTarget, withRelease, withTarget} from '../../store/workspace-edits.js';
import type {WorkspaceData} from '../../store/workspace-schema.js';

/**
 * What the engine keeps between runs: targets, releases and deployment records (the workspace store in
 * production, an in-memory one in tests). Never credentials or secret values.
 */
export type Workspace = {
	targets(): Target[];
	target(name: string): Target | undefined;
	/** Adds or replaces a target by name. */
	saveTarget(target: Target): void;
	removeTarget(name: string): boolean;
	/** The stored target that serves an environment, if any. */
	targetFor(environment: string): Target | undefined;
	releases(project: string): Release[];
	saveRelease(release: Release): void;
	/** Adds a release unless its version exists: undefined when added, else the release that has the version. */
	addRelease(release: Release): Release | undefined;
	deployments(project: string): DeploymentRecord[];
	/** Adds a record, or replaces the one with the same project, environment and start time. */
	recordDeployment(record: DeploymentRecord): void;
};

/** A workspace in memory, for tests and for runs that must not write (nothing is persisted); it edits as the store does. */
export function memoryWorkspace(initial: {targets?: Target[]; releases?: Release[]; deployments?: DeploymentRecord[]} = {}): Workspace {
	let data: WorkspaceData = {targets: [...(initial.targets ?? [])], releases: [...(initial.releases ?? [])], deployments: [...(initial.deployments ?? [])]};
	return {
		targets: () => [...data.targets],
		target: name => data.targets.find(t => t.name === name),
		saveTarget(target) {
			data = withTarget(data, target);
		},
		removeTarget(name) {
			const next = withoutTarget(data, name);
			if (next) data = next;
			return next !== undefined;
		},
		targetFor: environment => data.targets.find(t => t.environments.includes(environment)),
		releases: project => data.releases.filter(r => r.project === project),
		saveRelease(release) {
			data = withRelease(data, release);
		},
		addRelease(release) {
			const existing = data.releases.find(r => r.project === release.project && r.version === release.version);
			if (!existing) data = withRelease(data, release);
			return existing;
		},
		deployments: project => data.deployments.filter(d => d.project === project),
		recordDeployment(record) {
			data = withDeployment(data, record);
		},
	};
}
