import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand} from '@aws-sdk/client-ecs';
import {beforeAll, describe, expect, test} from 'vitest';
import {describeRun, resultOf} from './helpers/cli.js';
import {newCase, project, recipeText, type Case} from './helpers/case.js';
import {aws, createCluster, endpoint, region, seedRepository, serviceOfStack} from './helpers/emulator.js';

/*
 * What the emulator implements of issue 19: RunTask (`ecs-deployer run`, from the running task definition in
 * the service's network) and the service's count (`scale`). moto's RunTask needs subnets and security groups
 * that exist in its EC2 (it attaches a network interface) and a memory limit on the container; its tasks
 * stop after a few DescribeTasks with exit code 0. Not implemented by moto, so not covered here: the service
 * deployment calls (ListServiceDeployments, DescribeServiceDeployments, ContinueServiceDeployment: the
 * approval gate plays only in the sandbox) and Application Auto Scaling resources in CloudFormation.
 */

/** A value of moto's EC2 (Query API, answered without checking signatures), e.g. the default VPC's first subnet. */
async function ec2First(action: string, tag: string): Promise<string> {
	const response = await fetch(endpoint(), {
		method: 'POST',
		headers: {'Content-Type': 'application/x-www-form-urlencoded', Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`},
		body: `Action=${action}&Version=2016-11-15`,
	});
	const text = await response.text();
	const value = new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(text)?.[1];
	if (!value) throw new Error(`${action}: no ${tag} in ${text.slice(0, 300)}`);
	return value;
}

describe('run and scale on the emulator', () => {
	let c: Case;
	const stack = project.stack('dev');

	beforeAll(async () => {
		c = await newCase();
		await createCluster('main');
		await c.addTarget('main');
		// 1.0.1: the release the beforeDeploy case deploys.
		await seedRepository(project.repository, ['1.0.0', '1.0.1']);
		// The recipe in moto's own network, with the memory limit its RunTask needs.
		const subnet = await ec2First('DescribeSubnets', 'subnetId');
		const group = await ec2First('DescribeSecurityGroups', 'groupId');
		const text = recipeText.replace('subnets: [subnet-0a1b2c3d4e5f60718]', `subnets: [${subnet}]`).replace('securityGroups: [sg-0c1d2e3f4a5b60718]', `securityGroups: [${group}]`).replace('      ports: [80]', '      ports: [80]\n      memory: 512');
		await writeFile(path.join(c.dir, project.recipeFile), text);
		const deployed = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes', '--json']);
		expect(resultOf(deployed).outcome, describeRun(deployed)).toBe('succeeded');
	});

	test('run: RunTask from the task definition the service runs, in its network, followed to the container\'s exit code', async () => {
		const run = await c.cli(['run', '--recipe', project.recipeFile, '--env', 'dev', '--', 'sh', '-c', './migrate']);
		expect(run.code, describeRun(run)).toBe(0);
		expect(run.stdout).toMatch(/started task \S+ of emu-web-dev:1 \(web: sh -c \.\/migrate\)/);
		expect(run.stdout).toMatch(/✓ task \S+ ended: web exited 0/);
		const service = await serviceOfStack(stack, 'main');
		const arns = (await aws.ecs().send(new ListTasksCommand({cluster: 'main', startedBy: 'ecs-deployer/run', desiredStatus: 'STOPPED'}))).taskArns ?? [];
		const all = arns.length > 0 ? arns : ((await aws.ecs().send(new ListTasksCommand({cluster: 'main', startedBy: 'ecs-deployer/run'}))).taskArns ?? []);
		expect(all.length).toBeGreaterThan(0);
		const task = (await aws.ecs().send(new DescribeTasksCommand({cluster: 'main', tasks: all}))).tasks![0]!;
		expect(task).toMatchObject({startedBy: 'ecs-deployer/run', taskDefinitionArn: service!.taskDefinition, launchType: 'FARGATE'});
		expect(task.overrides?.containerOverrides?.[0]).toMatchObject({name: 'web', command: ['sh', '-c', './migrate']});
	});

	test('run --json ends with the task\'s result; an unknown container is refused before anything starts', async () => {
		const json = await c.cli(['run', '--recipe', project.recipeFile, '--env', 'dev', '--json']);
		expect(json.code, describeRun(json)).toBe(0);
		expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!).result).toMatchObject({kind: 'exited', container: 'web', exitCode: 0});
		const refused = await c.cli(['run', '--recipe', project.recipeFile, '--env', 'dev', '--container', 'db']);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/--container: "db" is not a container of the service \(web\)/);
	});

	test('scale: UpdateService desiredCount; the verdict is what ECS shows running', async () => {
		const scaled = await c.cli(['scale', '--recipe', project.recipeFile, '--env', 'dev', '--count', '3', '--yes', '--json'], {timeoutMs: 120_000});
		expect(scaled.code, describeRun(scaled)).toBe(0);
		const service = await serviceOfStack(stack, 'main');
		expect(resultOf(scaled)).toMatchObject({outcome: 'succeeded', confirmed: expect.arrayContaining([`${service?.runningCount} of 3 tasks running`])});
		expect(service?.desiredCount).toBe(3);
		const back = await c.cli(['scale', '--recipe', project.recipeFile, '--env', 'dev', '--count', '2', '--yes', '--json']);
		expect(back.code, describeRun(back)).toBe(0);
	});

	test('beforeDeploy: the new release\'s task definition is registered and run in the service\'s network before the change set is executed', async () => {
		const file = path.join(c.dir, project.recipeFile);
		const text = (await readFile(file, 'utf8')).replace('  containers:\n', '  beforeDeploy:\n    - {name: migrate, container: web, command: [sh, -c, ./migrate], timeoutMinutes: 5}\n  containers:\n');
		await writeFile(file, text);
		const deployed = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.1', '--yes'], {timeoutMs: 120_000});
		// The emulator never confirms an update (its service keeps the old task definition): unconfirmed, exit 4.
		expect(deployed.code, describeRun(deployed)).toBe(4);
		expect(deployed.stdout).toMatch(/beforeDeploy migrate: task \S+ \(web: sh -c \.\/migrate\)/);
		expect(deployed.stdout).toMatch(/✓ beforeDeploy migrate: web exited 0/);
		expect(deployed.stdout.indexOf('✓ beforeDeploy migrate')).toBeLessThan(deployed.stdout.indexOf('update started'));
		const registered = (await aws.ecs().send(new DescribeTaskDefinitionCommand({taskDefinition: `${project.stack('dev')}-before-deploy`}))).taskDefinition!;
		expect(registered.containerDefinitions?.[0]?.image).toMatch(/:1\.0\.1$/);
		expect(registered.executionRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\/ecs-deployer\/[^/]+\/.+/);
		const arns = [
			...((await aws.ecs().send(new ListTasksCommand({cluster: 'main', startedBy: 'ecs-deployer/before-deploy', desiredStatus: 'STOPPED'}))).taskArns ?? []),
			...((await aws.ecs().send(new ListTasksCommand({cluster: 'main', startedBy: 'ecs-deployer/before-deploy'}))).taskArns ?? []),
		];
		expect(arns.length).toBeGreaterThan(0);
		const task = (await aws.ecs().send(new DescribeTasksCommand({cluster: 'main', tasks: arns}))).tasks![0]!;
		expect(task).toMatchObject({taskDefinitionArn: registered.taskDefinitionArn, startedBy: 'ecs-deployer/before-deploy'});
		expect(task.overrides?.containerOverrides?.[0]).toMatchObject({name: 'web', command: ['sh', '-c', './migrate']});
	});
});
