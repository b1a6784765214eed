import type {DeploymentRecord, Release, Target} from '../store/types.js';

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
	deployments(project: string): DeploymentRecord[];
	/** Adds a record, or replaces the one with the same project, environment and start time. */
	recordDeployment(record: DeploymentRecord): void;
};

/** A workspace in memory, for tests and for runs that must not write (nothing is persisted). */
export function memoryWorkspace(initial: {targets?: Target[]; releases?: Release[]; deployments?: DeploymentRecord[]} = {}): Workspace {
	let targets = [...(initial.targets ?? [])];
	let releases = [...(initial.releases ?? [])];
	let deployments = [...(initial.deployments ?? [])];
	return {
		targets: () => [...targets],
		target: name => targets.find(t => t.name === name),
		saveTarget(target) {
			targets = [...targets.filter(t => t.name !== target.name), target].sort((a, b) => a.name.localeCompare(b.name));
		},
		removeTarget(name) {
			const before = targets.length;
			targets = targets.filter(t => t.name !== name);
			return targets.length !== before;
		},
		targetFor: environment => targets.find(t => t.environments.includes(environment)),
		releases: project => releases.filter(r => r.project === project),
		saveRelease(release) {
			releases = [...releases.filter(r => !(r.project === release.project && r.version === release.version)), release];
		},
		deployments: project => deployments.filter(d => d.project === project),
		recordDeployment(record) {
			deployments = [...deployments.filter(d => !(d.project === record.project && d.environment === record.environment && d.startedAt === record.startedAt)), record];
		},
	};
}
