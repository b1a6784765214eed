import {readFile} from 'node:fs/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {parse} from 'yaml';
import {deployCommand, type DeployFlags} from '../../source/headless/commands/deploy.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';
import {capture} from '../helpers/output.js';

/*
 * beforeDeploy tasks (migrations): the new release's task definition, registered outside the stack, runs
 * each task in the service's network after the change set is approved and before it is executed; a task
 * that does not exit 0 leaves the service untouched.
 */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const io = {env: {}, globalArgs: ['--sandbox']};

async function recipe(beforeDeploy: unknown[] | undefined) {
	const doc = parse(await readFile(h.example('hello-color'), 'utf8')) as {service: Record<string, unknown>};
	if (beforeDeploy) doc.service['beforeDeploy'] = beforeDeploy;
	return h.recipeFile(doc);
}

async function deploy(file: string, tag: string, flags: Partial<DeployFlags> = {}) {
	const {output, out, err} = capture();
	const code = await deployCommand({recipe: file, env: 'dev', target: 'sandbox', image: [`web=${tag}`], yes: true, ...flags}, h.engine, output, io);
	return {code, stdout: out(), stderr: err()};
}

const migrate = {name: 'migrate', container: 'web', command: ['sh', '-c', './migrate up'], timeoutMinutes: 5};
const order = () => h.fake.calls.map(c => c.command).filter(c => ['RegisterTaskDefinition', 'RunTask', 'StopTask', 'ExecuteChangeSet', 'DeleteChangeSet'].includes(c));

