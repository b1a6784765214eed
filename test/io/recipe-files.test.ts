import {execFileSync} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {maxRecipeBytes} from '../../source/domain/recipe/parse.js';
import {readRecipeBytes, readRecipeFile} from '../../source/io/recipe-files.js';

/*
 * A recipe is read with a cap: only a regular file, and at most maxRecipeBytes of it. A FIFO used to hang
 * the command (waiting for a writer) and /dev/zero was read until memory ran out (622 MB and counting).
 */

let folder: string;
beforeAll(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'ecs-deployer-recipe-files-'));
});
afterAll(async () => {
	await rm(folder, {recursive: true, force: true});
});

describe('reading a recipe file', () => {
	test('a FIFO is refused at once, without waiting for a writer', async () => {
		const fifo = path.join(folder, 'pipe.yaml');
		execFileSync('mkfifo', [fifo]);
		expect(await readRecipeBytes(fifo)).toEqual({problem: 'it is a FIFO (named pipe), not a regular file'});
		await expect(readRecipeFile(fifo)).rejects.toThrow(`cannot read recipe ${fifo}: it is a FIFO (named pipe), not a regular file`);
	});

	test('/dev/zero and a folder are refused', async () => {
		expect(await readRecipeBytes('/dev/zero')).toEqual({problem: 'it is a character device, not a regular file'});
		expect(await readRecipeBytes(folder)).toEqual({problem: 'it is a folder, not a regular file'});
		expect(await readRecipeBytes(path.join(folder, 'missing.yaml'))).toEqual({problem: 'no such file'});
	});

	test('a file of exactly the limit is read; one byte more is refused before it is read, naming the limit', async () => {
		const fits = path.join(folder, 'fits.yaml');
		await writeFile(fits, `# ${'x'.repeat(maxRecipeBytes - 3)}\n`);
		expect(await readRecipeBytes(fits)).toEqual({text: expect.stringMatching(/^# x+\n$/)});
		const over = path.join(folder, 'over.yaml');
		await writeFile(over, `# ${'x'.repeat(maxRecipeBytes - 2)}\n`);
		expect(await readRecipeBytes(over)).toEqual({problem: 'it is 1,048,577 bytes; a recipe may be at most 1,048,576 bytes (1 MiB)'});
	});

	test('a symbolic link to a regular file is read', async () => {
		const target = path.join(folder, 'real.yaml');
		await writeFile(target, 'name: x\n');
		const link = path.join(folder, 'link.yaml');
		execFileSync('ln', ['-s', target, link]);
		expect(await readRecipeBytes(link)).toEqual({text: 'name: x\n'});
	});
});
