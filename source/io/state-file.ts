import fs from 'node:fs';
import {chmod, copyFile, link, open, readFile, rename, unlink, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import {quote} from 'shell-quote';
import type {ZodType} from 'zod';
import {formatPath} from '../domain/problems.js';
import {StateFileError} from './state-file-error.js';

export {StateFileError, stateFileExitCode} from './state-file-error.js';

/*
 * The workspace's state files (.ecs-deployer/workspace.json, .ecs-deployer/sandbox.json) are shared by
 * every ecs-deployer process of the workspace: a deploy in one terminal, `watch` in another, CI jobs in
 * parallel. Every change is lock → read → change → write, the write replaces the file in one rename (a
 * reader sees one whole version, so reading needs no lock), the version it replaces is kept as `<file>.bak`,
 * and a file that cannot be read is never overwritten: the command stops and says how to recover.
 * The folder is private to the operator (0700) and the files are 0600.
 */

/** Only the operator may list the folder or read its files: they hold the workspace's deployment history. */
const privateFolderMode = 0o700;
export const privateFileMode = 0o600;

/** How a state file's content is checked, and how to start afresh when it cannot be repaired. */
export type StateFileFormat<T> = {
	/** Checks parsed JSON (already known to be an object): the data, or what is wrong with it (`stacks: expected array`). */
	check(value: Record<string, unknown>): {data: T} | {problem: string};
	/** How to start afresh, given the file as shown: "`ecs-deployer sandbox reset` starts afresh". */
	startAfresh(shown: string): string;
};

/** A format check from a zod schema: the first problem, with the path of the field (`stacks[0].events`). */
export function checkWith<T>(schema: ZodType<T>): (value: unknown) => {data: T} | {problem: string} {
	return value => {
		const parsed = schema.safeParse(value);
		if (parsed.success) return {data: parsed.data};
		const [first, ...others] = parsed.error.issues;
		// JSON keys are never symbols; String() only satisfies the type.
		const where = formatPath((first?.path ?? []).map(s => (typeof s === 'symbol' ? String(s) : s)));
		const message = (first?.message ?? 'invalid').replace(/^Invalid input: /, '');
		return {problem: `${where ? `${where}: ` : ''}${message}${others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'})` : ''}`};
	};
}

/** The file as the operator would type it: relative to the working folder when inside it. */
export function shownPath(file: string, cwd = process.cwd()): string {
	const relative = path.relative(cwd, file);
	return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Parses a state file's text. Throws a `corrupt` StateFileError naming what is wrong, whose fix offers the
 * `.bak` copy when that one is good.
 */
export function parseStateText<T>(file: string, text: string, format: StateFileFormat<T>): T {
	const checked = checkStateTextOf(file, text, format);
	if ('data' in checked) return checked.data;
	throw corruptError(file, checked.problem, format);
}

/**
 * The last good text of each state file, and the JSON of what its check gave. A check depends on the text
 * alone, so the same bytes again (the file as this process just wrote it, or read it a moment ago: the sandbox
 * reads its file on every call) are not checked again; other bytes (another process's or a person's write)
 * always are. What a check gave is parsed anew each time: callers change it.
 */
const goodTexts = new Map<string, {text: string; format: StateFileFormat<unknown>; json: string}>();

/** Whether `text` is what `file` last held when it was found good (parseStateText then skips the check). */
export function isCheckedText<T>(file: string, text: string, format: StateFileFormat<T>): boolean {
	const known = goodTexts.get(file);
	return known !== undefined && known.format === format && known.text === text;
}

/**
 * checkStateText for the text of `file` (read from it, or about to be written to it): a text found good is
 * remembered as the file's, so reading those bytes back is not checked again.
 */
export function checkStateTextOf<T>(file: string, text: string, format: StateFileFormat<T>): {data: T} | {problem: string} {
	if (isCheckedText(file, text, format)) return {data: JSON.parse(goodTexts.get(file)!.json) as T};
	const checked = checkStateText(text, format);
	// A check that gave back what was parsed (the sandbox's) has the text as its JSON: no copy to make.
	if (!('data' in checked)) return checked;
	goodTexts.set(file, {text, format: format as StateFileFormat<unknown>, json: checked.unchanged ? text : JSON.stringify(checked.data)});
	return {data: checked.data};
}

/** A state file's text, parsed and checked: the data (`unchanged` when it is the parsed value itself), or what is wrong with it. */
function checkStateText<T>(text: string, format: StateFileFormat<T>): {data: T; unchanged: boolean} | {problem: string} {
	if (text.trim() === '') return {problem: 'the file is empty'};
	// What a file looks like when the machine stopped before its blocks were written.
	if (text.includes('\0')) return {problem: 'the file holds NUL bytes, not JSON (was the machine stopped while it was written?)'};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return {problem: `not valid JSON (${(error as Error).message})`};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return {problem: `expected an object, found ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`};
	const checked = format.check(value as Record<string, unknown>);
	return 'data' in checked ? {data: checked.data, unchanged: checked.data === value} : checked;
}

function corruptError<T>(file: string, problem: string, format: StateFileFormat<T>): StateFileError {
	const shown = shownPath(file);
	const afresh = format.startAfresh(shown);
	const fix = goodBackup(file, format) ? `restore the last good copy with \`cp ${quote([`${shown}.bak`, shown])}\`, or ${afresh}` : afresh;
	return new StateFileError({file: shown, problem, fix, kind: 'corrupt'});
}

/**
 * Whether `<file>.bak` holds a good copy. Only checked: parsing it as a state file would, when it is bad,
 * build an error for it too and look for its own backup (`<file>.bak.bak`).
 */
function goodBackup<T>(file: string, format: StateFileFormat<T>): boolean {
	try {
		return 'data' in checkStateText(fs.readFileSync(`${file}.bak`, 'utf8'), format);
	} catch {
		return false;
	}
}

const ioReasons: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'disk quota exceeded',
	EROFS: 'the file system is read-only',
	ENOTDIR: 'a part of its path is a file, not a folder',
	EISDIR: 'it is a folder, not a file',
	EEXIST: 'something else is in the way',
	EMFILE: 'too many open files',
	EIO: 'the disk reported an I/O error',
};

/** A StateFileError for an I/O failure (`action` it: permission denied (EACCES)); a StateFileError is passed on as it is. */
export function ioError(file: string, action: 'read' | 'write' | 'lock', cause: unknown): StateFileError {
	if (cause instanceof StateFileError) return cause;
	const code = (cause as NodeJS.ErrnoException | undefined)?.code;
	const reason = code && ioReasons[code] ? `${ioReasons[code]} (${code})` : cause instanceof Error ? cause.message : String(cause);
	const folder = quote([path.dirname(shownPath(file))]);
	return new StateFileError({
		file: shownPath(file),
		problem: `cannot ${action} it: ${reason}`,
		fix: `check that ${folder} is a folder you can write to (ls -ld ${folder}) and that the disk has room; ECS_DEPLOYER_HOME puts the workspace files in another folder`,
		kind: 'io',
		cause,
	});
}

/**
 * Creates the state folder (0700), or makes an existing `.ecs-deployer` folder private again. A folder by
 * another name (ECS_DEPLOYER_HOME may point anywhere, even at a shared folder) is left as it is: the files
 * in it are 0600 anyway.
 */
function ensurePrivateFolder(folder: string): void {
	fs.mkdirSync(folder, {recursive: true, mode: privateFolderMode});
	if (path.basename(folder) !== '.ecs-deployer') return;
	if ((fs.statSync(folder).mode & 0o777) !== privateFolderMode) fs.chmodSync(folder, privateFolderMode);
}

/**
 * ensurePrivateFolder for a state file's folder, failing with an I/O StateFileError. The lock helpers run it
 * (the lock lives in the folder), so writes, which hold the lock, need not.
 */
function privateFolderFor(file: string): void {
	try {
		ensurePrivateFolder(path.dirname(file));
	} catch (error) {
		throw ioError(file, 'write', error);
	}
}

let temporaries = 0;

/** A temporary file this module writes (`<name>.<pid>.<n>.tmp`) or conf does (`<name>.tmp-<10 digits><6 hex>`). */
const temporaryName = /^(?:\.(\d+)\.\d+\.tmp|\.tmp-\d{10}[0-9a-f]{6})$/;

/** A temporary file older than this was left by a writer that is gone (a write takes milliseconds). */
const leftTemporaryMs = 60_000;

/**
 * Removes the temporary files of `file` that writers killed mid-write left next to it (kill -9, power
 * loss): those of a process that no longer runs, and any older than a minute. Call it holding the file's
 * lock, so no live writer of the file is between its write and its rename. Never fails the write.
 */
export function removeLeftTemporaries(file: string, now = Date.now()): void {
	const folder = path.dirname(file);
	const base = path.basename(file);
	let names: string[];
	try {
		names = fs.readdirSync(folder);
	} catch {
		return;
	}
	for (const name of names) {
		if (!name.startsWith(base)) continue;
		const match = temporaryName.exec(name.slice(base.length));
		if (!match) continue;
		const pid = match[1] === undefined ? undefined : Number(match[1]);
		if (pid === process.pid) continue;
		const temporary = path.join(folder, name);
		try {
			if ((pid !== undefined && !isRunning(pid)) || now - fs.statSync(temporary).mtimeMs > leftTemporaryMs) fs.unlinkSync(temporary);
		} catch {
			// Gone meanwhile, or not ours to remove: the write goes on.
		}
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Replaces a state file with `text`: a private temporary file next to it, then one rename, so a reader sees
 * the old version or the new one, never half a file. With `backup`, the version replaced is kept as
 * `<file>.bak` (a hard link, so no copy is written). Call it holding the file's lock (taking it made the
 * folder). A temporary file is removed when the write fails.
 */
export async function writeStateFile(file: string, text: string, options: {backup?: boolean; fsync?: boolean; held?: HeldLock} = {}): Promise<void> {
	// The pid and a counter: two account objects of one process never share a temporary file.
	const temporary = `${file}.${process.pid}.${++temporaries}.tmp`;
	removeLeftTemporaries(file);
	let handle: FileHandle | undefined;
	try {
		handle = await open(temporary, 'wx', privateFileMode);
		await handle.writeFile(text);
		if (options.fsync) await handle.sync();
		await handle.close();
		handle = undefined;
		if (options.backup) await keepBackup(file);
		options.held?.assertHeld();
		await rename(temporary, file);
	} catch (error) {
		await handle?.close().catch(() => undefined);
		await unlink(temporary).catch(() => undefined);
		throw ioError(file, 'write', error);
	}
}

/** `<file>.bak` becomes the version about to be replaced. */
async function keepBackup(file: string): Promise<void> {
	const backup = `${file}.bak`;
	await unlink(backup).catch(ignoreMissing);
	try {
		await link(file, backup);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		// A file system without hard links: copy.
		await copyFile(file, backup);
	}
	// An older ecs-deployer wrote the file world-readable.
	await chmod(backup, privateFileMode);
}

/** The synchronous `<file>.bak` step, for the workspace store (conf writes synchronously). */
export function keepBackupSync(file: string): void {
	const backup = `${file}.bak`;
	try {
		fs.unlinkSync(backup);
	} catch (error) {
		ignoreMissing(error);
	}
	try {
		fs.linkSync(file, backup);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		fs.copyFileSync(file, backup);
	}
	fs.chmodSync(backup, privateFileMode);
}

function ignoreMissing(error: unknown): void {
	if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/** Reads and checks a state file; undefined when there is none. */
export async function readStateFile<T>(file: string, format: StateFileFormat<T>): Promise<T | undefined> {
	const text = await readStateText(file);
	return text === undefined ? undefined : parseStateText(file, text, format);
}

/** A state file's text, unchecked (see parseStateText); undefined when there is none. */
export async function readStateText(file: string): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw ioError(file, 'read', error);
	}
}

/** How long to wait for a lock, and when a lock counts as left behind. */
export type LockOptions = {
	/** How long to wait for a lock another process holds before giving up. @default 15_000 */
	waitMs?: number;
	/**
	 * A lock not refreshed for this long was left by a process that died (kill -9, power loss) and is taken
	 * over. The holder refreshes it every `staleMs / 2`. At least 2000. @default 5_000
	 */
	staleMs?: number;
};

/** A lock being held: `assertHeld` throws when another process took it over (this one was frozen for longer than the stale time). */
export type HeldLock = {assertHeld(): void};

const defaultWaitMs = 15_000;
const defaultStaleMs = 5_000;

// proper-lockfile's lock is a folder (`<file>.lock`, made with mkdir, which is atomic); made private too.
const lockFs = {
	...fs,
	mkdir: (folder: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(folder, privateFolderMode, callback),
	mkdirSync: (folder: string) => fs.mkdirSync(folder, privateFolderMode),
};

type Attempt = {release: () => void | Promise<void>; held: HeldLock} | 'busy';

function lockSettings(file: string, options: LockOptions, state: {lost?: Error}) {
	return {
		stale: Math.max(options.staleMs ?? defaultStaleMs, 2000),
		realpath: false,
		fs: lockFs,
		// The default throws from a timer (the process would crash): remember it, and fail before the rename.
		onCompromised: (error: Error) => void (state.lost = error),
		lockfilePath: `${file}.lock`,
	};
}

function heldLock(file: string, state: {lost?: Error}, staleMs: number): HeldLock {
	return {
		assertHeld() {
			if (!state.lost) return;
			throw new StateFileError({
				file: shownPath(file),
				problem: `another process took over its lock while this one was writing (it was paused for more than ${Math.round(staleMs / 1000)} s); nothing was written`,
				fix: 'try again',
				kind: 'locked',
				cause: state.lost,
			});
		},
	};
}

function lockedError(file: string, waitingSince: number): StateFileError {
	const lock = `${file}.lock`;
	let since = waitingSince;
	try {
		const birth = fs.statSync(lock).birthtimeMs;
		if (birth > 0) since = Math.min(since, birth);
	} catch {
		// Released meanwhile: we waited, that is all we know.
	}
	const seconds = Math.max(0, Math.round((Date.now() - since) / 1000));
	const shownLock = quote([shownPath(lock)]);
	return new StateFileError({
		file: shownPath(file),
		problem: `another ecs-deployer is writing it (lock held for ${seconds} s)`,
		fix: `try again, or remove ${shownLock} if no other ecs-deployer runs (\`rmdir ${shownLock}\`)`,
		kind: 'locked',
	});
}

/** How far in the future a lock's time may be before its age is measured by watching it instead (clock steps, file systems that round). */
const futureToleranceMs = 2000;

/** What a waiter saw of a lock dated in the future: its time, and since when it has not changed. */
type FutureLock = {mtimeMs?: number; since?: number};

/**
 * A lock whose modification time lies in the future (a clock set back, a copied folder, a hand-made lock)
 * never looks stale to proper-lockfile, which measures age as now − mtime: every write would wait on it for
 * good. Its age is measured by watching it instead: a holder refreshes its lock every `staleMs / 2`, so one
 * whose time has not changed for `staleMs` while this process waited is left behind. It is then dated in
 * the past, and the next attempt takes it over the usual way.
 */
function ageFutureLock(lock: string, staleMs: number, seen: FutureLock): void {
	let mtimeMs: number;
	try {
		mtimeMs = fs.statSync(lock).mtimeMs;
	} catch {
		return;
	}
	const now = Date.now();
	if (mtimeMs <= now + futureToleranceMs) {
		delete seen.mtimeMs;
		return;
	}
	if (seen.mtimeMs !== mtimeMs || seen.since === undefined) {
		seen.mtimeMs = mtimeMs;
		seen.since = now;
		return;
	}
	if (now - seen.since < staleMs) return;
	const past = new Date(now - 2 * staleMs);
	try {
		fs.utimesSync(lock, past, past);
	} catch {
		// Released meanwhile.
	}
}

/** Waits between attempts: short at first (locks are held for milliseconds), then longer, with jitter. */
function backoff(attempt: number): number {
	return Math.min(5 * 1.6 ** attempt, 250) * (0.5 + Math.random());
}

/**
 * Runs `change` holding `<file>.lock`, an inter-process lock: waits (with backoff) while another process
 * holds it, takes over a lock left by a process that died, and fails with a `locked` StateFileError after
 * `waitMs`. Read the file again inside `change`: what was read before may be out of date.
 */
export async function withFileLock<T>(file: string, change: (held: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
	const started = Date.now();
	const state: {lost?: Error} = {};
	const settings = lockSettings(file, options, state);
	const future: FutureLock = {};
	privateFolderFor(file);
	for (let attempt = 0; ; attempt++) {
		const got: Attempt = await lockfile.lock(file, settings).then(
			release => ({release, held: heldLock(file, state, settings.stale)}),
			(error: NodeJS.ErrnoException) => {
				if (error.code === 'ELOCKED') return 'busy' as const;
				throw ioError(file, 'lock', error);
			},
		);
		if (got !== 'busy') {
			try {
				return await change(got.held);
			} finally {
				await Promise.resolve(got.release()).catch(() => undefined);
			}
		}
		if (Date.now() - started >= (options.waitMs ?? defaultWaitMs)) throw lockedError(file, started);
		ageFutureLock(settings.lockfilePath, settings.stale, future);
		await new Promise(resolve => setTimeout(resolve, backoff(attempt)));
	}
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The synchronous withFileLock, for the workspace store (its API and conf are synchronous). */
export function withFileLockSync<T>(file: string, change: (held: HeldLock) => T, options: LockOptions = {}): T {
	const started = Date.now();
	const state: {lost?: Error} = {};
	const settings = lockSettings(file, options, state);
	const future: FutureLock = {};
	privateFolderFor(file);
	for (let attempt = 0; ; attempt++) {
		let release: (() => void) | undefined;
		try {
			release = lockfile.lockSync(file, settings);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw ioError(file, 'lock', error);
		}
		if (release) {
			try {
				return change(heldLock(file, state, settings.stale));
			} finally {
				try {
					release();
				} catch {
					// Already gone (taken over): nothing to release.
				}
			}
		}
		if (Date.now() - started >= (options.waitMs ?? defaultWaitMs)) throw lockedError(file, started);
		ageFutureLock(settings.lockfilePath, settings.stale, future);
		// A synchronous sleep: the workspace store's callers expect a synchronous API; the wait is short.
		Atomics.wait(sleeper, 0, 0, backoff(attempt));
	}
}
