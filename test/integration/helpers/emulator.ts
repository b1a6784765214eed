import {createHash} from 'node:crypto';
import {CloudFormationClient, CreateStackCommand, DescribeStacksCommand, DescribeStackEventsCommand, ListStackResourcesCommand, type Stack} from '@aws-sdk/client-cloudformation';
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {CreateRepositoryCommand, ECRClient, PutImageCommand} from '@aws-sdk/client-ecr';
import {CreateBucketCommand, S3Client} from '@aws-sdk/client-s3';
import {DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, type Service} from '@aws-sdk/client-ecs';

/** The variable that names the emulator's endpoint, e.g. http://127.0.0.1:5077 (moto_server). */
export const endpointVariable = 'ECS_DEPLOYER_TEST_ENDPOINT';

/**
 * How many running tasks the emulator reports for every ECS service (moto: `MOTO_ECS_SERVICE_RUNNING`).
 * The suite's recipe asks for this many in dev and staging (so a created service is really complete) and
 * for more in production (so its rollout never completes).
 */
export const emulatorRunningTasks = 2;

/** The emulator's account and Region: moto's account is always 123456789012. */
export const region = 'us-east-1';
export const accountId = '123456789012';

/** The endpoint from the environment; the global setup has already refused to run without it. */
export function endpoint(): string {
	const value = process.env[endpointVariable];
	if (!value) throw new Error(`${endpointVariable} is not set: run the suite with npm run test:emulator (it says how to start an emulator)`);
	return value.replace(/\/+$/, '');
}

/** The environment every child (CLI or app) gets: the emulator, fake keys, no profile or config from the machine. */
export function awsEnvironment(): Record<string, string> {
	return {
		AWS_ENDPOINT_URL: endpoint(),
		AWS_REGION: region,
		AWS_ACCESS_KEY_ID: 'testing',
		AWS_SECRET_ACCESS_KEY: 'testing',
		AWS_EC2_METADATA_DISABLED: 'true',
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
	};
}

const clientConfig = (where = region) => ({endpoint: endpoint(), region: where, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 1});

/** SDK clients on the emulator, for seeding and for reading what AWS says (never for what the product does). */
export const aws = {
	cloudFormation: (where?: string) => new CloudFormationClient(clientConfig(where)),
	ecr: (where?: string) => new ECRClient(clientConfig(where)),
	ecs: (where?: string) => new ECSClient(clientConfig(where)),
	logs: () => new CloudWatchLogsClient(clientConfig()),
	// The emulator serves every bucket under its one host: buckets are addressed by path.
	s3: () => new S3Client({...clientConfig(), forcePathStyle: true}),
	ec2: (where?: string) => new EC2Client(clientConfig(where)),
};

/** The emulator's default VPC: a subnet of it and its default security group (moto makes them on reset, with new ids). */
export async function defaultNetwork(where = region): Promise<{vpc: string; subnet: string; securityGroup: string}> {
	const subnets = (await aws.ec2(where).send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}]}))).Subnets ?? [];
	const subnet = subnets[0];
	if (!subnet?.SubnetId || !subnet.VpcId) throw new Error('the emulator has no default subnet');
	const groups = (await aws.ec2(where).send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'vpc-id', Values: [subnet.VpcId]}, {Name: 'group-name', Values: ['default']}]}))).SecurityGroups ?? [];
	if (!groups[0]?.GroupId) throw new Error('the emulator has no default security group');
	return {vpc: subnet.VpcId, subnet: subnet.SubnetId, securityGroup: groups[0].GroupId};
}

/** An S3 bucket (in the emulator's region). */
export async function createBucket(bucket: string): Promise<void> {
	await aws.s3().send(new CreateBucketCommand({Bucket: bucket}));
}

