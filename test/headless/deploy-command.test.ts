import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {ConfirmQuestion} from '../../source/engine/core/host.js';
import {deployCommand, type DeployFlags, type RunIo} from '../../source/headless/commands/deploy.js';
import {rollbackCommand} from '../../source/headless/commands/rollback.js';
import {watchCommand} from '../../source/headless/commands/watch.js';
import type {Prompter} from '../../source/headless/prompter.js';
import {awsError} from '../helpers/fake-aws.js';
import {capture} from '../helpers/output.js';
import {harness, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

async function run(flags: Partial<DeployFlags>, io: Partial<RunIo> = {}) {
	const {output, out, err} = capture();
	const code = await deployCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox', image: ['web=1.0.0'], yes: true, ...flags}, h.engine, output, {env: {}, globalArgs: ['--sandbox'], ...io});
	return {code, stdout: out(), stderr: err()};
}

describe('ecs-deployer deploy', () => {
	test('a successful deploy prints plain lines and exits 0', async () => {
		const {code, stdout} = await run({});
		expect(code).toBe(0);
		expect(stdout).toMatch(/Deploying hello-color 1\.0\.0 to dev \(stack hello-color-dev, cluster sandbox in eu-west-1, sandbox\)/);
		expect(stdout).toMatch(/release 1\.0\.0 \(new\): web=1\.0\.0 \(sha256:/);
		expect(stdout).toMatch(/Service CREATE_COMPLETE/);
		expect(stdout).toMatch(/Apply these 4 changes to hello-color-dev \(create the stack\)\? yes \(--yes\)/);
		expect(stdout).toMatch(/✓ succeeded: release 1\.0\.0 is serving in dev/);
	});

	test('without --yes and without a terminal: the change set is printed, nothing is applied, exit 2 naming --yes', async () => {
		const {code, stdout, stderr} = await run({yes: false});
		expect(code).toBe(2);
		expect(stdout).toMatch(/changes:/);
		expect(stdout).toMatch(/Add +TaskDefinition \(AWS::ECS::TaskDefinition\)/);
		expect(stdout).toMatch(/no \(pass --yes to answer yes\)/);
		expect(stderr).toMatch(/pass --yes/);
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
	});

	test('without --yes on a terminal it asks (default no); "no" applies nothing', async () => {
		const asked: ConfirmQuestion[] = [];
		const prompter: Prompter = {
			confirm: async question => {
				asked.push(question);
				return false;
			},
			choose: async () => '',
			enter: async () => '',
		};
		const {code} = await run({yes: false}, {prompter});
		expect(asked).toEqual([expect.objectContaining({id: 'execute-change-set', defaultAnswer: false, detail: expect.arrayContaining([expect.stringMatching(/^Add +Service/)])})]);
		expect(code).toBe(2);
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
	});

	test('--preview prints what each change does, with values; --preview --json gives the same data', async () => {
		await run({});
		const {code, stdout} = await run({image: ['web=1.1.0'], preview: true, yes: false});
		expect(code).toBe(0);
		expect(stdout).toMatch(/Modify +TaskDefinition \(AWS::ECS::TaskDefinition\) \[replaced\]\n.* {6}image web: 1\.0\.0 → 1\.1\.0 \(sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}\)/);
		expect(stdout).toMatch(/~ Tags\[ecs-deployer:release\]: 1\.0\.0 → 1\.1\.0/);
		expect(stdout).toMatch(/replaced: a task definition cannot change in place/);
		const json = await run({image: ['web=1.1.0'], preview: true, yes: false, json: true});
		const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!).result;
		expect(result).toMatchObject({outcome: 'previewed', exitCode: 0});
		const task = result.changes.find((c: {logicalId: string}) => c.logicalId === 'TaskDefinition');
		expect(task.detail).toMatchObject({source: 'change-set', images: [{container: 'web', before: {tag: '1.0.0'}, after: {tag: '1.1.0'}}]});
		expect(task.detail.properties).toContainEqual(expect.objectContaining({path: 'ContainerDefinitions[web].Image', kind: 'image'}));
	});

	test('--json prints one JSON object per line and the result last', async () => {
		const {code, stdout} = await run({json: true});
		expect(code).toBe(0);
		const lines = stdout.trim().split('\n').map(l => JSON.parse(l) as Record<string, any>);
		expect(lines.find(l => l['code'] === 'deploy.start')).toMatchObject({stackName: 'hello-color-dev'});
		expect(lines.some(l => l['code'] === 'deploy.end')).toBe(false);
		expect(lines.at(-1)).toMatchObject({result: {outcome: 'succeeded', exitCode: 0}});
	});

	test('a rolled-back deploy exits 1 with the reasons, hints and log lines, each printed once', async () => {
		await run({});
		const {code, stdout} = await run({image: ['web=1.4.1-crashloop']});
		expect(code).toBe(1);
		expect(stdout).toMatch(/✗ web: exited with exit code 1/);
		expect(stdout).toMatch(/hint: The application exited/);
		expect(stdout).toMatch(/\| Error: required setting DATABASE_URL is not set/);
		expect(stdout.match(/✗ web: exited with exit code 1/g)).toHaveLength(1);
		expect(stdout).toMatch(/↺ rolled back: the deploy failed \(UPDATE_ROLLBACK_COMPLETE\)/);
	});

	test('an invalid recipe exits 2 before any AWS call', async () => {
		const file = await h.recipeFile({name: 'shop', environments: ['dev'], images: {web: {repository: 'shop'}}, service: {cpu: 256, memory: 300, containers: []}});
		const {code, stderr} = await run({recipe: file});
		expect(code).toBe(2);
		expect(stderr).toMatch(/nothing was changed in AWS/);
		expect(stderr).toMatch(/service\.memory/);
		expect(h.fake.calls).toEqual([]);
	});

	test('bad flags are bad input naming the flag', async () => {
		expect((await run({image: ['web']})).stderr).toMatch(/--image.*REF=TAG/);
		const timeout = await run({timeout: 'soon'});
		expect(timeout.code).toBe(2);
		expect(timeout.stderr).toMatch(/--timeout: must be a whole number from 1 to 1440 \(got "soon"\)/);
		expect((await run({target: 'nope'})).stderr).toMatch(/--target: there is no target named nope/);
	});

	test('missing image tags and unknown tags are bad input (exit 2)', async () => {
		const tag = await run({image: ['web=9.9.9']});
		expect(tag.code).toBe(2);
		expect(tag.stderr).toMatch(/--image.*tag 9\.9\.9 is not in ECR repository hello-color/);
	});

	test('bad credentials exit 3 with a clear message', async () => {
		h.fake.failNext('GetCallerIdentity', awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
		const {code, stdout} = await run({});
		expect(code).toBe(3);
		expect(stdout).toMatch(/AWS refused: GetCallerIdentity: .*security token included in the request is invalid/);
	});

	test('interrupted: exits 130 and says how to re-attach with a command that can be pasted', async () => {
		await run({});
		const controller = new AbortController();
		h.fake.atSleep(3, () => controller.abort());
		const {code, stdout} = await run({image: ['web=1.4.1-slow'], recipe: h.example('hello-color')}, {signal: controller.signal});
		expect(code).toBe(130);
		expect(stdout).toContain(`Re-attach with: ecs-deployer --sandbox watch --recipe ${h.example('hello-color')} --env dev --target sandbox`);
	});

	test('the re-attach command is shell-quoted', async () => {
		const file = await h.recipeFile((await import('yaml')).parse(await (await import('node:fs/promises')).readFile(h.example('hello-color'), 'utf8')), 'dir with; space.yaml');
		const controller = new AbortController();
		controller.abort();
		const {stdout} = await run({recipe: file}, {signal: controller.signal});
		expect(stdout).toContain(`--recipe '${file}'`);
	});

	test('--cancel-on-interrupt cancels the update on Ctrl+C and waits for the rollback', async () => {
		await run({});
		const controller = new AbortController();
		h.fake.atSleep(4, () => controller.abort());
		const {code, stdout} = await run({image: ['web=1.4.1-slow'], cancelOnInterrupt: true}, {signal: controller.signal});
		expect(h.fake.count('CancelUpdateStack')).toBe(1);
		expect(code).toBe(130);
		expect(stdout).toMatch(/cancelled: the update was rolled back and the stack is UPDATE_ROLLBACK_COMPLETE/);
	});

	test('ROLLBACK_COMPLETE is recreated only with --yes', async () => {
		await run({image: ['web=1.4.1-crashloop']});
		const refused = await run({yes: false});
		expect(refused.code).toBe(2);
		expect(h.fake.count('DeleteStack')).toBe(0);
		expect((await run({})).code).toBe(0);
		expect(h.fake.count('DeleteStack')).toBe(1);
	});

	test('sensitive values come from ECS_DEPLOYER_SECRET_* and never reach the output', async () => {
		const {parse} = await import('yaml');
		const recipe = parse(await (await import('node:fs/promises')).readFile(h.example('hello-color'), 'utf8'));
		recipe.variables.push({name: 'ApiKey', sensitive: true});
		recipe.service.containers[0].environment.API_KEY = '#{ApiKey}';
		const file = await h.recipeFile(recipe);
		const missing = await run({recipe: file});
		expect(missing.code).toBe(2);
		expect(missing.stdout + missing.stderr).toMatch(/ECS_DEPLOYER_SECRET_APIKEY/);
		const given = await run({recipe: file, json: true}, {env: {ECS_DEPLOYER_SECRET_APIKEY: 'Canary-9f8e7d'}});
		expect(given.code).toBe(0);
		expect(given.stdout + given.stderr).not.toContain('Canary-9f8e7d');
	});

	test('a value composed with a sensitive variable deploys as a secret of its own: the value reaches neither the template nor Environment', async () => {
		const {parse} = await import('yaml');
		const recipe = parse(await (await import('node:fs/promises')).readFile(h.example('hello-color'), 'utf8'));
		recipe.variables.push({name: 'DbPassword', sensitive: true});
		recipe.service.containers[0].environment.DSN = 'postgres://app:#{DbPassword}@db/app';
		const file = await h.recipeFile(recipe);
		const given = await run({recipe: file, json: true}, {env: {ECS_DEPLOYER_SECRET_DBPASSWORD: 'Canary-3c4d5e'}});
		expect(given.code).toBe(0);
		expect(given.stdout + given.stderr).not.toContain('Canary-3c4d5e');
		const {TemplateBody} = await h.fake.sandbox.ports().cloudFormation.getTemplate({StackName: 'hello-color-dev'});
		expect(TemplateBody).not.toContain('Canary-3c4d5e');
		const template = JSON.parse(TemplateBody!);
		expect(template.Resources.WebDSNValue.Properties.SecretString).toEqual({'Fn::Join': ['', ['postgres://app:', {Ref: 'SecretDbPassword'}, '@db/app']]});
		const [web] = template.Resources.TaskDefinition.Properties.ContainerDefinitions;
		expect(web.Secrets).toEqual([{Name: 'DSN', ValueFrom: {Ref: 'WebDSNValue'}}]);
		expect(web.Environment.map((e: {Name: string}) => e.Name)).not.toContain('DSN');
		const stack = (await h.fake.sandbox.ports().cloudFormation.describeStacks({StackName: 'hello-color-dev'})).Stacks![0]!;
		expect(stack.Parameters).toContainEqual({ParameterKey: 'SecretDbPassword', ParameterValue: '****'});
	});

	test('a lifecycle refusal exits 2 and names --skip-lifecycle', async () => {
		const {code, stdout, stderr} = await run({env: 'staging'});
		expect(code).toBe(2);
		expect(stdout + stderr).toMatch(/has not been deployed successfully to dev.*--skip-lifecycle/s);
	});
});

describe('ecs-deployer rollback and watch', () => {
	test('rollback --to previous deploys the release before the current one', async () => {
		await run({});
		await run({image: ['web=1.1.0']});
		const {output, out} = capture();
		const code = await rollbackCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox', to: 'previous', yes: true}, h.engine, output, {env: {}, globalArgs: ['--sandbox']});
		expect(code).toBe(0);
		expect(out()).toMatch(/✓ succeeded: release 1\.0\.0 is serving in dev/);
	});

	test('watch after a successful update exits 0', async () => {
		await run({});
		await run({image: ['web=1.1.0']});
		const {output, out} = capture();
		const code = await watchCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox'}, h.engine, output, {env: {}, globalArgs: ['--sandbox']});
		expect(out()).toMatch(/✓ succeeded: release 1\.1\.0 is serving in dev/);
		expect(code).toBe(0);
	});
});

describe('ecs-deployer deploy to an environment two targets serve', () => {
	const stored = (name: string, region: string, cluster = 'sandbox') => ({name, region, cluster, environments: ['dev'], tags: [], credentials: {source: 'default' as const}});
	/** hello-color with a stack per region (the fake is one account: two regions' stacks must not share a name). */
	async function perRegionRecipe(): Promise<string> {
		const {parse} = await import('yaml');
		const {readFile} = await import('node:fs/promises');
		const document = parse(await readFile(h.example('hello-color'), 'utf8')) as Record<string, any>;
		return h.recipeFile({...document, service: {...document['service'], stackName: 'hello-color-#{Environment}-#{Target.Region}'}});
	}
	async function runAll(flags: Partial<DeployFlags>) {
		const {output, out, err} = capture();
		const code = await deployCommand({recipe: await perRegionRecipe(), env: 'dev', image: ['web=1.0.0'], yes: true, ...flags}, h.engine, output, {env: {}, globalArgs: []});
		return {code, stdout: out(), stderr: err()};
	}

	test('without a terminal: a section per target in name order, a summary line per target, exit 0', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {code, stdout} = await runAll({});
		expect(code).toBe(0);
		const eu = stdout.indexOf('── dev on target eu (cluster sandbox in eu-west-1), 1 of 2 ──');
		const us = stdout.indexOf('── dev on target us (cluster sandbox in us-east-1), 2 of 2 ──');
		expect(eu).toBeGreaterThanOrEqual(0);
		expect(us).toBeGreaterThan(eu);
		expect(stdout.slice(eu, us)).toMatch(/Deploying hello-color 1\.0\.0 to dev \(stack hello-color-dev-eu-west-1/);
		expect(stdout.slice(us)).toMatch(/Deploying hello-color 1\.0\.0 to dev \(stack hello-color-dev-us-east-1/);
		expect(stdout).toMatch(/── dev: 2 targets ──\neu +✓ succeeded \(cluster sandbox in eu-west-1\)\nus +✓ succeeded \(cluster sandbox in us-east-1\)/);
	});

	test('the first target failing: the second is skipped, said so, and the exit code is the worst (1)', async () => {
		h.workspace.saveTarget(stored('a-eu', 'eu-west-1', 'missing'));
		h.workspace.saveTarget(stored('b-us', 'us-east-1'));
		const {code, stdout} = await runAll({});
		expect(code).toBe(1);
		expect(stdout).not.toMatch(/on target b-us/);
		expect(stdout).toMatch(/a-eu +✗ failed \(cluster missing in eu-west-1\)/);
		expect(stdout).toMatch(/b-us +– skipped: not deployed: the deploy to a-eu ended failed/);
		expect(h.fake.count('ExecuteChangeSet')).toBe(0);
	});

	test('--json: one document with each target\'s result and the worst exit code', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {code, stdout} = await runAll({json: true});
		expect(code).toBe(0);
		const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
		expect(last).toMatchObject({exitCode: 0, targets: [{target: 'eu', result: {outcome: 'succeeded', exitCode: 0}}, {target: 'us', result: {outcome: 'succeeded', exitCode: 0}}]});
	});

	test('--target picks one: only that target is deployed, as before', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {code, stdout} = await runAll({target: 'us'});
		expect(code).toBe(0);
		expect(stdout).not.toMatch(/──/);
		expect(h.fake.calls.filter(c => c.command === 'ExecuteChangeSet').map(c => c.input.StackName)).toEqual(['hello-color-dev-us-east-1']);
	});

	test('on a terminal it asks: all, or one of them', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const asked: string[] = [];
		const prompter: Prompter = {confirm: async () => true, choose: async question => (asked.push(`${question.id}: ${question.choices.map(c => c.value).join(' ')}`), 'eu'), enter: async () => ''};
		const {output} = capture();
		const code = await deployCommand({recipe: await perRegionRecipe(), env: 'dev', image: ['web=1.0.0'], yes: true}, h.engine, output, {env: {}, globalArgs: [], prompter});
		expect(code).toBe(0);
		expect(asked).toEqual(['deploy-targets: all eu us']);
		expect(h.fake.calls.filter(c => c.command === 'ExecuteChangeSet').map(c => c.input.StackName)).toEqual(['hello-color-dev-eu-west-1']);
	});

	test('rollback with two targets and no --target refuses, naming them and --target (exit 2)', async () => {
		h.workspace.saveTarget(stored('us', 'us-east-1'));
		h.workspace.saveTarget(stored('eu', 'eu-west-1'));
		const {output, err} = capture();
		const code = await rollbackCommand({recipe: await perRegionRecipe(), env: 'dev', yes: true, to: 'previous'}, h.engine, output, {env: {}, globalArgs: []});
		expect(code).toBe(2);
		expect(err()).toMatch(/--target: dev is served by 2 targets \(eu \(cluster sandbox in eu-west-1\), us \(cluster sandbox in us-east-1\)\): name one with --target NAME/);
		expect(h.fake.count('CreateChangeSet')).toBe(0);
	});
});
