import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {deployCommand} from '../../source/headless/commands/deploy.js';
import {runTaskCommand} from '../../source/headless/commands/run-task.js';
import {exitCodeOf} from '../../source/aws/sandbox/run-task.js';
import {harness, type Harness} from '../helpers/engine.js';
import {capture} from '../helpers/output.js';

/*
 * `ecs-deployer run`: a one-off task from the running release, in the service's network, followed to its
 * end with its log, and the container's exit code as the command's.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const io = {env: {}, globalArgs: ['--sandbox']};

async function deploy(tag: string) {
	const {output} = capture();
	expect(await deployCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox', image: [`web=${tag}`], yes: true}, h.engine, output, io)).toBe(0);
}

async function run(command: string[], flags: Record<string, unknown> = {}) {
	const {output, out, err} = capture();
	const code = await runTaskCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox', ...flags}, command, h.engine, output, io);
	return {code, stdout: out(), stderr: err()};
}

describe('ecs-deployer run', () => {
	test('runs the running task definition in the service\'s network, streams state and log, exits 0', async () => {
		await deploy('1.4.0');
		const {code, stdout} = await run(['sh', '-c', './migrate up']);
		expect(code).toBe(0);
		const call = h.fake.calls.find(c => c.command === 'RunTask')!.input;
		expect(call).toMatchObject({
			cluster: 'sandbox',
			taskDefinition: expect.stringMatching(/task-definition\/hello-color-dev:1$/),
			launchType: 'FARGATE',
			startedBy: 'ecs-deployer/run',
			networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60729'], securityGroups: ['sg-0c1d2e3f4a5b60718'], assignPublicIp: 'ENABLED'}},
			overrides: {containerOverrides: [{name: 'web', command: ['sh', '-c', './migrate up']}]},
		});
		// The heading says what runs: a one-off task, not a deploy.
		expect(stdout).toMatch(/Running a one-off task of hello-color in dev \(stack hello-color-dev, /);
		expect(stdout).not.toContain('Deploying');
		expect(stdout).toMatch(/started task [0-9a-f]{32} of hello-color-dev:1 \(web: sh -c \.\/migrate up\)/);
		expect(stdout).toMatch(/task [0-9a-f]{12} RUNNING/);
		expect(stdout).toMatch(/web \| Running sh -c \.\/migrate up/);
		expect(stdout).toMatch(/web \| All migrations applied/);
		expect(stdout).toMatch(/task [0-9a-f]{12} STOPPED: Essential container in task exited \(web exit 0\)/);
		expect(stdout).toMatch(/✓ task [0-9a-f]{32} ended: web exited 0/);
	});

	test('exits with the container\'s exit code', async () => {
		await deploy('1.4.0');
		const {code, stderr} = await run(['sh', '-c', 'migrate; exit 3']);
		expect(code).toBe(3);
		expect(stderr).toMatch(/✗ task [0-9a-f]{32} ended: web exited 3/);
	});

	test('an unknown container is bad input; nothing is started', async () => {
		await deploy('1.4.0');
		const {code, stderr} = await run([], {container: 'worker'});
		expect(code).toBe(2);
		expect(stderr).toMatch(/--container: "worker" is not a container of the service \(web\)/);
		expect(h.fake.count('RunTask')).toBe(0);
	});

	test('an environment never deployed: exit 2', async () => {
		const {code, stderr} = await run([]);
		expect(code).toBe(2);
		expect(stderr).toMatch(/dev has not been deployed/);
	});
});

test('the sandbox reads the exit code a command asks for', () => {
	expect(exitCodeOf(['sh', '-c', 'migrate; exit 3'])).toBe(3);
	expect(exitCodeOf(['exit', '0'])).toBe(0);
	expect(exitCodeOf(['npm', 'run', 'migrate'])).toBe(0);
	expect(exitCodeOf(undefined)).toBe(0);
});