/** Forgets everything the emulator holds (moto's `/moto-api/reset`). Each case starts from here. */
export async function resetEmulator(): Promise<void> {
	const response = await fetch(`${endpoint()}/moto-api/reset`, {method: 'POST', signal: AbortSignal.timeout(10_000)});
	if (!response.ok) throw new Error(`POST ${endpoint()}/moto-api/reset answered HTTP ${response.status}: the suite needs moto's reset API`);
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * An ECR repository with one image per tag. moto derives an image's digest from its manifest's layers, so
 * each tag gets layers of its own (and so a digest of its own); a tag listed twice in one group shares one image.
 */
export async function seedRepository(repositoryName: string, tags: ReadonlyArray<string | readonly string[]>, where = region): Promise<void> {
	const ecr = aws.ecr(where);
	await ecr.send(new CreateRepositoryCommand({repositoryName}));
	for (const group of tags) {
		const names = typeof group === 'string' ? [group] : group;
		const seed = `${repositoryName}:${names.join(',')}`;
		const manifest = {
			schemaVersion: 2,
			mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
			config: {mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: sha256(`config ${seed}`)},
			layers: [{mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 31_000_000, digest: sha256(`layer ${seed}`)}],
		};
		for (const imageTag of names) await ecr.send(new PutImageCommand({repositoryName, imageTag, imageManifest: JSON.stringify(manifest)}));
	}
}

/** An ECS cluster (ACTIVE at once on the emulator), in the suite's region unless another is given. */
export async function createCluster(clusterName: string, where = region): Promise<void> {
	await aws.ecs(where).send(new CreateClusterCommand({clusterName}));
}

/** The stack as AWS describes it, or undefined when AWS says it does not exist. */
export async function describeStack(stackName: string, where = region): Promise<Stack | undefined> {
	try {
		const answer = await aws.cloudFormation(where).send(new DescribeStacksCommand({StackName: stackName}));
		return answer.Stacks?.[0];
	} catch (error) {
		if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
		throw error;
	}
}

/** The stack's events, old to new (each status of the stack and of its resources). */
export async function stackEventStatuses(stackName: string): Promise<string[]> {
	const answer = await aws.cloudFormation().send(new DescribeStackEventsCommand({StackName: stackName}));
	return (answer.StackEvents ?? []).map(e => `${e.LogicalResourceId} ${e.ResourceStatus}`).reverse();
}

/** The ECS service a stack created, found through the stack's resources (its physical id). */
export async function serviceOfStack(stackName: string, cluster: string): Promise<Service | undefined> {
	const resources = await aws.cloudFormation().send(new ListStackResourcesCommand({StackName: stackName}));
	const arn = resources.StackResourceSummaries?.find(r => r.ResourceType === 'AWS::ECS::Service')?.PhysicalResourceId;
	if (!arn) return undefined;
	const answer = await aws.ecs().send(new DescribeServicesCommand({cluster, services: [arn]}));
	return answer.services?.[0];
}

/**
 * Creates a stack the way a CloudFormation CreateStack of the product's own template into a cluster that
 * does not exist leaves it on moto: the call fails (ClusterNotFoundException) and the stack stays behind in
 * CREATE_IN_PROGRESS, a "zombie"; DescribeStacks on it then answers HTTP 500 with an HTML page.
 */
export async function createZombieStack(stackName: string, templateBody: string, missingCluster: string): Promise<void> {
	try {
		await aws.cloudFormation().send(new CreateStackCommand({StackName: stackName, TemplateBody: templateBody, Parameters: [{ParameterKey: 'ClusterName', ParameterValue: missingCluster}], Capabilities: ['CAPABILITY_NAMED_IAM']}));
	} catch (error) {
		if (!(error instanceof Error && /Cluster not found/i.test(error.message))) throw error;
		return;
	}
	throw new Error(`CreateStack of ${stackName} into the missing cluster ${missingCluster} succeeded: the emulator no longer leaves a zombie stack`);
}

/**
 * Checks that the emulator reports `emulatorRunningTasks` running tasks for a service (moto reads
 * `MOTO_ECS_SERVICE_RUNNING` at start), since the cases that expect a completed rollout depend on it.
 * Returns a sentence saying what is wrong, or undefined.
 */
export async function checkRunningTasks(): Promise<string | undefined> {
	const ecs = aws.ecs();
	await ecs.send(new CreateClusterCommand({clusterName: 'probe'}));
	const {taskDefinition} = await ecs.send(new RegisterTaskDefinitionCommand({family: 'probe', containerDefinitions: [{name: 'probe', image: 'probe', memory: 512}]}));
	await ecs.send(new CreateServiceCommand({cluster: 'probe', serviceName: 'probe', taskDefinition: taskDefinition?.taskDefinitionArn, desiredCount: emulatorRunningTasks}));
	const answer = await ecs.send(new DescribeServicesCommand({cluster: 'probe', services: ['probe']}));
	const running = answer.services?.[0]?.runningCount;
	await resetEmulator();
	if (running === emulatorRunningTasks) return undefined;
	return `the emulator's ECS services report ${running ?? 'no'} running tasks, and the suite needs ${emulatorRunningTasks}: start it with MOTO_ECS_SERVICE_RUNNING=${emulatorRunningTasks} (e.g. MOTO_ECS_SERVICE_RUNNING=${emulatorRunningTasks} moto_server -p 5077)`;
}
