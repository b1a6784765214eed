import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {CreateSubnetCommand, CreateVpcCommand} from '@aws-sdk/client-ec2';
import {CreateTargetGroupCommand, ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import {CreateRoleCommand, IAMClient} from '@aws-sdk/client-iam';
import {CreateSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {PutParameterCommand, SSMClient} from '@aws-sdk/client-ssm';
import {PutImageCommand} from '@aws-sdk/client-ecr';
import {expect, test} from 'vitest';
import {describeRun, jsonOf} from './helpers/cli.js';
import {newCase, project, recipeText, withEmulatorNetwork} from './helpers/case.js';
import {aws, createCluster, defaultNetwork, endpoint, region, seedRepository} from './helpers/emulator.js';

/*
 * The pre-flight verify against moto's IAM, EC2, ELBv2, SSM, Secrets Manager and ECR: resources created in
 * the emulator here, then `ecs-deployer verify` reads them. moto does not implement SimulatePrincipalPolicy
 * nor GetDownloadUrlForLayer: those checks must come out "not checked", never passed.
 */

const config = () => ({endpoint: endpoint(), region, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 1});
const trust = (service: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]});

type Verified = {outcome: string; checks: Array<{field: string; state: string; reason: string}>};

/** Roles, a target group, a secret and a parameter in the emulator; the recipe naming them. */
async function seed(): Promise<{recipe: (changes?: Record<string, string>) => string; vpc: string; ip: string; instance: string}> {
	const network = await defaultNetwork();
	const iam = new IAMClient(config());
	await iam.send(new CreateRoleCommand({RoleName: 'emu-exec', AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com')}));
	await iam.send(new CreateRoleCommand({RoleName: 'emu-task', AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com')}));
	await iam.send(new CreateRoleCommand({RoleName: 'emu-lambda', AssumeRolePolicyDocument: trust('lambda.amazonaws.com')}));
	const elbv2 = new ElasticLoadBalancingV2Client(config());
	const ip = (await elbv2.send(new CreateTargetGroupCommand({Name: 'emu-web', Protocol: 'HTTP', Port: 80, VpcId: network.vpc, TargetType: 'ip'}))).TargetGroups![0]!.TargetGroupArn!;
	const instance = (await elbv2.send(new CreateTargetGroupCommand({Name: 'emu-instance', Protocol: 'HTTP', Port: 80, VpcId: network.vpc, TargetType: 'instance'}))).TargetGroups![0]!.TargetGroupArn!;
	const secret = (await new SecretsManagerClient(config()).send(new CreateSecretCommand({Name: 'emu/db', SecretString: 'not shown'}))).ARN!;
	await new SSMClient(config()).send(new PutParameterCommand({Name: '/emu/token', Value: 'not shown', Type: 'SecureString'}));
	// A multi-platform image (an OCI index) and a single-platform one (seedRepository: Docker manifest v2).
	await seedRepository(project.repository, ['1.0.0']);
	const index = {schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: ['amd64', 'arm64'].map((architecture, i) => ({mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100, digest: `sha256:${String(i).repeat(64)}`, platform: {os: 'linux', architecture}}))};
	await aws.ecr().send(new PutImageCommand({repositoryName: project.repository, imageTag: '2.0.0', imageManifest: JSON.stringify(index), imageManifestMediaType: index.mediaType}));
	const base = withEmulatorNetwork(recipeText)
		.replace('service:\n', `variables:\n  - name: Db\n    sensitive: true\n    valueFrom: ${secret}\nservice:\n  taskRole: arn:aws:iam::123456789012:role/emu-task\n  executionRole: arn:aws:iam::123456789012:role/emu-exec\n  loadBalancers:\n    - {container: web, port: 80, targetGroupArn: ${ip}}\n`)
		.replace('      ports: [80]', '      ports: [80]\n      environment:\n        DB: "#{Db}"\n      secrets:\n        - {name: TOKEN, valueFrom: /emu/token}');
	return {
		vpc: network.vpc,
		ip,
		instance,
		recipe: (changes = {}) => Object.entries(changes).reduce((text, [from, to]) => text.replace(from, to), base),
	};
}

test('verify reads the resources created in the emulator: roles, network, target group, secret, parameter, image platforms', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');
	const {recipe} = await seed();
	await writeFile(path.join(c.dir, 'good.yaml'), recipe());

	const plain = await c.cli(['verify', '--recipe', 'good.yaml', '--env', 'dev', '--image', 'web=2.0.0']);
	expect(plain.code, describeRun(plain)).toBe(0);
	expect(plain.stdout).toContain('✓ service.taskRole: task role emu-task: exists and trusts ecs-tasks.amazonaws.com');
	expect(plain.stdout).toContain('✓ service.executionRole: execution role emu-exec: exists and trusts ecs-tasks.amazonaws.com');
	expect(plain.stdout).toMatch(/✓ service\.network\.subnets: subnets subnet-\w+: exist, in vpc-\w+/);
	expect(plain.stdout).toMatch(/✓ service\.network\.securityGroups: /);
	expect(plain.stdout).toContain("✓ service.loadBalancers[0].targetGroupArn: target group emu-web: target type ip, HTTP, health checks on the container's port 80");
	expect(plain.stdout).toContain('✓ images.web: image web (emu-web:2.0.0): has a linux/amd64 variant (linux/amd64, linux/arm64)');
	// moto has no SimulatePrincipalPolicy: the secrets exist, and whether the role may read them is not checked.
	expect(plain.stdout).toMatch(/– variables\.Db\.valueFrom: secret emu\/db-\w+: not checked: exists; whether execution role emu-exec may read it: /);
	expect(plain.stdout).toMatch(/– service\.containers\[0\]\.secrets\[0\]\.valueFrom: SSM parameter \/emu\/token: not checked: exists; /);
	expect(plain.stdout).not.toContain('not shown');

	// The single-platform image: its config blob cannot be fetched from moto (no GetDownloadUrlForLayer).
	const single = jsonOf<Verified>(await c.cli(['verify', '--recipe', 'good.yaml', '--env', 'dev', '--image', 'web=1.0.0', '--json']));
	expect(single.checks.find(check => check.field === 'images.web')).toMatchObject({state: 'not checked', reason: expect.stringContaining('a single-platform image whose config')});
});

test('verify fails on what the emulator says is wrong, naming each field; a deploy of it stops before the stack', async () => {
	const c = await newCase();
	await createCluster('main');
	await c.addTarget('main');
	const {recipe, vpc, ip, instance} = await seed();
	const other = (await aws.ec2().send(new CreateVpcCommand({CidrBlock: '10.9.0.0/16'}))).Vpc!.VpcId!;
	const elsewhere = (await aws.ec2().send(new CreateSubnetCommand({VpcId: other, CidrBlock: '10.9.1.0/24'}))).Subnet!.SubnetId!;
	const {subnet} = await defaultNetwork();
	expect(vpc).not.toBe(other);
	const text = recipe({
		'role/emu-task': 'role/emu-lambda',
		[`subnets: [${subnet}]`]: `subnets: [${subnet}, ${elsewhere}]`,
		'valueFrom: /emu/token': 'valueFrom: /emu/missing',
		[ip]: instance,
	});
	await writeFile(path.join(c.dir, 'bad.yaml'), text);

	const run = await c.cli(['verify', '--recipe', 'bad.yaml', '--env', 'dev', '--image', 'web=2.0.0', '--json']);
	expect(run.code, describeRun(run)).toBe(1);
	const verified = jsonOf<Verified>(run);
	expect(verified.outcome).toBe('failed');
	expect(verified.checks.filter(check => check.state === 'failed').map(check => check.field)).toEqual(['service.taskRole', 'service.network.subnets', 'service.loadBalancers[0].targetGroupArn', 'service.containers[0].secrets[0].valueFrom']);
	expect(verified.checks.find(check => check.field === 'service.network.subnets')!.reason).toContain(`in ${other}`);

	const deploy = await c.cli(['deploy', '--recipe', 'bad.yaml', '--env', 'dev', '--image', 'web=2.0.0', '--yes']);
	expect(deploy.code, describeRun(deploy)).toBe(1);
	expect(deploy.stdout + deploy.stderr).toContain('pre-flight verify failed, nothing was changed: service.taskRole');
	const stacks = await aws.cloudFormation().send(new (await import('@aws-sdk/client-cloudformation')).ListStacksCommand({}));
	expect((stacks.StackSummaries ?? []).filter(s => s.StackStatus !== 'DELETE_COMPLETE')).toEqual([]);
});
