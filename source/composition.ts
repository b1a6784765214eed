import {randomUUID} from 'node:crypto';
export {storeFolderFor} from './io/store-folder.js';
import os from 'node:os';
import path from 'node:path';
import type {AwsConnection} from './aws/clients.js';
import type {AwsPorts} from './aws/ports.js';
import type {SandboxAccount} from './aws/sandbox/account.js';
import {defaultPolling, realClock} from './engine/core/clock.js';
import {createEngine, type Engine} from './engine/engine.js';
import type {Workspace} from './engine/core/workspace.js';
import type {Target} from './domain/records.js';

/*
 * Part of the composition root (with run-cli.ts): the engine with its real adapters. The SDK, the sandbox and
 * the workspace store load on first use, so a command that never reaches AWS never parses the SDK and the
 * full-screen app paints before any of it loads.
 */

export type CompositionOptions = {
	/** Where the workspace store and the sandbox account live (`.ecs-deployer/`). */
	storeFolder: string;
	/** Every command runs on the built-in sandbox account (`--sandbox`, ECS_DEPLOYER_SANDBOX=1). */
	sandbox: boolean;
	/** Overrides for this run: `--profile`, `--endpoint-url` (and AWS_PROFILE, AWS_ENDPOINT_URL). */
	profile?: string;
	endpoint?: string;
	/** The run's environment (default: the process's): the sandbox's folder and speed, AWS profiles. */
	env?: NodeJS.ProcessEnv;
	/** The run's working folder (default: the process's): relative recipe and output paths, a relative store folder. */
	cwd?: string;
};

/** The sandbox account's folder and speed, as the run's environment and working folder give them. */
function sandboxOptions(options: Pick<CompositionOptions, 'storeFolder' | 'env' | 'cwd'>): {storeFolder: string; env: NodeJS.ProcessEnv} {
	const env = options.env ?? process.env;
	const cwd = options.cwd ?? process.cwd();
	const home = env['ECS_DEPLOYER_SANDBOX_HOME'];
	return {storeFolder: path.resolve(cwd, options.storeFolder), env: home ? {...env, ECS_DEPLOYER_SANDBOX_HOME: path.resolve(cwd, home)} : env};
}

/** `ecs-deployer sandbox reset`: forgets every stack, service and log of the sandbox account. */
export async function resetSandbox(options: Pick<CompositionOptions, 'storeFolder' | 'env' | 'cwd'>): Promise<void> {
	const {openSandbox} = await import('./aws/sandbox/index.js');
	const {storeFolder, env} = sandboxOptions(options);
	await openSandbox(storeFolder, env).reset();
}


/** The connection for a target, with this run's overrides (--profile, --region, --endpoint-url). */
export function connectionFor(target: Target, overrides: {profile?: string; region?: string; endpoint?: string} = {}): AwsConnection {
	const profile = overrides.profile ?? (target.credentials.source === 'profile' ? target.credentials.profile : undefined);
	return {
		region: overrides.region ?? target.region,
		...(profile === undefined ? {} : {profile}),
		...(target.assumeRole === undefined ? {} : {assumeRole: target.assumeRole}),
		...(overrides.endpoint === undefined ? {} : {endpoint: overrides.endpoint}),
	};
}

/** Builds the engine for a run (a headless command or the app). */
export async function composeEngine(options: CompositionOptions): Promise<Engine> {
	const env = options.env ?? process.env;
	const storeFolder = path.resolve(options.cwd ?? process.cwd(), options.storeFolder);
	const sandboxIn = sandboxOptions(options);
	// Both load at once: the dashboard's first status waits for them.
	const [{sandboxTarget, sandboxSpeed, openSandbox}, {WorkspaceStore}, {fileLedgerCache}, {localFilesIn}, {fileVerifyCache}] = await Promise.all([
		import('./aws/sandbox/index.js'),
		import('./store/workspace-store.js'),
		import('./store/ledger-cache.js'),
		import('./io/files.js'),
		import('./store/verify-cache.js'),
	]);
	const speed = sandboxSpeed(env);
	let sandbox: SandboxAccount | undefined;
	// One set of ports per target and run: one credential provider, one assume-role, one MFA prompt.
	const ports = new Map<string, Promise<AwsPorts>>();
	const awsFor = (target: Target): Promise<AwsPorts> => {
		if (target.sandbox) {
			sandbox ??= openSandbox(sandboxIn.storeFolder, sandboxIn.env);
			return Promise.resolve(sandbox.ports());
		}
		const key = JSON.stringify(target);
		let made = ports.get(key);
		if (!made) {
			made = import('./aws/clients.js').then(({createAwsPorts}) =>
				createAwsPorts(connectionFor(target, {...(options.profile ? {profile: options.profile} : {}), ...(options.endpoint ? {endpoint: options.endpoint} : {})})),
			);
			ports.set(key, made);
		}
		return made;
	};
	return createEngine({
		workspace: lazyWorkspace(() => new WorkspaceStore({cwd: storeFolder})),
		awsFor,
		// The sandbox plays faster than AWS, so it is polled as much faster.
		pollingFor: target =>
			target.sandbox
				? {...defaultPolling, activeMs: defaultPolling.activeMs / speed, idleMs: defaultPolling.idleMs / speed, throttleBaseMs: defaultPolling.throttleBaseMs / speed, confirmGraceMs: 20_000 / speed, settleMs: 600_000 / speed}
				: defaultPolling,
		clock: realClock,
		newId: randomUUID,
		files: localFilesIn(options.cwd),
		sandboxTarget,
		sandboxOnly: options.sandbox,
		actor: actor(),
		// An S3 ledger's objects, as last read, in .ecs-deployer/ledger-cache/: a command fetches only what changed.
		ledgerCache: location => fileLedgerCache(storeFolder, location),
		// The pre-flight verify's passes, for a few minutes, in .ecs-deployer/verify-cache.json: a file, not memory,
		// so `verify` then `deploy` (two processes) and the app share them.
		verifyCache: fileVerifyCache(storeFolder),
		listProfiles: () => import('./aws/profiles.js').then(({listProfiles}) => listProfiles(env)),
	});
}

/** Who runs this: user@host, for the deployment records. */
function actor(): string | undefined {
	try {
		return `${os.userInfo().username}@${os.hostname()}`;
	} catch {
		return undefined;
	}
}

/** The workspace store, opened on first use: a command that never needs it never reads (or fails on) the file. */
function lazyWorkspace(open: () => Workspace): Workspace {
	let store: Workspace | undefined;
	const get = () => (store ??= open());
	return {
		targets: () => get().targets(),
		target: name => get().target(name),
		saveTarget: target => get().saveTarget(target),
		removeTarget: name => get().removeTarget(name),
		targetFor: environment => get().targetFor(environment),
		releases: project => get().releases(project),
		saveRelease: release => get().saveRelease(release),
		addRelease: release => get().addRelease(release),
		deployments: project => get().deployments(project),
		recordDeployment: record => get().recordDeployment(record),
	};
}
