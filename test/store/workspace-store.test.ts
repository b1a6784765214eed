import {chmod, mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, test} from 'vitest';
import {StateFileError} from '../../source/io/state-file.js';
import type {Release, Target} from '../../source/domain/records.js';
import {WorkspaceStore} from '../../source/store/workspace-store.js';

// The workspace store (.ecs-deployer/workspace.json): every change is lock → read → change → write, a file
// that cannot be read stops the command with a StateFileError (and is never overwritten), and the folder
// and its files are private to the operator.

let dir: string;
let file: string;
beforeEach(async () => {
	dir = path.join(await mkdtemp(path.join(tmpdir(), 'workspace-store-')), '.ecs-deployer');
	file = path.join(dir, 'workspace.json');
});

const store = () => new WorkspaceStore({cwd: dir, lock: {waitMs: 300, staleMs: 2000}});
const release = (version: string): Release => ({project: 'hello-color', version, images: {web: {tag: version}}, createdAt: '2026-11-23T10:00:00.000Z'});
const target = (name: string): Target => ({name, region: 'eu-west-1', cluster: 'c', environments: ['dev'], tags: [], credentials: {source: 'default'}});
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

function thrown(run: () => unknown): StateFileError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(StateFileError);
		return error as StateFileError;
	}
	throw new Error('expected a StateFileError, nothing was thrown');
}

describe('changes', () => {
	test('two store objects on one folder: each change is made on what is in the file, nothing is lost', () => {
		const first = store();
		const second = store();
		first.saveRelease(release('1.0.0'));
		second.saveRelease(release('1.0.1'));
		first.saveTarget(target('a'));
		second.saveTarget(target('b'));
		first.recordDeployment({project: 'hello-color', environment: 'dev', version: '1.0.0', target: 'a', stackName: 's', startedAt: '2026-11-23T10:00:00.000Z', outcome: 'succeeded'});
		expect(store().releases('hello-color').map(r => r.version)).toEqual(['1.0.0', '1.0.1']);
		expect(store().targets().map(t => t.name)).toEqual(['a', 'b']);
		expect(second.removeTarget('a')).toBe(true);
		expect(first.targets().map(t => t.name)).toEqual(['b']);
		expect(second.deployments('hello-color')).toHaveLength(1);
	});

	test('a lock held by another process makes a change wait, then fail with a "locked" error; the file is untouched', async () => {
		store().saveRelease(release('1.0.0'));
		const before = await readFile(file, 'utf8');
		await mkdir(`${file}.lock`);
		const error = thrown(() => store().saveRelease(release('1.0.1')));
		expect(error.kind).toBe('locked');
		expect(error.problem).toMatch(/another ecs-deployer is writing it \(lock held for \d+ s\)/);
		expect(error.fix).toContain(`${file}.lock`);
		expect(await readFile(file, 'utf8')).toBe(before);
	});

	test('a lock left by a killed process is taken over', async () => {
		await mkdir(`${file}.lock`, {recursive: true});
		const longAgo = new Date(Date.now() - 60_000);
		await utimes(`${file}.lock`, longAgo, longAgo);
		store().saveRelease(release('1.0.0'));
		expect(store().releases('hello-color')).toHaveLength(1);
		await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
	});

	test('a lock dated an hour ahead does not block changes for good', async () => {
		await mkdir(`${file}.lock`, {recursive: true});
		const ahead = new Date(Date.now() + 3_600_000);
		await utimes(`${file}.lock`, ahead, ahead);
		new WorkspaceStore({cwd: dir, lock: {waitMs: 10_000, staleMs: 2000}}).saveRelease(release('1.0.0'));
		expect(store().releases('hello-color')).toHaveLength(1);
	});

	test('temporary files a killed writer left are removed by the next change', async () => {
		store().saveRelease(release('1.0.0'));
		const left = `${file}.tmp-1234567890abcdef`;
		await writeFile(left, '{"targets": [');
		const longAgo = new Date(Date.now() - 120_000);
		await utimes(left, longAgo, longAgo);
		store().saveRelease(release('1.0.1'));
		expect((await readdir(dir)).filter(name => name.includes('.tmp'))).toEqual([]);
	});

	test('each write keeps the previous content as workspace.json.bak', async () => {
		store().saveRelease(release('1.0.0'));
		store().saveRelease(release('1.0.1'));
		const backup = JSON.parse(await readFile(`${file}.bak`, 'utf8')) as {releases: Release[]};
		expect(backup.releases.map(r => r.version)).toEqual(['1.0.0']);
	});

	test('fields this version does not know are kept when the file is rewritten', async () => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, JSON.stringify({targets: [{...target('a'), addedLater: 'kept'}], releases: [], deployments: [], preferences: {theme: 'dark'}}));
		store().saveRelease(release('1.0.0'));
		const written = JSON.parse(await readFile(file, 'utf8')) as {targets: Array<Record<string, unknown>>; preferences: unknown};
		expect(written.targets[0]?.['addedLater']).toBe('kept');
		expect(written.preferences).toEqual({theme: 'dark'});
	});
});

