import {mkdir, readFile, rename, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';

/*
 * A cache of what was derived from files (the app's recipe summaries), kept beside the workspace's other
 * files: an entry stands only while its file has the same size and modification time, and the whole cache
 * only for the build that wrote it (`key`). So the app's first frame can show the projects without parsing
 * YAML or loading the schema when the recipes did not change. A cache that cannot be read is simply empty.
 */

type Entry<T> = {size: number; mtimeMs: number; value: T};
type Stored<T> = {key: string; entries: Record<string, Entry<T>>};

export type FileCache<T> = {
	/** What was derived from `file` as it is now, if the cache has it. */
	get(file: string): Promise<T | undefined>;
	/** Remembers what was derived from `file` as it is now. */
	set(file: string, value: T): Promise<void>;
	/** Writes the cache (one rename: a reader never sees half a file). Entries of files not seen this time go. */
	save(): Promise<void>;
};

/** Opens the cache file `cacheFile` for this build (`key`). */
export async function openFileCache<T>(cacheFile: string, key: string): Promise<FileCache<T>> {
	let stored: Stored<T> = {key, entries: {}};
	try {
		const read = JSON.parse(await readFile(cacheFile, 'utf8')) as Stored<T>;
		if (read && read.key === key && typeof read.entries === 'object' && read.entries !== null) stored = read;
	} catch {
		// Missing or unreadable: start empty.
	}
	const seen: Record<string, Entry<T>> = {};
	let changed = false;
	const current = async (file: string) => {
		const info = await stat(file).catch(() => undefined);
		return info?.isFile() ? {size: info.size, mtimeMs: info.mtimeMs} : undefined;
	};
	return {
		async get(file) {
			const now = await current(file);
			const entry = stored.entries[file];
			if (!now || !entry || entry.size !== now.size || entry.mtimeMs !== now.mtimeMs) return undefined;
			seen[file] = entry;
			return entry.value;
		},
		async set(file, value) {
			const now = await current(file);
			if (!now) return;
			seen[file] = {...now, value};
			changed = true;
		},
		async save() {
			if (!changed && Object.keys(seen).length === Object.keys(stored.entries).length) return;
			try {
				await mkdir(path.dirname(cacheFile), {recursive: true, mode: 0o700});
				const temporary = `${cacheFile}.${process.pid}.tmp`;
				await writeFile(temporary, JSON.stringify({key, entries: seen}), {mode: 0o600});
				await rename(temporary, cacheFile);
				stored = {key, entries: {...seen}};
				changed = false;
			} catch {
				// A cache that cannot be written only costs the next start its head start.
			}
		},
	};
}
