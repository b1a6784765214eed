import {mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, test} from 'vitest';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {emptyState, saveState, type SandboxState} from '../../source/aws/sandbox/state.js';
import {StateFileError} from '../../source/io/state-file.js';

// The sandbox account's state file (.ecs-deployer/sandbox.json): shared by every process of a workspace,
// so every change happens under a lock, on what is in the file at that moment, and a file that cannot be
// read is never replaced by an empty account.

const template = JSON.stringify({
	Parameters: {ImageTagWeb: {Type: 'String', Default: '1.4.0'}},
	Resources: {
		TaskDefinition: {Type: 'AWS::ECS::TaskDefinition', Properties: {Family: 'demo', Cpu: '256', Memory: '512', ContainerDefinitions: [{Name: 'web', Image: 'hello-color:${ImageTagWeb}'}]}},
		Service: {Type: 'AWS::ECS::Service', Properties: {DesiredCount: 1}},
	},
});

let dir: string;
let file: string;
beforeEach(async () => {
	dir = path.join(await mkdtemp(path.join(tmpdir(), 'sandbox-state-')), '.ecs-deployer');
	file = path.join(dir, 'sandbox.json');
});

const account = (now = () => 2_000_000) => new SandboxAccount({file, now, lock: {waitMs: 400, staleMs: 2000}});
const stackNames = async () => ((JSON.parse(await readFile(file, 'utf8')) as {stacks: Array<{name: string}>}).stacks).map(s => s.name).sort();
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

/** Rejects with a StateFileError, which it returns. */
async function stateFileError(promise: Promise<unknown>): Promise<StateFileError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StateFileError);
	return error as StateFileError;
}

