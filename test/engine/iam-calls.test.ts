import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {parse} from 'yaml';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {scalingServicePrincipal, type IamPolicy} from '../../source/domain/iam-policy.js';
import {readRecipeFile} from '../../source/io/recipe-files.js';
import {repoRoot} from '../helpers/cli.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';
import {account, cluster, region} from '../helpers/fake-aws.js';
import {evaluate, refused, type Request} from '../helpers/iam-evaluate.js';

/*
 * The generated policy against the calls the engine really makes. Engine flows run on the sandbox (a
 * blue/green deploy with an approval gate and auto scaling, `run`, `scale`); every SDK command they send is
 * turned into the authorisation AWS makes for it (action, resource ARN, condition keys), and so is every
 * resource CloudFormation creates or updates from the template with the caller's credentials (the
 * handlers' permissions of each resource type). Each must be allowed by the policy `iam-policy` prints for
 * the recipe and the sandbox target. An SDK command or a resource type this file cannot map fails the test,
 * so a new call cannot slip past it.
 */

const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
const clusterArn = arn('ecs', `cluster/${cluster}`);
const inCluster = {'ecs:cluster': clusterArn};
const example = path.join(repoRoot, 'recipes', 'checkout-api.yaml');
const reattach = 'ecs-deployer --sandbox watch --recipe recipes/checkout-api.yaml --env production';

/** A stack name or ARN as the ARN IAM checks (the stack id is not known from a name: any id). */
const stackArn = (nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn : arn('cloudformation', `stack/${nameOrArn}/00000000-0000-0000-0000-000000000000`));
/** An ECS resource named by ARN or by name in the cluster. */
const ecsArn = (kind: 'service' | 'task', nameOrArn: string, clusterName = cluster) => (nameOrArn.startsWith('arn:') ? nameOrArn : arn('ecs', `${kind}/${clusterName.split('/').at(-1)}/${nameOrArn}`));
const taskDefinitionArn = (value: string) => (value.startsWith('arn:') ? value : arn('ecs', `task-definition/${value.includes(':') ? value : `${value}:1`}`));