describe('beforeDeploy tasks', () => {
	test('run the NEW release in the service network before the change set is executed', async () => {
		const file = await recipe([migrate]);
		expect((await deploy(file, '1.3.0')).code).toBe(0);
		h.fake.calls.length = 0;
		const {code, stdout} = await deploy(file, '1.4.0');
		expect(code).toBe(0);
		expect(order()).toEqual(['RegisterTaskDefinition', 'RunTask', 'ExecuteChangeSet']);
		const registered = h.fake.calls.find(c => c.command === 'RegisterTaskDefinition')!.input;
		expect(registered).toMatchObject({
			family: 'hello-color-dev-before-deploy',
			cpu: '256',
			memory: '512',
			networkMode: 'awsvpc',
			requiresCompatibilities: ['FARGATE'],
			executionRoleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\/ecs-deployer\/hello-color-dev\/.+/),
			containerDefinitions: [
				{
					name: 'web',
					image: expect.stringMatching(/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/hello-color:1\.4\.0$/),
					environment: expect.arrayContaining([{name: 'OCTO_ENV', value: 'Hello from dev'}]),
					logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/hello-color/dev', 'awslogs-stream-prefix': 'web'}},
				},
			],
		});
		expect(JSON.stringify(registered)).not.toMatch(/"Ref"|Fn::/);
		const run = h.fake.calls.find(c => c.command === 'RunTask')!.input;
		expect(run).toMatchObject({
			cluster: 'sandbox',
			taskDefinition: expect.stringMatching(/task-definition\/hello-color-dev-before-deploy:1$/),
			launchType: 'FARGATE',
			startedBy: 'ecs-deployer/before-deploy',
			networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60729'], securityGroups: ['sg-0c1d2e3f4a5b60718'], assignPublicIp: 'ENABLED'}},
			overrides: {containerOverrides: [{name: 'web', command: ['sh', '-c', './migrate up']}]},
		});
		expect(stdout).toMatch(/beforeDeploy migrate: task [0-9a-f]{32} \(web: sh -c \.\/migrate up\)/);
		expect(stdout).toMatch(/web \| All migrations applied/);
		expect(stdout).toMatch(/✓ beforeDeploy migrate: web exited 0/);
		expect(stdout.indexOf('✓ beforeDeploy migrate')).toBeLessThan(stdout.indexOf('update started'));
	});

	test('a migration that exits non-zero: no ExecuteChangeSet, the change set is removed, the service keeps its release', async () => {
		const file = await recipe([migrate]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		h.fake.calls.length = 0;
		const {code, stderr, stdout} = await deploy(file, '1.4.1-migration-fails');
		// The deploy failed (exit 1), as a rolled-back one does.
		expect(code).toBe(1);
		expect(order()).toEqual(['RegisterTaskDefinition', 'RunTask', 'DeleteChangeSet']);
		expect(stdout + stderr).toMatch(/✗ beforeDeploy task migrate failed \(task [0-9a-f]{32}\): web exited 2 \(EssentialContainerExited: Essential container in task exited\); the service was not changed/);
		expect(stdout + stderr).toMatch(/last log lines: .*ERROR: cannot drop column legacy_id/);
		const stack = (await h.fake.sandbox.ports().cloudFormation.describeStacks({StackName: 'hello-color-dev'})).Stacks![0]!;
		// Never updated: still as the first deploy created it.
		expect(stack.StackStatus).toBe('CREATE_COMPLETE');
		const arn = stack.Outputs!.find(o => o.OutputKey === 'TaskDefinitionArn')!.OutputValue!;
		const td = await h.fake.sandbox.ports().ecs.describeTaskDefinition({taskDefinition: arn});
		expect(td.taskDefinition!.containerDefinitions![0]!.image).toMatch(/:1\.4\.0$/);
	});

	test('a task past its timeout is stopped and the deploy fails', async () => {
		const file = await recipe([{...migrate, timeoutMinutes: 1}]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		h.fake.calls.length = 0;
		const {code, stderr, stdout} = await deploy(file, '1.4.1-slow');
		expect(code).toBe(1);
		expect(order()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask', 'DeleteChangeSet']);
		expect(stdout + stderr).toMatch(/beforeDeploy task migrate failed .*after its timeout of 1 min; it was stopped \(StopTask\)/);
	});

	test('the tasks run in order; the first failure stops the rest', async () => {
		const file = await recipe([migrate, {name: 'seed', container: 'web', command: ['sh', '-c', 'seed; exit 4']}, {name: 'after', container: 'web', command: ['true']}]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		h.fake.calls.length = 0;
		const {code, stderr, stdout} = await deploy(file, '1.3.0');
		expect(code).not.toBe(0);
		expect(order()).toEqual(['RegisterTaskDefinition', 'RunTask', 'RunTask', 'DeleteChangeSet']);
		expect(stdout).toMatch(/✓ beforeDeploy migrate: web exited 0/);
		expect(stdout + stderr).toMatch(/beforeDeploy task seed failed .*web exited 4/);
	});

	test('--skip-before-deploy runs none and says so', async () => {
		const file = await recipe([migrate]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		h.fake.calls.length = 0;
		const {code, stdout, stderr} = await deploy(file, '1.4.1-migration-fails', {skipBeforeDeploy: true});
		expect(code).toBe(0);
		expect(order()).toEqual(['ExecuteChangeSet']);
		expect(stdout + stderr).toMatch(/the beforeDeploy tasks \(migrate\) were skipped \(--skip-before-deploy\)/);
	});

	test('creating the stack: the task definition needs the stack\'s role and log group, so the tasks are skipped with a warning', async () => {
		const file = await recipe([migrate]);
		const {code, stdout, stderr} = await deploy(file, '1.4.0');
		expect(code).toBe(0);
		expect(order()).toEqual(['ExecuteChangeSet']);
		expect(stdout + stderr).toMatch(/beforeDeploy tasks were not run: stack hello-color-dev does not exist yet and the task definition needs its LogGroup, TaskExecutionRole/);
	});

	test('the question to apply the change says the tasks run first', async () => {
		const file = await recipe([migrate]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		const host = recordingHost({'execute-change-set': false});
		const run = h.engine.deploy({recipeFile: file, environment: 'dev', target, images: {web: '1.3.0'}, reattach: 'watch'}, host);
		expect((await run.result).outcome).toBe('declined');
		const question = host.asked.find(q => q.id === 'execute-change-set')!;
		expect(question.detail).toEqual(expect.arrayContaining(['First, with this release (each must exit 0, or nothing is changed):', '    beforeDeploy migrate: web: sh -c ./migrate up (at most 5 min)']));
	});

	test('a preview runs no task; a declined change set runs none', async () => {
		const file = await recipe([migrate]);
		expect((await deploy(file, '1.4.0')).code).toBe(0);
		h.fake.calls.length = 0;
		expect((await deploy(file, '1.3.0', {preview: true})).code).toBe(0);
		expect((await deploy(file, '1.3.0', {yes: false})).code).not.toBe(0);
		expect(order()).toEqual(['DeleteChangeSet', 'DeleteChangeSet']);
	});
});
