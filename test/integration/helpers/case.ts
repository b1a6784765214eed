import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll} from 'vitest';
import {runCli, type CliRun, type Place} from './cli.js';
import {defaultNetwork, emulatorRunningTasks, region, resetEmulator} from './emulator.js';

/** The suite's project: its name, ECR repository, recipe file and the stack name of an environment. */
export const project = {name: 'emu-web', repository: 'emu-web', recipeFile: 'emu-web.yaml', stack: (environment: string) => `emu-web-${environment}`};

/**
 * The suite's recipe: one container; dev and staging ask for as many tasks as the emulator reports running
 * (so a service created there really completes its rollout), production for one more (so its rollout never
 * completes: running 2 of 3).
 */
export const recipeText = `name: ${project.name}
description: one container, deployed by the emulator suite
environments:
  - dev
  - staging
  - name: production
    desiredCount: ${emulatorRunningTasks + 1}
images:
  web:
    repository: ${project.repository}
service:
  cpu: 256
  memory: 512
  network:
    subnets: [subnet-0a1b2c3d4e5f60718]
    securityGroups: [sg-0c1d2e3f4a5b60718]
  desiredCount: ${emulatorRunningTasks}
  containers:
    - name: web
      image: web
      ports: [80]
`;

/** The emulator's network of the current case (its ids change on every reset). */
let network: {subnet: string; securityGroup: string} | undefined;

/**
 * A recipe text (the suite's, or one made from it) with the emulator's default subnet and security group in
 * place of the suite's: every deploy's pre-flight verify reads them (DescribeSubnets, DescribeSecurityGroups).
 */
export function withEmulatorNetwork(text: string): string {
	if (!network) throw new Error('withEmulatorNetwork: start a case first (newCase)');
	return text.replace('subnets: [subnet-0a1b2c3d4e5f60718]', `subnets: [${network.subnet}]`).replace('securityGroups: [sg-0c1d2e3f4a5b60718]', `securityGroups: [${network.securityGroup}]`);
}

/** A case: a reset emulator, a folder with the recipe and its own ECS_DEPLOYER_HOME, and the CLI on them. */
export type Case = Place & {
	/** Runs `ecs-deployer ARGS` in the case's folder (killed and failed after `timeoutMs`). */
	cli(args: readonly string[], options?: {timeoutMs?: number}): Promise<CliRun>;
	/** Adds a target named `emu` for `cluster` serving every environment of the recipe (through the CLI). */
	addTarget(cluster: string, environments?: readonly string[]): Promise<void>;
};

// Removed when the file's cases are done (a case may span several tests of a describe block).
const folders: string[] = [];
afterAll(async () => {
	for (const folder of folders.splice(0)) await rm(folder, {recursive: true, force: true});
});

/** Starts a case from a reset emulator and an empty workspace. */
export async function newCase(): Promise<Case> {
	await resetEmulator();
	network = await defaultNetwork();
	const dir = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-emulator-'));
	folders.push(dir);
	const place = {dir, home: path.join(dir, 'home')};
	await writeFile(path.join(dir, project.recipeFile), withEmulatorNetwork(recipeText));
	const cli = (args: readonly string[], options?: {timeoutMs?: number}) => runCli(place, args, options);
	return {
		...place,
		cli,
		async addTarget(cluster, environments = ['dev', 'staging', 'production']) {
			const run = await cli(['target', 'add', '--name', 'emu', '--region', region, '--cluster', cluster, ...environments.flatMap(e => ['--env', e])]);
			if (run.code !== 0) throw new Error(`target add failed (exit ${run.code}): ${run.stderr}`);
		},
	};
}