/** The authorisations AWS makes for one SDK command the engine sent. */
function requestsOfCall(command: string, input: any): Request[] {
	const why = `the engine's ${command}`;
	const one = (action: string, resource: string, context?: Record<string, string>): Request[] => [{action, resource, why, ...(context ? {context} : {})}];
	switch (command) {
		case 'DescribeStacks':
		case 'DescribeStackEvents':
		case 'CreateChangeSet':
		case 'DescribeChangeSet':
		case 'ExecuteChangeSet':
		case 'DeleteChangeSet':
		case 'DeleteStack':
		case 'CancelUpdateStack':
		case 'ContinueUpdateRollback':
		case 'GetTemplate':
		case 'ListStackResources':
			if (typeof input.StackName !== 'string') throw new Error(`${command} without StackName: ${JSON.stringify(input)}`);
			return one(`cloudformation:${command}`, stackArn(input.StackName));
		case 'ValidateTemplate':
			return one('cloudformation:ValidateTemplate', '*');
		case 'GetCallerIdentity':
			return one('sts:GetCallerIdentity', '*');
		case 'DescribeClusters':
			return (input.clusters as string[]).flatMap(c => one('ecs:DescribeClusters', c.startsWith('arn:') ? c : arn('ecs', `cluster/${c}`)));
		case 'DescribeServices':
			return (input.services as string[]).flatMap(s => one('ecs:DescribeServices', ecsArn('service', s, input.cluster), inCluster));
		case 'ListServiceDeployments':
		case 'UpdateService':
			return one(`ecs:${command}`, ecsArn('service', input.service, input.cluster), inCluster);
		case 'DescribeServiceDeployments':
			return (input.serviceDeploymentArns as string[]).flatMap(d => one('ecs:DescribeServiceDeployments', d, inCluster));
		case 'ContinueServiceDeployment':
			return one('ecs:ContinueServiceDeployment', input.serviceDeploymentArn);
		case 'ListTasks':
			return one('ecs:ListTasks', '*', inCluster);
		case 'DescribeTasks':
			return (input.tasks as string[]).flatMap(t => one('ecs:DescribeTasks', ecsArn('task', t, input.cluster), inCluster));
		case 'DescribeTaskDefinition':
			return one('ecs:DescribeTaskDefinition', '*');
		case 'RunTask':
			return one('ecs:RunTask', taskDefinitionArn(input.taskDefinition), inCluster);
		case 'DescribeImages':
			return one('ecr:DescribeImages', `arn:aws:ecr:${region}:${input.registryId ?? account}:repository/${input.repositoryName}`);
		// The pre-flight verify before every deploy (its statements are the pre-flight policy, attached beside).
		case 'GetRole':
			return one('iam:GetRole', `arn:aws:iam::${account}:role/${input.RoleName}`);
		case 'SimulatePrincipalPolicy':
			return one('iam:SimulatePrincipalPolicy', input.PolicySourceArn);
		case 'DescribeSecret':
			return one('secretsmanager:DescribeSecret', input.SecretId);
		case 'DescribeParameters':
		case 'DescribeSubnets':
		case 'DescribeSecurityGroups':
		case 'DescribeTargetGroups':
			return one(`${command === 'DescribeParameters' ? 'ssm' : command === 'DescribeTargetGroups' ? 'elasticloadbalancing' : 'ec2'}:${command}`, '*');
		case 'BatchGetImage':
		case 'GetDownloadUrlForLayer':
			return one(`ecr:${command}`, `arn:aws:ecr:${region}:${input.registryId ?? account}:repository/${input.repositoryName}`);
		case 'GetLogEvents':
			return one('logs:GetLogEvents', arn('logs', `log-group:${input.logGroupName}:log-stream:${input.logStreamName}`));
		default:
			throw new Error(`iam-calls.test.ts does not know what ${command} is authorised as: add it`);
	}
}

type Resource = {Type: string; Properties: Record<string, any>};

/**
 * What CloudFormation asks IAM for, with the caller's credentials, to create and update one resource of the
 * template (the resource type schema's create and update handler permissions), with the names the sandbox
 * gave: `names` maps logical ids to physical names.
 */
