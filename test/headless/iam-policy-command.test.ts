import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {checkIamPolicy} from '../../source/domain/iam-policy-check.js';
import type {IamPolicy} from '../../source/domain/iam-policy.js';
import {iamPolicyCommand, type IamPolicyFlags} from '../../source/headless/commands/iam-policy.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {capture} from '../helpers/output.js';
import {harness, target, type Harness} from '../helpers/engine.js';
import {minimalRecipe} from '../helpers/recipes.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

async function run(flags: IamPolicyFlags) {
	const {output, out, err} = capture();
	const recipe = (await readRecipeFile(flags.recipe)).recipe!;
	const code = await iamPolicyCommand(flags, recipe, h.engine, output);
	return {code, stdout: out(), stderr: err()};
}

const known = {region: 'eu-west-1', account: '111122223333', cluster: 'main'};
/** What the flags give, as the escalation check takes it. */
const environmentsKnowing = (names: string[], given: Partial<typeof known>) => ({
	project: 'p',
	environments: names.map(name => ({
		name,
		stackName: name,
		family: name,
		logGroups: [],
		createdSecrets: [],
		repositories: [],
		...(given.region ? {region: given.region} : {}),
		...(given.account ? {accountId: given.account} : {}),
		...(given.cluster ? {cluster: given.cluster} : {}),
	})),
});