describe('two writers on one sandbox file', () => {
	test('two account objects creating stacks at the same time both keep their stack', async () => {
		const first = account().ports();
		const second = account().ports();
		const names = Array.from({length: 6}, (_, i) => `stack-${i}`);
		await Promise.all(names.map((StackName, i) => (i % 2 === 0 ? first : second).cloudFormation.createChangeSet({StackName, ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template})));
		expect(await stackNames()).toEqual(names);
	});

	test('a change is made on what is in the file when the lock is taken, not on what was read before', async () => {
		const first = account().ports();
		const second = account().ports();
		await first.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		await second.cloudFormation.createChangeSet({StackName: 'b', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		await first.cloudFormation.createChangeSet({StackName: 'c', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		expect(await stackNames()).toEqual(['a', 'b', 'c']);
	});

	test('a lock held by a live process makes a change wait, then fail with a "locked" error; the file is untouched', async () => {
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		const before = await readFile(file, 'utf8');
		await mkdir(`${file}.lock`);
		const error = await stateFileError(aws.cloudFormation.createChangeSet({StackName: 'b', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template}));
		expect(error.kind).toBe('locked');
		expect(error.problem).toMatch(/^another ecs-deployer is writing it \(lock held for \d+ s\)$/);
		expect(error.fix).toContain(`${file}.lock`);
		expect(await readFile(file, 'utf8')).toBe(before);
	});

	test('a lock left by a killed process (not refreshed for longer than the stale time) is taken over', async () => {
		const aws = account().ports();
		await mkdir(dir, {recursive: true});
		await mkdir(`${file}.lock`);
		const longAgo = new Date(Date.now() - 60_000);
		await utimes(`${file}.lock`, longAgo, longAgo);
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		expect(await stackNames()).toEqual(['a']);
		// Released afterwards.
		await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
	});
});

describe('a sandbox file that cannot be read is never replaced', () => {
	const corrupt: Array<[string, string | Buffer, RegExp]> = [
		['truncated JSON', '{"version":1,"seq":3,"stacks":[{"id":"x"', /not valid JSON/],
		['an empty file', '', /the file is empty/],
		['null', 'null', /expected an object/],
		['an array', '[]', /expected an object/],
		['NUL bytes', Buffer.alloc(4096), /NUL bytes/],
		['a version from a newer ecs-deployer', JSON.stringify({version: 2, stacks: []}), /version 2/],
		['only a version', '{"version":1}', /^seq: expected number, received undefined \(and \d+ more problems\)$/],
		['a stack without events', JSON.stringify({version: 1, seq: 0, stacks: [{id: 'x', name: 'x', status: 'CREATE_COMPLETE', created: 1, parameters: {}, tags: [], outputs: {}, changeSets: [], taskDefinitionRevision: 0}], services: [], taskDefinitions: {}, repositories: {}, logs: {}, steps: [], calls: {}}), /stacks\[0\]\.events/],
	];
	test.each(corrupt)('%s: the call fails with a StateFileError naming the problem, and the file is left as it was', async (_, content, problem) => {
		await mkdir(dir, {recursive: true});
		await writeFile(file, content);
		const aws = account().ports();
		const error = await stateFileError(aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template}));
		expect(error.kind).toBe('corrupt');
		expect(error.file).toBe(file);
		expect(error.problem).toMatch(problem);
		expect(error.fix).toMatch(/ecs-deployer sandbox reset/);
		expect(await readFile(file)).toEqual(Buffer.from(content));
		// Reading calls fail the same way: an empty account would be a lie.
		await expect(aws.cloudFormation.describeStacks({StackName: 'a'})).rejects.toBeInstanceOf(StateFileError);
	});

	test('the fix offers the .bak copy of the last good state when there is one', async () => {
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		await aws.cloudFormation.createChangeSet({StackName: 'b', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		await writeFile(file, '{"version":1,"st');
		const error = await stateFileError(aws.cloudFormation.describeStacks({StackName: 'a'}));
		expect(error.fix).toContain(`cp ${file}.bak ${file}`);
		const backup = JSON.parse(await readFile(`${file}.bak`, 'utf8')) as {stacks: Array<{name: string}>};
		expect(backup.stacks.map(s => s.name)).toEqual(['a']);
	});

	test('sandbox reset works on a corrupt file, and keeps the last good .bak', async () => {
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		await aws.cloudFormation.createChangeSet({StackName: 'b', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		const goodBackup = await readFile(`${file}.bak`, 'utf8');
		await writeFile(file, 'null');
		await account().reset();
		expect(await stackNames()).toEqual([]);
		expect(await readFile(`${file}.bak`, 'utf8')).toBe(goodBackup);
	});

	test('sandbox reset of a good file keeps it as the .bak (a reset can be undone)', async () => {
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		const before = await readFile(file, 'utf8');
		await account().reset();
		expect(await readFile(`${file}.bak`, 'utf8')).toBe(before);
	});
});

describe('what the sandbox writes, it reads back', () => {
	/** A good state with one stack, made through the API. */
	async function oneStack() {
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		return JSON.parse(await readFile(file, 'utf8')) as Record<string, any>;
	}

	test('a pending step with missing data is refused when read, naming the step and field, and no .bak that holds it is offered', async () => {
		const state = await oneStack();
		// Applied, this step made a service without a desired count: a file the next read refused, and whose
		// .bak held the same pending step (restoring it looped).
		state['steps'] = [{at: 0, stack: state['stacks'][0].id, kind: 'ecs-start', data: {}}];
		await writeFile(file, JSON.stringify(state));
		await writeFile(`${file}.bak`, JSON.stringify(state));
		const error = await stateFileError(account().ports().cloudFormation.describeStacks({StackName: 'a'}));
		expect(error.kind).toBe('corrupt');
		expect(error.problem).toMatch(/^steps\[0\]\.data\.taskDefinition: expected string, received undefined \(and \d+ more problems\)$/);
		expect(error.fix).not.toContain('.bak');
		expect(error.fix).toMatch(/ecs-deployer sandbox reset/);
	});

	test('a step of a kind the sandbox does not know is refused when read', async () => {
		const state = await oneStack();
		state['steps'] = [{at: 0, stack: state['stacks'][0].id, kind: 'teleport', data: {}}];
		await writeFile(file, JSON.stringify(state));
		const error = await stateFileError(account().ports().cloudFormation.describeStacks({StackName: 'a'}));
		expect(error.problem).toMatch(/^steps\[0\]\.kind: /);
	});

	test('a stored template body that is not a template is a clear error, not an unexpected one', async () => {
		const state = await oneStack();
		state['stacks'][0].changeSets[0].body = 'garbage {';
		await writeFile(file, JSON.stringify(state));
		const error = await stateFileError(account().ports().cloudFormation.executeChangeSet({StackName: 'a', ChangeSetName: 'c'}));
		expect(error.kind).toBe('corrupt');
		expect(error.problem).toBe('stacks[0].changeSets[0].body: not a template (the stored template body is not JSON of an object)');
	});

	test("ECR's seeded images are not written to the file, and another process reads the same images, tags, digests and push times", async () => {
		await oneStack();
		const stored = JSON.parse(await readFile(file, 'utf8')) as {repositories: object; seededAt: number};
		expect(stored.repositories).toEqual({});
		expect(stored.seededAt).toBe(2_000_000);
		// Read by an account made later (another process): the images are those of when the account was seeded.
		const writer = new SandboxAccount({now: () => 2_000_000}).ports();
		const reader = account(() => 9_000_000).ports();
		for (const repositoryName of ['hello-color', 'orders-api']) {
			const pages = async (ecr: typeof reader.ecr) => {
				const images = [];
				let nextToken: string | undefined;
				do {
					const page = await ecr.describeImages({repositoryName, ...(nextToken ? {nextToken} : {})});
					images.push(...(page.imageDetails ?? []));
					nextToken = page.nextToken;
				} while (nextToken);
				return images;
			};
			const read = await pages(reader.ecr);
			expect(read.length).toBeGreaterThan(10);
			expect(read).toEqual(await pages(writer.ecr));
		}
	});

	test('a file from before the seeded images were left out keeps the images it holds', async () => {
		const state = await oneStack();
		delete state['seededAt'];
		state['repositories'] = {'hello-color': [{digest: `sha256:${'ab'.repeat(32)}`, tags: ['9.9.9'], pushedAt: 1_000, size: 1}]};
		await writeFile(file, JSON.stringify(state));
		const images = await account().ports().ecr.describeImages({repositoryName: 'hello-color'});
		expect(images.imageDetails?.map(i => i.imageTags)).toEqual([['9.9.9']]);
		// Written again (a change), the file keeps them.
		await account().ports().cloudFormation.createChangeSet({StackName: 'b', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		expect((JSON.parse(await readFile(file, 'utf8')) as {repositories: Record<string, unknown[]>}).repositories['hello-color']).toHaveLength(1);
	});

	test('a state the next read would refuse is never written: the call fails and the file stays as it was', async () => {
		await oneStack();
		const before = await readFile(file, 'utf8');
		const broken = {...emptyState(), services: [{arn: 'a', name: 'a', stackName: 'a', deployments: [], events: [], tasks: []}]} as unknown as SandboxState;
		const error = await stateFileError(saveState(file, broken));
		expect(error.problem).toMatch(/^the sandbox made a state it could not read back \(services\[0\]\.desiredCount: expected number/);
		expect(await readFile(file, 'utf8')).toBe(before);
	});
});

describe('writing the sandbox file', () => {
	test('a failed write leaves no temporary file behind, and fails with an I/O StateFileError', async () => {
		// A folder where the file should be: the temporary file is written, the rename fails.
		await mkdir(path.join(file, 'in-the-way'), {recursive: true});
		const error = await stateFileError(account().reset());
		expect(error.kind).toBe('io');
		expect(error.file).toBe(file);
		expect((await readdir(dir)).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});

	test('the folder is made private (0700) and the file and its .bak 0600, also when they were not before', async () => {
		await mkdir(dir, {recursive: true, mode: 0o755});
		await writeFile(file, JSON.stringify({version: 1, seq: 0, stacks: [], services: [], taskDefinitions: {}, repositories: {}, logs: {}, steps: [], calls: {}}), {mode: 0o644});
		const {chmod} = await import('node:fs/promises');
		await chmod(dir, 0o755);
		await chmod(file, 0o644);
		const aws = account().ports();
		await aws.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		expect(await modeOf(dir)).toBe(0o700);
		expect(await modeOf(file)).toBe(0o600);
		expect(await modeOf(`${file}.bak`)).toBe(0o600);
	});

	test('a new workspace: the folder is created 0700 and the file 0600', async () => {
		await account().reset();
		expect(await modeOf(dir)).toBe(0o700);
		expect(await modeOf(file)).toBe(0o600);
	});

	test('without a file (tests), the account lives in memory and writes nothing', async () => {
		const memory = new SandboxAccount({now: () => 2_000_000}).ports();
		await memory.cloudFormation.createChangeSet({StackName: 'a', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: template});
		expect((await memory.cloudFormation.describeStacks({StackName: 'a'})).Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');
		await expect(stat(dir)).rejects.toThrow(/ENOENT/);
	});
});
