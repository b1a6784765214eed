import {expect, test} from 'vitest';
import {describeRun, jsonOf} from './helpers/cli.js';
import {newCase, project} from './helpers/case.js';
import {createCluster, seedRepository} from './helpers/emulator.js';

type TagList = {image: string; repository: string; defaultTag?: string; versions: Array<{tag: string; prerelease: boolean; default: boolean; digest: string}>; notSemver: number};

test('tags lists ECR tags by semver, newest first: 1.10.0 above 1.9.0, pre-releases marked, the newest stable tag the default', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');
	// Pushed in an order that neither a string sort nor the push time would put right.
	await seedRepository(project.repository, ['1.9.0', '1.10.0', '2.0.0-rc.1', '1.2.0', '1.10.0-beta.2', ['latest', '1.9.1'], 'abc1234']);

	const run = await c.cli(['tags', '--recipe', project.recipeFile, '--json']);
	expect(run.code, describeRun(run)).toBe(0);
	const list = jsonOf<TagList>(run);
	expect(list).toMatchObject({image: 'web', repository: project.repository, defaultTag: '1.10.0', notSemver: 2});
	expect(list.versions.map(v => v.tag)).toEqual(['2.0.0-rc.1', '1.10.0', '1.10.0-beta.2', '1.9.1', '1.9.0', '1.2.0']);
	expect(list.versions.filter(v => v.prerelease).map(v => v.tag)).toEqual(['2.0.0-rc.1', '1.10.0-beta.2']);
	expect(list.versions.filter(v => v.default).map(v => v.tag)).toEqual(['1.10.0']);
	// Each image has its own digest; a tag that shares an image shares its digest.
	expect(new Set(list.versions.map(v => v.digest)).size).toBe(6);

	const plain = await c.cli(['tags', '--recipe', project.recipeFile]);
	expect(plain.code, describeRun(plain)).toBe(0);
	const rows = plain.stdout.split('\n').filter(line => /^\s+\d+\.\d+\.\d+/.test(line));
	expect(rows.map(line => line.trim().split(/\s+/)[0])).toEqual(['2.0.0-rc.1', '1.10.0', '1.10.0-beta.2', '1.9.1', '1.9.0', '1.2.0']);
	expect(rows[0]).toContain('pre-release');
	expect(rows[1]).toContain('default');
	expect(plain.stdout).toMatch(/2 tags are not semver/);

	// --all lists the tags that are not semver too; latest is the image 1.9.1 is.
	const all = jsonOf<Omit<TagList, 'notSemver'> & {notSemver: Array<{tag: string; digest: string}>}>(await c.cli(['tags', '--recipe', project.recipeFile, '--json', '--all']));
	const digestOf = (tag: string) => list.versions.find(v => v.tag === tag)?.digest;
	expect(all.notSemver.map(t => t.tag).sort()).toEqual(['abc1234', 'latest']);
	expect(all.notSemver.find(t => t.tag === 'latest')?.digest).toBe(digestOf('1.9.1'));
});
