import {mkdir, mkdtemp, readdir, readFile, rmdir, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, test} from 'vitest';
import {shownPath, StateFileError, stateFileExitCode, withFileLock, withFileLockSync, writeStateFile, type HeldLock} from '../../source/io/state-file.js';

// The building blocks of the state files: the inter-process lock, the atomic write, and the typed error.

let dir: string;
let file: string;
beforeEach(async () => {
	dir = path.join(await mkdtemp(path.join(tmpdir(), 'state-file-')), '.ecs-deployer');
	file = path.join(dir, 'counter.json');
});

/** True once the lock is known to be lost. */
function taken(held: HeldLock): boolean {
	try {
		held.assertHeld();
		return false;
	} catch {
		return true;
	}
}

const count = async () => Number(await readFile(file, 'utf8').catch(() => '0'));

describe('withFileLock', () => {
	test('in-process writers doing read → wait → write one after the other lose no increment', async () => {
		const writer = async () => {
			for (let i = 0; i < 15; i++) {
				await withFileLock(file, async held => {
					const value = await count();
					// Another writer would read the same value here without the lock.
					await new Promise(resolve => setTimeout(resolve, 1));
					await writeStateFile(file, String(value + 1), {held});
				});
			}
		};
		await Promise.all([writer(), writer(), writer()]);
		expect(await count()).toBe(45);
	});

	test('the synchronous lock waits for the asynchronous one', async () => {
		let releaseFirst: () => void = () => undefined;
		let held: () => void = () => undefined;
		const taken = new Promise<void>(resolve => (held = resolve));
		const first = withFileLock(file, () => {
			held();
			return new Promise<void>(resolve => (releaseFirst = resolve));
		});
		// Wait until the asynchronous lock is held (a fixed pause lost the race on a busy machine).
		await taken;
		// Held by "another process": the synchronous caller gives up after its wait.
		const error = (() => {
			try {
				withFileLockSync(file, () => undefined, {waitMs: 100});
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(StateFileError);
		expect((error as StateFileError).kind).toBe('locked');
		releaseFirst();
		await first;
		expect(withFileLockSync(file, () => 'mine', {waitMs: 100})).toBe('mine');
	});

	test('the lock is a private folder (0700), gone once the change is done', async () => {
		const mode = await withFileLock(file, async () => (await stat(`${file}.lock`)).mode & 0o777);
		expect(mode).toBe(0o700);
		expect(await readdir(dir)).toEqual([]);
	});

	test('a change that throws releases the lock', async () => {
		await expect(withFileLock(file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(withFileLock(file, async () => 'next', {waitMs: 100})).resolves.toBe('next');
	});

	test('a lock taken over while paused (another process found it stale) writes nothing and says so', async () => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, '1');
		const error = await withFileLock(
			file,
			async held => {
				// Another process takes the lock over: it removes ours and makes its own.
				await rmdir(`${file}.lock`);
				await mkdir(`${file}.lock`);
				// Its lock has its own time (made in the same millisecond as ours, it would look like ours).
				const theirs = new Date(Date.now() - 1500);
				await utimes(`${file}.lock`, theirs, theirs);
				// Our lock's refresh (every staleMs / 2 = 1 s) finds it is not ours any more.
				for (let waited = 0; waited < 8000 && !taken(held); waited += 50) await new Promise(resolve => setTimeout(resolve, 50));
				return writeStateFile(file, '2', {held}).then(
					() => undefined,
					(e: unknown) => e,
				);
			},
			{staleMs: 2000},
		);
		expect(error).toBeInstanceOf(StateFileError);
		expect((error as StateFileError).kind).toBe('locked');
		expect(await readFile(file, 'utf8')).toBe('1');
		expect((await readdir(dir)).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});
});

describe('temporary files left by killed writers', () => {
	test('are removed by the next write: a dead process\'s at once, any other after a minute; a live writer\'s recent one stays', async () => {
		await mkdir(dir, {recursive: true});
		// A pid that cannot be running (above the kernel's pid_max).
		const dead = `${file}.4194999.1.tmp`;
		const oldConf = `${file}.tmp-1234567890abcdef`;
		const freshConf = `${file}.tmp-9876543210fedcba`;
		const live = `${file}.${process.ppid}.3.tmp`;
		const unrelated = `${file}.notes.tmp`;
		for (const name of [dead, oldConf, freshConf, live, unrelated]) await writeFile(name, 'half a file');
		const longAgo = new Date(Date.now() - 120_000);
		await utimes(oldConf, longAgo, longAgo);
		await withFileLock(file, held => writeStateFile(file, '1', {held}));
		expect((await readdir(dir)).sort()).toEqual([path.basename(file), path.basename(freshConf), path.basename(live), path.basename(unrelated)].sort());
	});
});

describe('a lock dated in the future', () => {
	// proper-lockfile measures a lock's age as now − mtime: dated an hour ahead, it never looked stale, and
	// every write waited on it until it gave up, for good.
	const inAnHour = () => new Date(Date.now() + 3_600_000);

	test('is taken over once it has not been refreshed for the stale time while we waited (async)', async () => {
		await mkdir(`${file}.lock`, {recursive: true});
		await utimes(`${file}.lock`, inAnHour(), inAnHour());
		await expect(withFileLock(file, async () => 'written', {staleMs: 2000, waitMs: 10_000})).resolves.toBe('written');
		await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
	});

	test('is taken over by the synchronous lock too', async () => {
		await mkdir(`${file}.lock`, {recursive: true});
		await utimes(`${file}.lock`, inAnHour(), inAnHour());
		expect(withFileLockSync(file, () => 'written', {staleMs: 2000, waitMs: 10_000})).toBe('written');
	});

	test('one that is refreshed (a live holder on a clock ahead) is waited for, not taken', async () => {
		await mkdir(`${file}.lock`, {recursive: true});
		let ahead = 3_600_000;
		const refresh = setInterval(() => {
			ahead += 1000;
			const when = new Date(Date.now() + ahead);
			void utimes(`${file}.lock`, when, when).catch(() => undefined);
		}, 500);
		try {
			await expect(withFileLock(file, async () => 'written', {staleMs: 2000, waitMs: 3000})).rejects.toMatchObject({kind: 'locked'});
		} finally {
			clearInterval(refresh);
		}
	});
});

describe('StateFileError', () => {
	test('exit code 2 for a bad file, 1 for an I/O failure or a lock timeout', () => {
		const error = (kind: StateFileError['kind']) => new StateFileError({file: 'f', problem: 'p', fix: 'x', kind});
		expect([stateFileExitCode(error('corrupt')), stateFileExitCode(error('io')), stateFileExitCode(error('locked'))]).toEqual([2, 1, 1]);
		expect(error('corrupt').message).toBe('f: p');
	});

	test('files inside the working folder are shown relative to it, others in full', () => {
		expect(shownPath('/work/x/.ecs-deployer/sandbox.json', '/work/x')).toBe('.ecs-deployer/sandbox.json');
		expect(shownPath('/tmp/h/sandbox.json', '/work/x')).toBe('/tmp/h/sandbox.json');
	});
});
