import {readdir} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {checkIamPolicy, iamPolicyNotes} from '../../source/domain/iam-policy-check.js';
import {iamPolicy, iamPolicyEnvironment, iamPolicyProblems, ledgerPolicy, preflightPolicy, type IamPolicy, type IamPolicyInput} from '../../source/domain/iam-policy.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import type {TargetInfo} from '../../source/domain/recipe/resolved.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {minimalRecipe, resolveObject} from '../helpers/recipes.js';

const target = {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'};
const boundary = 'arn:aws:iam::111122223333:policy/ecs-deployer-boundary';

/**
 * Every statement whose Resource is "*", and why. Anything else with "*" as its whole resource fails the
 * tests: the Service Authorization Reference lists no resource type for these actions (or, for ListTasks,
 * only container instances, which Fargate tasks do not have); a Deny may be as wide as it likes.
 */
const justifiedWildcards: Record<string, {actions: string[]; why: string}> = {
	TaskDefinitionsWithoutResourceScope: {actions: ['ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition'], why: 'no resource-level permissions: AWS requires "*"'},
	ListTasksInTheClusters: {actions: ['ecs:ListTasks'], why: 'authorised against container instances (Fargate has none); scoped by the ecs:cluster condition instead'},
	DescribeLogGroupsWithoutResourceScope: {actions: ['logs:DescribeLogGroups'], why: 'a List action with no resource type: AWS requires "*"'},
	WhoAmI: {actions: ['sts:GetCallerIdentity'], why: 'no resource type: AWS requires "*"'},
	CheckTheTemplateBeforehand: {actions: ['cloudformation:ValidateTemplate'], why: 'no resource type: AWS requires "*"'},
	NeverRemoveAPermissionsBoundary: {actions: ['iam:DeleteRolePermissionsBoundary'], why: 'a Deny: no role may lose its boundary'},
	DescribeScalingWithoutResourceScope: {actions: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:DescribeScheduledActions'], why: 'Describe actions with no resource type'},
};

type Statement = IamPolicy['Statement'][number];
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statement = (policy: IamPolicy, sid: string) => policy.Statement.find(s => s.Sid === sid);
/** The environments' names as the notes list them: `dev, staging and production`. */
const names = (input: IamPolicyInput) => input.environments.map(e => e.name).join(', ').replace(/, ([^,]+)$/, ' and $1');
const allowedActions = (policy: IamPolicy) => policy.Statement.filter(s => s.Effect === 'Allow').flatMap(actions);

/** The policy input for every environment of a recipe file, with the target when given. */
async function inputFor(file: string, given: TargetInfo | 'no target' = target): Promise<IamPolicyInput> {
	const known = given === 'no target' ? undefined : given;
	const recipe = (await readRecipeFile(file)).recipe!;
	const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '1.2.3'}]));
	// Without a target, a recipe that uses Target.Region is resolved with a stand-in (as the engine does);
	// the input then leaves region, account and cluster unknown.
	const resolveWith = known ?? {region: 'zz-unknown-9', cluster: 'unknown'};
	const environments = recipe.environments.map(({name}) => {
		const {resolved, problems} = resolveRecipe({recipe, environment: name, images, releaseVersion: '1.2.3', target: resolveWith});
		if (!resolved) throw new Error(`${file} ${name}: ${JSON.stringify(problems)}`);
		const {region: _r, cluster: _c, accountId: _a, ...rest} = iamPolicyEnvironment(resolved);
		return known === undefined ? rest : {...rest, region: known.region, cluster: known.cluster, ...(known.accountId === undefined ? {} : {accountId: known.accountId})};
	});
	return {project: recipe.name, environments};
}

/** Checks that hold for every policy: the escalation check, wildcards only where justified, conditions where promised, size. */
function checkScoped(policy: IamPolicy, input: IamPolicyInput): void {
	expect(checkIamPolicy(policy, input)).toEqual([]);
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
		for (const action of actions(s)) expect(action, s.Sid).not.toContain('*');
	}
	expect(statement(policy, 'PassTheTaskRolesToEcs')?.Condition).toEqual({StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}});
	// A managed policy holds at most 6,144 characters, whitespace not counted.
	expect(JSON.stringify(policy).length).toBeLessThan(6144);
}

