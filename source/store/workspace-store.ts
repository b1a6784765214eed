import path from 'node:path';
import Conf from 'conf';
import type {DeploymentRecord, Release, Target} from './types.js';

type Schema = {
	targets: Target[];
	releases: Release[];
	deployments: DeploymentRecord[];
};

/** How many deployment records to keep per project (the newest). */
const keepDeployments = 500;

/**
 * The workspace store: targets, releases and deployment records, kept in `.ecs-deployer/` of the workspace
 * (a `cwd` option moves it; tests use a temporary folder). It never holds credentials or secret values.
 */
export class WorkspaceStore {
	private readonly conf: Conf<Schema>;

	constructor(options: {cwd?: string} = {}) {
		this.conf = new Conf<Schema>({
			projectName: 'ecs-deployer',
			cwd: options.cwd ?? path.join(process.cwd(), '.ecs-deployer'),
			configName: 'workspace',
			defaults: {targets: [], releases: [], deployments: []},
			clearInvalidConfig: false,
		});
	}

	get path(): string {
		return this.conf.path;
	}

	targets(): Target[] {
		return this.conf.get('targets');
	}

	target(name: string): Target | undefined {
		return this.targets().find(t => t.name === name);
	}

	/** Adds or replaces a target by name. */
	saveTarget(target: Target): void {
		this.conf.set('targets', [...this.targets().filter(t => t.name !== target.name), target].sort((a, b) => a.name.localeCompare(b.name)));
	}

	removeTarget(name: string): boolean {
		const before = this.targets();
		const after = before.filter(t => t.name !== name);
		this.conf.set('targets', after);
		return after.length !== before.length;
	}

	/** The target that serves an environment (the first, by name), or undefined. */
	targetFor(environment: string): Target | undefined {
		return this.targets().find(t => t.environments.includes(environment));
	}

	releases(project: string): Release[] {
		return this.conf.get('releases').filter(r => r.project === project);
	}

	saveRelease(release: Release): void {
		const others = this.conf.get('releases').filter(r => !(r.project === release.project && r.version === release.version));
		this.conf.set('releases', [...others, release]);
	}

	deployments(project: string): DeploymentRecord[] {
		return this.conf.get('deployments').filter(d => d.project === project);
	}

	recordDeployment(record: DeploymentRecord): void {
		const all = this.conf.get('deployments').filter(d => !(d.project === record.project && d.startedAt === record.startedAt && d.environment === record.environment));
		const mine = [...all.filter(d => d.project === record.project), record].slice(-keepDeployments);
		this.conf.set('deployments', [...all.filter(d => d.project !== record.project), ...mine]);
	}
}
