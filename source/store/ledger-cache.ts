import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {privateFileMode} from '../io/state-file.js';
import type {CachedObjects, LedgerObjectCache} from './s3-ledger.js';

/**
 * The objects of an S3 ledger as this workspace last read them, kept between runs in
 * `.ecs-deployer/ledger-cache/<bucket>-<hash of the prefix>.json`, so a command lists the bucket and fetches
 * only what changed. Only a cache: a file that cannot be read is ignored (everything is fetched again), and
 * a write that fails is forgotten. Each write replaces the file in one rename.
 */
export function fileLedgerCache(folder: string, location: {bucket: string; prefix: string}): LedgerObjectCache {
	const name = `${location.bucket}-${createHash('sha256').update(location.prefix).digest('hex').slice(0, 12)}.json`;
	const file = path.join(folder, 'ledger-cache', name);
	return {
		load() {
			try {
				const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {version?: number; objects?: Record<string, {etag?: unknown; body?: unknown}>};
				if (parsed.version !== 1 || typeof parsed.objects !== 'object' || parsed.objects === null) return new Map();
				const objects: CachedObjects = new Map();
				for (const [key, value] of Object.entries(parsed.objects)) if (typeof value?.etag === 'string' && typeof value.body === 'string') objects.set(key, {etag: value.etag, body: value.body});
				return objects;
			} catch {
				return new Map();
			}
		},
		save(objects) {
			const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
			try {
				fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
				fs.writeFileSync(temporary, JSON.stringify({version: 1, objects: Object.fromEntries(objects)}), {mode: privateFileMode});
				fs.renameSync(temporary, file);
			} catch {
				try {
					fs.unlinkSync(temporary);
				} catch {
					// Nothing was written.
				}
			}
		},
	};
}

/** A cache in memory (tests, runs that must not write). */
export function memoryLedgerCache(): LedgerObjectCache {
	let kept: CachedObjects = new Map();
	return {load: () => new Map(kept), save: objects => void (kept = new Map(objects))};
}