describe('iamPolicy for each example recipe (all environments)', async () => {
	const files = (await readdir('recipes')).filter(f => f.endsWith('.yaml')).map(f => `recipes/${f}`);
	test('there are example recipes', () => expect(files.length).toBeGreaterThanOrEqual(3));
	for (const file of files) {
		test(`${file}, target known: it passes the escalation check, scoped to the target's region, account and cluster`, async () => {
			const input = await inputFor(file);
			expect(iamPolicyProblems(input)).toEqual([]);
			const policy = iamPolicy(input);
			checkScoped(policy, input);
			// No ARN leaves region or account open.
			for (const s of policy.Statement) for (const resource of resources(s)) expect(resource, s.Sid).not.toMatch(/^arn:aws:[a-z-]+:(\*:|[a-z0-9-]*:\*:)/);
			expect(statement(policy, 'ServicesInTheClusters')?.Condition).toEqual({ArnLike: {'ecs:cluster': ['arn:aws:ecs:eu-west-1:111122223333:cluster/main']}});
			// Only the "*" resources AWS requires are noted.
			expect(iamPolicyNotes(policy, input).every(note => /^[A-Za-z]+: resource "\*": /.test(note))).toBe(true);
		});

		test(`${file}, no target: it still passes the check, and each statement that leaves a part open says so`, async () => {
			const input = await inputFor(file, 'no target');
			const policy = iamPolicy(input);
			checkScoped(policy, input);
			const notes = iamPolicyNotes(policy, input);
			for (const s of policy.Statement) {
				// The region or the account left "*" in an ARN, or the cluster in an ECS one.
				const open = /arn:aws:[a-z-]+:(\*|[a-z0-9-]*:\*):|:(cluster|service|task|service-deployment)\/\*/.test(JSON.stringify([s.Resource, s.Condition ?? {}]));
				if (open) expect(notes.some(note => note.startsWith(`${s.Sid}: the `)), s.Sid).toBe(true);
			}
			expect(notes).toContain(`StacksOfThisRecipe: the region and account are "*": not known for ${names(input)} (no target or flag gives them); give --region and --account`);
		});
	}

	test('hello-color: its roles may be created and written only with its boundary, which nobody may take off or change', async () => {
		const input = await inputFor('recipes/hello-color.yaml');
		const policy = iamPolicy(input);
		const envs = ['dev', 'staging', 'production'];
		const roles = envs.map(e => `arn:aws:iam::111122223333:role/ecs-deployer/hello-color-${e}/*`);
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary')).toEqual({
			Sid: 'CreateTheStacksRolesWithTheBoundary',
			Effect: 'Allow',
			Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
			Resource: roles,
			Condition: {
				StringEquals: {'iam:PermissionsBoundary': boundary},
				// Attach and detach only the policy the stack attaches (the key is only in those requests).
				ArnEqualsIfExists: {'iam:PolicyARN': ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']},
			},
		});
		expect(resources(statement(policy, 'ReadTagAndDeleteTheStacksRoles')!)).toEqual(roles);
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(roles);
		expect(allowedActions(policy)).not.toContain('iam:UpdateAssumeRolePolicy');
		expect(statement(policy, 'NeverRemoveAPermissionsBoundary')).toEqual({Sid: 'NeverRemoveAPermissionsBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*'});
		expect(statement(policy, 'NeverChangeThePermissionsBoundaryPolicy')).toEqual({
			Sid: 'NeverChangeThePermissionsBoundaryPolicy',
			Effect: 'Deny',
			Action: ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
			Resource: [boundary],
		});
	});

	test('hello-color: its three stacks, their log groups and its repository', async () => {
		const policy = iamPolicy(await inputFor('recipes/hello-color.yaml'));
		const envs = ['dev', 'staging', 'production'];
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(envs.map(e => `arn:aws:cloudformation:eu-west-1:111122223333:stack/hello-color-${e}/*`));
		// The stack view of the history browser reads the template and the resources too.
		expect(actions(statement(policy, 'StacksOfThisRecipe')!)).toEqual(expect.arrayContaining(['cloudformation:GetTemplate', 'cloudformation:ListStackResources']));
		// Service names are generated by CloudFormation: any service in the cluster.
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service/main/*']);
		expect(actions(statement(policy, 'ServicesInTheClusters')!)).toEqual(['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:ListServiceDeployments']);
		expect(resources(statement(policy, 'RegisterTheTaskDefinitionFamilies')!)).toEqual(envs.map(e => `arn:aws:ecs:eu-west-1:111122223333:task-definition/hello-color-${e}:*`));
		expect(resources(statement(policy, 'LogGroupsOfTheStacks')!)).toEqual(
			envs.flatMap(e => [`arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/hello-color/${e}`, `arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/hello-color/${e}:*`]),
		);
		// The container lines of a failure and of `run` come from the group's streams, which `<group>:*` covers.
		expect(actions(statement(policy, 'LogGroupsOfTheStacks')!)).toContain('logs:GetLogEvents');
		expect(statement(policy, 'ReadContainerLogs')).toBeUndefined();
		expect(resources(statement(policy, 'ImageTagsInTheRepositories')!)).toEqual(['arn:aws:ecr:eu-west-1:111122223333:repository/hello-color']);
		// No secret created: that statement is left out rather than given "*".
		expect(statement(policy, 'SecretsCreatedByTheStacks')).toBeUndefined();
	});

	test('orders-api: the recipe\'s own roles are passed, no role is written, the fixed service name is used', async () => {
		const policy = iamPolicy(await inputFor('recipes/orders-api.yaml'));
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(['arn:aws:iam::111122223333:role/orders-api-task', 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole']);
		expect(allowedActions(policy).filter(a => a.startsWith('iam:'))).toEqual(['iam:PassRole']);
		expect(statement(policy, 'NeverRemoveAPermissionsBoundary')).toBeUndefined();
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service/main/orders-api']);
		expect(resources(statement(policy, 'RegisterTheTaskDefinitionFamilies')!)).toEqual(
			// Each environment's family and, for its beforeDeploy migration, the family that task registers.
			['dev', 'staging', 'production'].flatMap(e => [`arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api-${e}:*`, `arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api-${e}-before-deploy:*`]),
		);
	});

	test('invoice-worker: only ECR images are looked up (not the public.ecr.aws router image)', async () => {
		const policy = iamPolicy(await inputFor('recipes/invoice-worker.yaml'));
		expect(resources(statement(policy, 'ImageTagsInTheRepositories')!)).toEqual(['arn:aws:ecr:eu-west-1:111122223333:repository/invoice-worker']);
	});
});

describe('a stack that creates its role without a permissions boundary', () => {
	function input(recipe: Record<string, any>, known: TargetInfo = target): IamPolicyInput {
		const environments = ['dev', 'production'].map(environment => {
			const {resolved, problems} = resolveObject(recipe, {environment, images: {web: {tag: '1.0.0'}}, target: known});
			if (!resolved) throw new Error(JSON.stringify(problems));
			return iamPolicyEnvironment(resolved);
		});
		return {project: 'shop', environments};
	}

	test('is refused, naming both ways out; the policy would grant no role write at all', () => {
		const unbounded = input(minimalRecipe());
		expect(iamPolicyProblems(unbounded)).toEqual([
			expect.objectContaining({
				path: 'service.permissionsBoundary',
				severity: 'error',
				message: expect.stringMatching(/^is not set, and the stacks of dev and production create their execution role: .*Set permissionsBoundary .*or name a role made beforehand in service.executionRole/),
			}),
		]);
		const policy = iamPolicy(unbounded);
		expect(allowedActions(policy).filter(a => a.startsWith('iam:'))).toEqual([]);
		expect(checkIamPolicy(policy, unbounded)).toEqual([]);
	});

	test('with a boundary named by its policy name, the boundary is in each environment\'s account', () => {
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = '/team/ecs-boundary';
		const bounded = input(recipe);
		expect(iamPolicyProblems(bounded)).toEqual([]);
		const policy = iamPolicy(bounded);
		checkScoped(policy, bounded);
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary')?.Condition).toMatchObject({StringEquals: {'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/team/ecs-boundary'}});
	});

	test('with the account unknown, a boundary named by its name matches that policy in the account the roles are in (StringLike), and the note says so', () => {
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = 'ecs-deployer-boundary';
		const noAccount = input(recipe, {region: 'eu-west-1', cluster: 'main'});
		const policy = iamPolicy(noAccount);
		checkScoped(policy, noAccount);
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary')?.Condition).toMatchObject({StringLike: {'iam:PermissionsBoundary': 'arn:aws:iam::*:policy/ecs-deployer-boundary'}});
		expect(iamPolicyNotes(policy, noAccount)).toContain('CreateTheStacksRolesWithTheBoundary: the account is "*": not known for dev and production (no target or flag gives it); give --account');
	});

	test('environments with different boundaries get a statement each, so a role is tied to its own environment\'s boundary', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [
			{name: 'Boundary', value: 'dev-boundary'},
			{name: 'Boundary', value: 'prod-boundary', environments: ['production']},
		];
		recipe['service'].permissionsBoundary = '#{Boundary}';
		const two = input(recipe);
		const policy = iamPolicy(two);
		checkScoped(policy, two);
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary1')).toMatchObject({
			Resource: ['arn:aws:iam::111122223333:role/ecs-deployer/shop-dev/*'],
			Condition: {StringEquals: {'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/dev-boundary'}},
		});
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary2')).toMatchObject({
			Resource: ['arn:aws:iam::111122223333:role/ecs-deployer/shop-production/*'],
			Condition: {StringEquals: {'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/prod-boundary'}},
		});
		expect(resources(statement(policy, 'NeverChangeThePermissionsBoundaryPolicy')!)).toEqual(['arn:aws:iam::111122223333:policy/dev-boundary', 'arn:aws:iam::111122223333:policy/prod-boundary']);
	});

	test('--permissions-boundary must be the recipe\'s boundary: another one, or none, is refused', () => {
		const recipe = minimalRecipe();
		expect(iamPolicyProblems(input(recipe), {permissionsBoundary: boundary}).map(p => `${p.path}: ${p.message}`)).toEqual([
			`service.permissionsBoundary: is not set for dev and production, so their stacks create their execution role without the boundary --permissions-boundary names: set permissionsBoundary: ${boundary} in the recipe's service section`,
		]);
		recipe['service'].permissionsBoundary = 'other-boundary';
		expect(iamPolicyProblems(input(recipe), {permissionsBoundary: boundary}).map(p => `${p.path}: ${p.message}`)).toEqual([
			`dev: service.permissionsBoundary: is other-boundary, not the boundary --permissions-boundary names (${boundary})`,
			`production: service.permissionsBoundary: is other-boundary, not the boundary --permissions-boundary names (${boundary})`,
		]);
		recipe['service'].permissionsBoundary = 'ecs-deployer-boundary';
		expect(iamPolicyProblems(input(recipe), {permissionsBoundary: boundary})).toEqual([]);
		expect(iamPolicyProblems(input(recipe), {permissionsBoundary: 'ecs-deployer-boundary'})).toEqual([]);
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
		recipe['service'].permissionsBoundary = boundary;
		return recipe;
	}

	test('secrets are managed by their exact names, one per stack and variable', () => {
		const secrets = input(recipeWithSecret());
		const policy = iamPolicy(secrets);
		checkScoped(policy, secrets);
		expect(resources(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual([
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-dev/ApiKey-??????',
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-production/ApiKey-??????',
		]);
		expect(actions(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual(expect.arrayContaining(['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource']));
	});

	test('with the recipe\'s own execution role, no IAM write at all: the secrets\' resource policies let the role read them', () => {
		const recipe = recipeWithSecret();
		recipe['service'].executionRole = 'arn:aws:iam::111122223333:role/team/shop-exec';
		const secrets = input(recipe);
		const policy = iamPolicy(secrets);
		checkScoped(policy, secrets);
		expect(allowedActions(policy).filter(a => a.startsWith('iam:'))).toEqual(['iam:PassRole']);
		expect(actions(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual(expect.arrayContaining(['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy']));
	});

	test('a value composed with a sensitive literal is a secret of its own, managed by its exact name', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [{name: 'DbPassword', sensitive: true}];
		recipe['service'].containers[0].environment = {DSN: 'postgres://app:#{DbPassword}@db/app'};
		recipe['service'].permissionsBoundary = boundary;
		const secrets = input(recipe);
		const policy = iamPolicy(secrets);
		checkScoped(policy, secrets);
		expect(resources(statement(policy, 'SecretsCreatedByTheStacks')!)).toEqual([
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-dev/composed/WebDSNValue-??????',
			'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-production/composed/WebDSNValue-??????',
		]);
	});
});

describe('iamPolicy without a target', () => {
	test('unknown region, account and cluster are "*" inside the ARNs, never a bare "*" resource', () => {
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = boundary;
		const {resolved} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}});
		const input = {project: 'shop', environments: [iamPolicyEnvironment(resolved!)]};
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(['arn:aws:cloudformation:*:*:stack/shop-dev/*']);
		expect(resources(statement(policy, 'ServicesInTheClusters')!)).toEqual(['arn:aws:ecs:*:*:service/*/*']);
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).toEqual(['arn:aws:iam::*:role/ecs-deployer/shop-dev/*']);
		expect(iamPolicyNotes(policy, input)).toEqual(
			expect.arrayContaining([
				'StacksOfThisRecipe: the region and account are "*": not known for dev (no target or flag gives them); give --region and --account',
				'ServicesInTheClusters: the region, account and cluster are "*": not known for dev (no target or flag gives them); give --region, --account and --cluster',
				'WhoAmI: resource "*": it takes no resource',
			]),
		);
	});

	test('a China region uses the aws-cn partition', () => {
		const recipe = minimalRecipe();
		recipe['service'].permissionsBoundary = 'ecs-deployer-boundary';
		const {resolved} = resolveObject(recipe, {images: {web: {tag: '1.0.0'}}, target: {region: 'cn-north-1', cluster: 'main', accountId: '111122223333'}});
		const policy = iamPolicy({project: 'shop', environments: [iamPolicyEnvironment(resolved!)]});
		expect(resources(statement(policy, 'StacksOfThisRecipe')!)).toEqual(['arn:aws-cn:cloudformation:cn-north-1:111122223333:stack/shop-dev/*']);
		expect(statement(policy, 'CreateTheStacksRolesWithTheBoundary')?.Condition).toEqual({
			StringEquals: {'iam:PermissionsBoundary': 'arn:aws-cn:iam::111122223333:policy/ecs-deployer-boundary'},
			ArnEqualsIfExists: {'iam:PolicyARN': ['arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']},
		});
	});
});

