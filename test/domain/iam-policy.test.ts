import {readdir} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {iamPolicy, iamPolicyEnvironment, type IamPolicy, type IamPolicyInput} from '../../source/domain/iam-policy.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {minimalRecipe, resolveObject} from '../helpers/recipes.js';

const target = {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'};

/**
 * Every statement whose Resource is "*", and why. Anything else with "*" as its whole resource fails the
 * tests: the Service Authorization Reference lists no resource type for these actions (or, for ListTasks,
 * only container instances, which Fargate tasks do not have).
 */
const justifiedWildcards: Record<string, {actions: string[]; why: string}> = {
	TaskDefinitionsWithoutResourceScope: {actions: ['ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition'], why: 'no resource-level permissions: AWS requires "*"'},
	ListTasksInTheClusters: {actions: ['ecs:ListTasks'], why: 'authorised against container instances (Fargate has none); scoped by the ecs:cluster condition instead'},
	DescribeLogGroupsWithoutResourceScope: {actions: ['logs:DescribeLogGroups'], why: 'a List action with no resource type: AWS requires "*"'},
	WhoAmI: {actions: ['sts:GetCallerIdentity'], why: 'no resource type: AWS requires "*"'},
};

const resources = (s: IamPolicy['Statement'][number]) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const actions = (s: IamPolicy['Statement'][number]) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statement = (policy: IamPolicy, sid: string) => policy.Statement.find(s => s.Sid === sid);

/** The policy input for every environment of a recipe file, with the target known. */
async function inputFor(file: string): Promise<IamPolicyInput> {
	const recipe = (await readRecipeFile(file)).recipe!;
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '1.2.3'}]));
	const environments = recipe.environments.map(({name}) => {
		const {resolved, problems} = resolveRecipe({recipe, environment: name, images, releaseVersion: '1.2.3', target});
		if (!resolved) throw new Error(`${file} ${name}: ${JSON.stringify(problems)}`);
		return iamPolicyEnvironment(resolved);
	});
	return {project: recipe.name, environments};
}

