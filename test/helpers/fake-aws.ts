import {
	CancelUpdateStackCommand,
	CloudFormationClient,
	ContinueUpdateRollbackCommand,
	CreateChangeSetCommand,
	DeleteChangeSetCommand,
	DeleteStackCommand,
	DescribeChangeSetCommand,
	DescribeStackEventsCommand,
	DescribeStacksCommand,
	ExecuteChangeSetCommand,
	GetTemplateCommand,
	ListStackResourcesCommand,
	ValidateTemplateCommand,
	type CreateChangeSetCommandInput,
} from '@aws-sdk/client-cloudformation';
import {CloudWatchLogsClient, GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {BatchGetImageCommand, DescribeImagesCommand, ECRClient, GetDownloadUrlForLayerCommand} from '@aws-sdk/client-ecr';
import {DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import {GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand} from '@aws-sdk/client-iam';
import {DescribeSecretCommand, SecretsManagerClient} from '@aws-sdk/client-secrets-manager';
import {DescribeParametersCommand, SSMClient} from '@aws-sdk/client-ssm';
import {
	ContinueServiceDeploymentCommand,
	DescribeClustersCommand,
	DescribeServiceDeploymentsCommand,
	DescribeServicesCommand,
	DescribeTaskDefinitionCommand,
	DescribeTasksCommand,
	ECSClient,
	ListServiceDeploymentsCommand,
	ListTasksCommand,
	RegisterTaskDefinitionCommand,
	RunTaskCommand,
	StopTaskCommand,
	UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {mockClient} from 'aws-sdk-client-mock';
import {createAwsPorts} from '../../source/aws/clients.js';
import type {AwsPorts} from '../../source/aws/ports.js';
import {SandboxAccount} from '../../source/aws/sandbox/account.js';
import {sandboxAccount, sandboxCluster, sandboxRegion} from '../../source/aws/sandbox/state.js';

/*
 * AWS for engine tests: ONE simulation, the sandbox account (behaviour spec: source/aws/sandbox/sandbox.md,
 * its own tests in test/aws/), reached through the REAL SDK adapters (createAwsPorts), whose clients are
 * mocked at the client level with aws-sdk-client-mock. So a test drives the engine's real code path: ports →
 * SDK client → (mocked send) → a stateful account whose stacks and tasks move with the test's clock.
 * On top: every call is recorded; `failNext` makes calls fail as AWS would (throttling, expired tokens)
 * before they reach the account; `changeTemplate` alters a template on its way in (a template CloudFormation
 * rejects at resource level, which our builder never writes).
 */

export const account = sandboxAccount;
export const region = sandboxRegion;
export const cluster = sandboxCluster;

export function awsError(name: string, message: string, status = 400): Error {
	return Object.assign(new Error(message), {name, $fault: 'client', $metadata: {httpStatusCode: status, requestId: 'fake', attempts: 1, totalRetryDelay: 0}});
}

type Route = {client: 'cfn' | 'ecs' | 'ecr' | 'sts' | 'logs' | 's3' | 'iam' | 'ec2' | 'elbv2' | 'ssm' | 'secrets'; command: unknown; name: string; call: (ports: AwsPorts, input: never) => Promise<unknown>};

/** Every SDK command the ports send, and the sandbox call that answers it. */
const routes: Route[] = [
	{client: 'cfn', command: DescribeStacksCommand, name: 'DescribeStacks', call: (p, i) => p.cloudFormation.describeStacks(i)},
	{client: 'cfn', command: DescribeStackEventsCommand, name: 'DescribeStackEvents', call: (p, i) => p.cloudFormation.describeStackEvents(i)},
	{client: 'cfn', command: CreateChangeSetCommand, name: 'CreateChangeSet', call: (p, i) => p.cloudFormation.createChangeSet(i)},
	{client: 'cfn', command: DescribeChangeSetCommand, name: 'DescribeChangeSet', call: (p, i) => p.cloudFormation.describeChangeSet(i)},
	{client: 'cfn', command: ExecuteChangeSetCommand, name: 'ExecuteChangeSet', call: (p, i) => p.cloudFormation.executeChangeSet(i)},
	{client: 'cfn', command: DeleteChangeSetCommand, name: 'DeleteChangeSet', call: (p, i) => p.cloudFormation.deleteChangeSet(i)},
	{client: 'cfn', command: DeleteStackCommand, name: 'DeleteStack', call: (p, i) => p.cloudFormation.deleteStack(i)},
	{client: 'cfn', command: CancelUpdateStackCommand, name: 'CancelUpdateStack', call: (p, i) => p.cloudFormation.cancelUpdateStack(i)},
	{client: 'cfn', command: ContinueUpdateRollbackCommand, name: 'ContinueUpdateRollback', call: (p, i) => p.cloudFormation.continueUpdateRollback(i)},
	{client: 'cfn', command: GetTemplateCommand, name: 'GetTemplate', call: (p, i) => p.cloudFormation.getTemplate(i)},
	{client: 'cfn', command: ListStackResourcesCommand, name: 'ListStackResources', call: (p, i) => p.cloudFormation.listStackResources(i)},
	{client: 'cfn', command: ValidateTemplateCommand, name: 'ValidateTemplate', call: (p, i) => p.cloudFormation.validateTemplate(i)},
	{client: 'ecs', command: DescribeTaskDefinitionCommand, name: 'DescribeTaskDefinition', call: (p, i) => p.ecs.describeTaskDefinition(i)},
	{client: 'ecs', command: DescribeClustersCommand, name: 'DescribeClusters', call: (p, i) => p.ecs.describeClusters(i)},
	{client: 'ecs', command: DescribeServicesCommand, name: 'DescribeServices', call: (p, i) => p.ecs.describeServices(i)},
	{client: 'ecs', command: ListTasksCommand, name: 'ListTasks', call: (p, i) => p.ecs.listTasks(i)},
	{client: 'ecs', command: DescribeTasksCommand, name: 'DescribeTasks', call: (p, i) => p.ecs.describeTasks(i)},
	{client: 'ecs', command: ListServiceDeploymentsCommand, name: 'ListServiceDeployments', call: (p, i) => p.ecs.listServiceDeployments(i)},
	{client: 'ecs', command: DescribeServiceDeploymentsCommand, name: 'DescribeServiceDeployments', call: (p, i) => p.ecs.describeServiceDeployments(i)},
	{client: 'ecs', command: RunTaskCommand, name: 'RunTask', call: (p, i) => p.ecs.runTask(i)},
	{client: 'ecs', command: RegisterTaskDefinitionCommand, name: 'RegisterTaskDefinition', call: (p, i) => p.ecs.registerTaskDefinition(i)},
	{client: 'ecs', command: StopTaskCommand, name: 'StopTask', call: (p, i) => p.ecs.stopTask(i)},
	{client: 'ecs', command: UpdateServiceCommand, name: 'UpdateService', call: (p, i) => p.ecs.updateService(i)},
	{client: 'ecs', command: ContinueServiceDeploymentCommand, name: 'ContinueServiceDeployment', call: (p, i) => p.ecs.continueServiceDeployment(i)},
	{client: 'ecr', command: DescribeImagesCommand, name: 'DescribeImages', call: (p, i) => p.ecr.describeImages(i)},
	{client: 'ecr', command: BatchGetImageCommand, name: 'BatchGetImage', call: (p, i) => p.ecr.batchGetImage(i)},
	{client: 'ecr', command: GetDownloadUrlForLayerCommand, name: 'GetDownloadUrlForLayer', call: (p, i) => p.ecr.getDownloadUrlForLayer(i)},
	{client: 'iam', command: GetRoleCommand, name: 'GetRole', call: (p, i) => p.iam.getRole(i)},
	{client: 'iam', command: SimulatePrincipalPolicyCommand, name: 'SimulatePrincipalPolicy', call: (p, i) => p.iam.simulatePrincipalPolicy(i)},
	{client: 'ec2', command: DescribeSubnetsCommand, name: 'DescribeSubnets', call: (p, i) => p.ec2.describeSubnets(i)},
	{client: 'ec2', command: DescribeSecurityGroupsCommand, name: 'DescribeSecurityGroups', call: (p, i) => p.ec2.describeSecurityGroups(i)},
	{client: 'elbv2', command: DescribeTargetGroupsCommand, name: 'DescribeTargetGroups', call: (p, i) => p.elbv2.describeTargetGroups(i)},
	{client: 'ssm', command: DescribeParametersCommand, name: 'DescribeParameters', call: (p, i) => p.ssm.describeParameters(i)},
	{client: 'secrets', command: DescribeSecretCommand, name: 'DescribeSecret', call: (p, i) => p.secretsManager.describeSecret(i)},
	{client: 'sts', command: GetCallerIdentityCommand, name: 'GetCallerIdentity', call: (p, i) => p.sts.getCallerIdentity(i)},
	{client: 'logs', command: GetLogEventsCommand, name: 'GetLogEvents', call: (p, i) => p.logs.getLogEvents(i)},
	{client: 's3', command: ListObjectsV2Command, name: 'ListObjectsV2', call: (p, i) => p.s3.listObjectsV2(i)},
	{client: 's3', command: GetObjectCommand, name: 'GetObject', call: (p, i) => p.s3.getObject(i)},
	{client: 's3', command: PutObjectCommand, name: 'PutObject', call: (p, i) => p.s3.putObject(i)},
];

export class FakeAws {
	/** The account's clock: the engine's clock moves it when it sleeps. */
	now = Date.parse('2026-11-23T10:00:00.000Z');
	readonly sandbox = new SandboxAccount({now: () => this.now});
	readonly calls: Array<{command: string; input: any}> = [];
	/** Changes a template on its way to CreateChangeSet. */
	changeTemplate: ((template: any) => void) | undefined;
	/** Changes the account's answers to a call (another endpoint's behaviour: no outputs, stale tags, a lagging ECS). */
	private readonly answers = new Map<string, (output: any, input: any) => any>();
	private readonly faults = new Map<string, Error[]>();
	private readonly mocks = {
		cfn: mockClient(CloudFormationClient),
		ecs: mockClient(ECSClient),
		ecr: mockClient(ECRClient),
		sts: mockClient(STSClient),
		logs: mockClient(CloudWatchLogsClient),
		s3: mockClient(S3Client),
		iam: mockClient(IAMClient),
		ec2: mockClient(EC2Client),
		elbv2: mockClient(ElasticLoadBalancingV2Client),
		ssm: mockClient(SSMClient),
		secrets: mockClient(SecretsManagerClient),
	};
	private sleeps = 0;
	private readonly onSleep = new Map<number, () => void>();

	constructor() {
		const account = this.sandbox.ports();
		for (const route of routes) {
			(this.mocks[route.client] as any).on(route.command).callsFake(async (input: any) => {
				this.calls.push({command: route.name, input});
				const fault = this.faults.get(route.name)?.shift();
				if (fault) throw fault;
				if (route.name === 'CreateChangeSet' && this.changeTemplate) input = withTemplate(input, this.changeTemplate);
				const output = await route.call(account, input as never);
				const change = this.answers.get(route.name);
				return change ? change(structuredClone(output), input) : output;
			});
		}
	}

	/** The real SDK adapters, on the mocked clients; registries outside ECR are the sandbox's (no network in tests). */
	ports(): AwsPorts {
		const real = createAwsPorts({region});
		// A config blob is downloaded from the URL ECR gave (no SDK client to mock): the sandbox's download.
		return {...real, ecr: {...real.ecr, downloadBlob: this.sandbox.ports().ecr.downloadBlob}, registry: this.sandbox.ports().registry!};
	}

	restore(): void {
		for (const mock of Object.values(this.mocks)) mock.restore();
	}

	/** The engine's clock on the account's time: sleeping moves time on at once. */
	clock = {
		now: () => this.now,
		sleep: async (ms: number, signal?: AbortSignal) => {
			if (signal?.aborted) return;
			this.onSleep.get(++this.sleeps)?.();
			this.now += ms;
		},
	};

	/** Runs `action` when the engine sleeps for the `n`th time from now (between two polls). */
	atSleep(n: number, action: () => void): void {
		this.onSleep.set(this.sleeps + n, action);
	}

	/** The next `count` calls of `command` throw `error`, before they reach the account. */
	failNext(command: string, error: Error, count = 1): void {
		this.faults.set(command, [...(this.faults.get(command) ?? []), ...Array.from({length: count}, () => error)]);
	}

	/** From now on, the account's answer to `command` goes through `change` (a copy, with the call's input). */
	answer(command: string, change: ((output: any, input: any) => any) | undefined): void {
		if (change) this.answers.set(command, change);
		else this.answers.delete(command);
	}

	count(command: string): number {
		return this.calls.filter(c => c.command === command).length;
	}

	/** Moves time on without the engine (another operator's operation runs meanwhile). */
	advance(ms: number): void {
		this.now += ms;
	}
}

function withTemplate(input: CreateChangeSetCommandInput, change: (template: any) => void): CreateChangeSetCommandInput {
	const template = JSON.parse(input.TemplateBody ?? '{}');
	change(template);
	return {...input, TemplateBody: JSON.stringify(template)};
}