describe('ecs-deployer iam-policy', () => {
	test('invoice-worker without a target or flags: a policy (not exit 2 for Target.Region), and a note for each statement left open', async () => {
		const {code, stdout, stderr} = await run({recipe: h.example('invoice-worker')});
		expect(code).toBe(0);
		const policy = JSON.parse(stdout) as IamPolicy;
		expect(checkIamPolicy(policy, environmentsKnowing(['dev'], {}))).toEqual([]);
		expect(stderr).toMatch(/^note: StacksOfThisRecipe: the region and account are "\*": not known for dev, staging and production \(no target or flag gives them\); give --region and --account$/m);
		expect(stderr).toMatch(/^note: ServicesInTheClusters: the region, account and cluster are "\*".*give --region, --account and --cluster$/m);
		expect(stderr).toMatch(/^note: WhoAmI: resource "\*": it takes no resource$/m);
	});

	test('checkout-api (ECS Exec in its recipe): a note that its task role needs the SSM channels, which this policy does not grant; no note for a recipe without it', async () => {
		const {code, stdout, stderr} = await run({recipe: h.example('checkout-api'), ...known});
		expect(code).toBe(0);
		expect(stderr).toMatch(/^note: enableExecuteCommand \(dev, staging, production\): not in this policy: the task role needs ssmmessages:CreateControlChannel/m);
		expect(stdout).not.toContain('ssmmessages');
		expect(JSON.stringify(JSON.parse(stdout)).length).toBeLessThan(6144);
		const other = await run({recipe: h.example('orders-api'), ...known});
		expect(other.stderr).not.toContain('enableExecuteCommand');
	});

	test('--preflight-only: the pre-flight verify\'s reads alone (the roles by ARN, the execution role simulated, the images\' manifests), and the deploy policy says where they are', async () => {
		const deploy = await run({recipe: h.example('checkout-api'), ...known});
		expect(deploy.stderr).toMatch(/^note: the pre-flight verify .* a policy of their own \(--preflight-only\); without it each such check is reported "not checked"$/m);
		expect(deploy.stdout).not.toContain('iam:SimulatePrincipalPolicy');
		const {code, stdout} = await run({recipe: h.example('checkout-api'), ...known, preflightOnly: true});
		expect(code).toBe(0);
		const policy = JSON.parse(stdout) as IamPolicy;
		const sids = policy.Statement.map(s => s.Sid);
		expect(sids).toEqual(['PreflightReadTheRoles', 'PreflightSimulateTheExecutionRoles', 'PreflightReadTheImages', 'PreflightWithoutResourceScope']);
		expect(policy.Statement.find(s => s.Sid === 'PreflightSimulateTheExecutionRoles')!.Resource).toEqual(['arn:aws:iam::111122223333:role/ecsTaskExecutionRole']);
		expect(stdout).not.toContain('cloudformation:');
		const both = await run({recipe: h.example('checkout-api'), ...known, preflightOnly: true, ledgerOnly: true});
		expect(both.code).toBe(2);
		expect(both.stderr).toContain('--preflight-only: give --ledger-only or --preflight-only, not both');
	});

	test('--region, --account and --cluster scope every statement: the escalation check passes with all three known', async () => {
		for (const name of ['hello-color', 'orders-api', 'invoice-worker'] as const) {
			const {code, stdout, stderr} = await run({recipe: h.example(name), ...known});
			expect({name, code}).toEqual({name, code: 0});
			const policy = JSON.parse(stdout) as IamPolicy;
			expect(checkIamPolicy(policy, environmentsKnowing(['dev'], known)), name).toEqual([]);
			expect(stdout).not.toMatch(/arn:aws:[a-z-]+:(\*|[a-z0-9-]*:\*):/);
			expect(stderr).not.toMatch(/are? "\*": not known/);
		}
	});

	test('the target that serves an environment scopes it; flags win over it', async () => {
		h.workspace.saveTarget({...target, name: 'prod', sandbox: false, region: 'us-east-1', cluster: 'prod-cluster', accountId: '444455556666', environments: ['production']});
		const served = await run({recipe: h.example('orders-api')});
		expect(served.stdout).toContain('arn:aws:cloudformation:us-east-1:444455556666:stack/orders-api-production/*');
		expect(served.stdout).toContain('arn:aws:cloudformation:*:*:stack/orders-api-dev/*');
		expect(served.stderr).toMatch(/StacksOfThisRecipe: the region and account are "\*": not known for dev and staging \(/);
		const flagged = await run({recipe: h.example('orders-api'), region: 'eu-west-1'});
		expect(flagged.stdout).toContain('arn:aws:cloudformation:eu-west-1:444455556666:stack/orders-api-production/*');
		expect(flagged.stdout).toContain('arn:aws:cloudformation:eu-west-1:*:stack/orders-api-dev/*');
	});

	test('a recipe whose stacks would create roles without a permissions boundary: no policy, exit 2, both ways out named', async () => {
		const file = await h.recipeFile(minimalRecipe());
		const {code, stdout, stderr} = await run({recipe: file, ...known});
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toMatch(/service\.permissionsBoundary.*is not set, and the stacks of dev, staging and production create their execution role/);
		expect(stderr).toMatch(/service\.executionRole/);
	});

	test('--permissions-boundary must agree with the recipe', async () => {
		const same = await run({recipe: h.example('hello-color'), ...known, permissionsBoundary: 'arn:aws:iam::111122223333:policy/ecs-deployer-boundary'});
		expect(same.code).toBe(0);
		const other = await run({recipe: h.example('hello-color'), ...known, permissionsBoundary: 'arn:aws:iam::111122223333:policy/other'});
		expect(other.code).toBe(2);
		expect(other.stdout).toBe('');
		expect(other.stderr).toMatch(/dev: service\.permissionsBoundary.*is ecs-deployer-boundary, not the boundary --permissions-boundary names \(arn:aws:iam::111122223333:policy\/other\)/);
	});

	test('bad flags name the flag and what it takes', async () => {
		const {code, stdout, stderr} = await run({recipe: h.example('hello-color'), account: '1234', region: 'Mars', permissionsBoundary: 'arn:aws:iam::111122223333:role/x'});
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toMatch(/--region.*must be an AWS region like eu-west-1 \(got "Mars"\)/);
		expect(stderr).toMatch(/--account.*must be a 12-digit AWS account id \(got "1234"\)/);
		expect(stderr).toMatch(/--permissions-boundary.*must be a managed policy/);
	});

	test('a stack name made from Target.Region needs --region: the flag is asked for rather than a guess printed', async () => {
		const recipe = minimalRecipe();
		recipe['service'].stackName = 'shop-#{Environment}-#{Target.Region}';
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/exec';
		const file = await h.recipeFile(recipe);
		const without = await run({recipe: file});
		expect(without.code).toBe(2);
		expect(without.stderr).toMatch(/dev: service.*names its region .* give --region/);
		const given = await run({recipe: file, region: 'eu-west-1'});
		expect(given.code).toBe(0);
		expect(given.stdout).toContain('stack/shop-dev-eu-west-1/*');
	});

	test('a recipe with an S3 ledger: the bucket under its prefix; past a managed policy\'s size, the ledger\'s statements come apart (--ledger-only)', async () => {
		const withLedger = async (name: 'orders-api' | 'hello-color') => {
			const recipe = (await readRecipeFile(h.example(name))).recipe!;
			return h.recipeFile({...JSON.parse(JSON.stringify(recipe)), ledger: 's3://acme-ledger/deployments'});
		};
		const orders = await run({recipe: await withLedger('orders-api'), ...known});
		expect(orders.code).toBe(0);
		const policy = JSON.parse(orders.stdout) as IamPolicy;
		expect(policy.Statement.filter(s => s.Sid.includes('Ledger'))).toEqual([
			{Sid: 'ListTheLedger', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-ledger', Condition: {StringLike: {'s3:prefix': ['deployments/*']}}},
			{Sid: 'ReadAndWriteTheLedger', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::acme-ledger/deployments/*'},
		]);
		// hello-color's policy is near the limit already: with the ledger it would not fit one managed policy.
		const hello = await withLedger('hello-color');
		const full = await run({recipe: hello, ...known});
		expect(full.code).toBe(0);
		expect(JSON.stringify(JSON.parse(full.stdout)).length).toBeLessThanOrEqual(6144);
		expect(full.stdout).not.toContain('s3:');
		expect(full.stderr).toMatch(/note: the ledger's statements would take this policy past the 6,144 characters a managed policy holds: they are left out; print them as a policy of their own with --ledger-only, and attach both/);
		const ledgerOnly = await run({recipe: hello, ...known, ledgerOnly: true});
		expect((JSON.parse(ledgerOnly.stdout) as IamPolicy).Statement.map(s => s.Sid)).toEqual(['ListTheLedger', 'ReadAndWriteTheLedger']);
		const none = await run({recipe: h.example('hello-color'), ...known, ledgerOnly: true});
		expect(none.code).toBe(2);
		expect(none.stderr).toMatch(/--ledger-only.*has no S3 ledger/);
	});
});
