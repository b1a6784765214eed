import {link, mkdtemp, readFile, symlink, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {parse} from 'yaml';
import type {RecipeDocument} from '../../source/domain/recipe/schema.js';
import {deployCommand} from '../../source/headless/commands/deploy.js';
import {exportCommand} from '../../source/headless/commands/export.js';
import {eventsCommand, releasesCommand, statusCommand} from '../../source/headless/commands/history.js';
import {releaseCreateCommand, tagsCommand} from '../../source/headless/commands/release.js';
import {targetAddCommand, targetListCommand, targetRemoveCommand, targetVerifyCommand} from '../../source/headless/commands/target.js';
import {validateCommand} from '../../source/headless/commands/validate.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {capture} from '../helpers/output.js';
import {harness, target, type Harness} from '../helpers/engine.js';

let h: Harness;
let recipe: RecipeDocument;
beforeEach(async () => {
	h = await harness();
	recipe = (await readRecipeFile(h.example('hello-color'))).recipe!;
});
afterEach(() => h.fake.restore());

async function deploy(tag: string, env = 'dev') {
	const {output} = capture();
	return deployCommand({recipe: h.example('hello-color'), env, target: 'sandbox', image: [`web=${tag}`], yes: true, skipLifecycle: true}, h.engine, output, {env: {}, globalArgs: ['--sandbox']});
}

describe('tags', () => {
	test('semver tags newest first, the default pick and pre-releases marked, others counted', async () => {
		const {output, out} = capture();
		expect(await tagsCommand(recipe, {json: true}, target, h.engine, output)).toBe(0);
		const listed = JSON.parse(out()) as {defaultTag: string; versions: Array<{tag: string; prerelease: boolean; default: boolean}>; notSemver: number};
		expect(listed.defaultTag).toBe('1.4.0');
		expect(listed.versions.find(v => v.default)?.tag).toBe('1.4.0');
		expect(listed.versions[0]).toMatchObject({prerelease: true});
		expect(listed.notSemver).toBe(4);
	});

	test('reads every page of a repository with thousands of tags', async () => {
		const orders = (await readRecipeFile(h.example('orders-api'))).recipe!;
		const {output, out} = capture();
		await tagsCommand(orders, {json: true}, target, h.engine, output);
		expect((JSON.parse(out()) as {versions: unknown[]}).versions.length).toBeGreaterThan(3200);
		expect(h.fake.count('DescribeImages')).toBe(4);
	});

	test('bad --limit, an unknown channel or image: exit 2 naming the flag', async () => {
		for (const [flags, message] of [
			[{limit: 'abc'}, /--limit: must be a whole number from 1 to 100000 \(got "abc"\)/],
			[{limit: '-2'}, /--limit: must be a whole number/],
			[{channel: 'nightly'}, /--channel: there is no channel "nightly"/],
			[{image: 'db'}, /--image: "db" is not one of the recipe's images \(web\)/],
		] as const) {
			const {output, err} = capture();
			expect(await tagsCommand(recipe, flags, target, h.engine, output)).toBe(2);
			expect(err()).toMatch(message);
		}
	});
});

describe('release create and releases', () => {
	test('with no tags the newest stable version is pinned with its digest; the version defaults to the tag', async () => {
		const {output, out} = capture();
		expect(await releaseCreateCommand(recipe, {}, target, h.engine, output)).toBe(0);
		expect(out()).toMatch(/created release 1\.4\.0 of hello-color\n\s+web\s+1\.4\.0\s+sha256:/);
		// The same images and configuration again: that release, not a duplicate 1.4.1.
		const again = capture();
		expect(await releaseCreateCommand(recipe, {}, target, h.engine, again.output)).toBe(0);
		expect(again.out()).toMatch(/release 1\.4\.0 of hello-color already pins these images with this configuration: not made again/);
		expect(h.workspace.releases('hello-color').map(r => r.version)).toEqual(['1.4.0']);
		// Asking for another version of the same content is refused with the code for "already in the ledger".
		const other = capture();
		expect(await releaseCreateCommand(recipe, {version: '1.4.7'}, target, h.engine, other.output)).toBe(5);
		expect(other.err()).toMatch(/release 1\.4\.0 already pins these images with this configuration/);
	});

	test('a tag that is not in ECR is refused (exit 2)', async () => {
		const {output, err} = capture();
		expect(await releaseCreateCommand(recipe, {image: ['web=9.9.9']}, target, h.engine, output)).toBe(2);
		expect(err()).toMatch(/error: --image: web: tag 9\.9\.9 is not in ECR repository hello-color/);
	});

	test('releases lists where each runs and each deployment', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		const {output, out} = capture();
		expect(await releasesCommand(recipe, () => [target], h.engine, output, false)).toBe(0);
		expect(out()).toMatch(/^1\.1\.0\s+web=1\.1\.0\s+running in dev \(UPDATE_COMPLETE\)/m);
		expect(out()).toMatch(/dev: succeeded \(tester@ci\)/);
	});
});

describe('status and events', () => {
	test('status shows each environment; an unknown environment is bad input', async () => {
		await deploy('1.0.0');
		const {output, out} = capture();
		expect(await statusCommand(recipe, undefined, () => [target], h.engine, output, false)).toBe(0);
		expect(out()).toMatch(/^dev\s+✓ serving\s+release 1\.0\.0 \(web=1\.0\.0\)\s+CREATE_COMPLETE\s+rollout COMPLETED\s+tasks 1\/1\s+last deploy: 1\.0\.0 succeeded/m);
		expect(out()).toMatch(/^staging\s+· not deployed/m);
		const unknown = capture();
		expect(await statusCommand(recipe, 'qa', () => [target], h.engine, unknown.output, false)).toBe(2);
		expect(unknown.err()).toMatch(/--env: hello-color has no environment "qa" \(its environments: dev, staging, production\)/);
	});

	test('an environment two targets serve: a row per target, each named (none left out)', async () => {
		await deploy('1.0.0');
		const other = {...target, name: 'other', cluster: 'spare'};
		const {output, out} = capture();
		expect(await statusCommand(recipe, 'dev', () => [target, other], h.engine, output, false)).toBe(0);
		expect(out()).toMatch(/^dev on sandbox\s+✓ serving\s+release 1\.0\.0/m);
		// The fake is one account: the other cluster sees the same stack name; what matters is a row of its own.
		expect(out()).toMatch(/^dev on other\s+\S/m);
		const json = capture();
		expect(await statusCommand(recipe, 'dev', () => [target, other], h.engine, json.output, true)).toBe(0);
		expect((JSON.parse(json.out()) as Array<{target: {name: string}}>).map(r => r.target.name)).toEqual(['sandbox', 'other']);
	});

	test('events --limit N prints the newest N events (AWS pages by 100), in both forms, and says older ones are left out', async () => {
		await deploy('1.0.0');
		await deploy('1.1.0');
		const all = capture();
		expect(await eventsCommand(recipe, 'dev', target, {limit: 200, json: true}, h.engine, all.output)).toBe(0);
		const everything = (JSON.parse(all.out()) as Array<{events: Array<{logicalId: string; status: string}>}>);
		const newestFirst = everything.flatMap(o => [...o.events].reverse());
		expect(newestFirst.length).toBeGreaterThan(3);
		for (const limit of [1, 3]) {
			const {output, out, err} = capture();
			expect(await eventsCommand(recipe, 'dev', target, {limit, json: false}, h.engine, output)).toBe(0);
			expect(out().split('\n').filter(line => line.startsWith('  ')), `--limit ${limit}`).toHaveLength(limit);
			expect(err()).toContain('older events not shown');
			const json = capture();
			expect(await eventsCommand(recipe, 'dev', target, {limit, json: true}, h.engine, json.output)).toBe(0);
			const shown = (JSON.parse(json.out()) as Array<{events: Array<{logicalId: string; status: string}>}>).flatMap(o => [...o.events].reverse());
			expect(shown).toEqual(newestFirst.slice(0, limit));
		}
	});

	test('events are grouped by operation; an environment never deployed is bad input', async () => {
		await deploy('1.0.0');
		const {output, out} = capture();
		expect(await eventsCommand(recipe, 'dev', target, {limit: 200, json: false}, h.engine, output)).toBe(0);
		expect(out()).toMatch(/^operation /m);
		expect(out()).toMatch(/hello-color-dev\s+CREATE_COMPLETE/);
		const missing = capture();
		expect(await eventsCommand(recipe, 'staging', target, {limit: 200, json: false}, h.engine, missing.output)).toBe(2);
	});
});

describe('targets', () => {
	test('add validates every flag, names it and what is allowed', () => {
		const {output, err} = capture();
		expect(targetAddCommand({name: 'prod!', region: 'europe', cluster: 'main', env: ['production'], roleArn: 'nope', duration: '10'}, h.engine, output)).toBe(2);
		expect(err()).toMatch(/--name: "prod!" must be 1 to 63 letters/);
		expect(err()).toMatch(/--region: "europe" is not an AWS region code/);
		expect(err()).toMatch(/--role-arn: "nope" is not an IAM role ARN/);
		expect(err()).toMatch(/--duration: "10" must be whole seconds from 900 to 43200/);
	});

	test('add refuses a region code that is no AWS Region shape (xx-nowhere-9), and notes one of the right shape it does not list', () => {
		for (const region of ['xx-nowhere-9', 'eu-nowhere-1', 'eu-west-x', 'EU-WEST-1', 'eu-west-100']) {
			const refused = capture();
			expect(targetAddCommand({name: 'prod', region, cluster: 'main', env: ['production']}, h.engine, refused.output), region).toBe(2);
			expect(refused.err()).toContain(`--region: "${region}" is not an AWS region code`);
		}
		expect(h.workspace.targets()).toEqual([]);
		for (const region of ['us-gov-west-1', 'ap-southeast-7', 'cn-northwest-1', 'mx-central-1']) {
			const added = capture();
			expect(targetAddCommand({name: 'prod', region, cluster: 'main', env: ['production']}, h.engine, added.output), region).toBe(0);
			expect(added.err()).toBe('');
		}
		const newer = capture();
		expect(targetAddCommand({name: 'prod', region: 'eu-west-9', cluster: 'main', env: ['production']}, h.engine, newer.output)).toBe(0);
		expect(newer.err()).toMatch(/note: --region: eu-west-9 is not a Region this version of ecs-deployer knows/);
	});

	test('add, list, remove; the built-in sandbox is listed and cannot be removed', () => {
		expect(targetAddCommand({name: 'prod', region: 'eu-west-1', cluster: 'main', env: ['production'], profile: 'ops'}, h.engine, capture().output)).toBe(0);
		const listed = capture();
		targetListCommand(h.engine, listed.output, false);
		expect(listed.out()).toMatch(/^prod\s+main \(eu-west-1\)\s+envs: production\s+profile ops/m);
		expect(listed.out()).toMatch(/^sandbox\s+sandbox \(eu-west-1\).*simulated account/m);
		expect(targetRemoveCommand('sandbox', h.engine, capture().output)).toBe(2);
		expect(targetRemoveCommand('prod', h.engine, capture().output)).toBe(0);
		expect(h.workspace.targets()).toEqual([]);
	});

	test('verify prints each check', async () => {
		const {output, out} = capture();
		expect(await targetVerifyCommand('sandbox', h.engine, output, false)).toBe(0);
		expect(out()).toMatch(/✓ credentials\s+account 123456789012/);
		expect(out()).toMatch(/✓ cluster\s+sandbox is ACTIVE/);
	});
});

describe('validate and export use the target that serves the environment', () => {
	test('every example recipe validates for production with the stored target, without --region or --release-version', async () => {
		h.workspace.saveTarget({...target, name: 'prod', sandbox: false, environments: ['production']});
		for (const name of ['hello-color', 'orders-api', 'invoice-worker'] as const) {
			const {output, out} = capture();
			const code = await validateCommand({recipe: h.example(name), env: 'production'}, h.engine, output);
			expect({name, code, out: out()}).toMatchObject({code: 0});
		}
	});

	test('without a target or flags, values only a deploy knows are warnings naming the flag, not errors', async () => {
		const {output, out} = capture();
		expect(await validateCommand({recipe: h.example('orders-api'), env: 'dev'}, h.engine, output)).toBe(0);
		expect(out()).toMatch(/warning +service\.containers\[0\]\.environment\.APP_VERSION.*Release\.Version.*pass --release-version.*checked with a placeholder/);
	});

	test('orders-api exports the secret of each environment: #{Environment} in a valueFrom is substituted', async () => {
		for (const env of ['dev', 'staging', 'production']) {
			let text = '';
			const code = await exportCommand({recipe: h.example('orders-api'), env, format: 'json', region: 'eu-west-1', cluster: 'main', image: ['api=1.2.3'], releaseVersion: '1.2.3'}, h.engine, capture().output, {write: (chunk: string) => (text += chunk)});
			expect(code).toBe(0);
			expect(text).not.toContain('#{');
			const [api] = JSON.parse(text).Resources.TaskDefinition.Properties.ContainerDefinitions;
			expect(api.Secrets).toEqual([{Name: 'DATABASE_URL', ValueFrom: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/${env}/database-url-AbCdEf`}]);
		}
	});

	test('export --out never overwrites the recipe, an existing file without --force, or a symlink', async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-export-'));
		const recipeFile = path.join(folder, 'r.yaml');
		await writeFile(recipeFile, await readFile(h.example('hello-color'), 'utf8'));
		const before = await readFile(recipeFile, 'utf8');
		const self = capture();
		expect(await exportCommand({recipe: recipeFile, env: 'dev', out: recipeFile, force: true}, h.engine, self.output)).toBe(2);
		expect(self.err()).toMatch(/--out: .*is the recipe itself/);
		expect(await readFile(recipeFile, 'utf8')).toBe(before);

		const existing = path.join(folder, 'template.yaml');
		await writeFile(existing, 'keep me');
		const refused = capture();
		expect(await exportCommand({recipe: recipeFile, env: 'dev', out: existing}, h.engine, refused.output)).toBe(2);
		expect(refused.err()).toMatch(/exists; pass --force to overwrite it/);
		expect(await readFile(existing, 'utf8')).toBe('keep me');
		expect(await exportCommand({recipe: recipeFile, env: 'dev', out: existing, force: true}, h.engine, capture().output)).toBe(0);
		expect(await readFile(existing, 'utf8')).toMatch(/AWSTemplateFormatVersion/);

		const link = path.join(folder, 'link.yaml');
		await symlink(path.join(folder, 'elsewhere.yaml'), link);
		const linked = capture();
		expect(await exportCommand({recipe: recipeFile, env: 'dev', out: link, force: true}, h.engine, linked.output)).toBe(2);
		expect(linked.err()).toMatch(/is a symbolic link/);
	});

	test('export --out --force over a hard link of the recipe is refused: the same file under another name', async () => {
		const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-export-'));
		const recipeFile = path.join(folder, 'r.yaml');
		await writeFile(recipeFile, await readFile(h.example('hello-color'), 'utf8'));
		const before = await readFile(recipeFile, 'utf8');
		const hardLink = path.join(folder, 'template.yaml');
		await link(recipeFile, hardLink);
		const refused = capture();
		expect(await exportCommand({recipe: recipeFile, env: 'dev', out: hardLink, force: true}, h.engine, refused.output)).toBe(2);
		expect(refused.err()).toMatch(/--out: .*template\.yaml is the recipe itself/);
		expect(await readFile(recipeFile, 'utf8')).toBe(before);
	});

	test('export to a terminal goes through the output filter; to a pipe the template is written as it is', async () => {
		const recipe = {...(parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>)};
		recipe['service'].containers[0].environment = {...recipe['service'].containers[0].environment, NOTE: 'x\u009b2Jy'};
		const file = await h.recipeFile(recipe);
		const terminal = capture();
		let written = '';
		expect(await exportCommand({recipe: file, env: 'dev', format: 'json'}, h.engine, terminal.output, {write: (t: string) => (written += t), isTTY: true} as never)).toBe(0);
		expect(terminal.out()).toContain('x\\u009b2Jy');
		expect(terminal.out()).not.toContain('\u009b');
		let piped = '';
		expect(await exportCommand({recipe: file, env: 'dev', format: 'json'}, h.engine, capture().output, {write: (t: string) => (piped += t)})).toBe(0);
		expect(piped).toContain('x\u009b2Jy');
		expect(written).toBe('');
	});
});
