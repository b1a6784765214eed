import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {parse, stringify} from 'yaml';
import {repoRoot, runCli, type CliResult} from '../helpers/cli.js';

// The built CLI on the sandbox account, as two operators would run it: two workspaces (ECS_DEPLOYER_HOME),
// one account (ECS_DEPLOYER_SANDBOX_HOME) whose bucket sandbox-ledger their recipe names as its ledger.

const speed = '50';

type Operator = {run(...args: string[]): Promise<CliResult>; home: string};

/** A shared sandbox account, a recipe (hello-color with a ledger) and two operators with workspaces of their own. */
async function team(ledger: string | null = 's3://sandbox-ledger/team') {
	const root = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-ledger-'));
	const account = path.join(root, 'account');
	const recipe = parse(await readFile(path.join(repoRoot, 'recipes/hello-color.yaml'), 'utf8')) as Record<string, any>;
	if (ledger) recipe['ledger'] = ledger;
	const recipeFile = path.join(root, 'hello-color.yaml');
	await writeFile(recipeFile, stringify(recipe));
	const operator = (name: string): Operator => {
		const home = path.join(root, name);
		return {home, run: (...args) => runCli(['--sandbox', ...args], {cwd: root, env: {ECS_DEPLOYER_HOME: home, ECS_DEPLOYER_SANDBOX_HOME: account, ECS_DEPLOYER_SANDBOX_SPEED: speed}})};
	};
	const setMessage = async (message: string) => {
		recipe['variables'] = recipe['variables'].map((v: {name: string}) => (v.name === 'Message' ? {...v, value: message} : v));
		await writeFile(recipeFile, stringify(recipe));
	};
	/** OCTO_ENV in the task definition of the stack's template, as the account holds it. */
	const runningMessage = async () => {
		const state = JSON.parse(await readFile(path.join(account, 'sandbox.json'), 'utf8')) as {stacks: Array<{name: string; body: string}>};
		const template = JSON.parse(state.stacks.find(s => s.name === 'hello-color-dev')!.body) as {Resources: Record<string, {Type: string; Properties: any}>};
		const definition = Object.values(template.Resources).find(r => r.Type === 'AWS::ECS::TaskDefinition')!;
		return (definition.Properties.ContainerDefinitions[0].Environment as Array<{Name: string; Value: unknown}>).find(e => e.Name === 'OCTO_ENV')?.Value;
	};
	return {root, recipeFile, a: operator('alice'), b: operator('bob'), setMessage, runningMessage};
}

const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

