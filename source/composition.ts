import {randomUUID} from 'node:crypto';
import {existsSync} from 'node:fs';
export {storeFolderFor} from './io/store-folder.js';
import os from 'node:os';
import path from 'node:path';
import type {AwsConnection} from './aws/clients.js';
import type {AwsPorts} from './aws/ports.js';
import type {SandboxAccount} from './aws/sandbox/account.js';
import {defaultPolling, realClock} from './engine/core/clock.js';
import type {EngineDeps} from './engine/core/deps.js';
import type {Engine} from './engine/engine.js';
import {createStatusReader, type StagedEngine} from './engine/status-reader.js';
import type {Workspace} from './engine/core/workspace.js';
import type {EngineFiles} from './io/files.js';
import type {Target} from './domain/records.js';

/*
 * Part of the composition root (with run-cli.ts): the engine with its real adapters. The SDK, the sandbox and
 * the workspace store load on first use, so a command that never reaches AWS never parses the SDK and the
 * full-screen app paints before any of it loads. The app gets the engine in two steps (composeStagedEngine):
 * the dashboard's status reads first, then the rest of the use cases (the recipe schema, YAML, the template
 * rules), loaded when it asks.
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

/** Builds the engine for a run (a headless command). */
export async function composeEngine(options: CompositionOptions): Promise<Engine> {
	return (await composeStagedEngine(options)).engine();
}

/**
 * The engine's dependencies, and the engine on them in two steps: the status reads (the sandbox or the SDK,
 * and the workspace store only when its file exists) without the engine's other modules, which load when
 * `engine()` is called. Both steps share the same dependencies: one sandbox account, one set of ports per target.
 */
export async function composeStagedEngine(options: CompositionOptions): Promise<StagedEngine> {
	const env = options.env ?? process.env;
	// The store folder as the run's working folder gives it (the sandbox's state file is kept there too).
	const {storeFolder, env: sandboxEnv} = sandboxOptions(options);
	const [{sandboxTarget, sandboxSpeed, openSandbox}, {fileLedgerCache}, {fileVerifyCache}] = await Promise.all([
		import('./aws/sandbox/index.js'),
		import('./store/ledger-cache.js'),
		import('./store/verify-cache.js'),
	]);
	const speed = sandboxSpeed(env);
	let sandbox: SandboxAccount | undefined;
	// One set of ports per target and run: one credential provider, one assume-role, one MFA prompt.
	const ports = new Map<string, Promise<AwsPorts>>();
	const awsFor = (target: Target): Promise<AwsPorts> => {
		if (target.sandbox) {
			sandbox ??= openSandbox(storeFolder, sandboxEnv);
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
	const workspace = workspaceOn(storeFolder);
	const deps: EngineDeps = {
		workspace: workspace.port,
		awsFor,
		// The sandbox plays faster than AWS, so it is polled as much faster.
		pollingFor: target =>
			target.sandbox
				? {...defaultPolling, activeMs: defaultPolling.activeMs / speed, idleMs: defaultPolling.idleMs / speed, throttleBaseMs: defaultPolling.throttleBaseMs / speed, confirmGraceMs: 20_000 / speed, settleMs: 600_000 / speed}
				: defaultPolling,
		clock: realClock,
		newId: randomUUID,
		files: lazyFiles(options.cwd),
		sandboxTarget,
		sandboxOnly: options.sandbox,
		actor: actor(),
		// An S3 ledger's objects, as last read, in .ecs-deployer/ledger-cache/: a command fetches only what changed.
		ledgerCache: location => fileLedgerCache(storeFolder, location),
		// The pre-flight verify's passes, for a few minutes, in .ecs-deployer/verify-cache.json: a file, not memory,
		// so `verify` then `deploy` (two processes) and the app share them.
		verifyCache: fileVerifyCache(storeFolder),
		listProfiles: () => import('./aws/profiles.js').then(({listProfiles}) => listProfiles(env)),
	};
	const reader = createStatusReader(deps);
	let engine: Promise<Engine> | undefined;
	return {
		// Each read first loads the workspace store when its file exists (the store checks the file with its schema).
		statuses: {
			targetsFor: async (...args) => {
				await workspace.ready();
				return reader.targetsFor(...args);
			},
			status: async (...args) => {
				await workspace.ready();
				return reader.status(...args);
			},
		},
		engine: () =>
			(engine ??= Promise.all([import('./engine/engine.js'), workspace.load()]).then(([{createEngine}]) => createEngine(deps))),
	};
}

/** Who runs this: user@host, for the deployment records. */
function actor(): string | undefined {
	try {
		return `${os.userInfo().username}@${os.hostname()}`;
	} catch {
		return undefined;
	}
}

/**
 * The workspace store (workspace.json), opened on first use: a command that never needs it never reads (or
 * fails on) the file. Its module (and the schema it checks the file with) loads with the whole engine, or
 * before a status read when the file exists (`ready`); until then a read finds no file, as the store would.
 */
function workspaceOn(storeFolder: string): {port: Workspace; ready(): Promise<void>; load(): Promise<void>} {
	const file = path.join(storeFolder, 'workspace.json');
	let store: Workspace | undefined;
	let loading: Promise<void> | undefined;
	const load = () =>
		(loading ??= import('./store/workspace-store.js').then(({WorkspaceStore}) => {
			store = new WorkspaceStore({cwd: storeFolder});
		}));
	const get = (): Workspace => {
		if (store) return store;
		// Only status reads come here before the store has loaded, after `ready` found no file.
		if (existsSync(file)) throw new Error(`${file} appeared while it was being read: read it again`);
		return noFileYet;
	};
	return {
		port: {
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
		},
		ready: async () => {
			if (!store && existsSync(file)) await load();
		},
		load,
	};
}

/** The workspace as read when there is no workspace.json: nothing stored. Never written to (changes come with the whole engine, which loads the store). */
const noFileYet: Workspace = {
	targets: () => [],
	target: () => undefined,
	targetFor: () => undefined,
	releases: () => [],
	deployments: () => [],
	saveTarget: notLoaded,
	removeTarget: notLoaded,
	saveRelease: notLoaded,
	addRelease: notLoaded,
	recordDeployment: notLoaded,
};

function notLoaded(): never {
	throw new Error('the workspace store is not loaded: changes go through the engine (composeStagedEngine().engine())');
}

/** The file port, loaded on first use (reading recipes loads the YAML parser and the recipe schema). */
function lazyFiles(cwd: string | undefined): EngineFiles {
	let loaded: Promise<EngineFiles> | undefined;
	const files = () => (loaded ??= import('./io/files.js').then(({localFilesIn}) => localFilesIn(cwd)));
	return {
		readRecipe: async file => (await files()).readRecipe(file),
		readText: async file => (await files()).readText(file),
		createRecipe: async (file, text) => (await files()).createRecipe(file, text),
		saveRecipe: async (file, text, expected) => (await files()).saveRecipe(file, text, expected),
		writeNewFile: async (out, text, options) => (await files()).writeNewFile(out, text, options),
	};
}
