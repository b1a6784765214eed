import {beforeAll, describe, expect, test} from 'vitest';
import {keys, rowsWith, startApp, type AppSession} from './helpers/app.js';
import {describeRun, jsonOf, resultOf} from './helpers/cli.js';
import {newCase, project, type Case} from './helpers/case.js';
import {createCluster, describeStack, seedRepository} from './helpers/emulator.js';

type ReleaseRow = {version: string; outcomes: Array<{environment: string; outcome: string}>};

/** The live view has ended when its run can no longer be cancelled and its next steps are offered. */
const ended = (screen: string) => /(Deploying|Rolling back) emu-web → dev/.test(screen) && !/c cancel/.test(screen) && /h history/.test(screen);

/** The live view's summary: the rows above its panes (the verdict, the release line, the next steps). */
function summary(screen: string): string {
	const lines = screen.split('\n');
	const panes = lines.findIndex(line => /Stack events/.test(line));
	return lines.slice(0, panes < 0 ? lines.length : panes).join('\n');
}

/** The row of an environment on the project screen. */
const environmentRow = (screen: string, environment: string) => screen.split('\n').find(line => new RegExp(`^[❯ ] +${environment} `).test(line)) ?? '';

/** A row whose status has been read (a release or "not deployed"), not the placeholder shown meanwhile. */
const loaded = (row: string) => /\d+\.\d+\.\d+|not deployed/.test(row);

/** Moves the list selection to the row that starts with `label` (at most `limit` presses), then waits for it. */
async function select(app: AppSession, label: string, limit = 6): Promise<void> {
	const selected = new RegExp(`❯ +${label.replace(/\./g, '\\.')}\\b`);
	for (let i = 0; i < limit && !selected.test(await app.waitFor(() => true)); i++) {
		const before = app.screen();
		await app.key(keys.down, screen => screen !== before);
	}
	await app.waitFor(selected);
}