describe('a workspace file that cannot be read', () => {
	const corrupt: Array<[string, string | Buffer, RegExp]> = [
		['truncated JSON', '{"targets":[{"name":"a"', /not valid JSON/],
		['an empty file', '', /the file is empty/],
		['null', 'null', /expected an object/],
		['an array', '[]', /expected an object/],
		['NUL bytes', Buffer.alloc(512), /NUL bytes/],
		['targets that are not a list', '{"targets":{}}', /targets: expected array/],
		['a release without images', JSON.stringify({releases: [{project: 'p', version: '1', createdAt: 'x'}]}), /releases\[0\]\.images/],
		// Read as an empty workspace, these were written over by the next change.
		['an object without version or lists', '{}', /^it has no version and none of targets, releases, deployments: it is not a workspace file/],
		['an unknown version', JSON.stringify({version: 99, targets: [], releases: [], deployments: []}), /^version 99: this ecs-deployer reads workspace files of version 1/],
		['a version that is not a number', JSON.stringify({version: '1', targets: []}), /^version "1"/],
	];
	test.each(corrupt)('%s: reads and changes fail with a StateFileError, and the file is left as it was', async (_, content, problem) => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, content);
		const error = thrown(() => store().targets());
		expect(error.kind).toBe('corrupt');
		expect(error.file).toBe(file);
		expect(error.problem).toMatch(problem);
		expect(error.fix).toMatch(/mv /);
		expect(thrown(() => store().releases('p')).kind).toBe('corrupt');
		expect(thrown(() => store().saveTarget(target('a'))).kind).toBe('corrupt');
		expect(thrown(() => store().saveRelease(release('1.0.0'))).kind).toBe('corrupt');
		expect(await readFile(file)).toEqual(Buffer.from(content));
	});

	test('a file from before versions were written is read, and written again with version 1', async () => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, JSON.stringify({targets: [target('a')], releases: [], deployments: []}));
		expect(store().targets().map(t => t.name)).toEqual(['a']);
		store().saveTarget(target('b'));
		expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({version: 1, targets: [{name: 'a'}, {name: 'b'}]});
	});

	test('the fix offers the .bak copy when it is good', async () => {
		store().saveTarget(target('a'));
		store().saveTarget(target('b'));
		await writeFile(file, '{"targets": [');
		expect(thrown(() => store().targets()).fix).toContain(`cp ${file}.bak ${file}`);
	});

	test('an unusable folder fails with an I/O StateFileError, not a raw EEXIST/ENOTDIR', async () => {
		// The store folder is a file: nothing can be created in it (this works as root too, unlike chmod).
		await mkdir(path.dirname(dir), {recursive: true});
		await writeFile(dir, 'not a folder');
		const error = thrown(() => store().saveTarget(target('a')));
		expect(error.kind).toBe('io');
		expect(error.file).toBe(file);
		expect(error.problem).toMatch(/cannot write it/);
	});
});

describe('permissions', () => {
	test('a new store folder is 0700 and workspace.json 0600; no temporary file is left', async () => {
		store().saveTarget(target('a'));
		expect(await modeOf(dir)).toBe(0o700);
		expect(await modeOf(file)).toBe(0o600);
		expect((await readdir(dir)).sort()).toEqual(['workspace.json']);
	});

	test('an existing world-readable folder and file are made private on the next write', async () => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, JSON.stringify({targets: [], releases: [], deployments: []}));
		await chmod(dir, 0o755);
		await chmod(file, 0o644);
		store().saveTarget(target('a'));
		expect(await modeOf(dir)).toBe(0o700);
		expect(await modeOf(file)).toBe(0o600);
		expect(await modeOf(`${file}.bak`)).toBe(0o600);
	});

	test('reading a store that does not exist creates nothing', async () => {
		expect(store().targets()).toEqual([]);
		await expect(stat(dir)).rejects.toThrow(/ENOENT/);
	});
});