function requestsOfResource(id: string, resource: Resource, names: Record<string, string>): Request[] {
	const why = `CloudFormation: ${id} (${resource.Type})`;
	const p = resource.Properties;
	const req = (action: string, res: string, context?: Record<string, string>): Request => ({action, resource: res, why, ...(context ? {context} : {})});
	const roleArn = (value: unknown) => (typeof value === 'string' ? value : names[(value as {'Fn::GetAtt': [string]})['Fn::GetAtt'][0]]!);
	switch (resource.Type) {
		case 'AWS::ECS::TaskDefinition': {
			const family = arn('ecs', `task-definition/${p['Family']}:1`);
			const roles = [p['ExecutionRoleArn'], p['TaskRoleArn']].filter(r => r !== undefined).map(roleArn);
			return [
				req('ecs:RegisterTaskDefinition', family),
				req('ecs:TagResource', family),
				req('ecs:DescribeTaskDefinition', '*'),
				req('ecs:DeregisterTaskDefinition', '*'),
				...roles.map(r => req('iam:PassRole', r, {'iam:PassedToService': 'ecs-tasks.amazonaws.com'})),
			];
		}
		case 'AWS::ECS::Service': {
			const service = ecsArn('service', names[id]!);
			const infrastructureRoles = ((p['LoadBalancers'] ?? []) as Array<{AdvancedConfiguration?: {RoleArn?: string}}>).flatMap(lb => (lb.AdvancedConfiguration?.RoleArn ? [lb.AdvancedConfiguration.RoleArn] : []));
			return [
				...['CreateService', 'UpdateService', 'DescribeServices'].map(action => req(`ecs:${action}`, service, inCluster)),
				req('ecs:TagResource', service),
				req('ecs:UntagResource', service),
				req('ecs:ListTagsForResource', service),
				...infrastructureRoles.map(r => req('iam:PassRole', r, {'iam:PassedToService': 'ecs.amazonaws.com'})),
			];
		}
		case 'AWS::ApplicationAutoScaling::ScalableTarget': {
			const target = arn('application-autoscaling', 'scalable-target/0ec1a2b3c4d5e6f7a8b9c0d1e2f3a4b5');
			const service = ecsArn('service', names['Service']!);
			return [
				req('application-autoscaling:RegisterScalableTarget', target),
				req('application-autoscaling:DescribeScalableTargets', '*'),
				req('application-autoscaling:TagResource', target),
				...(p['ScheduledActions'] ? [req('application-autoscaling:PutScheduledAction', target), req('application-autoscaling:DeleteScheduledAction', target), req('application-autoscaling:DescribeScheduledActions', '*')] : []),
				// Application Auto Scaling checks that the caller may change the service it registers.
				req('ecs:DescribeServices', service, inCluster),
				req('ecs:UpdateService', service, inCluster),
				req('iam:CreateServiceLinkedRole', `arn:aws:iam::${account}:role/aws-service-role/${scalingServicePrincipal}/AWSServiceRoleForApplicationAutoScaling_ECSService`, {'iam:AWSServiceName': scalingServicePrincipal}),
			];
		}
		case 'AWS::ApplicationAutoScaling::ScalingPolicy': {
			const target = arn('application-autoscaling', 'scalable-target/0ec1a2b3c4d5e6f7a8b9c0d1e2f3a4b5');
			return [req('application-autoscaling:PutScalingPolicy', target), req('application-autoscaling:DeleteScalingPolicy', target), req('application-autoscaling:DescribeScalingPolicies', '*')];
		}
		case 'AWS::IAM::Role': {
			// The boundary and the managed policies as CloudFormation resolves them (the account and partition).
			const resolve = (value: unknown) => (typeof value === 'string' ? value : String((value as {'Fn::Sub': string})['Fn::Sub'])).replaceAll('${AWS::Partition}', 'aws').replaceAll('${AWS::AccountId}', account);
			const role = names[id]!;
			const boundary: Record<string, string> = p['PermissionsBoundary'] === undefined ? {} : {'iam:PermissionsBoundary': resolve(p['PermissionsBoundary'])};
			return [
				req('iam:CreateRole', role, boundary),
				...((p['Policies'] ?? []) as unknown[]).map(() => req('iam:PutRolePolicy', role, boundary)),
				...((p['ManagedPolicyArns'] ?? []) as unknown[]).map(policy => req('iam:AttachRolePolicy', role, {...boundary, 'iam:PolicyARN': resolve(policy)})),
				req('iam:GetRole', role),
				req('iam:TagRole', role),
				req('iam:ListRolePolicies', role),
				req('iam:ListAttachedRolePolicies', role),
			];
		}
		case 'AWS::Logs::LogGroup': {
			const group = arn('logs', `log-group:${p['LogGroupName']}`);
			return [req('logs:CreateLogGroup', group), req('logs:PutRetentionPolicy', group), req('logs:TagResource', group), req('logs:DescribeLogGroups', '*')];
		}
		default:
			throw new Error(`iam-calls.test.ts does not know the handler permissions of ${resource.Type}: add them`);
	}
}

let h: Harness;
let checkout: string;
beforeEach(async () => {
	h = await harness();
	// checkout-api fixes its service's name; the sandbox plays every environment in one cluster and names
	// each stack's service itself (`<stack>-Service-…`), so the copy lets CloudFormation name it, as AWS does
	// without serviceName. The policy is then scoped to the cluster's services (`service/<cluster>/*`).
	const recipe = parse(await readFile(example, 'utf8')) as {service: Record<string, unknown>};
	delete recipe.service['serviceName'];
	// Its roles in the target's account, as a recipe deployed there names them (the example names another
	// account; GetRole reads a role of the caller's account).
	checkout = await h.recipeFile(JSON.parse(JSON.stringify(recipe).replaceAll('111122223333', account)) as Record<string, unknown>, 'checkout-api.yaml');
});
afterEach(() => h.fake.restore());

