import {DescribeStacksCommand} from '@aws-sdk/client-cloudformation';
import {expect, test} from 'vitest';
import {describeRun, jsonOf, resultOf, type JsonResult} from './helpers/cli.js';
import {newCase, project} from './helpers/case.js';
import {aws, createCluster, createZombieStack, describeStack, emulatorRunningTasks, region, seedRepository, serviceOfStack} from './helpers/emulator.js';

type StatusRow = {environment: string; stackStatus?: string; release?: string; rollout?: string; running?: number; desired?: number; lastDeployment?: {version: string; outcome: string}};
type ReleaseRow = {version: string; outcomes: Array<{environment: string; outcome: string}>};

/** An error result carries where it happened, the AWS error code, its message and a hint. */
function expectErrorResult(result: JsonResult): void {
	expect(result).toMatchObject({outcome: 'error', exitCode: 1});
	for (const field of ['step', 'code', 'message', 'hint']) {
		expect(typeof result[field] === 'string' && (result[field] as string).trim() !== '', `result.${field} in ${JSON.stringify(result)}`).toBe(true);
	}
}

test('a deploy into a cluster that does not exist is stopped by the pre-flight check within seconds, before any stack exists, and is recorded as failed', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('gone');
	await seedRepository(project.repository, ['1.0.0']);

	const run = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes', '--json']);
	const result = resultOf(run);
	expect(run.code, describeRun(run)).toBe(1);
	expect(result).toMatchObject({outcome: 'failed', exitCode: 1});
	expect(result.message).toMatch(/Cluster not found|gone/);
	expect(run.ms, 'ends within a few seconds').toBeLessThan(10_000);
	expect(await describeStack(project.stack('dev')), 'no stack was created').toBeUndefined();

	const status = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev', '--json']);
	expect(status.code, describeRun(status)).toBe(0);
	const row = jsonOf<StatusRow[]>(status)[0];
	expect(row?.stackStatus, 'there is no stack').toBeUndefined();
	expect(row?.lastDeployment).toMatchObject({version: '1.0.0', outcome: 'failed'});

	const releases = jsonOf<ReleaseRow[]>(await c.cli(['releases', '--recipe', project.recipeFile, '--json']));
	expect(releases.find(r => r.version === '1.0.0')?.outcomes).toEqual([expect.objectContaining({environment: 'dev', outcome: 'failed'})]);
});

/** A case whose dev stack is a zombie: DescribeStacks on it answers HTTP 500 with an HTML page. */
async function zombieCase() {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');
	await seedRepository(project.repository, ['1.0.0']);
	// The product's own template, created with CreateStack into a cluster that does not exist.
	const exported = await c.cli(['export', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--format', 'json', '--cluster', 'main', '--region', region]);
	expect(exported.code, describeRun(exported)).toBe(0);
	await createZombieStack(project.stack('dev'), exported.stdout, 'gone');
	const answer = await aws
		.cloudFormation()
		.send(new DescribeStacksCommand({StackName: project.stack('dev')}))
		.then(() => 'an answer', (error: {$metadata?: {httpStatusCode?: number}}) => `HTTP ${error.$metadata?.httpStatusCode}`);
	expect(answer, 'precondition: DescribeStacks on the zombie answers HTTP 500').toBe('HTTP 500');
	return c;
}

test('an HTML 500 answer (DescribeStacks on a zombie stack) ends a deploy with an error result (step, code, message, hint), never a hang', async () => {
	const c = await zombieCase();
	// The SDK and the engine may retry a 500 for a while; the run must still end, with a result.
	const deploy = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes', '--json'], {timeoutMs: 120_000});
	expectErrorResult(resultOf(deploy));
	expect(deploy.code, describeRun(deploy)).toBe(1);
	expect(deploy.stderr).not.toMatch(/unexpected error|\n\s+at /);
});

test('an HTML 500 answer ends status with the error named, not "cannot reach AWS" and not "not deployed"', async () => {
	const c = await zombieCase();
	const status = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev'], {timeoutMs: 120_000});
	expect(status.code, describeRun(status)).not.toBe(0);
	// AWS was reached and answered with a server error: not a network problem, and the stack exists.
	expect(status.stderr, describeRun(status)).not.toMatch(/cannot reach AWS/);
	expect(status.stdout + status.stderr).not.toMatch(/not deployed/);
	expect(status.stderr).toMatch(/500|DescribeStacks|XML/);
});

test('a stack without outputs: the service is found through the stack resources, and a rollout that has not completed (running 2 of 3) is never "succeeded"', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');
	await seedRepository(project.repository, ['1.0.0']);
	const stackName = project.stack('production');

	// Production asks for one task more than the emulator runs: its rollout stays IN_PROGRESS. With a wait
	// of one minute the deploy ends when the wait does, or sooner, but must not claim the release serves.
	const run = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'production', '--image', 'web=1.0.0', '--yes', '--skip-lifecycle', '--timeout', '1', '--json'], {timeoutMs: 150_000});
	const result = resultOf(run);
	expect((await describeStack(stackName))?.Outputs ?? [], 'precondition: the emulator gave the stack no outputs').toEqual([]);
	const primary = (await serviceOfStack(stackName, 'main'))?.deployments?.find(d => d.status === 'PRIMARY');
	expect(primary, 'precondition: the rollout has not completed').toMatchObject({rolloutState: 'IN_PROGRESS', runningCount: emulatorRunningTasks, desiredCount: emulatorRunningTasks + 1});

	expect(run.code, describeRun(run)).toBe(result.exitCode);
	expect(result.outcome).not.toBe('succeeded');
	expect(result.exitCode).not.toBe(0);
	expect(result.message).not.toMatch(/is serving/);
	expect(result.message).toMatch(new RegExp(`${emulatorRunningTasks} of ${emulatorRunningTasks + 1}|IN_PROGRESS|not (been )?confirmed|unconfirmed|timed out`, 'i'));

	const status = jsonOf<StatusRow[]>(await c.cli(['status', '--recipe', project.recipeFile, '--env', 'production', '--json']));
	expect(status[0]).toMatchObject({stackStatus: 'CREATE_COMPLETE', rollout: 'IN_PROGRESS', running: emulatorRunningTasks, desired: emulatorRunningTasks + 1});
	expect(status[0]?.lastDeployment?.outcome).not.toBe('succeeded');
});