describe.concurrent('the ledger on the sandbox account', () => {
	test('broken-config rollback: two operators, one bucket; rollback --to previous brings back the message 1.3.0 was released with', async () => {
		const {recipeFile, a, b, setMessage, runningMessage} = await team();
		const first = await a.run('deploy', '--yes', '-r', recipeFile, '-e', 'dev', '-i', 'web=1.3.0');
		expect(first.code, show(first)).toBe(0);
		await setMessage('BROKEN CONFIG');
		const broken = await b.run('deploy', '--yes', '-r', recipeFile, '-e', 'dev', '-i', 'web=1.4.0');
		expect(broken.code, show(broken)).toBe(0);
		expect(await runningMessage()).toBe('BROKEN CONFIG');

		// Alice's workspace never saw Bob's deploy: the bucket has it.
		const back = await a.run('rollback', '--yes', '-r', recipeFile, '-e', 'dev', '--to', 'previous', '--json');
		expect(back.code, show(back)).toBe(0);
		const result = JSON.parse(back.stdout.trim().split('\n').at(-1)!) as {result: {release: {version: string; builtFrom: string; recipeChanges: string[]}}};
		expect(result.result.release).toMatchObject({version: '1.3.0', builtFrom: 'snapshot', recipeChanges: ['variables[Message].value']});
		expect(await runningMessage()).toMatch(/^Hello from/);

		const plain = await b.run('releases', '-r', recipeFile);
		expect(plain.stdout).toMatch(/1\.3\.0 .*\n(.*\n)*\s+! today's recipe differs from the one this release keeps: variables\[Message\]\.value/);
		for (const who of [a, b]) {
			const listed = JSON.parse((await who.run('releases', '-r', recipeFile, '--json')).stdout) as Array<{version: string; outcomes: Array<{environment: string; outcome: string; by?: string}>}>;
			expect(listed.map(r => r.version)).toEqual(['1.4.0', '1.3.0']);
			expect(listed.find(r => r.version === '1.3.0')!.outcomes.map(o => o.outcome)).toEqual(['succeeded', 'succeeded']);
		}
		// Neither workspace file holds a release or a record: the ledger is the bucket.
		for (const who of [a, b]) {
			const workspace = JSON.parse(await readFile(path.join(who.home, 'workspace.json'), 'utf8').catch(() => '{"releases":[],"deployments":[]}')) as {releases: unknown[]; deployments: unknown[]};
			expect([workspace.releases.length, workspace.deployments.length]).toEqual([0, 0]);
		}
	}, 120_000);

	test('8 parallel release creates of distinct versions from both workspaces keep all 8; the same version twice: one wins, the other exits 5', async () => {
		const {recipeFile, a, b} = await team();
		const versions = Array.from({length: 8}, (_, i) => `2.0.${i}`);
		const tags = ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.4.0-rc.2'];
		const results = await Promise.all(versions.map((version, i) => (i % 2 === 0 ? a : b).run('release', 'create', '-r', recipeFile, '--version', version, '-i', `web=${tags[i]}`, '--json')));
		expect(results.map(r => (r.code === 0 ? 0 : show(r)))).toEqual(versions.map(() => 0));
		for (const who of [a, b]) {
			const listed = JSON.parse((await who.run('releases', '-r', recipeFile, '--json')).stdout) as Array<{version: string}>;
			expect(listed.map(r => r.version).sort()).toEqual(versions);
		}

		// Images no release pins yet (the same images and configuration as 2.0.5 would be refused as 2.0.5's anyway).
		const race = await Promise.all([a.run('release', 'create', '-r', recipeFile, '--version', '3.0.0', '-i', 'web=1.4.0-beta.1'), b.run('release', 'create', '-r', recipeFile, '--version', '3.0.0', '-i', 'web=1.4.1-slow')]);
		expect(race.map(r => r.code).sort()).toEqual([0, 5]);
		const loser = race.find(r => r.code === 5)!;
		expect(loser.stderr).toMatch(/error: --version: release 3\.0\.0 (was just created by someone else|already exists) \(made by .+ on .+\) with other images or configuration; pick another version/);
	}, 120_000);

	test('a bucket that does not exist exits 2 naming it; a denied one exits 3 naming the permission', async () => {
		const missing = await team('s3://no-such-ledger-bucket/x');
		const gone = await missing.a.run('release', 'create', '-r', missing.recipeFile);
		expect(gone.code, show(gone)).toBe(2);
		expect(gone.stderr).toMatch(/error: the ledger bucket no-such-ledger-bucket does not exist \(s3:\/\/no-such-ledger-bucket\/x, named in the recipe's `ledger` field\)\ncreate the bucket/);
		const denied = await team('s3://sandbox-ledger-denied/x');
		const refused = await denied.a.run('release', 'create', '-r', denied.recipeFile);
		expect(refused.code, show(refused)).toBe(3);
		expect(refused.stderr).toMatch(/access to the ledger s3:\/\/sandbox-ledger-denied\/x was denied: ListObjectsV2 needs s3:ListBucket on arn:aws:s3:::sandbox-ledger-denied/);
		const deploy = await denied.a.run('deploy', '--yes', '-r', denied.recipeFile, '-e', 'dev', '-i', 'web=1.3.0');
		expect(deploy.code, show(deploy)).toBe(3);
	}, 60_000);

	test('ledger import copies a workspace\'s releases and records into the bucket; a target may name the ledger', async () => {
		const solo = await team(null);
		expect((await solo.a.run('deploy', '--yes', '-r', solo.recipeFile, '-e', 'dev', '-i', 'web=1.3.0')).code).toBe(0);
		const imported = await solo.a.run('ledger', 'import', '-r', solo.recipeFile, '--to', 's3://sandbox-ledger/imported');
		expect(imported.code, show(imported)).toBe(0);
		expect(imported.stdout).toMatch(/imported hello-color into s3:\/\/sandbox-ledger\/imported: 1 release and 1 deployment record copied; 0 already there/);
		const twice = await solo.a.run('ledger', 'import', '-r', solo.recipeFile, '--to', 's3://sandbox-ledger/imported');
		expect(twice.stdout).toMatch(/0 releases and 0 deployment records copied; 2 already there/);
		// A target may name the ledger of the recipes deployed through it (checked when added).
		const added = await solo.b.run('target', 'add', '--name', 'shared', '--region', 'eu-west-1', '--cluster', 'sandbox', '--env', 'dev', '--ledger', 's3://sandbox-ledger/imported');
		expect(added.code, show(added)).toBe(0);
		expect(JSON.parse(await readFile(path.join(solo.b.home, 'workspace.json'), 'utf8')).targets).toEqual([expect.objectContaining({name: 'shared', ledger: 's3://sandbox-ledger/imported'})]);
		const bad = await solo.b.run('target', 'add', '--name', 'oops', '--region', 'eu-west-1', '--cluster', 'sandbox', '--env', 'dev', '--ledger', 'bucket/prefix');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/--ledger: must be s3:\/\/BUCKET or s3:\/\/BUCKET\/PREFIX/);
	}, 60_000);

	test('release create with defaults works for every example recipe', async () => {
		const {a} = await team(null);
		for (const name of ['hello-color', 'orders-api', 'invoice-worker']) {
			const made = await a.run('release', 'create', '-r', path.join(repoRoot, 'recipes', `${name}.yaml`), '--json');
			expect(made.code, `${name}: ${show(made)}`).toBe(0);
			const release = JSON.parse(made.stdout) as {images: Record<string, {tag: string; digest?: string}>};
			for (const image of Object.values(release.images)) expect(image.digest, name).toMatch(/^sha256:[0-9a-f]{64}$/);
		}
	}, 60_000);
});