describe('checkIamPolicy (the escalation check) catches', () => {
	const known: IamPolicyInput = {project: 'p', environments: [{name: 'dev', stackName: 's', region: 'eu-west-1', accountId: '111122223333', cluster: 'main', family: 'f', logGroups: [], createdSecrets: [], repositories: []}]};
	const unknown: IamPolicyInput = {project: 'p', environments: [{name: 'dev', stackName: 's', family: 'f', logGroups: [], createdSecrets: [], repositories: []}]};
	const role = 'arn:aws:iam::111122223333:role/ecs-deployer/s/*';
	const guards: Statement[] = [
		{Sid: 'KeepBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*'},
		{Sid: 'KeepPolicy', Effect: 'Deny', Action: ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: boundary},
	];
	const check = (statements: Statement[], input = known) => checkIamPolicy({Version: '2012-10-17', Statement: statements}, input);
	const bounded = (condition: Statement['Condition']): Statement => ({Sid: 'Roles', Effect: 'Allow', Action: ['iam:CreateRole', 'iam:PutRolePolicy'], Resource: role, ...(condition ? {Condition: condition} : {})});

	test('the policy this tool printed before: CreateRole, PutRolePolicy and UpdateAssumeRolePolicy on the stack\'s roles without a condition', () => {
		expect(check([{Sid: 'ExecutionRolesCreatedByTheStacks', Effect: 'Allow', Action: ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:GetRole'], Resource: role}])).toEqual([
			'ExecutionRolesCreatedByTheStacks: allows iam:UpdateAssumeRolePolicy, which no permissions boundary condition can limit',
			'ExecutionRolesCreatedByTheStacks: allows iam:CreateRole, iam:PutRolePolicy without iam:PermissionsBoundary pinned to a boundary policy',
		]);
	});

	test('role writes whose boundary condition does not pin one policy: missing, another key, IfExists, a wildcard, not a policy', () => {
		const conditions: Array<Statement['Condition']> = [
			undefined,
			{StringEquals: {'iam:PolicyARN': boundary}},
			{StringEqualsIfExists: {'iam:PermissionsBoundary': boundary}},
			{StringLike: {'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/*'}},
			{StringEquals: {'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:role/admin'}},
			// The account is known: leaving it open is not allowed either.
			{StringLike: {'iam:PermissionsBoundary': 'arn:aws:iam::*:policy/ecs-deployer-boundary'}},
		];
		for (const condition of conditions) {
			expect(check([bounded(condition), ...guards]), JSON.stringify(condition)).toContain('Roles: allows iam:CreateRole, iam:PutRolePolicy without iam:PermissionsBoundary pinned to a boundary policy');
		}
		expect(check([bounded({StringEquals: {'iam:PermissionsBoundary': boundary}}), ...guards])).toEqual([]);
		expect(check([bounded({StringLike: {'iam:PermissionsBoundary': 'arn:aws:iam::*:policy/ecs-deployer-boundary'}}), {...guards[0]!}, {...guards[1]!, Resource: 'arn:aws:iam::*:policy/ecs-deployer-boundary'}], unknown)).toEqual([]);
	});

	test('wildcard actions that include role writes: iam:*, iam:Put*, *', () => {
		expect(check([{Sid: 'All', Effect: 'Allow', Action: 'iam:*', Resource: role}])).toEqual([
			'All: allows iam:UpdateAssumeRolePolicy, which no permissions boundary condition can limit',
			'All: allows iam:DeleteRolePermissionsBoundary, which no permissions boundary condition can limit',
			'All: allows iam:CreatePolicyVersion, which no permissions boundary condition can limit',
			'All: allows iam:SetDefaultPolicyVersion, which no permissions boundary condition can limit',
			'All: allows iam:CreateRole, iam:PutRolePolicy, iam:DeleteRolePolicy, iam:AttachRolePolicy, iam:DetachRolePolicy, iam:PutRolePermissionsBoundary without iam:PermissionsBoundary pinned to a boundary policy',
			'All: allows iam:PassRole without iam:PassedToService naming the service',
			'All: allows iam:CreateServiceLinkedRole without iam:AWSServiceName naming the service',
		]);
		expect(check([{Sid: 'Put', Effect: 'Allow', Action: 'IAM:put*', Resource: role}])).toContain('Put: allows iam:PutRolePolicy, iam:PutRolePermissionsBoundary without iam:PermissionsBoundary pinned to a boundary policy');
		expect(check([{Sid: 'Star', Effect: 'Allow', Action: '*', Resource: '*'}]).length).toBeGreaterThan(3);
	});

	test('bounded role writes without the Deny statements that keep the boundary on and the boundary policy as it is', () => {
		const allowed = bounded({StringEquals: {'iam:PermissionsBoundary': boundary}});
		expect(check([allowed])).toEqual([
			'no Deny of iam:DeleteRolePermissionsBoundary on "*": a role\'s boundary could be taken off',
			`no Deny of iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicy, iam:DeletePolicyVersion, iam:SetDefaultPolicyVersion on ${boundary}: the boundary policy could be widened`,
		]);
		// A Deny with a condition may not apply: it does not count.
		expect(check([allowed, {...guards[0]!, Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}}}, guards[1]!])).toContain('no Deny of iam:DeleteRolePermissionsBoundary on "*": a role\'s boundary could be taken off');
		expect(check([allowed, guards[0]!, {...guards[1]!, Action: ['iam:DeletePolicy']}])).toEqual([
			`no Deny of iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion, iam:SetDefaultPolicyVersion on ${boundary}: the boundary policy could be widened`,
		]);
	});

	test('PassRole without iam:PassedToService, and "*" for actions that take a resource', () => {
		expect(check([{Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: role}])).toEqual(['Pass: allows iam:PassRole without iam:PassedToService naming the service']);
		expect(check([{Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: role, Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}}}])).toEqual([]);
		expect(check([{Sid: 'Wide', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeTaskDefinition'], Resource: '*'}])).toEqual(['Wide: allows ecs:UpdateService on "*", though it takes a resource']);
	});

	test('"*" for the region, account or cluster where every environment knows it; allowed where one does not', () => {
		const services: Statement = {Sid: 'Services', Effect: 'Allow', Action: 'ecs:UpdateService', Resource: 'arn:aws:ecs:*:*:service/*/*', Condition: {ArnLike: {'ecs:cluster': 'arn:aws:ecs:eu-west-1:111122223333:cluster/*'}}};
		expect(check([services])).toEqual([
			'Services: arn:aws:ecs:*:*:service/*/* leaves the region, account and cluster open, though they are known',
			'Services: arn:aws:ecs:eu-west-1:111122223333:cluster/* leaves the cluster open, though it is known',
		]);
		expect(check([services], unknown)).toEqual([]);
		expect(check([{Sid: 'Stacks', Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: 'arn:aws:cloudformation:eu-west-1:*:stack/s/*'}])).toEqual([
			'Stacks: arn:aws:cloudformation:eu-west-1:*:stack/s/* leaves the account open, though it is known',
		]);
	});
});

describe('the shared ledger in the policy', () => {
	test('a recipe with an S3 ledger: list its bucket under the prefix, read and write objects there, nothing else', async () => {
		const input = {...(await inputFor('recipes/orders-api.yaml')), ledgers: [{bucket: 'acme-ledger', prefix: 'team/web'}]};
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(statement(policy, 'ListTheLedger')).toEqual({Sid: 'ListTheLedger', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-ledger', Condition: {StringLike: {'s3:prefix': ['team/web/*']}}});
		expect(statement(policy, 'ReadAndWriteTheLedger')).toEqual({Sid: 'ReadAndWriteTheLedger', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::acme-ledger/team/web/*'});
		expect(allowedActions(policy).filter(a => a.startsWith('s3:'))).toEqual(['s3:ListBucket', 's3:GetObject', 's3:PutObject']);
		// Without a ledger (the workspace file) there is no S3 statement at all.
		expect(allowedActions(iamPolicy(await inputFor('recipes/orders-api.yaml'))).some(a => a.startsWith('s3:'))).toBe(false);
		// On their own, for when the deploy policy and the ledger's statements do not fit in one managed policy.
		const alone = ledgerPolicy(input);
		expect(alone.Statement.map(s => s.Sid)).toEqual(['ListTheLedger', 'ReadAndWriteTheLedger']);
		expect(checkIamPolicy(alone, input)).toEqual([]);
	});

	test('a ledger at the root of its bucket: listing needs no prefix condition', async () => {
		const input = {...(await inputFor('recipes/orders-api.yaml')), ledgers: [{bucket: 'acme-ledger', prefix: ''}]};
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(statement(policy, 'ListTheLedger')?.Condition).toBeUndefined();
		expect(statement(policy, 'ReadAndWriteTheLedger')?.Resource).toBe('arn:aws:s3:::acme-ledger/*');
	});

	test('the check catches S3 beyond the ledger: other actions, the whole bucket, listing without the prefix, another bucket', () => {
		const input: IamPolicyInput = {project: 'p', environments: [], ledgers: [{bucket: 'acme-ledger', prefix: 'team'}]};
		const check = (statements: Statement[]) => checkIamPolicy({Version: '2012-10-17', Statement: statements}, input);
		expect(check([{Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::acme-ledger/team/*'}])).toEqual(['All: allows s3:*; a ledger needs only s3:ListBucket, s3:GetObject, s3:PutObject']);
		expect(check([{Sid: 'Delete', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::acme-ledger/team/*'}])).toEqual(['Delete: allows s3:DeleteObject; a ledger needs only s3:ListBucket, s3:GetObject, s3:PutObject']);
		expect(check([{Sid: 'Whole', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-ledger/*'}])).toEqual(["Whole: arn:aws:s3:::acme-ledger/* is not the objects under the ledger's prefix (…/team/*)"]);
		expect(check([{Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-ledger'}])).toEqual(["List: lists acme-ledger beyond the ledger's prefix team (s3:prefix must be set to it)"]);
		expect(check([{Sid: 'Other', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-else/*'}])).toEqual(["Other: arn:aws:s3:::someone-else/* is not a ledger's bucket (acme-ledger)"]);
		expect(check([{Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-ledger', Condition: {StringLike: {'s3:prefix': ['team/*']}}}])).toEqual([]);
	});
});

/** The input for one environment of a recipe file, with the target known. */
async function environmentInput(file: string, environment: string): Promise<IamPolicyInput> {
	const input = await inputFor(file);
	return {...input, environments: input.environments.filter(e => e.name === environment)};
}

describe('strategies, approval, one-off tasks and auto scaling: a statement only where the recipe uses the feature', () => {
	const infrastructureRole = 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers';

	test('checkout-api dev rolls: no infrastructure role is passed and no approval is answered; it still scales', async () => {
		const input = await environmentInput('recipes/checkout-api.yaml', 'dev');
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(statement(policy, 'PassTheInfrastructureRoleToEcs')).toBeUndefined();
		expect(statement(policy, 'AnswerTheApprovalGate')).toBeUndefined();
		expect(allowedActions(policy)).not.toContain('ecs:ContinueServiceDeployment');
		expect(statement(policy, 'ScaleTheServices')).toBeDefined();
	});

	test('checkout-api staging (canary): the infrastructure role is passed to ECS only, and no approval is answered', async () => {
		const policy = iamPolicy(await environmentInput('recipes/checkout-api.yaml', 'staging'));
		expect(statement(policy, 'PassTheInfrastructureRoleToEcs')).toEqual({
			Sid: 'PassTheInfrastructureRoleToEcs',
			Effect: 'Allow',
			Action: 'iam:PassRole',
			Resource: [infrastructureRole],
			Condition: {StringEquals: {'iam:PassedToService': 'ecs.amazonaws.com'}},
		});
		// The task roles go to ECS tasks, not to ECS; the infrastructure role is not among them.
		expect(resources(statement(policy, 'PassTheTaskRolesToEcs')!)).not.toContain(infrastructureRole);
		expect(statement(policy, 'AnswerTheApprovalGate')).toBeUndefined();
	});

	test('checkout-api production (blue-green with approval): ContinueServiceDeployment on its own service\'s deployments', async () => {
		const input = await environmentInput('recipes/checkout-api.yaml', 'production');
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(statement(policy, 'AnswerTheApprovalGate')).toEqual({
			Sid: 'AnswerTheApprovalGate',
			Effect: 'Allow',
			Action: 'ecs:ContinueServiceDeployment',
			Resource: ['arn:aws:ecs:eu-west-1:111122223333:service-deployment/main/checkout-api/*'],
		});
		expect(resources(statement(policy, 'PassTheInfrastructureRoleToEcs')!)).toEqual([infrastructureRole]);
		// The template changes no listener rule or target group: ECS does, with the infrastructure role.
		expect(allowedActions(policy).filter(a => a.startsWith('elasticloadbalancing:'))).toEqual([]);
	});

	test('all three environments of checkout-api: approval only for production\'s deployments, the role once', async () => {
		const policy = iamPolicy(await inputFor('recipes/checkout-api.yaml'));
		expect(resources(statement(policy, 'AnswerTheApprovalGate')!)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:service-deployment/main/checkout-api/*']);
		expect(resources(statement(policy, 'PassTheInfrastructureRoleToEcs')!)).toEqual([infrastructureRole]);
	});

	test('a recipe without a strategy, approval or auto scaling gets none of their statements', async () => {
		const policy = iamPolicy(await inputFor('recipes/hello-color.yaml'));
		for (const sid of ['PassTheInfrastructureRoleToEcs', 'AnswerTheApprovalGate', 'ScaleTheServices', 'DescribeScalingWithoutResourceScope', 'CreateTheScalingServiceLinkedRole']) expect(statement(policy, sid), sid).toBeUndefined();
		expect(allowedActions(policy).filter(a => a.startsWith('application-autoscaling:') || a === 'iam:CreateServiceLinkedRole')).toEqual([]);
	});

	test('run: RunTask of the environment\'s own families, in its cluster only', async () => {
		const policy = iamPolicy(await inputFor('recipes/hello-color.yaml'));
		const tasks = statement(policy, 'ServiceDeploymentsAndTasks')!;
		expect(actions(tasks)).toContain('ecs:RunTask');
		expect(resources(tasks).filter(r => r.includes(':task-definition/'))).toEqual(['dev', 'staging', 'production'].map(e => `arn:aws:ecs:eu-west-1:111122223333:task-definition/hello-color-${e}:*`));
		expect(tasks.Condition).toEqual({ArnLike: {'ecs:cluster': ['arn:aws:ecs:eu-west-1:111122223333:cluster/main']}});
		// No StopTask: `run` never stops a task it started.
		expect(allowedActions(policy)).not.toContain('ecs:StopTask');
	});

	test('a beforeDeploy task: its family is registered, tagged and run; without one, no such family', async () => {
		const input = await environmentInput('recipes/hello-color.yaml', 'dev');
		const family = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/hello-color-dev-before-deploy:*';
		const without = iamPolicy(input);
		expect(JSON.stringify(without)).not.toContain('before-deploy');
		const withTask = {...input, environments: input.environments.map(e => ({...e, beforeDeployFamily: `${e.family}-before-deploy`}))};
		const policy = iamPolicy(withTask);
		checkScoped(policy, withTask);
		for (const sid of ['RegisterTheTaskDefinitionFamilies', 'TagTheServicesAndTaskDefinitions', 'ServiceDeploymentsAndTasks']) expect(resources(statement(policy, sid)!), sid).toContain(family);
	});

	test('orders-api declares a beforeDeploy migration: its -before-deploy family is in the policy from the recipe, with StopTask for a task past its timeout', async () => {
		const input = await environmentInput('recipes/orders-api.yaml', 'dev');
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		const tasks = statement(policy, 'ServiceDeploymentsAndTasks')!;
		expect(resources(tasks).filter(r => r.includes('-before-deploy'))).toEqual(['arn:aws:ecs:eu-west-1:111122223333:task-definition/orders-api-dev-before-deploy:*']);
		expect(actions(tasks)).toContain('ecs:StopTask');
		// StopTask is scoped like DescribeTasks: tasks of the environment's cluster.
		expect(tasks.Condition).toEqual({ArnLike: {'ecs:cluster': ['arn:aws:ecs:eu-west-1:111122223333:cluster/main']}});
	});

	test('autoScaling with scheduled actions: scalable targets of the account and region, the service-linked role by name and service', async () => {
		const input = await inputFor('recipes/checkout-api.yaml');
		const policy = iamPolicy(input);
		checkScoped(policy, input);
		expect(statement(policy, 'ScaleTheServices')).toEqual({
			Sid: 'ScaleTheServices',
			Effect: 'Allow',
			Action: [
				'application-autoscaling:RegisterScalableTarget',
				'application-autoscaling:DeregisterScalableTarget',
				'application-autoscaling:PutScalingPolicy',
				'application-autoscaling:DeleteScalingPolicy',
				'application-autoscaling:PutScheduledAction',
				'application-autoscaling:DeleteScheduledAction',
				'application-autoscaling:TagResource',
				'application-autoscaling:UntagResource',
				'application-autoscaling:ListTagsForResource',
			],
			Resource: ['arn:aws:application-autoscaling:eu-west-1:111122223333:scalable-target/*'],
		});
		expect(statement(policy, 'CreateTheScalingServiceLinkedRole')).toEqual({
			Sid: 'CreateTheScalingServiceLinkedRole',
			Effect: 'Allow',
			Action: 'iam:CreateServiceLinkedRole',
			Resource: ['arn:aws:iam::111122223333:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService'],
			Condition: {StringEquals: {'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com'}},
		});
		// Registering a scalable target also needs UpdateService on the service: that is what scopes it.
		expect(actions(statement(policy, 'ServicesInTheClusters')!)).toEqual(expect.arrayContaining(['ecs:UpdateService', 'ecs:DescribeServices']));
		// Target tracking alarms are made by Application Auto Scaling's own role.
		expect(allowedActions(policy).filter(a => a.startsWith('cloudwatch:'))).toEqual([]);
	});

	test('autoScaling without a schedule: no scheduled-action permission', () => {
		const recipe = minimalRecipe();
		recipe['service'].autoScaling = {min: 1, max: 4, targetCpu: 70};
		const {resolved, problems} = resolveObject(recipe, {target, images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
		expect(problems.filter(p => p.severity === 'error')).toEqual([]);
		const environment = {...iamPolicyEnvironment(resolved!), accountId: target.accountId};
		expect(environment.autoScaling).toEqual({scheduled: false});
		const policy = iamPolicy({project: 'shop', environments: [environment]});
		expect(allowedActions(policy).filter(a => /Scheduled/.test(a))).toEqual([]);
		expect(actions(statement(policy, 'ScaleTheServices')!)).toContain('application-autoscaling:PutScalingPolicy');
	});
});

describe('the pre-flight check\'s reads', () => {
	test('absent unless asked for', async () => {
		const policy = iamPolicy(await inputFor('recipes/invoice-worker.yaml'));
		expect(policy.Statement.filter(s => s.Sid.startsWith('Preflight'))).toEqual([]);
		expect(allowedActions(policy)).not.toContain('ecr:BatchGetImage');
	});

	test('invoice-worker: the referenced secret and parameter by ARN, image manifests of its repository, EC2 and ELB Describe on "*"', async () => {
		const input = await inputFor('recipes/invoice-worker.yaml');
		const policy = preflightPolicy(input);
		expect(checkIamPolicy(policy, input)).toEqual([]);
		expect(statement(policy, 'PreflightReadReferencedSecrets')?.Resource).toEqual(['arn:aws:secretsmanager:eu-west-1:111122223333:secret:invoice-worker/api-token-AbCdEf']);
		expect(statement(policy, 'PreflightReadTheImages')).toEqual({Sid: 'PreflightReadTheImages', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: ['arn:aws:ecr:eu-west-1:111122223333:repository/invoice-worker']});
		// The check reads a parameter's metadata with DescribeParameters (no resource-level permissions), never its value.
		expect(statement(policy, 'PreflightWithoutResourceScope')).toEqual({
			Sid: 'PreflightWithoutResourceScope',
			Effect: 'Allow',
			Action: ['ssm:DescribeParameters', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'elasticloadbalancing:DescribeTargetGroups'],
			Resource: '*',
		});
		expect(allowedActions(policy)).not.toContain('ssm:GetParameters');
		// The stack creates invoice-worker's execution role: it has no role of its own to read or simulate beforehand.
		expect(statement(policy, 'PreflightReadTheRoles')).toBeUndefined();
		expect(statement(policy, 'PreflightSimulateTheExecutionRoles')).toBeUndefined();
	});

	test('checkout-api: the task, execution and infrastructure roles are read by ARN', async () => {
		const policy = preflightPolicy(await inputFor('recipes/checkout-api.yaml'));
		expect(statement(policy, 'PreflightReadTheRoles')?.Resource).toEqual([
			'arn:aws:iam::111122223333:role/checkout-api-task',
			'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
			'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers',
		]);
		// Only the execution role is simulated (may it read the referenced secrets and parameters).
		expect(statement(policy, 'PreflightSimulateTheExecutionRoles')?.Resource).toEqual(['arn:aws:iam::111122223333:role/ecsTaskExecutionRole']);
	});

	test('a secret referenced without its six-character suffix, and a parameter by name, in the environment\'s region and account', () => {
		const recipe = minimalRecipe();
		recipe['variables'] = [
			{name: 'Token', sensitive: true, valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/token:password::'},
			{name: 'Key', sensitive: true, valueFrom: '/shop/key'},
		];
		recipe['service'].containers[0].environment = {TOKEN: '#{Token}', KEY: '#{Key}'};
		const {resolved, problems} = resolveObject(recipe, {target, images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'});
		expect(problems.filter(p => p.severity === 'error')).toEqual([]);
		const environment = iamPolicyEnvironment(resolved!);
		expect(environment.referencedSecrets).toEqual(['arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/token-??????']);
		expect(environment.referencedParameters).toEqual(['arn:aws:ssm:eu-west-1:111122223333:parameter/shop/key']);
	});
});
