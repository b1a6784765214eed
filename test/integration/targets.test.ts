import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {expect, test} from 'vitest';
import {keys, startApp} from './helpers/app.js';
import {describeRun, jsonOf} from './helpers/cli.js';
import {newCase, project} from './helpers/case.js';
import {accountId, createCluster, defaultNetwork, describeStack, region, seedRepository} from './helpers/emulator.js';

type Verification = {target: string; access: boolean; accountId?: string; checks: Array<{check: string; passed: boolean; detail: string}>};

test('target add, then target verify: the credentials and an ACTIVE cluster pass', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');

	const plain = await c.cli(['target', 'verify', 'emu']);
	expect(plain.code, describeRun(plain)).toBe(0);
	expect(plain.stdout).toMatch(/✓ credentials +account 123456789012/);
	expect(plain.stdout).toMatch(/✓ cluster +main is ACTIVE/);
	expect(plain.stdout).not.toContain('✗');

	const json = await c.cli(['target', 'verify', 'emu', '--json']);
	const verification = jsonOf<Verification>(json);
	expect(verification).toMatchObject({target: 'emu', access: true, accountId});
	expect(verification.checks.find(check => check.check === 'cluster')).toMatchObject({passed: true});
});

test('target verify reports a cluster that does not exist with ✗ and exits 1', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('gone');

	const plain = await c.cli(['target', 'verify', 'emu']);
	expect(plain.code, describeRun(plain)).toBe(1);
	expect(plain.stdout).toMatch(/✓ credentials/);
	expect(plain.stdout).toMatch(/✗ cluster +.*gone.*not found/);

	const verification = jsonOf<Verification>(await c.cli(['target', 'verify', 'emu', '--json']));
	expect(verification.access).toBe(true);
	expect(verification.checks.find(check => check.check === 'cluster')).toMatchObject({passed: false, detail: expect.stringContaining('gone')});
});

test('the target wizard of the app lists the clusters live from the account, saves the target, and the CLI verifies it', async () => {
	const c = await newCase();
	await createCluster('main');
	await createCluster('batch');
	const app = startApp(c, ['--recipe', project.recipeFile]);
	await app.waitFor('t targets');
	await app.key('t', 'a add');
	await app.key('a', 'Name the target');
	// Text and Enter go as two reads: typed together, the Enter lands in the field (see the report).
	await app.type('emu', 'name: emu');
	await app.key(keys.enter, 'Where do the credentials come from');
	await app.key(keys.enter, 'Which AWS Region');
	await app.type(region, `region: ${region}`);
	// Both clusters of the account, read live (ListClusters), not typed by anyone.
	const clusters = await app.key(keys.enter, screen => /Which ECS cluster/.test(screen) && /❯ (main|batch)/.test(screen) && screen.includes('batch') && screen.includes('main'));
	expect(clusters).toMatch(/2 items/);
	await app.type('main', 'cluster: main');
	await app.key(keys.enter, 'Which environments');
	await app.type('dev, staging');
	await app.key(keys.enter, 'Tags tell targets apart');
	// The last step checks the target live before it is saved.
	const checked = await app.key(keys.enter, screen => /✓ cluster +main is ACTIVE/.test(screen));
	expect(checked).toMatch(/✓ credentials +account 123456789012/);
	await app.key(keys.enter, 'saved target emu');

	const verify = await c.cli(['target', 'verify', 'emu', '--json']);
	expect(jsonOf<Verification>(verify)).toMatchObject({target: 'emu', access: true, checks: expect.arrayContaining([expect.objectContaining({check: 'cluster', passed: true})])});
	const list = jsonOf<Array<{name: string; cluster: string; region: string; environments: string[]}>>(await c.cli(['target', 'list', '--json']));
	expect(list.find(t => t.name === 'emu')).toMatchObject({cluster: 'main', region, environments: ['dev', 'staging']});
});

