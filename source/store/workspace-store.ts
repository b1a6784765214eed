import {existsSync} from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import {ioError, keepBackupSync, parseStateText, privateFileMode, removeLeftTemporaries, withFileLockSync, type LockOptions} from '../io/state-file.js';
import type {DeploymentRecord, Release, Target} from '../domain/records.js';
import {withDeployment, withoutTarget, withRelease, withTarget} from './workspace-edits.js';
import {emptyWorkspace, workspaceFormat, workspaceVersion, type WorkspaceData} from './workspace-schema.js';

export type WorkspaceStoreOptions = {
	/** The store folder. @default `.ecs-deployer` in the working folder */
	cwd?: string;
	/** Waiting for another process's lock (tests shorten it). */
	lock?: LockOptions;
};

/**
 * The workspace store: targets, releases and deployment records, kept in `.ecs-deployer/workspace.json`
 * of the workspace (a `cwd` option moves it; tests use a temporary folder). It never holds credentials or
 * secret values.
 *
 * Several processes share the file (parallel deploys, CI jobs), so every change is lock → read → change →
 * write: conf reads the file on every access (it keeps no copy in memory), and the change is made on what
 * the file holds once the lock is held. A file that cannot be read throws a StateFileError and is never
 * overwritten.
 */
export class WorkspaceStore {
	/** The file: `<cwd>/workspace.json`. */
	readonly path: string;
	private readonly folder: string;
	private confInstance: Conf<WorkspaceData> | undefined;

	constructor(private readonly options: WorkspaceStoreOptions = {}) {
		this.folder = path.resolve(options.cwd ?? '.ecs-deployer');
		this.path = path.join(this.folder, 'workspace.json');
	}

	targets(): Target[] {
		return this.read().targets;
	}

	target(name: string): Target | undefined {
		return this.targets().find(t => t.name === name);
	}

	/** Adds or replaces a target by name. */
	saveTarget(target: Target): void {
		this.change(data => withTarget(data, target));
	}

	removeTarget(name: string): boolean {
		let removed = false;
		this.change(data => {
			const next = withoutTarget(data, name);
			removed = next !== undefined;
			return next;
		});
		return removed;
	}

	/** The target that serves an environment (the first, by name), or undefined. */
	targetFor(environment: string): Target | undefined {
		return this.targets().find(t => t.environments.includes(environment));
	}

	releases(project: string): Release[] {
		return this.read().releases.filter(r => r.project === project);
	}

	saveRelease(release: Release): void {
		this.change(data => withRelease(data, release));
	}

	/** Adds a release unless its version exists (checked under the lock): undefined when added, else the release that has the version. */
	addRelease(release: Release): Release | undefined {
		let existing: Release | undefined;
		this.change(data => {
			existing = data.releases.find(r => r.project === release.project && r.version === release.version);
			return existing ? undefined : withRelease(data, release);
		});
		return existing;
	}

	deployments(project: string): DeploymentRecord[] {
		return this.read().deployments.filter(d => d.project === project);
	}

	/** Adds a record, or replaces the one with the same project, environment and start time. */
	recordDeployment(record: DeploymentRecord): void {
		this.change(data => withDeployment(data, record));
	}

	/**
	 * conf, made on first use: its constructor reads the file (and would create the folder), so a store that
	 * is only read creates nothing. Its deserializer checks what it reads.
	 */
	private conf(): Conf<WorkspaceData> {
		this.confInstance ??= new Conf<WorkspaceData>({
			projectName: 'ecs-deployer',
			cwd: this.folder,
			configName: 'workspace',
			// No `defaults`: conf would write them from its constructor, outside the lock.
			clearInvalidConfig: false,
			configFileMode: privateFileMode,
			deserialize: text => parseStateText(this.path, text, workspaceFormat),
		});
		return this.confInstance;
	}

	/** The whole file, checked (the defaults when there is none yet). Reading needs no lock: conf replaces the file in one rename. */
	private read(): WorkspaceData {
		if (!existsSync(this.path)) return emptyWorkspace();
		try {
			return this.conf().store;
		} catch (error) {
			throw ioError(this.path, 'read', error);
		}
	}

	/** Lock → read → change → write; `edit` returns undefined to write nothing. The version replaced is kept as workspace.json.bak. */
	private change(edit: (data: WorkspaceData) => WorkspaceData | undefined): void {
		try {
			// The lock creates the folder (private) first.
			withFileLockSync(
				this.path,
				held => {
					const next = edit(this.read());
					if (!next) return;
					removeLeftTemporaries(this.path);
					keepBackupSync(this.path);
					held.assertHeld();
					this.conf().store = {...next, version: workspaceVersion};
				},
				this.options.lock,
			);
		} catch (error) {
			throw ioError(this.path, 'write', error);
		}
	}
}
