import fs from 'node:fs';
import path from 'node:path';
import {privateFileMode} from '../io/state-file.js';
import type {VerifyCache, VerifyCacheEntry} from '../domain/preflight.js';

/**
 * The pre-flight verify's passed results, kept in `.ecs-deployer/verify-cache.json` for a few minutes
 * (verifyCacheMs in engine/recipes/verify.ts), so a `deploy` run just after `verify` (each its own process),
 * or the app's next deploy, does not wait for the same checks again. Keyed by a hash of the target and the
 * check's inputs; holds only what was found (resource names, VPC ids), never a secret's value. Only a cache:
 * a file that cannot be read is empty, a write that fails is forgotten.
 */
export function fileVerifyCache(folder: string): VerifyCache {
	const file = path.join(folder, 'verify-cache.json');
	return {
		load() {
			try {
				const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {version?: number; entries?: Record<string, VerifyCacheEntry>};
				if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) return {};
				return Object.fromEntries(Object.entries(parsed.entries).filter(([, e]) => typeof e?.at === 'number' && Array.isArray(e.checks)));
			} catch {
				return {};
			}
		},
		save(entries) {
			const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
			try {
				fs.mkdirSync(folder, {recursive: true, mode: 0o700});
				fs.writeFileSync(temporary, JSON.stringify({version: 1, entries}), {mode: privateFileMode});
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