// The full-screen app in a real terminal, driven by keys: one deploy and one rollback of dev, on a stack the
// CLI created (1.9.0, confirmed by ECS). Both are updates, which the emulator never confirms (the service
// keeps its old task definition): the app must not show ✓ or "serving" for either.
describe('the full-screen app: a deploy and a rollback by keystrokes', () => {
	let c: Case;
	let app: AppSession;

	beforeAll(async () => {
		c = await newCase();
		await createCluster('main');
		await c.addTarget('main');
		await seedRepository(project.repository, ['1.9.0', '1.10.0']);
		const create = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.9.0', '--yes', '--json']);
		expect(resultOf(create), describeRun(create)).toMatchObject({outcome: 'succeeded'});
		app = startApp(c, ['--recipe', project.recipeFile]);
		await app.waitFor(/❯ emu-web/);
	});

	test('deploy: d, n, the newest stable tag, its version, dev, y — the live view ends without ✓ and says the service is not confirmed', async () => {
		await app.key(keys.enter, 'Environments (promotion order)');
		// The deploy screen starts from the releases (the CLI made 1.9.0); n makes a new one from the tags.
		await app.key('d', /❯ 1\.9\.0 +dev ✓/);
		const picker = await app.key('n', /❯ 1\.10\.0 +default/);
		expect(picker).toMatch(/1\.9\.0/);
		await app.key(keys.enter, /Version: 1\.10\.0/);
		await app.key(keys.enter, 'Deploy it to:');
		await select(app, 'dev');
		const preview = await app.key(keys.enter, /Apply these \d+ changes to emu-web-dev/);
		expect(preview).toMatch(/TaskDefinition/);
		const done = await app.key('y', ended, 60_000);
		const verdict = summary(done);
		expect(verdict, done).toMatch(/release 1\.10\.0/);
		expect(verdict, done).not.toMatch(/✓|is serving/);
		expect(verdict, done).toMatch(/confirm/i);
		expect((await describeStack(project.stack('dev')))?.StackStatus).toBe('UPDATE_COMPLETE');

		const projectScreen = await app.key(keys.escape, screen => screen.includes('Environments (promotion order)') && loaded(environmentRow(screen, 'dev')));
		expect(environmentRow(projectScreen, 'dev'), projectScreen).not.toMatch(/✓/);
	});

	test('rollback: r lists what runs now truly, then 1.9.0, y — the live view ends without ✓, and the records of both runs say unconfirmed', async () => {
		// From the project screen (where the deploy case left the app, unless it failed on the way).
		if (!app.screen().includes('Environments (promotion order)')) await app.key(keys.escape, 'Environments (promotion order)');
		const rollbackScreen = await app.key('r', screen => /Roll dev back/.test(screen) && /1\.9\.0/.test(screen));
		// ECS runs 1.9.0 (the emulator's PRIMARY deployment never left the first task definition) and the stack
		// holds 1.10.0, which was never confirmed serving: the header says both, read from AWS, not from tags.
		const header = rowsWith(rollbackScreen, 'Roll dev back').join('\n');
		expect(header, rollbackScreen).toMatch(/running now: 1\.9\.0/);
		expect(header, rollbackScreen).toMatch(/the stack holds 1\.10\.0/);
		expect(rowsWith(rollbackScreen, '1.10.0 ').join('\n'), rollbackScreen).not.toMatch(/succeeded/);
		await select(app, '1.9.0');
		// The comparison is between what runs now and the release picked.
		const question = await app.key(keys.enter, /Roll dev back to release 1\.9\.0\?/);
		expect(rowsWith(question, '→').join('\n'), question).toMatch(/1\.10\.0[^\n]*→[^\n]*1\.9\.0/);
		// Field by field, from what the stack holds: ECS has not caught up with it (it runs 1.9.0), so the release
		// the stack holds (1.10.0, as the ledger keeps it) is the other side; the images say the stack holds it.
		expect(question, question).toMatch(/Images: what the stack holds \(1\.10\.0; ECS has not caught up\) → release 1\.9\.0/);
		const fields = await app.waitFor(screen => /Configuration: /.test(screen) && !/asking what changes/.test(screen));
		expect(fields, fields).toMatch(/Configuration: release 1\.10\.0 → release 1\.9\.0/);
		expect(fields, fields).toMatch(/ECS has not caught up with the stack: compared with release 1\.10\.0 as the ledger keeps it/);
		await app.key('y', /Apply these \d+ changes to emu-web-dev/);
		const done = await app.key('y', ended, 60_000);
		const verdict = summary(done);
		expect(verdict, done).toMatch(/release 1\.9\.0/);
		expect(verdict, done).not.toMatch(/✓|is serving/);
		expect(verdict, done).toMatch(/confirm/i);
		const parameters = (await describeStack(project.stack('dev')))?.Parameters ?? [];
		expect(parameters.find(p => p.ParameterKey === 'ImageTagWeb')?.ParameterValue).toBe('1.9.0');

		const releases = jsonOf<ReleaseRow[]>(await c.cli(['releases', '--recipe', project.recipeFile, '--json']));
		const outcomes = (version: string) => releases.find(r => r.version === version)?.outcomes.map(o => `${o.environment} ${o.outcome}`);
		expect(outcomes('1.10.0')).toEqual(['dev unconfirmed']);
		expect(outcomes('1.9.0')).toEqual(['dev succeeded', 'dev unconfirmed']);
	});
});

test('the full-screen app: a deploy into a cluster that does not exist ends on screen within seconds with the AWS message, no ✓, and the project lists it as failed', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('gone');
	await seedRepository(project.repository, ['1.0.0']);
	const app = startApp(c, ['--recipe', project.recipeFile]);
	await app.waitFor(/❯ emu-web/);
	await app.key(keys.enter, 'Environments (promotion order)');
	await app.key('d', /❯ 1\.0\.0 +default/);
	await app.key(keys.enter, /Version: 1\.0\.0/);
	await app.key(keys.enter, 'Deploy it to:');
	await select(app, 'dev');
	// The pre-flight check stops it before a change set; should a change preview come anyway, it is accepted.
	const next = await app.key(keys.enter, screen => ended(screen) || /Apply these \d+ changes/.test(screen));
	const started = Date.now();
	const done = ended(next) ? next : await app.key('y', ended, 10_000);
	expect(Date.now() - started, 'ends within a few seconds').toBeLessThan(10_000);
	const verdict = summary(done);
	expect(verdict, done).toMatch(/Cluster not found|gone/);
	expect(done).not.toMatch(/✓/);
	expect(await describeStack(project.stack('dev')), 'no stack was created').toBeUndefined();

	const projectScreen = await app.key(keys.escape, screen => screen.includes('Environments (promotion order)') && loaded(environmentRow(screen, 'dev')));
	const devRow = rowsWith(projectScreen, ' dev ').join('\n');
	expect(devRow, projectScreen).toMatch(/✗|failed/);
	expect(devRow, projectScreen).not.toMatch(/✓/);
});