async function policyFor(recipeFile: string, options: {preflightOnly?: true} = {}): Promise<IamPolicy> {
	const recipe = (await readRecipeFile(recipeFile)).recipe!;
	const printed = await h.engine.iamPolicy(recipeFile, recipe, {region: target.region, cluster: target.cluster, accountId: account, ...options});
	if (!('policy' in printed)) throw new Error(JSON.stringify(printed.problems));
	return printed.policy;
}

/** The two policies `iam-policy` prints for a recipe: the deploy policy and the pre-flight verify's reads. */
async function policiesFor(recipeFile: string): Promise<[IamPolicy, IamPolicy]> {
	return [await policyFor(recipeFile), await policyFor(recipeFile, {preflightOnly: true})];
}

/** Every authorisation of the calls recorded so far, and of the resources of each template submitted. */
async function requestsSoFar(): Promise<Request[]> {
	const calls = h.fake.calls.flatMap(c => requestsOfCall(c.command, c.input));
	const templates = h.fake.calls.filter(c => c.command === 'CreateChangeSet');
	const resources: Request[] = [];
	for (const call of templates) {
		const template = JSON.parse(call.input.TemplateBody as string) as {Resources: Record<string, Resource>};
		const listed = await h.fake.ports().cloudFormation.listStackResources({StackName: call.input.StackName});
		// Physical names; a role's as its ARN (under the path the template gives it).
		const names = Object.fromEntries(
			(listed.StackResourceSummaries ?? []).map(r => {
				const name = r.PhysicalResourceId!.split('/').at(-1)!;
				const resource = template.Resources[r.LogicalResourceId!];
				const given = resource?.Properties['Path'] ?? '/';
				const rolePath = (typeof given === 'string' ? given : String(given['Fn::Sub'])).replaceAll('${AWS::StackName}', call.input.StackName as string);
				return [r.LogicalResourceId!, resource?.Type === 'AWS::IAM::Role' ? `arn:aws:iam::${account}:role${rolePath}${name}` : name];
			}),
		);
		for (const [id, resource] of Object.entries(template.Resources)) resources.push(...requestsOfResource(id, resource, names));
	}
	return [...calls, ...resources];
}

