import {expect, test} from 'vitest';
import {keys, startApp} from './helpers/app.js';
import {describeRun, jsonOf} from './helpers/cli.js';
import {newCase, project} from './helpers/case.js';
import {accountId, createCluster, describeStack, region, seedRepository} from './helpers/emulator.js';

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

test('two targets for one environment in two regions: deploy goes to each in name order, a stack per region, a summary line each; status shows both', async () => {
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

	const deploy = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes']);
	expect(deploy.code, describeRun(deploy)).toBe(0);
	const eu = deploy.stdout.indexOf('── dev on target a-eu (cluster main in eu-west-1), 1 of 2 ──');
	const us = deploy.stdout.indexOf('── dev on target b-us (cluster main in us-east-1), 2 of 2 ──');
	expect(eu, describeRun(deploy)).toBeGreaterThanOrEqual(0);
	expect(us).toBeGreaterThan(eu);
	expect(deploy.stdout).toMatch(/── dev: 2 targets ──\na-eu +✓ succeeded \(cluster main in eu-west-1\)\nb-us +✓ succeeded \(cluster main in us-east-1\)/);
	// One stack in each region, as AWS says.
	expect((await describeStack(project.stack('dev'), other))?.StackStatus).toBe('CREATE_COMPLETE');
	expect((await describeStack(project.stack('dev')))?.StackStatus).toBe('CREATE_COMPLETE');

	const status = await c.cli(['status', '--recipe', project.recipeFile, '--env', 'dev']);
	expect(status.code, describeRun(status)).toBe(0);
	expect(status.stdout).toMatch(/^dev on a-eu .*release 1\.0\.0/m);
	expect(status.stdout).toMatch(/^dev on b-us .*release 1\.0\.0/m);

	const logs = await c.cli(['logs', '--recipe', project.recipeFile, '--env', 'dev']);
	expect(logs.code).toBe(2);
	expect(logs.stderr).toMatch(/dev is served by 2 targets \(a-eu \(cluster main in eu-west-1\), b-us \(cluster main in us-east-1\)\): name one with --target NAME/);
});
