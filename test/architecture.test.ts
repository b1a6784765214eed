import {readdir, readFile} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';

// Imports flow one way: ui → engine → domain; the domain stays pure (no I/O, timers or clock).
const banned: Record<string, RegExp> = {
	'source/domain': /from '(ink|react|@aws-sdk\/|(node:)?fs)|Date\.now\(|new Date\(\)|set(Timeout|Interval)\(|process\./,
	'source/engine': /from '(ink|react|ink-[a-z-]+|@aws-sdk\/)/,
	'source/ui': /from '(@aws-sdk\/|(\.\.\/)+aws\/)/,
};

for (const [dir, pattern] of Object.entries(banned)) {
	describe(dir, async () => {
		const files = (await readdir(dir, {recursive: true})).filter(f => /\.tsx?$/.test(f));
		test.each(files)('%s respects the layering', async file => {
			expect(await readFile(`${dir}/${file}`, 'utf8')).not.toMatch(pattern);
		});
	});
}
