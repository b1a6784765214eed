import path from 'node:path';
import {readFile, writeFile} from 'node:fs/promises';
import {GetTemplateCommand} from '@aws-sdk/client-cloudformation';
import {ListObjectsV2Command} from '@aws-sdk/client-s3';
import {beforeAll, describe, expect, test} from 'vitest';
import {describeRun, jsonOf, resultOf, runCli, type CliRun, type Place} from './helpers/cli.js';
import {newCase, project, recipeText, withEmulatorNetwork, type Case} from './helpers/case.js';
import {aws, createBucket, createCluster, seedRepository} from './helpers/emulator.js';

// The shared ledger on the emulator's S3 (moto answers conditional writes as S3 does: 412 PreconditionFailed):
// two operators, each with a workspace of their own (ECS_DEPLOYER_HOME), one bucket their recipe names.

const bucket = 'emu-ledger';
const ledgerRecipe = 'emu-web-ledger.yaml';

/** The suite's recipe with a ledger and a Message variable the container gets as MESSAGE. */
function withLedger(message: string, ledger = `s3://${bucket}/team`): string {
	return withEmulatorNetwork(recipeText)
		.replace('images:', `ledger: ${ledger}\nvariables:\n  - name: Message\n    value: "${message}"\nimages:`)
		.replace('      ports: [80]', '      ports: [80]\n      environment:\n        MESSAGE: "#{Message}"');
}

/**
 * The MESSAGE of the dev stack's task definition, from the template CloudFormation holds for the stack
 * (moto registers the stack's task definition without its containers' names, images or environment, so
 * DescribeTaskDefinition cannot say it there).
 */
async function stackMessage(): Promise<string | undefined> {
	const {TemplateBody} = await aws.cloudFormation().send(new GetTemplateCommand({StackName: project.stack('dev')}));
	const template = JSON.parse(TemplateBody ?? '{}') as {Resources: Record<string, {Type: string; Properties: {ContainerDefinitions?: Array<{Environment?: Array<{Name: string; Value: string}>}>}}>};
	const definition = Object.values(template.Resources).find(r => r.Type === 'AWS::ECS::TaskDefinition');
	return definition?.Properties.ContainerDefinitions?.[0]?.Environment?.find(e => e.Name === 'MESSAGE')?.Value;
}

