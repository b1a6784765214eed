import {beforeAll, describe, expect, test} from 'vitest';
import {describeRun, resultOf} from './helpers/cli.js';
import {newCase, project, type Case} from './helpers/case.js';
import {createCluster, seedRepository} from './helpers/emulator.js';

type Change = {action: string; logicalId: string; detail?: {source: string; images: Array<{container: string; before?: {tag?: string}; after?: {tag?: string}}>; properties: Array<{path: string; before?: string; after?: string}>}};

/* The change preview against the emulator: what each change does, with the values the endpoint gives or a template diff. */
describe('deploy --preview', () => {
	let c: Case;
	beforeAll(async () => {
		c = await newCase();
		await createCluster('main');
		await c.addTarget('main');
		await seedRepository(project.repository, ['1.0.0', '1.1.0']);
		const first = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.0.0', '--yes', '--json']);
		expect(resultOf(first).exitCode, describeRun(first)).toBe(0);
	});

	test('a tag change: the task definition\'s image tag before → after, in --json and in the plain lines', async () => {
		const json = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.1.0', '--preview', '--json']);
		const result = resultOf(json);
		expect(result, describeRun(json)).toMatchObject({outcome: 'previewed', exitCode: 0});
		const task = (result['changes'] as Change[]).find(change => change.logicalId === 'TaskDefinition');
		expect(task?.detail?.images, describeRun(json)).toEqual([expect.objectContaining({container: 'web', before: expect.objectContaining({tag: '1.0.0'}), after: expect.objectContaining({tag: '1.1.0'})})]);
		const plain = await c.cli(['deploy', '--recipe', project.recipeFile, '--env', 'dev', '--image', 'web=1.1.0', '--preview']);
		expect(plain.code, describeRun(plain)).toBe(0);
		expect(plain.stdout).toMatch(/image web: 1\.0\.0 → 1\.1\.0/);
	});
});
