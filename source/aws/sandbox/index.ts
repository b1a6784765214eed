import path from 'node:path';
import type {Target} from '../../domain/records.js';
import {SandboxAccount} from './account.js';
import {sandboxAccount, sandboxCluster, sandboxRegion} from './state.js';

export {failureTags} from './seed.js';
export {SandboxAccount} from './account.js';
export {sandboxBuckets} from './s3.js';

/** The built-in target on the sandbox account: there out of the box, so nothing needs setting up. */
export const sandboxTarget: Target = {
	name: 'sandbox',
	region: sandboxRegion,
	cluster: sandboxCluster,
	environments: ['dev', 'staging', 'production'],
	tags: ['sandbox'],
	credentials: {source: 'default'},
	sandbox: true,
	accountId: sandboxAccount,
};

/** The sandbox's speed from ECS_DEPLOYER_SANDBOX_SPEED (1 = about 20 s for a create). */
export function sandboxSpeed(env: NodeJS.ProcessEnv = process.env): number {
	const speed = Number(env['ECS_DEPLOYER_SANDBOX_SPEED'] ?? '1');
	return Number.isFinite(speed) && speed > 0 ? speed : 1;
}

/**
 * The sandbox account of a workspace, its state kept next to the workspace store; ECS_DEPLOYER_SANDBOX_HOME
 * puts it in another folder, so that several workspaces (two operators, a CI job) share one account, as
 * they would share one AWS account: its stacks and its ledger bucket.
 */
export function openSandbox(storeFolder: string, env: NodeJS.ProcessEnv = process.env): SandboxAccount {
	const folder = env['ECS_DEPLOYER_SANDBOX_HOME'] || storeFolder;
	return new SandboxAccount({file: path.join(folder, 'sandbox.json'), speed: sandboxSpeed(env)});
}
