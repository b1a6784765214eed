import {readFile, writeFile} from 'node:fs/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {parse} from 'yaml';
import type {EngineEvent} from '../../source/engine/core/host.js';
import type {Engine} from '../../source/engine/engine.js';
import {LedgerError} from '../../source/domain/ledger-error.js';
import {harness, recordingHost, secondOperator, target, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

const reattach = 'ecs-deployer --sandbox watch';

/** hello-color as a file of its own (so the test can change it), optionally with a ledger. */
async function helloColor(changes: {ledger?: string; message?: string; name?: string} = {}): Promise<{file: string; recipe: Record<string, any>}> {
	const recipe = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
	if (changes.ledger) recipe['ledger'] = changes.ledger;
	if (changes.message) recipe['variables'] = recipe['variables'].map((v: {name: string}) => (v.name === 'Message' ? {...v, value: changes.message} : v));
	return {file: await h.recipeFile(recipe, changes.name ?? 'hello-color.yaml'), recipe};
}

/** Rewrites the recipe file with another Message, as an operator editing it would. */
async function setMessage(file: string, recipe: Record<string, any>, message: string): Promise<void> {
	recipe['variables'] = recipe['variables'].map((v: {name: string}) => (v.name === 'Message' ? {...v, value: message} : v));
	const {stringify} = await import('yaml');
	await writeFile(file, stringify(recipe));
}

async function deploy(engine: Engine, recipeFile: string, input: {images?: Record<string, string>; release?: string; environment?: string}) {
	const host = recordingHost({'execute-change-set': true});
	const result = await engine.deploy({recipeFile, environment: input.environment ?? 'dev', target, reattach, ...input}, host).result;
	return {result, events: host.events, asked: host.asked};
}

/** The OCTO_ENV the stack's task definition sets (its template as CloudFormation holds it). */
async function runningMessage(stackName = 'hello-color-dev'): Promise<string | undefined> {
	const {TemplateBody} = await h.fake.sandbox.ports().cloudFormation.getTemplate({StackName: stackName});
	const template = JSON.parse(TemplateBody ?? '{}') as {Resources: Record<string, {Type: string; Properties: {ContainerDefinitions?: Array<{Environment?: Array<{Name: string; Value: unknown}>}>}}>};
	const definition = Object.values(template.Resources).find(r => r.Type === 'AWS::ECS::TaskDefinition');
	const value = definition?.Properties.ContainerDefinitions?.[0]?.Environment?.find(e => e.Name === 'OCTO_ENV')?.Value;
	return typeof value === 'string' ? value : JSON.stringify(value);
}

const warnings = (events: readonly EngineEvent[]) => events.flatMap(e => (e.code === 'warning' ? [e.message] : []));

describe('a release is a snapshot: deploys of it are built from the recipe it keeps', () => {
	for (const ledger of [undefined, 's3://sandbox-ledger/team-a']) {
		test(`the broken-config rollback restores the earlier configuration (${ledger ?? 'workspace ledger'})`, async () => {
			const {file, recipe} = await helloColor(ledger ? {ledger} : {});
			expect((await deploy(h.engine, file, {images: {web: '1.3.0'}})).result.outcome).toBe('succeeded');
			expect(await runningMessage()).toMatch(/Hello from/);

			await setMessage(file, recipe, 'BROKEN CONFIG');
			expect((await deploy(h.engine, file, {images: {web: '1.4.0'}})).result.outcome).toBe('succeeded');
			expect(await runningMessage()).toBe('BROKEN CONFIG');

			const host = recordingHost({'execute-change-set': true});
			const result = await h.engine.rollback({recipeFile: file, environment: 'dev', target, reattach, to: 'previous'}, host).result;
			expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.3.0', builtFrom: 'snapshot', recipeChanges: ['variables[Message].value']}});
			expect(await runningMessage(), 'the stack runs 1.3.0 with the message it was released with').not.toBe('BROKEN CONFIG');
			expect(await runningMessage()).toMatch(/Hello from/);
			expect(warnings(host.events).join('\n')).toMatch(/today's recipe differs from the one release 1\.3\.0 keeps \(variables\[Message\]\.value\)/);
		});
	}

	test('a release keeps no sensitive value: only the variable, and its reference', async () => {
		const recipe = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
		// A parameter the sandbox has: every deploy's pre-flight verify looks it up.
		recipe['variables'].push({name: 'DbPassword', sensitive: true}, {name: 'ApiKey', sensitive: true, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/invoice-worker/smtp-password'});
		recipe['service'].containers[0].environment.DB_PASSWORD = '#{DbPassword}';
		recipe['service'].containers[0].environment.API_KEY = '#{ApiKey}';
		const file = await h.recipeFile(recipe);
		const host = recordingHost({'execute-change-set': true, values: {DbPassword: 'S3cr3t-canary-42'}});
		const result = await h.engine.deploy({recipeFile: file, environment: 'dev', target, reattach, images: {web: '1.3.0'}}, host).result;
		expect(result.outcome).toBe('succeeded');
		const [release] = h.workspace.releases('hello-color');
		expect(JSON.stringify(release)).not.toContain('S3cr3t-canary-42');
		expect((release!.recipe as {variables: unknown[]}).variables).toContainEqual({name: 'DbPassword', sensitive: true});
		expect((release!.recipe as {variables: unknown[]}).variables).toContainEqual({name: 'ApiKey', sensitive: true, valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/invoice-worker/smtp-password'});
	});

	test('deploying the same tags after the recipe changed makes a new release (today\'s recipe), with a version that is free', async () => {
		const {file, recipe} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		await setMessage(file, recipe, 'Changed');
		const {result} = await deploy(h.engine, file, {images: {web: '1.3.0'}});
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.3.1', source: 'new', builtFrom: 'recipe'}});
		expect(await runningMessage()).toBe('Changed');
		// The same tags and configuration again: release 1.3.1 itself, not a third one.
		const again = await deploy(h.engine, file, {images: {web: '1.3.0'}});
		expect(again.result).toMatchObject({release: {version: '1.3.1', source: 'stored'}});
		expect(h.workspace.releases('hello-color').map(r => r.version)).toEqual(['1.3.0', '1.3.1']);
	});

	test('a new release from today\'s recipe with the images of an earlier one (release create --like)', async () => {
		const {file, recipe} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		const read = async () => (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		// Nothing differs: release 1.3.0 itself.
		expect(await h.engine.releaseLike(await read(), '1.3.0', {}, target)).toMatchObject({release: {version: '1.3.0'}, existing: true});
		await setMessage(file, recipe, 'Changed');
		const made = await h.engine.releaseLike(await read(), '1.3.0', {notes: 'new message'}, target);
		expect(made).toMatchObject({release: {version: '1.3.1', images: {web: {tag: '1.3.0'}}, notes: 'new message'}});
		expect(await h.engine.releaseLike(await read(), '9.9.9', {}, target)).toEqual({problems: [{path: '--like', message: 'there is no release 9.9.9 of hello-color in this workspace (.ecs-deployer/workspace.json)'}]});
	});

	test('releases say which releases today\'s recipe differs from, field by field', async () => {
		const {file, recipe} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		await setMessage(file, recipe, 'BROKEN CONFIG');
		const today = (await import('../../source/io/recipe-files.js')).readRecipeFile;
		const rows = await h.engine.releases((await today(file)).recipe!, () => target);
		expect(rows.find(r => r.version === '1.3.0')).toMatchObject({hasSnapshot: true, recipeChanges: ['variables[Message].value']});
	});

	test('the configuration difference between two releases, field by field', async () => {
		const {file, recipe} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		await setMessage(file, recipe, 'BROKEN CONFIG');
		await deploy(h.engine, file, {images: {web: '1.4.0'}});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const diff = await h.engine.releaseChanges(document, 'dev', target, {release: '1.4.0'}, {release: '1.3.0'});
		if ('problem' in diff) throw new Error(diff.problem);
		expect(diff.changes.map(c => [c.path, c.before, c.after])).toEqual([
			['images.web', expect.stringMatching(/^1\.4\.0 @sha256:/), expect.stringMatching(/^1\.3\.0 @sha256:/)],
			['variables.Message', 'BROKEN CONFIG', 'Hello from #{Environment}'],
			['containers.web.environment.OCTO_ENV', 'BROKEN CONFIG', 'Hello from dev'],
		]);
	});

	test('what runs (read from the task definition) against a release: only what differs, as the sandbox keeps whole task definitions like ECS', async () => {
		const {file, recipe} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		await setMessage(file, recipe, 'BROKEN CONFIG');
		await deploy(h.engine, file, {images: {web: '1.4.0'}});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const same = await h.engine.releaseChanges(document, 'dev', target, {running: true}, {release: '1.4.0'});
		if ('problem' in same) throw new Error(same.problem);
		expect(same.changes).toEqual([]);
		const back = await h.engine.releaseChanges(document, 'dev', target, {running: true}, {release: '1.3.0'});
		if ('problem' in back) throw new Error(back.problem);
		// A task definition names the tag; the release pins the digest too.
		expect(back.changes.map(c => [c.path, c.before, c.after])).toEqual([
			['images.web', '1.4.0', expect.stringMatching(/^1\.3\.0 @sha256:/)],
			['containers.web.environment.OCTO_ENV', 'BROKEN CONFIG', 'Hello from dev'],
		]);
		// A task definition that lists no containers (ECS registers none such; an emulator's stack may) says nothing about what runs.
		h.fake.answer('DescribeTaskDefinition', output => ({...output, taskDefinition: {...output.taskDefinition, containerDefinitions: []}}));
		const empty = await h.engine.releaseChanges(document, 'dev', target, {running: true}, {release: '1.3.0'});
		expect(empty).toEqual({problem: expect.stringMatching(/^ECS's task definition hello-color-dev:\d+ lists no containers, so what runs cannot be compared field by field$/)});
	});
});

describe('the shared ledger (S3)', () => {
	const ledger = 's3://sandbox-ledger/shared';

	test('two operators with two workspaces see each other\'s releases and deployments, and roll back with them', async () => {
		const {file} = await helloColor({ledger});
		const other = secondOperator(h);
		expect((await deploy(h.engine, file, {images: {web: '1.3.0'}})).result.outcome).toBe('succeeded');
		expect((await deploy(other.engine, file, {images: {web: '1.4.0'}})).result.outcome).toBe('succeeded');
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		for (const engine of [h.engine, other.engine]) {
			expect((await engine.ledgerReleases(document, target)).map(r => r.version).sort()).toEqual(['1.3.0', '1.4.0']);
			const history = await engine.history(document, 'dev', target);
			expect(history.map(d => [d.version, d.outcome, d.by, d.source])).toEqual([
				['1.4.0', 'succeeded', 'colleague@laptop', 'ledger'],
				['1.3.0', 'succeeded', 'tester@ci', 'ledger'],
			]);
		}
		// Nothing went to either workspace file.
		expect(h.workspace.releases('hello-color')).toEqual([]);
		expect(other.workspace.deployments('hello-color')).toEqual([]);
		const result = await h.engine.rollback({recipeFile: file, environment: 'dev', target, reattach, to: 'previous'}, recordingHost({'execute-change-set': true})).result;
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.3.0', builtFrom: 'snapshot'}});
	});

	test('8 parallel release creates of distinct versions from two operators keep all 8', async () => {
		const {file} = await helloColor({ledger});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const other = secondOperator(h);
		const versions = ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.0.6', '2.0.7'];
		const tags = ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.4.0-rc.2'];
		const made = await Promise.all(versions.map((version, i) => (i % 2 === 0 ? h.engine : other.engine).createRelease(document, {version, tags: {web: tags[i]!}}, target)));
		expect(made.map(m => ('release' in m ? m.release.version : m.problems[0]!.message))).toEqual(versions);
		expect((await secondOperator(h).engine.ledgerReleases(document, target)).map(r => r.version).sort()).toEqual(versions);
	});

	test('two creating the same version: one wins, the other is told who made it', async () => {
		const {file} = await helloColor({ledger});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const other = secondOperator(h);
		const [a, b] = await Promise.all([h.engine.createRelease(document, {version: '3.0.0', tags: {web: '1.3.0'}}, target), other.engine.createRelease(document, {version: '3.0.0', tags: {web: '1.4.0'}}, target)]);
		const outcomes = [a, b].map(m => ('release' in m ? 'created' : m.problems[0]));
		expect(outcomes.filter(o => o === 'created')).toHaveLength(1);
		expect(outcomes.find(o => o !== 'created')).toMatchObject({path: '--version', kind: 'exists', message: expect.stringMatching(/release 3\.0\.0 (was just created by someone else|already exists) \(made by (tester@ci|colleague@laptop) on /)});
	});

	test('two suggesting the same version for different releases at once: one takes it, the other the next one (versions never collide)', async () => {
		const mine = await helloColor({ledger, message: 'mine', name: 'mine.yaml'});
		const theirs = await helloColor({ledger, message: 'theirs', name: 'theirs.yaml'});
		const read = async (file: string) => (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const other = secondOperator(h);
		const [a, b] = await Promise.all([h.engine.createRelease(await read(mine.file), {tags: {web: '1.3.0'}}, target), other.engine.createRelease(await read(theirs.file), {tags: {web: '1.3.0'}}, target)]);
		expect([a, b].map(m => ('release' in m ? m.release.version : m.problems[0]!.message)).sort()).toEqual(['1.3.0', '1.3.1']);
	});

	test('two creating the same images and configuration at once: one release, both get it', async () => {
		const {file} = await helloColor({ledger});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const other = secondOperator(h);
		const made = await Promise.all([h.engine.createRelease(document, {tags: {web: '1.3.0'}}, target), other.engine.createRelease(document, {tags: {web: '1.3.0'}}, target)]);
		expect(made.map(m => ('release' in m ? m.release.version : 'problem'))).toEqual(['1.3.0', '1.3.0']);
		expect((await h.engine.ledgerReleases(document, target)).map(r => r.version)).toEqual(['1.3.0']);
	});

	test('a bucket that does not exist, and one that denies access, are errors naming the bucket and the permission', async () => {
		for (const [bucket, pattern] of [
			['no-such-ledger-bucket', /the ledger bucket no-such-ledger-bucket does not exist \(s3:\/\/no-such-ledger-bucket\/x, named in the recipe's `ledger` field\)/],
			['sandbox-ledger-denied', /access to the ledger s3:\/\/sandbox-ledger-denied\/x was denied: ListObjectsV2 needs s3:ListBucket on arn:aws:s3:::sandbox-ledger-denied/],
		] as const) {
			const {file} = await helloColor({ledger: `s3://${bucket}/x`});
			const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
			const error = await h.engine.createRelease(document, {tags: {web: '1.3.0'}}, target).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(LedgerError);
			expect((error as Error).message).toMatch(pattern);
			// A deploy ends with a result that says the same, and changes nothing.
			const {result} = await deploy(h.engine, file, {images: {web: '1.3.0'}});
			expect(result.outcome).toBe(bucket === 'sandbox-ledger-denied' ? 'access-denied' : 'invalid');
			expect(result.message).toMatch(pattern);
		}
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});

	test('a target may name the ledger of the recipes deployed through it; the recipe\'s own ledger wins', async () => {
		const {file} = await helloColor();
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const shared = {...target, name: 'shared-account', ledger: 's3://sandbox-ledger/by-target'};
		const made = await h.engine.createRelease(document, {tags: {web: '1.3.0'}}, shared);
		expect(made).toMatchObject({release: {version: '1.3.0'}, ledger: 's3://sandbox-ledger/by-target'});
		expect(h.workspace.releases('hello-color')).toEqual([]);
		expect(await h.engine.ledgerOf({...document, ledger: 's3://sandbox-ledger/by-recipe'}, shared)).toBe('s3://sandbox-ledger/by-recipe');
		expect(await h.engine.ledgerOf(document, target)).toBe('this workspace (.ecs-deployer/workspace.json)');
	});

	test('ledger import copies the workspace\'s releases and records into the bucket, once', async () => {
		const local = await helloColor();
		await deploy(h.engine, local.file, {images: {web: '1.3.0'}});
		await deploy(h.engine, local.file, {images: {web: '1.4.0'}});
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(local.file)).recipe!;
		const first = await h.engine.importLedger({recipe: document, target, to: ledger});
		expect(first).toMatchObject({ledger, releases: {created: ['1.3.0', '1.4.0'], alreadyThere: [], conflicts: []}, deployments: {created: 2, alreadyThere: 0}});
		const again = await h.engine.importLedger({recipe: document, target, to: ledger});
		expect(again).toMatchObject({releases: {created: [], alreadyThere: ['1.3.0', '1.4.0']}, deployments: {created: 0, alreadyThere: 2}});
		// A colleague whose recipe names the bucket now sees the history.
		const shared = await helloColor({ledger});
		const sharedDocument = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(shared.file)).recipe!;
		const history = await secondOperator(h).engine.history(sharedDocument, 'dev', target);
		expect(history.map(d => d.version)).toEqual(['1.4.0', '1.3.0']);
	});
});

describe('when no ledger has a deployment', () => {
	test('history and rollback show what AWS knows: the stack\'s operations and the releases their task definitions carry', async () => {
		const {file} = await helloColor();
		await deploy(h.engine, file, {images: {web: '1.3.0'}});
		await deploy(h.engine, file, {images: {web: '1.4.0'}});
		const stranger = secondOperator(h);
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(file)).recipe!;
		const history = await stranger.engine.history(document, 'dev', target);
		expect(history.map(d => [d.version, d.outcome, d.source, d.current, d.images?.['web']?.tag])).toEqual([
			['1.4.0', 'succeeded', 'aws', true, '1.4.0'],
			['1.3.0', 'succeeded', 'aws', false, '1.3.0'],
		]);
		const host = recordingHost({'execute-change-set': true});
		const result = await stranger.engine.rollback({recipeFile: file, environment: 'dev', target, reattach, to: 'previous'}, host).result;
		expect(result).toMatchObject({outcome: 'succeeded', release: {version: '1.3.0', source: 'aws', builtFrom: 'recipe'}});
		expect(warnings(host.events).join('\n')).toMatch(/release 1\.3\.0 is known only from AWS/);
	});
});

describe('channels and images outside ECR', () => {
	test('a hotfix channel limited to production goes there directly: its lifecycle has no earlier environment', async () => {
		const recipe = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
		recipe['channels'] = [{name: 'stable', default: true}, {name: 'hotfix', environments: ['production']}];
		const file = await h.recipeFile(recipe);
		const host = recordingHost({'execute-change-set': true});
		const hotfix = await h.engine.deploy({recipeFile: file, environment: 'production', target, reattach, images: {web: '1.3.0'}, channel: 'hotfix'}, host).result;
		expect(hotfix.outcome).toBe('succeeded');
		expect(host.asked.map(q => q.id)).not.toContain('skip-lifecycle');
		// A release of the default channel still follows dev → staging → production.
		const stable = recordingHost({'execute-change-set': true});
		const result = await h.engine.deploy({recipeFile: file, environment: 'production', target, reattach, images: {web: '1.4.0'}}, stable).result;
		expect(result.outcome).toBe('declined');
		expect(stable.asked.map(q => q.id)).toContain('skip-lifecycle');
	});

	test('invoice-worker releases with defaults: the image outside ECR takes the recipe\'s pinned tag, with its digest from the registry', async () => {
		const document = (await (await import('../../source/io/recipe-files.js')).readRecipeFile(h.example('invoice-worker'))).recipe!;
		const made = await h.engine.createRelease(document, {tags: {}}, target);
		if ('problems' in made) throw new Error(made.problems.map(p => p.message).join('; '));
		expect(made.release.images).toEqual({
			worker: {tag: '1.4.0', digest: expect.stringMatching(/^sha256:/)},
			'log-router': {tag: '2.32.4', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)},
		});
		// A tag given by hand is taken; one the registry does not know is pinned by its tag alone, and said.
		const host = recordingHost();
		const byHand = await h.engine.createRelease(document, {tags: {'log-router': '9.9.9'}}, target, host);
		expect(byHand).toMatchObject({release: {images: {'log-router': {tag: '9.9.9'}}}});
		expect(host.events.some(e => e.code === 'note' && /log-router: .*9\.9\.9 is pinned by its tag only/.test(e.message))).toBe(true);
	});
});