test('two targets for one environment (two clusters of one account and region): refused while their stacks would share a log group; then each in name order, a stack per cluster, a summary line each; status shows both', async () => {
	const c = await newCase();
	await createCluster('main');
	await createCluster('blue');
	await seedRepository(project.repository, ['1.0.0']);
	// Two targets in one account and region need a stack name of their own (the deploy refuses otherwise).
	const file = path.join(c.dir, project.recipeFile);
	await writeFile(file, (await readFile(file, 'utf8')).replace('service:\n', 'service:\n  stackName: "#{Project}-#{Environment}-#{Target.Cluster}"\n'));
	for (const [name, cluster] of [
		['b-blue', 'blue'],
		['a-main', 'main'],
	] as const) {
		const add = await c.cli(['target', 'add', '--name', name, '--region', region, '--cluster', cluster, '--env', 'dev']);
		expect(add.code, describeRun(add)).toBe(0);
	}

	// Both stacks would create the environment's log group (/ecs/<project>/<environment>): refused before anything.
	const refused = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes']);
	expect(refused.code, describeRun(refused)).toBe(2);
	expect(refused.stderr).toMatch(/targets a-main and b-blue are in the same region us-east-1 and account .*both stacks would create the log group \/ecs\/emu-web\/dev/);
	expect(await describeStack('emu-web-dev-main')).toBeUndefined();
	// Without a log group of the stacks' own, each target gets its own stack.
	await writeFile(file, (await readFile(file, 'utf8')).replace('      ports: [80]\n', '      ports: [80]\n      logging: none\n'));
	const deploy = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes']);
	expect(deploy.code, describeRun(deploy)).toBe(0);
	const first = deploy.stdout.indexOf(`── dev on target a-main (cluster main in ${region}), 1 of 2 ──`);
	const second = deploy.stdout.indexOf(`── dev on target b-blue (cluster blue in ${region}), 2 of 2 ──`);
	expect(first, describeRun(deploy)).toBeGreaterThanOrEqual(0);
	expect(second).toBeGreaterThan(first);
	expect(deploy.stdout).toMatch(new RegExp(`── dev: 2 targets ──\\na-main +✓ succeeded \\(cluster main in ${region}\\)\\nb-blue +✓ succeeded \\(cluster blue in ${region}\\)`));
	// One stack per cluster, as AWS says.
	expect((await describeStack('emu-web-dev-main'))?.StackStatus).toBe('CREATE_COMPLETE');
	expect((await describeStack('emu-web-dev-blue'))?.StackStatus).toBe('CREATE_COMPLETE');

	const status = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev']);
	expect(status.code, describeRun(status)).toBe(0);
	expect(status.stdout).toMatch(/^dev on a-main .*release 1\.0\.0/m);
	expect(status.stdout).toMatch(/^dev on b-blue .*release 1\.0\.0/m);

	const logs = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'dev']);
	expect(logs.code).toBe(2);
	expect(logs.stderr).toMatch(/dev is served by 2 targets \(a-main \(cluster main in us-east-1\), b-blue \(cluster blue in us-east-1\)\): name one with --target NAME/);
});

test('two targets in two regions: with one recipe network the pre-flight verify stops the first (its subnet is of the other region) and skips the second; with the network scoped per target, a stack in each region', async () => {
	const c = await newCase();
	const other = 'eu-west-1';
	await createCluster('main');
	await createCluster('main', other);
	await seedRepository(project.repository, ['1.0.0']);
	await seedRepository(project.repository, ['1.0.0'], other);
	for (const [name, where] of [
		['b-us', region],
		['a-eu', other],
	] as const) {
		const add = await c.cli(['target', 'add', '--name', name, '--region', where, '--cluster', 'main', '--env', 'dev']);
		expect(add.code, describeRun(add)).toBe(0);
	}

	// The recipe names the subnet and security group of the emulator's us-east-1: in eu-west-1 they do not exist.
	const deploy = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes']);
	expect(deploy.code, describeRun(deploy)).toBe(1);
	expect(deploy.stdout).toContain(`── dev on target a-eu (cluster main in ${other}), 1 of 2 ──`);
	expect(deploy.stdout).toMatch(/✗ service\.network\.subnets\[0\]: subnets subnet-\w+: there is no subnet subnet-\w+ in this account and region/);
	expect(deploy.stdout).toMatch(/✗ failed: pre-flight verify failed, nothing was changed/);
	expect(deploy.stdout).toMatch(/── dev: 2 targets ──\na-eu +✗ failed \(cluster main in eu-west-1\)\nb-us +– skipped: not deployed: the deploy to a-eu ended failed/);
	expect(await describeStack(project.stack('dev'), other)).toBeUndefined();
	expect(await describeStack(project.stack('dev'))).toBeUndefined();

	// Each target its own network: variables scoped to targets.
	const us = await defaultNetwork();
	const eu = await defaultNetwork(other);
	const file = path.join(c.dir, project.recipeFile);
	const scoped = (await readFile(file, 'utf8'))
		.replace(/subnets: \[[^\]]*\]/, 'subnets: ["#{Subnet}"]')
		.replace(/securityGroups: \[[^\]]*\]/, 'securityGroups: ["#{SecurityGroup}"]')
		.replace('images:\n', `variables:\n${[['a-eu', eu], ['b-us', us]].flatMap(([name, net]) => [`  - {name: Subnet, value: ${(net as typeof us).subnet}, targets: [${name as string}]}`, `  - {name: SecurityGroup, value: ${(net as typeof us).securityGroup}, targets: [${name as string}]}`]).join('\n')}\nimages:\n`);
	await writeFile(file, scoped);
	const both = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes']);
	expect(both.code, describeRun(both)).toBe(0);
	expect(both.stdout).toMatch(/── dev: 2 targets ──\na-eu +✓ succeeded \(cluster main in eu-west-1\)\nb-us +✓ succeeded \(cluster main in us-east-1\)/);
	expect((await describeStack(project.stack('dev'), other))?.StackStatus).toBe('CREATE_COMPLETE');
	expect((await describeStack(project.stack('dev')))?.StackStatus).toBe('CREATE_COMPLETE');
});