describe('two operators, one S3 ledger', () => {
	let c: Case;
	let bob: Place;
	const alice = (args: readonly string[]) => c.cli(args, {timeoutMs: 60_000});
	const asBob = (args: readonly string[]) => runCli(bob, args, {timeoutMs: 60_000});

	beforeAll(async () => {
		c = await newCase();
		bob = {dir: c.dir, home: path.join(c.dir, 'home-bob')};
		await createCluster('main');
		await createBucket(bucket);
		await c.addTarget('main');
		const added = await runCli(bob, ['target', 'add', '--name', 'emu', '--region', 'us-east-1', '--cluster', 'main', '--env', 'dev', '--env', 'staging', '--env', 'production']);
		expect(added.code, describeRun(added)).toBe(0);
		await seedRepository(project.repository, ['1.3.0', '1.4.0', '2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.0.6', '2.0.7', '3.0.0-a', '3.0.0-b']);
		await writeFile(path.join(c.dir, ledgerRecipe), withLedger('Hello from 1.3.0'));
	});

	test('the broken-config rollback: Bob deploys a broken message over Alice\'s release; Alice rolls back to it and the task definition has her message again', async () => {
		const deploy = (who: (args: readonly string[]) => Promise<CliRun>, args: string[]) => who([...args, '--recipe', ledgerRecipe, '--env', 'dev', '--yes', '--json']);
		const first = await deploy(alice, ['deploy', '--image', 'web=1.3.0']);
		expect(resultOf(first), describeRun(first)).toMatchObject({outcome: 'succeeded', release: {version: '1.3.0'}});
		await writeFile(path.join(c.dir, ledgerRecipe), withLedger('BROKEN CONFIG'));
		const broken = await deploy(asBob, ['deploy', '--image', 'web=1.4.0']);
		// The emulator never confirms an update (see lifecycle.test.ts): unconfirmed, exit 4.
		expect(resultOf(broken), describeRun(broken)).toMatchObject({release: {version: '1.4.0'}});
		expect(await stackMessage()).toBe('BROKEN CONFIG');

		// The emulator's service stays on the first task definition after an update, so ECS says 1.3.0 still runs
		// and `--to previous` truthfully finds nothing earlier (the sandbox suite covers it): Alice names the release.
		const back = await deploy(alice, ['rollback', '--to', '1.3.0']);
		expect(resultOf(back), describeRun(back)).toMatchObject({release: {version: '1.3.0', builtFrom: 'snapshot', recipeChanges: ['variables[Message].value']}});
		expect(await stackMessage()).toBe('Hello from 1.3.0');
		expect(back.stdout).toMatch(/today's recipe differs from the one release 1\.3\.0 keeps/);
	});

	test('both see both releases and every deployment; neither workspace file has them', async () => {
		for (const who of [alice, asBob]) {
			const run = await who(['releases', '--recipe', ledgerRecipe, '--json']);
			expect(run.code, describeRun(run)).toBe(0);
			const releases = jsonOf<Array<{version: string; outcomes: Array<{environment: string; by?: string}>}>>(run);
			expect(releases.map(r => r.version)).toEqual(['1.4.0', '1.3.0']);
			expect(releases.find(r => r.version === '1.3.0')!.outcomes).toHaveLength(2);
		}
		for (const home of [c.home, bob.home]) {
			const workspace = JSON.parse(await readFile(path.join(home, 'workspace.json'), 'utf8')) as {releases: unknown[]; deployments: unknown[]};
			expect([workspace.releases, workspace.deployments]).toEqual([[], []]);
		}
		const keys = (await aws.s3().send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'team/'}))).Contents?.map(o => o.Key ?? '') ?? [];
		expect(keys.filter(k => k.includes('/releases/'))).toEqual([`team/${project.name}/releases/1.3.0.json`, `team/${project.name}/releases/1.4.0.json`]);
		expect(keys.filter(k => k.includes('/deployments/dev/'))).toHaveLength(3);
	});

	test('8 parallel release creates of distinct versions from both workspaces keep all 8; the same version twice: one wins, the other exits 5', async () => {
		const versions = ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.0.6', '2.0.7'];
		const runs = await Promise.all(versions.map((version, i) => (i % 2 === 0 ? alice : asBob)(['release', 'create', '--recipe', ledgerRecipe, '--version', `9.0.${version.split('.')[2]}`, '--image', `web=${version}`, '--json'])));
		expect(runs.map(r => (r.code === 0 ? 0 : describeRun(r)))).toEqual(versions.map(() => 0));
		const listed = jsonOf<Array<{version: string}>>(await asBob(['releases', '--recipe', ledgerRecipe, '--json'])).map(r => r.version);
		expect(listed.filter(v => v.startsWith('9.'))).toHaveLength(8);

		const race = await Promise.all([alice(['release', 'create', '--recipe', ledgerRecipe, '--version', '10.0.0', '--image', 'web=3.0.0-a']), asBob(['release', 'create', '--recipe', ledgerRecipe, '--version', '10.0.0', '--image', 'web=3.0.0-b'])]);
		expect(race.map(r => r.code).sort(), race.map(describeRun).join('\n')).toEqual([0, 5]);
		expect(race.find(r => r.code === 5)!.stderr).toMatch(/release 10\.0\.0 (was just created by someone else|already exists) \(made by /);
	});

	test('a bucket that does not exist: exit 2, naming it and where it was named', async () => {
		await writeFile(path.join(c.dir, 'missing.yaml'), withLedger('x', 's3://no-such-emu-bucket/p'));
		const run = await alice(['release', 'create', '--recipe', 'missing.yaml']);
		expect(run.code, describeRun(run)).toBe(2);
		expect(run.stderr).toMatch(/the ledger bucket no-such-emu-bucket does not exist \(s3:\/\/no-such-emu-bucket\/p, named in the recipe's `ledger` field\)/);
	});

	test('ledger import: a workspace\'s own releases and records go into the bucket once', async () => {
		// The suite's recipe without a ledger: Alice's workspace file keeps what she deploys with it.
		const made = await alice(['release', 'create', '--recipe', project.recipeFile, '--image', 'web=1.4.0']);
		expect(made.code, describeRun(made)).toBe(0);
		const imported = await alice(['ledger', 'import', '--recipe', project.recipeFile, '--to', `s3://${bucket}/imported`, '--json']);
		expect(imported.code, describeRun(imported)).toBe(0);
		expect(jsonOf(imported)).toMatchObject({ledger: `s3://${bucket}/imported`, releases: {created: ['1.4.0']}});
		const again = await alice(['ledger', 'import', '--recipe', project.recipeFile, '--to', `s3://${bucket}/imported`, '--json']);
		expect(jsonOf(again)).toMatchObject({releases: {created: [], alreadyThere: ['1.4.0']}});
	});
});
