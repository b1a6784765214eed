import {BatchGetImageCommand, ECRClient, GetDownloadUrlForLayerCommand} from '@aws-sdk/client-ecr';
import {DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import {GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand} from '@aws-sdk/client-iam';
import {DescribeSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {DescribeParametersCommand, SSMClient} from '@aws-sdk/client-ssm';
import {mockClient} from 'aws-sdk-client-mock';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createAwsPorts} from '../../source/aws/clients.js';
import {sandboxTarget} from '../../source/aws/sandbox/index.js';
import type {VerifyItem} from '../../source/domain/preflight.js';
import type {ResolvedRecipe} from '../../source/domain/recipe/resolved.js';
import {memoryVerifyCache, runVerify, verifyCacheMs, type VerifyCache} from '../../source/engine/recipes/verify.js';
import {awsError} from '../helpers/fake-aws.js';

/*
 * The pre-flight checks through the real SDK adapters (createAwsPorts), each client mocked with
 * aws-sdk-client-mock: the exact calls, and what each answer becomes (passed, failed naming the field, not
 * checked with why).
 */

const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ssm = mockClient(SSMClient);
const secrets = mockClient(SecretsManagerClient);
const ecr = mockClient(ECRClient);
const all = [iam, ec2, elbv2, ssm, secrets, ecr];

let now = 1_000_000;
const clock = {now: () => now, sleep: async () => undefined};
let cache: VerifyCache;
beforeEach(() => {
	cache = memoryVerifyCache();
	now = 1_000_000;
});
afterEach(() => {
	for (const mock of all) mock.reset();
	vi.unstubAllGlobals();
});

const scope = {region: 'eu-west-1', accountId: '111122223333', partition: 'aws'};
const resolved = {} as ResolvedRecipe; // the items are given: the recipe is not read
const verify = (items: VerifyItem[], options: {refresh?: boolean; timeoutMs?: number} = {}) => runVerify(createAwsPorts({region: 'eu-west-1'}), resolved, sandboxTarget, scope, {clock, verifyCache: cache}, options, items);

const trust = (service: string) => encodeURIComponent(JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]}));
const role = (name: string, service = 'ecs-tasks.amazonaws.com') => ({Role: {RoleName: name, Path: '/', RoleId: 'AROA1', Arn: `arn:aws:iam::111122223333:role/${name}`, CreateDate: new Date(0), AssumeRolePolicyDocument: trust(service)}});
const executionRole: VerifyItem = {kind: 'role', field: 'service.executionRole', arn: 'arn:aws:iam::111122223333:role/team/exec', use: 'execution'};

describe('roles', () => {
	test('GetRole by the name at the end of the ARN; trusting ecs-tasks passes', async () => {
		iam.on(GetRoleCommand, {RoleName: 'exec'}).resolves(role('exec'));
		const [check] = await verify([executionRole]);
		expect(check).toMatchObject({field: 'service.executionRole', state: 'passed', reason: 'exists and trusts ecs-tasks.amazonaws.com'});
		expect(iam.commandCalls(GetRoleCommand).map(c => c.args[0].input)).toEqual([{RoleName: 'exec'}]);
	});

	test('a trust policy without ecs-tasks fails, naming the field and the statement to add', async () => {
		iam.on(GetRoleCommand).resolves(role('exec', 'lambda.amazonaws.com'));
		const [check] = await verify([executionRole]);
		expect(check).toMatchObject({field: 'service.executionRole', state: 'failed'});
		expect(check!.reason).toContain('does not let ecs-tasks.amazonaws.com assume it');
		expect(check!.fix).toContain('sts:AssumeRole');
	});

	test('NoSuchEntity fails: the role is not in the account', async () => {
		iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 'The role with name exec cannot be found.', 404));
		const [check] = await verify([executionRole]);
		expect(check).toMatchObject({state: 'failed', reason: 'there is no role exec in account 111122223333', fix: 'create the role, or correct service.executionRole'});
	});

	test('access denied on GetRole is "not checked", never passed', async () => {
		iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'User: arn:aws:sts::1:assumed-role/deployer/x is not authorized to perform: iam:GetRole on resource: role exec', 403));
		const [check] = await verify([executionRole]);
		expect(check).toMatchObject({state: 'not checked', reason: 'not allowed to call iam:GetRole (AccessDenied)'});
	});
});

