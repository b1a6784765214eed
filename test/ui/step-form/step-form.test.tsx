import {copyFile, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {diffLines} from 'diff';
import {afterEach, describe, expect, test, vi, type Mock} from 'vitest';
import type {Engine} from '../../../source/engine/engine.js';
import type {RecipeCatalog} from '../../../source/ui/catalog.js';
import {fargateCpuValues} from '../../../source/domain/recipe/fargate.js';
import {newRecipeText} from '../../../source/domain/recipe/edit.js';
import type {Route} from '../../../source/ui/navigation.js';
import {renderApp, type AppHarness} from '../../helpers/app.js';
import {repoRoot} from '../../helpers/cli.js';
import {keys, press, screen, waitForText} from '../../helpers/ink.js';

const ctrlS = '\u0013';

let harness: AppHarness | undefined;
afterEach(() => {
	harness?.app.unmount();
	harness = undefined;
});

/** A temporary folder holding a copy of an example recipe, and a catalog over it. */
async function workspace(example?: 'orders-api' | 'hello-color' | 'invoice-worker' | 'checkout-api') {
	const folder = await mkdtemp(path.join(os.tmpdir(), 'ecs-deployer-step-form-'));
	const file = example ? path.join(folder, `${example}.yaml`) : undefined;
	if (example && file) await copyFile(path.join(repoRoot, 'recipes', `${example}.yaml`), file);
	const catalog = {folder, list: async () => [], refresh: vi.fn<() => void>()} satisfies RecipeCatalog;
	return {folder, file, catalog, original: file ? await readFile(file, 'utf8') : ''};
}

type Spies = {saveRecipe: Mock<Engine['saveRecipe']>; createRecipe: Mock<Engine['createRecipe']>};

function open(route: Route, catalog: RecipeCatalog, size = {columns: 130, rows: 30}): AppHarness & {spies: Spies} {
	const spies = {} as Spies;
	const wrapEngine = (engine: Engine): Engine => {
		spies.saveRecipe = vi.fn<Engine['saveRecipe']>(engine.saveRecipe);
		spies.createRecipe = vi.fn<Engine['createRecipe']>(engine.createRecipe);
		return {...engine, saveRecipe: spies.saveRecipe, createRecipe: spies.createRecipe};
	};
	// The form sits on top of the dashboard, as when it is opened from there (Esc goes back to it).
	harness = renderApp({route, catalog, size, wrapEngine});
	return {...harness, spies};
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Moves the cursor (↓, else ↑) until the selected line is `label`, in whichever pane has the keys. */
async function select(app: AppHarness['app'], label: string) {
	const selected = new RegExp(`❯\\s+${escape(label)}(\\s|$)`, 'm');
	for (const key of [keys.down, keys.up]) {
		for (let i = 0; i < 40 && !selected.test(screen(app)); i++) await press(app, key);
		if (selected.test(screen(app))) return;
	}
	throw new Error(`no line ${label} to select; last frame:\n${screen(app)}`);
}

/** Opens a section from the section list and puts the keys in its fields. */
async function section(app: AppHarness['app'], title: string) {
	if (!/^❯ /m.test(screen(app))) await press(app, keys.escape);
	await select(app, title);
	await press(app, keys.enter);
}

const ctrlU = '\u0015';

/** Retypes the selected text field: Enter, erase what is there (Ctrl+U), type, Enter. */
async function retype(app: AppHarness['app'], text: string) {
	await press(app, keys.enter, ctrlU, text, keys.enter);
}

function changedLines(before: string, after: string): {removed: string[]; added: string[]} {
	const out = {removed: [] as string[], added: [] as string[]};
	for (const part of diffLines(before, after)) {
		const lines = part.value.split('\n').filter(Boolean);
		if (part.added) out.added.push(...lines);
		else if (part.removed) out.removed.push(...lines);
	}
	return out;
}

const commentLines = (text: string) => text.split('\n').filter(line => line.includes('#'));

describe('the step form', () => {
	test("add a port to a container and save: the file has the new port and keeps every comment", async () => {
		const {file, catalog, original} = await workspace('invoice-worker');
		const {app, spies} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'worker');
		await select(app, 'Ports (0)');
		await press(app, 'a');
		expect(screen(app)).toMatch(/✎\s+Port 1\s+80/);
		await press(app, keys.backspace, keys.backspace, '8443', keys.enter);
		expect(screen(app)).toContain('● unsaved changes');
		await press(app, ctrlS);
		const diff = await waitForText(app, 'y writes, n goes back');
		expect(diff).toContain('+      ports: [8443]');
		await press(app, 'y');
		await waitForText(app, `saved ${file}`);
		const saved = await readFile(file!, 'utf8');
		expect(changedLines(original, saved)).toEqual({removed: [], added: ['      ports: [8443]']});
		expect(commentLines(saved)).toEqual(commentLines(original));
		expect(spies.saveRecipe).toHaveBeenCalledWith(file, saved, original);
		expect(catalog.refresh).toHaveBeenCalled();
		expect(screen(app)).not.toContain('● unsaved changes');
	});

	test("edit a container's port and save: only that line changes", async () => {
		const {file, catalog, original} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'api');
		await select(app, 'Port 1');
		await retype(app, '9090');
		// The load balancer mapping still names 8080: the validator says so, where the mapping is.
		expect(await waitForText(app, '✗ Not deployable')).toContain('service.loadBalancers[0].port: 8080 is not a port of container "api"');
		expect(screen(app)).toMatch(/Load balancers ✗1/);
		await press(app, ctrlS);
		expect(await waitForText(app, '+        - containerPort: 9090')).toContain('-        - containerPort: 8080');
		await press(app, 'y');
		await waitForText(app, `saved ${file} as a draft`);
		const saved = await readFile(file!, 'utf8');
		expect(changedLines(original, saved)).toEqual({removed: ['        - containerPort: 8080'], added: ['        - containerPort: 9090']});
	});

	test('a typed value out of range is refused where it is typed', async () => {
		const {file, catalog} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'api');
		await select(app, 'Port 1');
		await retype(app, '99999');
		expect(screen(app)).toContain('✗ must be from 1 to 65535');
		expect(screen(app)).toContain('✎');
		await press(app, keys.escape);
		expect(screen(app)).not.toContain('must be from 1 to 65535');
		expect(screen(app)).not.toContain('● unsaved changes');
	});

	test("the validator's problem shows next to the field and in the summary; the recipe saves as a draft, not deployable", async () => {
		const {file, catalog} = await workspace('orders-api');
		const {app, engine} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Tags');
		await select(app, 'Key');
		await retype(app, 'aws:team');
		const frame = await waitForText(app, '✗ Not deployable');
		const lines = frame.split('\n');
		const key = lines.findIndex(line => /Key\s+aws:team ✗/.test(line));
		expect(key).toBeGreaterThan(-1);
		expect(lines[key + 1]).toContain('✗ the aws: prefix is reserved by AWS');
		expect(frame).toContain('✗ service.tags[0].key: the aws: prefix is reserved by AWS');
		expect(frame).toMatch(/Tags ✗1/);
		await press(app, ctrlS);
		expect(await waitForText(app, 'saved as a draft')).toContain('cannot be deployed until they are fixed');
		await press(app, 'y');
		await waitForText(app, `saved ${file} as a draft`);
		const saved = await readFile(file!, 'utf8');
		expect(saved).toContain('{key: aws:team, value: orders}');
		expect(engine.checkRecipe(saved).deployable).toBe(false);
	});

	test('leaving with unsaved changes asks; n keeps them, y drops them', async () => {
		const {file, catalog, original} = await workspace('hello-color');
		const {app, spies} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Service');
		await select(app, 'Desired count');
		await retype(app, '3');
		await press(app, keys.escape, keys.escape);
		expect(screen(app)).toContain(`Drop the unsaved changes to ${file}?`);
		await press(app, 'n');
		expect(screen(app)).toContain('● unsaved changes');
		await press(app, keys.escape);
		await press(app, 'y');
		await waitForText(app, 'n new recipe');
		expect(spies.saveRecipe).not.toHaveBeenCalled();
		expect(await readFile(file!, 'utf8')).toBe(original);
	});

	test('the help overlay does not lose the unsaved changes', async () => {
		const {file, catalog} = await workspace('hello-color');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Service');
		await select(app, 'Desired count');
		await retype(app, '3');
		await press(app, '?');
		expect(screen(app)).toContain('Keys of this screen');
		expect(screen(app)).toContain('edit the field: type, Enter accepts, Esc cancels');
		await press(app, keys.escape);
		expect(screen(app)).toContain('● unsaved changes');
		expect(screen(app)).toMatch(/❯ Desired count\s+3/);
	});

	test('the CPU select offers only valid Fargate sizes, and memory only what the CPU allows', async () => {
		const {file, catalog} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog, {columns: 160, rows: 50});
		await waitForText(app, '✓ Deployable');
		await section(app, 'Task size');
		await select(app, 'CPU units');
		await press(app, keys.enter);
		const offered = new Set<number>();
		for (let i = 0; i < 10; i++) {
			for (const match of screen(app).matchAll(/[○●] (\d+) \(/g)) offered.add(Number(match[1]));
			await press(app, keys.down);
		}
		expect([...offered].sort((a, b) => a - b)).toEqual([...fargateCpuValues]);
		await press(app, keys.escape);
		await select(app, 'Memory');
		await press(app, keys.enter);
		const memory = [...screen(app).matchAll(/[○●] (\d+) MiB/g)].map(m => Number(m[1]));
		expect(memory).toEqual([1024, 2048, 3072, 4096]);
		await press(app, keys.escape);
		// A CPU whose memory range does not hold the current memory takes the nearest memory it allows.
		await select(app, 'CPU units');
		await press(app, keys.enter, keys.down, keys.down, keys.enter);
		expect(screen(app)).toMatch(/CPU units\s+2048 \(2 vCPU\)/);
		expect(screen(app)).toMatch(/Memory\s+4096 MiB/);
		expect(screen(app)).toContain('✓ Deployable');
	});

	test('add a container, reorder it and remove it', async () => {
		const {file, catalog} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Containers (1)');
		await press(app, 'a');
		expect(screen(app)).toContain('Containers (2)');
		expect(screen(app)).toMatch(/❯\s+container\s+image api/);
		await press(app, '[');
		const lines = screen(app).split('\n');
		const added = lines.findIndex(line => /❯\s+container\s+image api/.test(line));
		const api = lines.findIndex(line => /\s{2}api\s+image api/.test(line));
		expect(added).toBeGreaterThan(-1);
		expect(added).toBeLessThan(api);
		await press(app, 'x');
		expect(screen(app)).toContain('Remove container container? y removes it · n keeps it');
		await press(app, 'y');
		expect(screen(app)).toContain('removed container container');
		expect(screen(app)).toContain('Containers (1)');
		expect(screen(app)).not.toContain('● unsaved changes');
	});

	test('a new recipe, end to end: fill in the subnets, name it, save it to a new file', async () => {
		const {folder, catalog} = await workspace();
		const {app, spies} = open({name: 'step-form'}, catalog);
		await waitForText(app, 'New recipe (not saved yet)');
		expect(screen(app)).toContain('✗ service.network.subnets: needs at least one entry');
		await section(app, 'Network');
		await select(app, 'Subnets');
		await retype(app, 'subnet-0a1b2c3d4e5f60718, subnet-0b1c2d3e4f5a60729');
		await waitForText(app, '✓ Deployable');
		await section(app, 'Project');
		await select(app, 'Name');
		await retype(app, 'billing');
		await press(app, ctrlS);
		const target = path.join(folder, 'billing.yaml');
		expect(screen(app)).toContain(`Save the new recipe as: ${target}`);
		await press(app, keys.enter);
		expect(await waitForText(app, 'New file')).toContain('+name: billing');
		await press(app, 'y');
		await waitForText(app, `saved ${target}`);
		expect(spies.createRecipe).toHaveBeenCalledTimes(1);
		const text = await readFile(target, 'utf8');
		expect(text).toContain('subnets: [subnet-0a1b2c3d4e5f60718, subnet-0b1c2d3e4f5a60729]');
		expect(text).toContain('# In promotion order');
		expect(screen(app)).toContain(`Edit ${target}`);
		expect(catalog.refresh).toHaveBeenCalled();
	});

	test('a new recipe made entirely in the form (a value per environment, a sensitive variable, a channel) is saved in the documented order and deploys', async () => {
		const {folder, catalog} = await workspace();
		const {app, engine} = open({name: 'step-form'}, catalog, {columns: 120, rows: 40});
		await waitForText(app, 'New recipe (not saved yet)');
		await section(app, 'Project');
		await select(app, 'Name');
		await retype(app, 'billing');
		await section(app, 'Images');
		await select(app, 'Repository');
		await retype(app, 'hello-color');
		await section(app, 'Network');
		await select(app, 'Subnets');
		await retype(app, 'subnet-0a1b2c3d4e5f60718');
		await section(app, 'Variables');
		await press(app, 'a', `${ctrlU}Color${keys.enter}`);
		for (const [environment, colour] of [
			['dev', '#f00'],
			['staging', '#fa0'],
			['production', '#0a0'],
		] as const) {
			await select(app, environment);
			await press(app, keys.enter, `${colour}${keys.enter}`);
		}
		await press(app, 'a', `${ctrlU}DbPassword${keys.enter}`);
		await select(app, 'Sensitive');
		await press(app, keys.enter, keys.down, keys.enter);
		expect(screen(app)).toMatch(/All\s+given when deploying/);
		await section(app, 'Channels');
		await press(app, 'a', keys.enter);
		await select(app, 'Default');
		await press(app, keys.enter, keys.down, keys.enter);
		await select(app, 'Pre-release');
		await press(app, keys.enter, `^$${keys.enter}`);
		await section(app, 'app');
		await select(app, 'Variables (0)');
		await press(app, 'a', `COLOR=#{Color}${keys.enter}`);
		await press(app, 'a', `DB_PASSWORD=#{DbPassword}${keys.enter}`);
		await waitForText(app, '✓ Deployable: no problems');
		await press(app, ctrlS);
		const target = path.join(folder, 'billing.yaml');
		await waitForText(app, `Save the new recipe as: ${target}`);
		await press(app, keys.enter);
		await waitForText(app, 'New file');
		await press(app, 'y');
		await waitForText(app, `saved ${target}`);

		const text = await readFile(target, 'utf8');
		expect(engine.checkRecipe(text).deployable).toBe(true);
		expect(text.split('\n').filter(line => /^[a-z]\w*:/.test(line)).map(line => line.slice(0, line.indexOf(':')))).toEqual(['name', 'environments', 'images', 'variables', 'channels', 'service']);
		expect(text).toContain('  - name: Color\n    value: "#f00"\n    environments: [dev]\n');
		expect(text).toContain('  - name: DbPassword\n    sensitive: true\n\nchannels:\n  - name: stable\n    default: true\n    prereleaseTag: ^$\n');
		expect(text).toContain('        DB_PASSWORD: "#{DbPassword}"\n');
		const wholeLineComments = (t: string) => t.split('\n').filter(line => /^\s*#/.test(line));
		expect(wholeLineComments(text)).toEqual(wholeLineComments(newRecipeText()));

		// Deployed to dev: the sensitive value is asked for when deploying, and is in neither the file nor the screen.
		harness?.app.unmount();
		harness = renderApp({recipes: [target], route: {name: 'release-picker', file: path.relative(repoRoot, target), mode: 'deploy', environment: 'dev'}});
		const deploy = harness.app;
		await waitForText(deploy, '❯ 1.4.0');
		await press(deploy, keys.enter, keys.enter);
		await waitForText(deploy, 'Deploy it to:');
		await press(deploy, keys.enter);
		await waitForText(deploy, 'Value of the sensitive variable DbPassword');
		await press(deploy, `hunter2${keys.enter}`);
		await waitForText(deploy, 'Change preview');
		await press(deploy, 'y');
		expect(await waitForText(deploy, '✓ succeeded', 5000)).not.toContain('hunter2');
		expect(await readFile(target, 'utf8')).not.toContain('hunter2');
		// Some sixty keys, each handed out with its own frame: longer than a test usually takes.
	}, 40_000);

	test('a new recipe is never written over an existing file', async () => {
		const {folder, catalog} = await workspace();
		const taken = path.join(folder, 'my-service.yaml');
		await writeFile(taken, 'name: mine\n');
		const {app} = open({name: 'step-form'}, catalog);
		await waitForText(app, 'New recipe (not saved yet)');
		await press(app, ctrlS, keys.enter, 'y');
		expect(await waitForText(app, 'exists; pick another name')).toContain('Save the new recipe as:');
		expect(await readFile(taken, 'utf8')).toBe('name: mine\n');
	});

	test('the file changed on disk meanwhile: nothing is written', async () => {
		const {file, catalog} = await workspace('hello-color');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Service');
		await select(app, 'Desired count');
		await retype(app, '3');
		await writeFile(file!, 'name: changed-elsewhere\n');
		await press(app, ctrlS, 'y');
		await waitForText(app, 'changed on disk since it was opened');
		expect(await readFile(file!, 'utf8')).toBe('name: changed-elsewhere\n');
	});

	test('problems update as a field is typed (after a pause), several keys in one write, before Enter', async () => {
		const {file, catalog, original} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Tags');
		await select(app, 'Key');
		await press(app, keys.enter);
		// One write: four Backspaces and the new text, as a paste or a fast typist delivers them.
		await press(app, `${keys.backspace.repeat(4)}aws:team`);
		const typing = await waitForText(app, '✗ Not deployable as typed');
		expect(typing).toMatch(/✎\s+Key\s+aws:team/);
		expect(typing).toContain('✗ the aws: prefix is reserved by AWS');
		expect(typing).toContain('✗ service.tags[0].key: the aws: prefix is reserved by AWS');
		expect(typing).toMatch(/Tags ✗1/);
		await press(app, `${keys.backspace.repeat(8)}owner`);
		const fixed = await waitForText(app, '✓ Deployable as typed');
		expect(fixed).not.toContain('aws: prefix');
		expect(fixed).toMatch(/✎\s+Key\s+owner/);
		// A value the field itself refuses says so as it is typed, and the summary keeps the last check.
		await press(app, `${keys.backspace.repeat(5)}${'x'.repeat(129)}`);
		expect(await waitForText(app, '✗ at most 128 characters')).toContain('✎');
		// Esc drops what was typed: the problems are those of the file again.
		await press(app, keys.escape);
		expect(await waitForText(app, '✓ Deployable: no problems')).not.toContain('● unsaved changes');
		expect(await readFile(file!, 'utf8')).toBe(original);
	});

	test('strategy blue-green in its own section: its fields appear, are typed (several keys in one write) and saved to service.deployment and the load balancer', async () => {
		const {file, catalog, original} = await workspace('orders-api');
		const {app, engine} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Strategy');
		expect(screen(app)).not.toContain('Alternate TG');
		// One write: open the select, two down to blue-green, choose it.
		await press(app, `${keys.enter}${keys.down}${keys.down}${keys.enter}`);
		const chosen = await waitForText(app, 'Alternate TG');
		expect(chosen).toMatch(/Strategy\s+blue-green: test the new revision/);
		for (const label of ['Bake time', 'Infra role', 'Load balancer api:8080', 'Prod listener', 'Test listener', 'Approval at']) expect(chosen).toContain(label);
		expect(chosen).not.toMatch(/Canary traffic|Step traffic/);
		// The validator's problems are at the new fields.
		expect(await waitForText(app, '✗ Not deployable')).toMatch(/needs the IAM role ECS uses/);
		// The service's bake time (the environments' own rows come after the service's).
		await select(app, 'Bake time');
		await press(app, `${keys.enter}15${keys.enter}`);
		const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333';
		const values: Array<[string, string]> = [
			['Infra role', 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers'],
			['Alternate TG', `${arn}:targetgroup/orders-green/3123456789abcdef`],
			['Prod listener', `${arn}:listener-rule/app/orders/0123456789abcdef/0123456789abcdef/0123456789abcdef`],
			['Test listener', `${arn}:listener-rule/app/orders/0123456789abcdef/0123456789abcdef/1123456789abcdef`],
		];
		for (const [label, value] of values) {
			await select(app, label);
			await press(app, `${keys.enter}${value}${keys.enter}`);
		}
		expect(await waitForText(app, '✓ Deployable')).toContain('● unsaved changes');
		await press(app, ctrlS);
		await waitForText(app, 'y writes, n goes back');
		await press(app, 'y');
		await waitForText(app, `saved ${file}`);
		const saved = await readFile(file!, 'utf8');
		expect(changedLines(original, saved)).toEqual({
			removed: [],
			added: [
				'    strategy: blue-green',
				'    bakeTimeMinutes: 15',
				'    infrastructureRole: arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers',
				`      alternateTargetGroupArn: ${values[1]![1]}`,
				`      productionListenerRule: ${values[2]![1]}`,
				`      testListenerRule: ${values[3]![1]}`,
			],
		});
		expect(commentLines(saved)).toEqual(commentLines(original));
		expect(engine.checkRecipe(saved).deployable).toBe(true);
	});

	test('"refers to unknown variable TargetGroupArn" is fixed in the Variables section: a value per environment', async () => {
		const {file, catalog, original} = await workspace('orders-api');
		const {app, engine} = open({name: 'step-form', file: file!}, catalog, {columns: 130, rows: 40});
		await waitForText(app, '✓ Deployable');
		await section(app, 'Variables');
		await select(app, 'Name');
		expect(screen(app)).toMatch(/❯\s+Name\s+TargetGroupArn/);
		await press(app, 'x');
		expect(screen(app)).toContain('Remove variable TargetGroupArn (its 3 values)? y removes it');
		await press(app, 'y');
		expect(await waitForText(app, '✗ Not deployable')).toContain('service.loadBalancers[0].targetGroupArn: refers to unknown variable TargetGroupArn');
		await press(app, 'a');
		await press(app, `${ctrlU}TargetGroupArn${keys.enter}`);
		const arn = (name: string, id: string) => `arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/${name}/${id}`;
		for (const [environment, value] of [
			['dev', arn('orders-dev', '0123456789abcdef')],
			['staging', arn('orders-staging', '1123456789abcdef')],
			['production', arn('orders-prod', '2123456789abcdef')],
		] as const) {
			await select(app, environment);
			// Pasted, as an operator copies an ARN (the terminal wraps it in a bracketed paste).
			await press(app, keys.enter, `\u001B[200~${value}\u001B[201~${keys.enter}`);
		}
		await select(app, 'All');
		// The empty value for all environments is not needed: every environment has its own.
		await press(app, 'x', 'y');
		await waitForText(app, '✓ Deployable: no problems');
		await press(app, ctrlS);
		await waitForText(app, 'y writes, n goes back');
		await press(app, 'y');
		await waitForText(app, `saved ${file}`);
		const saved = await readFile(file!, 'utf8');
		expect(engine.checkRecipe(saved).deployable).toBe(true);
		expect(saved).toContain(`  - name: TargetGroupArn\n    value: ${arn('orders-prod', '2123456789abcdef')}\n    environments: [production]\n\nservice:`);
		expect(commentLines(saved)).toEqual(commentLines(original));
	});

	test.each([
		{columns: 80, rows: 24},
		{columns: 160, rows: 50},
	])('fits a $columns×$rows terminal', async size => {
		const {file, catalog} = await workspace('invoice-worker');
		const {app} = open({name: 'step-form', file: file!}, catalog, size);
		await waitForText(app, '✓ Deployable');
		await section(app, 'worker');
		for (let i = 0; i < 30; i++) await press(app, keys.down);
		const frame = screen(app);
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
		expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(size.columns);
		expect(frame).toContain('Volumes');
		expect(frame).toMatch(/❯\s+\S/);
		// The Variables section: long ARNs and a sensitive variable's source are cut at the pane's edge.
		await section(app, 'Variables');
		for (let i = 0; i < 12; i++) await press(app, keys.down);
		const variables = screen(app).split('\n');
		expect(variables.length).toBeLessThanOrEqual(size.rows - 1);
		expect(Math.max(...variables.map(line => line.length))).toBeLessThanOrEqual(size.columns);
	});

	test('at 80×24 the settings of a blue/green, auto-scaled recipe fit: Strategy, Auto scaling, Service, Task, a container', async () => {
		const size = {columns: 80, rows: 24};
		const {file, catalog} = await workspace('checkout-api');
		const {app} = open({name: 'step-form', file: file!}, catalog, size);
		await waitForText(app, /Deployable/);
		const seen: Array<[string, RegExp]> = [
			['Strategy', /Strategy\s+blue-green[^]*Bake time\s+10[^]*Test listener\s+#\{TestListenerRule\}[^]*In staging[^]*Canary traffic\s+10[^]*In production[^]*Approval at\s+POST_TEST_TRAFFIC_SHIFT/],
			['Auto scaling', /Min tasks\s+2[^]*Max tasks\s+10[^]*office-hours/],
			['Service', /Platform version\s+LATEST[^]*ECS Exec\s+yes[^]*FARGATE_SPOT/],
			['Task & roles', /Ephemeral storage\s+30[^]*Runtime CPU\s+ARM64/],
			['api', /User\s+1000:1000[^]*Read-only root\s+yes[^]*Init process\s+yes[^]*Stop timeout\s+60/],
		];
		for (const [title, expected] of seen) {
			await section(app, title);
			const frames: string[] = [];
			for (let i = 0; i < 25; i++) {
				frames.push(screen(app));
				await press(app, keys.down);
			}
			for (const frame of frames) {
				const lines = frame.split('\n');
				expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
				expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(size.columns);
			}
			// What scrolled past is in one of the frames: the rows are there, values as written.
			expect(frames.join('\n').replace(/\n/g, ' ')).toMatch(expected);
		}
	});
});

describe('Before deploy section', () => {
	test('the migration\'s fields are edited in place: the command is written as a list, the timeout is checked (1-120)', async () => {
		const {file, catalog} = await workspace('orders-api');
		const {app} = open({name: 'step-form', file: file!}, catalog);
		await waitForText(app, '✓ Deployable');
		await section(app, 'Before deploy (1)');
		const frame = await waitForText(app, 'Before deploy tasks');
		expect(frame).toMatch(/Name\s+migrate/);
		expect(frame).toMatch(/Container\s+api/);
		expect(frame).toMatch(/Command\s+npm run migrate/);
		expect(frame).toMatch(/Timeout\s+10/);
		await select(app, 'Command');
		await retype(app, 'npm run migrate:up');
		await waitForText(app, /Command\s+npm run migrate:up/);
		await select(app, 'Timeout');
		await retype(app, '121');
		await waitForText(app, '✗ must be from 1 to 120');
		await press(app, ctrlU, '30', keys.enter);
		await press(app, ctrlS);
		await waitForText(app, /y write/);
		await press(app, 'y');
		await waitForText(app, `saved ${file}`);
		const saved = await readFile(file!, 'utf8');
		expect(saved).toMatch(/command: \[ ?npm, run, "?migrate:up"? ?\]|command:\n\s+- npm\n\s+- run\n\s+- migrate:up/);
		expect(saved).toMatch(/timeoutMinutes: 30/);
	});
});
