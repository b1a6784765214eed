import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {checkStateTextOf, isCheckedText, parseStateText, StateFileError, type StateFileFormat} from '../../source/io/state-file.js';

// A state file's check depends on its text alone: the same bytes again (what this process wrote or read and
// found good) are not checked again, and any other text (another process's write, a hand edit) always is.

type Counted = {count: number[]};

/** A format that counts its checks: `count` must be a list of numbers; the data it gives is not the value read (a default is added). */
function countingFormat(): StateFileFormat<Counted & {extra: string}> & {checks: number} {
	const format = {
		checks: 0,
		check(value: Record<string, unknown>) {
			format.checks++;
			const count = value['count'];
			if (!Array.isArray(count) || !count.every(n => typeof n === 'number')) return {problem: 'count: expected a list of numbers'};
			return {data: {count: count as number[], extra: 'default'}};
		},
		startAfresh: () => 'remove it',
	};
	return format;
}

async function aFile(): Promise<string> {
	return path.join(await mkdtemp(path.join(tmpdir(), 'state-checks-')), 'state.json');
}

describe('checking a state file once per text', () => {
	test('the same text is checked once; the data is a new copy each time, equal to what the check gave', async () => {
		const file = await aFile();
		const format = countingFormat();
		const text = JSON.stringify({count: [1, 2]});
		const first = parseStateText(file, text, format);
		first.count.push(99);
		const second = parseStateText(file, text, format);
		expect(format.checks).toBe(1);
		expect(second).toEqual({count: [1, 2], extra: 'default'});
		expect(second).not.toBe(first);
	});

	test('another text is checked (and a bad one refused) even right after a good one; a bad text is never taken for good', async () => {
		const file = await aFile();
		const format = countingFormat();
		parseStateText(file, JSON.stringify({count: [1]}), format);
		expect(() => parseStateText(file, JSON.stringify({count: ['one']}), format)).toThrow(StateFileError);
		expect(() => parseStateText(file, JSON.stringify({count: ['one']}), format)).toThrow(/count: expected a list of numbers/);
		expect(format.checks).toBe(3);
		expect(isCheckedText(file, JSON.stringify({count: ['one']}), format)).toBe(false);
		parseStateText(file, JSON.stringify({count: [2]}), format);
		expect(format.checks).toBe(4);
	});

	test('a text is the one of its file: the same text in another file, or read with another format, is checked', async () => {
		const [one, two] = [await aFile(), await aFile()];
		const format = countingFormat();
		const text = JSON.stringify({count: []});
		parseStateText(one, text, format);
		parseStateText(two, text, format);
		expect(format.checks).toBe(2);
		const other = countingFormat();
		parseStateText(one, text, other);
		expect(other.checks).toBe(1);
	});

	test('a text checked before it is written (checkStateTextOf) is not checked again when it is read back', async () => {
		const file = await aFile();
		const format = countingFormat();
		const text = JSON.stringify({count: [3]});
		expect(checkStateTextOf(file, text, format)).toEqual({data: {count: [3], extra: 'default'}});
		expect(parseStateText(file, text, format)).toEqual({count: [3], extra: 'default'});
		expect(format.checks).toBe(1);
	});
});

describe('the sandbox state file', () => {
	test('a hand edit after this process wrote the file is still refused, naming the field', async () => {
		const file = await aFile();
		const ports = new SandboxAccount({file, now: () => 2_000_000}).ports();
		await ports.cloudFormation.createChangeSet({StackName: 'demo', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: '{"Resources": {}}'});
		expect((await ports.cloudFormation.describeStacks({StackName: 'demo'})).Stacks?.[0]?.StackName).toBe('demo');
		const state = JSON.parse(await readFile(file, 'utf8')) as {stacks: Array<Record<string, unknown>>};
		state.stacks[0]!['events'] = 'lost';
		await writeFile(file, JSON.stringify(state));
		const error = await ports.cloudFormation.describeStacks({StackName: 'demo'}).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(StateFileError);
		expect((error as StateFileError).message).toMatch(/stacks\[0\]\.events/);
	});
});