describe('network', () => {
	const network: VerifyItem = {kind: 'network', field: 'service.network', subnets: ['subnet-aaa', 'subnet-bbb'], securityGroups: ['sg-111']};

	test('subnets and security groups of one VPC pass; the calls name exactly the recipe ids', async () => {
		ec2.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-aaa', VpcId: 'vpc-1'}, {SubnetId: 'subnet-bbb', VpcId: 'vpc-1'}]});
		ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-111', VpcId: 'vpc-1'}]});
		const checks = await verify([network]);
		expect(checks.map(c => [c.field, c.state])).toEqual([
			['service.network.subnets', 'passed'],
			['service.network.securityGroups', 'passed'],
		]);
		expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toEqual({SubnetIds: ['subnet-aaa', 'subnet-bbb']});
		expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({GroupIds: ['sg-111']});
	});

	test('subnets in two VPCs fail', async () => {
		ec2.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-aaa', VpcId: 'vpc-1'}, {SubnetId: 'subnet-bbb', VpcId: 'vpc-2'}]});
		ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-111', VpcId: 'vpc-1'}]});
		const [subnets] = await verify([network]);
		expect(subnets).toMatchObject({field: 'service.network.subnets', state: 'failed'});
		expect(subnets!.reason).toContain('subnet-aaa in vpc-1; subnet-bbb in vpc-2');
	});

	test('a missing subnet fails on its own index (EC2 names it in InvalidSubnetID.NotFound)', async () => {
		ec2.on(DescribeSubnetsCommand).rejects(awsError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-bbb' does not exist"));
		ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-111', VpcId: 'vpc-1'}]});
		const [subnets] = await verify([network]);
		expect(subnets).toMatchObject({field: 'service.network.subnets[1]', state: 'failed', reason: 'there is no subnet subnet-bbb in this account and region'});
	});

	test('a security group of another VPC fails on its index; a missing one with InvalidGroup.NotFound', async () => {
		ec2.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-aaa', VpcId: 'vpc-1'}, {SubnetId: 'subnet-bbb', VpcId: 'vpc-1'}]});
		ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-111', VpcId: 'vpc-9'}]});
		expect((await verify([network]))[1]).toMatchObject({field: 'service.network.securityGroups[0]', state: 'failed'});
		ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound', "The security group 'sg-111' does not exist"));
		expect((await verify([network]))[1]).toMatchObject({field: 'service.network.securityGroups[0]', state: 'failed', reason: 'there is no security group sg-111 in this account and region'});
	});

	test('UnauthorizedOperation (EC2 access denied) is not checked', async () => {
		ec2.on(DescribeSubnetsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
		ec2.on(DescribeSecurityGroupsCommand).resolves({SecurityGroups: [{GroupId: 'sg-111', VpcId: 'vpc-1'}]});
		const [subnets] = await verify([network]);
		expect(subnets).toMatchObject({state: 'not checked', reason: 'not allowed to call ec2:DescribeSubnets (UnauthorizedOperation)'});
	});
});

describe('target groups', () => {
	const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef';
	const item: VerifyItem = {kind: 'target-group', field: 'service.loadBalancers[0].targetGroupArn', arn, container: 'web', port: 8080};
	const group = {TargetGroupArn: arn, TargetType: 'ip' as const, Port: 8080, Protocol: 'HTTP' as const, VpcId: 'vpc-1', HealthCheckPort: 'traffic-port'};

	test('type ip on the traffic port passes; DescribeTargetGroups names the ARN', async () => {
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [group]});
		expect((await verify([item]))[0]).toMatchObject({state: 'passed'});
		expect(elbv2.commandCalls(DescribeTargetGroupsCommand)[0]!.args[0].input).toEqual({TargetGroupArns: [arn]});
	});

	test('an instance target group fails', async () => {
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [{...group, TargetType: 'instance'}]});
		const [check] = await verify([item]);
		expect(check).toMatchObject({field: 'service.loadBalancers[0].targetGroupArn', state: 'failed'});
		expect(check!.reason).toContain('its target type is instance');
	});

	test('health checks on another port fail; only a different default port is said, not failed', async () => {
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [{...group, HealthCheckPort: '80'}]});
		const [wrong] = await verify([item]);
		expect(wrong).toMatchObject({state: 'failed'});
		expect(wrong!.reason).toContain('port 80, but container web listens on 8080');
		expect(wrong!.fix).toContain('service.loadBalancers[0].port');
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [{...group, Port: 80}]});
		const [other] = await verify([item]);
		expect(other).toMatchObject({state: 'passed'});
		expect(other!.reason).toContain('its default port 80 differs');
	});

	test('TargetGroupNotFound fails', async () => {
		elbv2.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFoundException', 'One or more target groups not found'));
		expect((await verify([item]))[0]).toMatchObject({state: 'failed', reason: `there is no target group ${arn}`});
	});

	test('a target group in another VPC than the subnets fails', async () => {
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [{...group, VpcId: 'vpc-2'}]});
		ec2.on(DescribeSubnetsCommand).resolves({Subnets: [{SubnetId: 'subnet-aaa', VpcId: 'vpc-1'}]});
		const checks = await verify([{kind: 'network', field: 'service.network', subnets: ['subnet-aaa'], securityGroups: []}, item]);
		expect(checks.find(c => c.kind === 'target-group')).toMatchObject({state: 'failed', reason: "it is in vpc-2, the service's subnets in vpc-1: its health checks cannot reach the tasks"});
	});
});