describe('every call of the engine and of CloudFormation is allowed by the printed policy', () => {
	test('checkout-api production: a blue/green deploy with auto scaling, approved at its gate; then run and scale', async () => {
		const [policy, preflight] = await policiesFor(checkout);
		const deploy = (tag: string) => h.engine.deploy({recipeFile: checkout, environment: 'production', target, reattach, images: {api: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true, 'approve-deployment': 'promote'})).result;
		expect((await deploy('1.3.0')).outcome).toBe('succeeded');
		expect((await deploy('1.4.0')).outcome).toBe('succeeded');
		const current = {recipeFile: checkout, environment: 'production', target, reattach};
		expect((await h.engine.runTask({...current, command: ['echo', 'hi']}, recordingHost()).result).kind).toBe('exited');
		expect((await h.engine.scale({...current, count: 3}, recordingHost({'scale-service': true})).result).outcome).toBe('succeeded');

		const commands = new Set(h.fake.calls.map(c => c.command));
		// The flows made the calls this test is about.
		for (const command of ['CreateChangeSet', 'ExecuteChangeSet', 'DescribeServiceDeployments', 'ContinueServiceDeployment', 'RunTask', 'DescribeTasks', 'GetLogEvents', 'UpdateService', 'DescribeImages', 'GetRole', 'DescribeSubnets', 'BatchGetImage']) expect(commands, command).toContain(command);
		const requests = await requestsSoFar();
		expect(requests.map(r => r.action)).toEqual(expect.arrayContaining(['iam:PassRole', 'application-autoscaling:RegisterScalableTarget', 'application-autoscaling:PutScheduledAction', 'iam:CreateServiceLinkedRole']));
		expect(refused([policy, preflight], requests)).toEqual([]);
		// The pre-flight reads need the pre-flight policy: with the deploy policy alone they are refused.
		const reads = requests.filter(r => ['iam:GetRole', 'ecr:BatchGetImage', 'ec2:DescribeSubnets'].includes(r.action) && !r.why.startsWith('CloudFormation'));
		expect(reads.length).toBeGreaterThan(0);
		expect(refused([policy], reads).length).toBeGreaterThan(0);
	});

	test('hello-color dev: a rolling deploy whose stack creates its execution role within the boundary, and the role passed to its tasks', async () => {
		const recipeFile = h.example('hello-color');
		const [policy, preflight] = await policiesFor(recipeFile);
		const host = recordingHost({'execute-change-set': true, 'skip-lifecycle': true});
		const end = await h.engine.deploy({recipeFile, environment: 'dev', target, reattach: 'ecs-deployer --sandbox watch', images: {web: '1.0.0'}}, host).result;
		expect(end.outcome, JSON.stringify(end)).toBe('succeeded');
		const requests = await requestsSoFar();
		const created = requests.filter(r => r.action === 'iam:CreateRole');
		expect(created).toHaveLength(1);
		expect(created[0]!.context).toEqual({'iam:PermissionsBoundary': `arn:aws:iam::${account}:policy/ecs-deployer-boundary`});
		expect(requests.filter(r => r.action === 'iam:PassRole').map(r => r.resource)).toContain(created[0]!.resource);
		expect(refused([policy, preflight], requests)).toEqual([]);
		// The same role without the boundary, or with another one, is refused.
		expect(evaluate([policy], {...created[0]!, context: {}})).toBe('implicit deny');
		expect(evaluate([policy], {...created[0]!, context: {'iam:PermissionsBoundary': `arn:aws:iam::${account}:policy/AdministratorAccess`}})).toBe('implicit deny');
		// Rolling: nothing to approve, no role passed to ECS itself, no scaling.
		expect(h.fake.count('ContinueServiceDeployment')).toBe(0);
		expect(policy.Statement.map(s => s.Sid)).not.toEqual(expect.arrayContaining(['AnswerTheApprovalGate']));
	});

	test('the check can fail: without the approval, scaling and infrastructure-role statements the same flows are refused', async () => {
		const [policy, preflight] = await policiesFor(checkout);
		const cut = {...policy, Statement: policy.Statement.filter(s => !['AnswerTheApprovalGate', 'ScaleTheServices', 'PassTheInfrastructureRoleToEcs', 'CreateTheScalingServiceLinkedRole'].includes(s.Sid))};
		const deploy = (tag: string) => h.engine.deploy({recipeFile: checkout, environment: 'production', target, reattach, images: {api: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true, 'approve-deployment': 'promote'})).result;
		await deploy('1.3.0');
		await deploy('1.4.0');
		const lines = refused([cut, preflight], await requestsSoFar());
		for (const action of ['ecs:ContinueServiceDeployment', 'application-autoscaling:RegisterScalableTarget', 'iam:PassRole', 'iam:CreateServiceLinkedRole']) expect(lines.some(line => line.includes(` ${action} `)), action).toBe(true);
		// And a request outside the recipe's scope is refused by the full policy.
		expect(evaluate([policy], {action: 'ecs:RunTask', resource: arn('ecs', 'task-definition/someone-else:3'), context: inCluster, why: 'another family'})).toBe('implicit deny');
		expect(evaluate([policy], {action: 'ecs:RunTask', resource: arn('ecs', 'task-definition/checkout-api-production:3'), context: {'ecs:cluster': arn('ecs', 'cluster/other')}, why: 'another cluster'})).toBe('implicit deny');
		expect(evaluate([policy], {action: 'iam:PassRole', resource: 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers', context: {'iam:PassedToService': 'lambda.amazonaws.com'}, why: 'to another service'})).toBe('implicit deny');
	});
});