/** Checks that hold for every policy: wildcards only where justified, conditions where promised, size. */
function checkScoped(policy: IamPolicy): void {
	expect(policy.Version).toBe('2012-10-17');
	const sids = policy.Statement.map(s => s.Sid);
	expect(new Set(sids).size).toBe(sids.length);
	for (const s of policy.Statement) {
		expect(resources(s).length, s.Sid).toBeGreaterThan(0);
		if (resources(s).includes('*')) {
			expect(Object.keys(justifiedWildcards), `${s.Sid} uses "*"`).toContain(s.Sid);
			expect(resources(s)).toEqual(['*']);
			expect(actions(s)).toEqual(justifiedWildcards[s.Sid]!.actions);
		}
		// The target is known: no ARN leaves region or account open.
		for (const resource of resources(s)) expect(resource, s.Sid).not.toMatch(/^arn:aws:[a-z-]+:(\*:|[a-z0-9-]*:\*:)/);
		for (const action of actions(s)) expect(action, s.Sid).not.toContain('*');
	}
	expect(statement(policy, 'PassTheTaskRolesToEcs')?.Condition).toEqual({StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}});
	expect(statement(policy, 'ServicesInTheClusters')?.Condition).toEqual({ArnLike: {'ecs:cluster': ['arn:aws:ecs:eu-west-1:111122223333:cluster/main']}});
	expect(statement(policy, 'ListTasksInTheClusters')?.Condition).toEqual({ArnLike: {'ecs:cluster': ['arn:aws:ecs:eu-west-1:111122223333:cluster/main']}});
	const attach = statement(policy, 'AttachOnlyTheEcsTaskExecutionPolicy');
	if (attach) expect(attach.Condition).toEqual({ArnEquals: {'iam:PolicyARN': ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']}});
	// A managed policy holds at most 6,144 characters, whitespace not counted.
	expect(JSON.stringify(policy).length).toBeLessThan(6144);
}

describe('iamPolicy for each example recipe (all environments, target known)', async () => {
	const files = (await readdir('recipes')).filter(f => f.endsWith('.yaml')).map(f => `recipes/${f}`);
	for (const file of files) {
		test(`${file}: every resource is scoped, "*" only where AWS requires it`, async () => checkScoped(iamPolicy(await inputFor(file))));
	}

	test('hello-color: its three stacks, the roles they create, their log groups and its repository', async () => {
		const policy = iamPolicy(await inputFor('recipes/hello-color.yaml'));
		const envs = ['dev', 'staging', 'production'];
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(envs.map(e => `arn:aws:cloudformation:eu-west-1:111122223333:stack/hello-color-${e}/*`));
		// The stack view of the history browser reads the template and the resources too.
		expect(actions(statement(policy, 'StacksOfThisRecipe')!)).toEqual(expect.arrayContaining(['cloudformation:GetTemplate', 'cloudformation:ListStackResources']));
		// Service names are generated by CloudFormation: any service in the cluster.
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service/main/*']);
		expect(actions(statement(policy, 'ServicesInTheClusters')!)).toEqual(['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:ListServiceDeployments']);
		expect(resources(statement(policy, 'RegisterTheTaskDefinitionFamilies')!)).toEqual(envs.map(e => `arn:aws:ecs:eu-west-1:111122223333:task-definition/hello-color-${e}:*`));
		const roles = envs.map(e => `arn:aws:iam::111122223333:role/ecs-deployer/hello-color-${e}/*`);
		expect(resources(statement(policy, 'ExecutionRolesCreatedByTheStacks')!)).toEqual(roles);
		expect(resources(statement(policy, 'AttachOnlyTheEcsTaskExecutionPolicy')!)).toEqual(roles);
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(roles);
		expect(resources(statement(policy, 'LogGroupsOfTheStacks')!)).toEqual(
			envs.flatMap(e => [`arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/hello-color/${e}`, `arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/hello-color/${e}:*`]),
		);
		expect(resources(statement(policy, 'ReadContainerLogs')!)).toEqual(envs.map(e => `arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/hello-color/${e}:log-stream:*`));
		expect(resources(statement(policy, 'ImageTagsInTheRepositories')!)).toEqual(['arn:aws:ecr:eu-west-1:111122223333:repository/hello-color']);
		// No recipe role, no secret created: those statements are left out rather than given "*".
		expect(statement(policy, 'SecretsCreatedByTheStacks')).toBeUndefined();
	});

	test('orders-api: the recipe\'s own roles are passed, no role is created, the fixed service name is used', async () => {
		const policy = iamPolicy(await inputFor('recipes/orders-api.yaml'));
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(['arn:aws:iam::111122223333:role/orders-api-task', 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole']);
		expect(statement(policy, 'ExecutionRolesCreatedByTheStacks')).toBeUndefined();
		expect(statement(policy, 'AttachOnlyTheEcsTaskExecutionPolicy')).toBeUndefined();
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service/main/orders-api']);
		expect(resources(statement(policy, 'RegisterTheTaskDefinitionFamilies')!)).toEqual(
			['dev', 'staging', 'production'].map(e => `arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api-${e}:*`),
		);
	});

	test('invoice-worker: only ECR images are looked up (not the public.ecr.aws router image)', async () => {
		const policy = iamPolicy(await inputFor('recipes/invoice-worker.yaml'));
		expect(resources(statement(policy, 'ImageTagsInTheRepositories')!)).toEqual(['arn:aws:ecr:eu-west-1:111122223333:repository/invoice-worker']);
	});
});

describe('iamPolicy for recipes that create secrets', () => {
	function input(recipe: Record<string, any>): IamPolicyInput {
		const environments = ['dev', 'production'].map(environment => {
			const {resolved, problems} = resolveObject(recipe, {environment, images: {web: {tag: '1.0.0'}}, target});
			if (!resolved) throw new Error(JSON.stringify(problems));
			return iamPolicyEnvironment(resolved);
		});
		return {project: 'shop', environments};
	}
	function recipeWithSecret(): Record<string, any> {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'ApiKey', sensitive: true}];
		recipe['service'].containers[0].environment = {API_KEY: '#{ApiKey}'};
		return recipe;
	}

	test('secrets are managed by their exact names, one per stack and variable', () => {
		const policy = iamPolicy(input(recipeWithSecret()));
		checkScoped(policy);
		expect(resources(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual([
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-dev/ApiKey-??????',
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-production/ApiKey-??????',
		]);
		expect(actions(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual(expect.arrayContaining(['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource']));
	});

	test('with the recipe\'s own execution role, no IAM write at all: the secrets\' resource policies let the role read them', () => {
		const recipe = recipeWithSecret();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/team/shop-exec';
		const policy = iamPolicy(input(recipe));
		checkScoped(policy);
		const iamActions = policy.Statement.flatMap(actions).filter(a => a.startsWith('iam:'));
		expect(iamActions).toEqual(['iam:PassRole']);
		expect(actions(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual(expect.arrayContaining(['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy']));
	});

	test('a value composed with a sensitive literal is a secret of its own, managed by its exact name', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'DbPassword', sensitive: true}];
		recipe['service'].containers[0].environment = {DSN: 'postgres://app:#{DbPassword}@db/app'};
		const policy = iamPolicy(input(recipe));
		checkScoped(policy);
		expect(resources(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual([
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-dev/composed/WebDSNValue-??????',
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-production/composed/WebDSNValue-??????',
		]);
	});
});

describe('iamPolicy without a target', () => {
	test('unknown region, account and cluster are "*" inside the ARNs, never a bare "*" resource', () => {
		const {resolved} = resolveObject(minimalRecipe(), {images: {web: {tag: '1.0.0'}}});
		const policy = iamPolicy({project: 'shop', environments: [iamPolicyEnvironment(resolved!)]});
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(['arn:aws:cloudformation:*:*:stack/shop-dev/*']);
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:*:*:service/*/*']);
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(['arn:aws:iam::*:role/ecs-deployer/shop-dev/*']);
		for (const s of policy.Statement) if (resources(s).includes('*')) expect(Object.keys(justifiedWildcards)).toContain(s.Sid);
	});

	test('a China region uses the aws-cn partition', () => {
		const {resolved} = resolveObject(minimalRecipe(), {images: {web: {tag: '1.0.0'}}, target: {region: 'cn-north-1', cluster: 'main', accountId: '111122223333'}});
		const policy = iamPolicy({project: 'shop', environments: [iamPolicyEnvironment(resolved!)]});
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(['arn:aws-cn:cloudformation:cn-north-1:111122223333:stack/shop-dev/*']);
		expect(statement(policy, 'AttachOnlyTheEcsTaskExecutionPolicy')?.Condition).toEqual({
			ArnEquals: {'iam:PolicyARN': ['arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']},
		});
	});
});