describe('secrets and parameters', () => {
	const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-AbCdEf';
	const secret: VerifyItem = {kind: 'secret', field: 'variables.Db.valueFrom', valueFrom: `${secretArn}:password::`, executionRole: 'arn:aws:iam::111122223333:role/exec'};
	const parameter: VerifyItem = {kind: 'secret', field: 'service.containers[0].secrets[0].valueFrom', valueFrom: 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/token', executionRole: 'arn:aws:iam::111122223333:role/exec'};

	test('DescribeSecret (no value read) and a simulation of GetSecretValue on the secret as the execution role', async () => {
		secrets.on(DescribeSecretCommand).resolves({ARN: secretArn, Name: 'app/db'});
		iam.on(SimulatePrincipalPolicyCommand).resolves({EvaluationResults: [{EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed'}]});
		expect((await verify([secret]))[0]).toMatchObject({state: 'passed'});
		expect(secrets.commandCalls(DescribeSecretCommand)[0]!.args[0].input).toEqual({SecretId: secretArn});
		expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input).toEqual({PolicySourceArn: 'arn:aws:iam::111122223333:role/exec', ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [secretArn]});
	});

	test('a missing secret fails; a role that may not read it fails', async () => {
		secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."));
		expect((await verify([secret]))[0]).toMatchObject({field: 'variables.Db.valueFrom', state: 'failed', reason: `there is no secret ${secretArn} in Secrets Manager`});
		secrets.on(DescribeSecretCommand).resolves({ARN: secretArn});
		iam.on(SimulatePrincipalPolicyCommand).resolves({EvaluationResults: [{EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'implicitDeny'}]});
		const [denied] = await verify([secret]);
		expect(denied).toMatchObject({state: 'failed'});
		expect(denied!.reason).toContain('may not secretsmanager:GetSecretValue on it (IAM policy simulation: implicitDeny)');
	});

	test('a simulation refused is "not checked", and says the secret exists', async () => {
		secrets.on(DescribeSecretCommand).resolves({ARN: secretArn});
		iam.on(SimulatePrincipalPolicyCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:SimulatePrincipalPolicy', 403));
		expect((await verify([secret]))[0]).toMatchObject({state: 'not checked', reason: 'exists; whether execution role exec may read it: not allowed to call iam:SimulatePrincipalPolicy (AccessDenied)'});
	});

	test('SSM: DescribeParameters by exact name (metadata only); a missing parameter fails; ssm:GetParameters is simulated on its ARN', async () => {
		ssm.on(DescribeParametersCommand).resolves({Parameters: []});
		expect((await verify([parameter]))[0]).toMatchObject({state: 'failed', reason: 'there is no SSM parameter /app/token in eu-west-1'});
		expect(ssm.commandCalls(DescribeParametersCommand)[0]!.args[0].input).toEqual({ParameterFilters: [{Key: 'Name', Option: 'Equals', Values: ['/app/token']}]});
		ssm.on(DescribeParametersCommand).resolves({Parameters: [{Name: '/app/token'}]});
		iam.on(SimulatePrincipalPolicyCommand).resolves({EvaluationResults: [{EvalActionName: 'ssm:GetParameters', EvalDecision: 'allowed'}]});
		expect((await verify([parameter]))[0]).toMatchObject({state: 'passed'});
		expect(iam.commandCalls(SimulatePrincipalPolicyCommand).at(-1)!.args[0].input).toMatchObject({ActionNames: ['ssm:GetParameters'], ResourceArns: ['arn:aws:ssm:eu-west-1:111122223333:parameter/app/token']});
	});

	test('with no execution role in the recipe, the stack creates one that may read it: no simulation', async () => {
		const {executionRole: _none, ...created} = secret as Extract<VerifyItem, {kind: 'secret'}>;
		secrets.on(DescribeSecretCommand).resolves({ARN: secretArn});
		expect((await verify([created]))[0]).toMatchObject({state: 'passed', reason: 'exists; the stack creates the execution role with read access to it'});
		expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
	});
});

describe('image platforms', () => {
	const image: VerifyItem = {kind: 'image', field: 'images.api', ref: 'api', repository: 'api', tag: '1.4.2', architecture: 'ARM64'};
	const index = (...architectures: string[]) => JSON.stringify({schemaVersion: 2, manifests: architectures.map(a => ({digest: 'sha256:1', platform: {os: 'linux', architecture: a}}))});

	test('BatchGetImage asks for manifest lists; a linux/arm64 variant passes, none fails naming service.cpuArchitecture', async () => {
		ecr.on(BatchGetImageCommand).resolves({images: [{imageManifest: index('amd64', 'arm64')}]});
		expect((await verify([image]))[0]).toMatchObject({state: 'passed', reason: 'has a linux/arm64 variant (linux/amd64, linux/arm64)'});
		const input = ecr.commandCalls(BatchGetImageCommand)[0]!.args[0].input;
		expect(input).toMatchObject({repositoryName: 'api', imageIds: [{imageTag: '1.4.2'}]});
		expect(input.acceptedMediaTypes).toContain('application/vnd.docker.distribution.manifest.list.v2+json');
		expect(input.acceptedMediaTypes).toContain('application/vnd.oci.image.index.v1+json');
		ecr.on(BatchGetImageCommand).resolves({images: [{imageManifest: index('amd64')}]});
		const [failed] = await verify([image], {refresh: true});
		expect(failed).toMatchObject({state: 'failed', reason: 'has no linux/arm64 variant (it has linux/amd64); the task runs on ARM64'});
		expect(failed!.fix).toContain('service.cpuArchitecture');
	});

	test('a single-platform image: its config blob (GetDownloadUrlForLayer, then the URL) names the architecture', async () => {
		ecr.on(BatchGetImageCommand).resolves({images: [{imageManifest: JSON.stringify({schemaVersion: 2, config: {digest: 'sha256:c0'}, layers: []})}]});
		ecr.on(GetDownloadUrlForLayerCommand, {repositoryName: 'api', layerDigest: 'sha256:c0'}).resolves({downloadUrl: 'https://example.invalid/blob', layerDigest: 'sha256:c0'});
		const fetch = vi.fn(async () => new Response(JSON.stringify({architecture: 'amd64', os: 'linux'})));
		vi.stubGlobal('fetch', fetch);
		expect((await verify([image]))[0]).toMatchObject({state: 'failed', reason: 'a single-platform amd64 image; the task runs on ARM64 (linux/arm64)'});
		expect(fetch).toHaveBeenCalledWith('https://example.invalid/blob', expect.anything());
	});

	test('a config that cannot be read, an image outside ECR, or no tag: not checked, saying why', async () => {
		ecr.on(BatchGetImageCommand).resolves({images: [{imageManifest: JSON.stringify({schemaVersion: 2, config: {digest: 'sha256:c0'}})}]});
		ecr.on(GetDownloadUrlForLayerCommand).rejects(awsError('AccessDeniedException', 'no', 403));
		expect((await verify([image]))[0]).toMatchObject({state: 'not checked'});
		expect((await verify([{...image, registry: 'docker.io'}]))[0]).toMatchObject({state: 'not checked', reason: 'on docker.io: only images in Amazon ECR have their platforms read'});
		const {tag: _t, ...untagged} = image as Extract<VerifyItem, {kind: 'image'}>;
		expect((await verify([untagged]))[0]).toMatchObject({state: 'not checked', reason: 'no tag chosen: give one (--image api=TAG) to check its platforms'});
	});

	test('an image not in the repository fails (BatchGetImage failures)', async () => {
		ecr.on(BatchGetImageCommand).resolves({images: [], failures: [{imageId: {imageTag: '1.4.2'}, failureCode: 'ImageNotFound', failureReason: 'Requested image not found'}]});
		expect((await verify([image]))[0]).toMatchObject({state: 'failed', reason: 'ECR has no image 1.4.2 in api (ImageNotFound)'});
	});
});

describe('fast and cached', () => {
	test('a check without an answer in time is "not checked"; the others still answer', async () => {
		iam.on(GetRoleCommand).callsFake(() => new Promise(() => undefined));
		elbv2.on(DescribeTargetGroupsCommand).resolves({TargetGroups: [{TargetType: 'ip', Port: 80, Protocol: 'HTTP', VpcId: 'vpc-1'}]});
		const group: VerifyItem = {kind: 'target-group', field: 'service.loadBalancers[0].targetGroupArn', arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/0123456789abcdef', container: 'web', port: 80};
		// The first call loads the client's SDK package: not what is timed here.
		await verify([group]);
		const checks = await verify([executionRole, group], {timeoutMs: 300, refresh: true});
		expect(checks.map(c => [c.field, c.state, c.reason.slice(0, 22)])).toEqual([
			['service.executionRole', 'not checked', 'no answer within 0.3 s'],
			['service.loadBalancers[0].targetGroupArn', 'passed', 'target type ip, HTTP, '],
		]);
	});

	test('the checks run at once, not one after the other', async () => {
		let open = 0;
		let most = 0;
		const slow = <T>(value: T) => async () => {
			most = Math.max(most, ++open);
			await new Promise(r => setTimeout(r, 20));
			open--;
			return value;
		};
		iam.on(GetRoleCommand).callsFake(slow(role('exec')));
		elbv2.on(DescribeTargetGroupsCommand).callsFake(slow({TargetGroups: [{TargetType: 'ip', Port: 80, Protocol: 'HTTP'}]}));
		ecr.on(BatchGetImageCommand).callsFake(slow({images: [{imageManifest: JSON.stringify({manifests: [{platform: {os: 'linux', architecture: 'amd64'}}]})}]}));
		await verify([executionRole, {kind: 'target-group', field: 't', arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/a/0123456789abcdef', container: 'web', port: 80}, {kind: 'image', field: 'images.web', ref: 'web', repository: 'web', tag: '1', architecture: 'X86_64'}]);
		expect(most).toBe(3);
	});

	test('passes are remembered for 10 minutes per target and inputs; failures never; refresh checks again', async () => {
		iam.on(GetRoleCommand).resolves(role('exec'));
		await verify([executionRole]);
		const again = await verify([executionRole]);
		expect(again[0]).toMatchObject({state: 'passed', cached: true});
		expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
		// Other inputs: another key.
		await verify([{...executionRole, arn: 'arn:aws:iam::111122223333:role/other'}]);
		expect(iam.commandCalls(GetRoleCommand)).toHaveLength(2);
		await verify([executionRole], {refresh: true});
		expect(iam.commandCalls(GetRoleCommand)).toHaveLength(3);
		now += verifyCacheMs;
		expect((await verify([executionRole]))[0]!.cached).toBeUndefined();
		expect(iam.commandCalls(GetRoleCommand)).toHaveLength(4);

		iam.on(GetRoleCommand).resolves(role('exec', 'lambda.amazonaws.com'));
		await verify([executionRole], {refresh: true});
		expect((await verify([executionRole]))[0]).toMatchObject({state: 'failed'});
		expect(iam.commandCalls(GetRoleCommand)).toHaveLength(6);
	});
});
