import type {AwsPorts} from './ports.js';
import {createRegistryPort} from './registry.js';

/** How to reach one target's AWS account. The tool never stores credentials: it names where they come from. */
export type AwsConnection = {
	region: string;
	/** A named profile of the shared config files; absent = the default provider chain. */
	profile?: string;
	/** Assume this role on top of the base credentials (once per run; refreshed before it expires). */
	assumeRole?: {roleArn: string; externalId?: string; sessionName?: string; durationSeconds?: number};
	/** A custom endpoint (LocalStack and the like). */
	endpoint?: string;
};

/** The credential provider every client of a connection shares (a type only: the SDK loads on first use). */
type CredentialProvider = ReturnType<typeof import('@aws-sdk/credential-providers').fromNodeProviderChain>;

/** One retry policy for every client: the SDK's standard mode, a few attempts; the engine adds its own backoff when polling. */
const maxAttempts = 4;

/**
 * Creates the real ports for a connection. The SDK is imported on first use, so the TUI paints before it
 * is parsed, and the credential provider is shared by every client (one assume-role, one MFA prompt).
 */
export function createAwsPorts(connection: AwsConnection): AwsPorts {
	let credentials: Promise<CredentialProvider> | undefined;
	const sharedCredentials = async (): Promise<CredentialProvider> => {
		credentials ??= (async () => {
			const {fromNodeProviderChain, fromTemporaryCredentials} = await import('@aws-sdk/credential-providers');
			const base = fromNodeProviderChain({...(connection.profile === undefined ? {} : {profile: connection.profile})});
			if (!connection.assumeRole) return base;
			const role = connection.assumeRole;
			return fromTemporaryCredentials({
				masterCredentials: base,
				params: {
					RoleArn: role.roleArn,
					RoleSessionName: role.sessionName ?? 'ecs-deployer',
					...(role.externalId === undefined ? {} : {ExternalId: role.externalId}),
					...(role.durationSeconds === undefined ? {} : {DurationSeconds: role.durationSeconds}),
				},
				clientConfig: {region: connection.region},
			});
		})();
		return credentials;
	};
	const config = async () => ({
		region: connection.region,
		maxAttempts,
		credentials: await sharedCredentials(),
		...(connection.endpoint === undefined ? {} : {endpoint: connection.endpoint}),
	});
	const resets: Array<() => void> = [];
	const lazy = <C>(make: () => Promise<C>) => {
		let client: Promise<C> | undefined;
		resets.push(() => (client = undefined));
		return () => (client ??= make());
	};

	const cfn = lazy(async () => {
		const sdk = await import('@aws-sdk/client-cloudformation');
		return {sdk, client: new sdk.CloudFormationClient(await config())};
	});
	const ecs = lazy(async () => {
		const sdk = await import('@aws-sdk/client-ecs');
		return {sdk, client: new sdk.ECSClient(await config())};
	});
	const ecr = lazy(async () => {
		const sdk = await import('@aws-sdk/client-ecr');
		return {sdk, client: new sdk.ECRClient(await config())};
	});
	const sts = lazy(async () => {
		const sdk = await import('@aws-sdk/client-sts');
		return {sdk, client: new sdk.STSClient(await config())};
	});
	const logs = lazy(async () => {
		const sdk = await import('@aws-sdk/client-cloudwatch-logs');
		return {sdk, client: new sdk.CloudWatchLogsClient(await config())};
	});
	// The pre-flight verify's clients: loaded on its first call only.
	const iam = lazy(async () => {
		const sdk = await import('@aws-sdk/client-iam');
		return {sdk, client: new sdk.IAMClient(await config())};
	});
	const ec2 = lazy(async () => {
		const sdk = await import('@aws-sdk/client-ec2');
		return {sdk, client: new sdk.EC2Client(await config())};
	});
	const elbv2 = lazy(async () => {
		const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
		return {sdk, client: new sdk.ElasticLoadBalancingV2Client(await config())};
	});
	const ssm = lazy(async () => {
		const sdk = await import('@aws-sdk/client-ssm');
		return {sdk, client: new sdk.SSMClient(await config())};
	});
	const secrets = lazy(async () => {
		const sdk = await import('@aws-sdk/client-secrets-manager');
		return {sdk, client: new sdk.SecretsManagerClient(await config())};
	});
	const s3 = lazy(async () => {
		const sdk = await import('@aws-sdk/client-s3');
		return {
			sdk,
			client: new sdk.S3Client({
				...(await config()),
				// A ledger bucket may live in another region than the target: the SDK follows S3's redirect.
				followRegionRedirects: true,
				// A custom endpoint (an emulator, a gateway) has no bucket subdomains: address buckets by path.
				...(connection.endpoint === undefined ? {} : {forcePathStyle: true}),
			}),
		};
	});

	return {
		refreshCredentials: () => {
			credentials = undefined;
			// Clients keep the provider they were made with: make new ones on next use.
			for (const reset of resets) reset();
		},
		cloudFormation: {
			describeStacks: async input => cfn().then(({sdk, client}) => client.send(new sdk.DescribeStacksCommand(input))),
			describeStackEvents: async input => cfn().then(({sdk, client}) => client.send(new sdk.DescribeStackEventsCommand(input))),
			createChangeSet: async input => cfn().then(({sdk, client}) => client.send(new sdk.CreateChangeSetCommand(input))),
			describeChangeSet: async input => cfn().then(({sdk, client}) => client.send(new sdk.DescribeChangeSetCommand(input))),
			executeChangeSet: async input => cfn().then(({sdk, client}) => client.send(new sdk.ExecuteChangeSetCommand(input))),
			deleteChangeSet: async input => cfn().then(({sdk, client}) => client.send(new sdk.DeleteChangeSetCommand(input))),
			deleteStack: async input => cfn().then(({sdk, client}) => client.send(new sdk.DeleteStackCommand(input))),
			cancelUpdateStack: async input => cfn().then(({sdk, client}) => client.send(new sdk.CancelUpdateStackCommand(input))),
			continueUpdateRollback: async input => cfn().then(({sdk, client}) => client.send(new sdk.ContinueUpdateRollbackCommand(input))),
			getTemplate: async input => cfn().then(({sdk, client}) => client.send(new sdk.GetTemplateCommand(input))),
			listStackResources: async input => cfn().then(({sdk, client}) => client.send(new sdk.ListStackResourcesCommand(input))),
			validateTemplate: async input => cfn().then(({sdk, client}) => client.send(new sdk.ValidateTemplateCommand(input))),
		},
		ecs: {
			describeClusters: async input => ecs().then(({sdk, client}) => client.send(new sdk.DescribeClustersCommand(input))),
			describeServices: async input => ecs().then(({sdk, client}) => client.send(new sdk.DescribeServicesCommand(input))),
			listTasks: async input => ecs().then(({sdk, client}) => client.send(new sdk.ListTasksCommand(input))),
			describeTasks: async input => ecs().then(({sdk, client}) => client.send(new sdk.DescribeTasksCommand(input))),
			describeTaskDefinition: async input => ecs().then(({sdk, client}) => client.send(new sdk.DescribeTaskDefinitionCommand(input))),
			listServiceDeployments: async input => ecs().then(({sdk, client}) => client.send(new sdk.ListServiceDeploymentsCommand(input))),
			describeServiceDeployments: async input => ecs().then(({sdk, client}) => client.send(new sdk.DescribeServiceDeploymentsCommand(input))),
			continueServiceDeployment: async input => ecs().then(({sdk, client}) => client.send(new sdk.ContinueServiceDeploymentCommand(input))),
			listClusters: async input => ecs().then(({sdk, client}) => client.send(new sdk.ListClustersCommand(input))),
			runTask: async input => ecs().then(({sdk, client}) => client.send(new sdk.RunTaskCommand(input))),
			registerTaskDefinition: async input => ecs().then(({sdk, client}) => client.send(new sdk.RegisterTaskDefinitionCommand(input))),
			stopTask: async input => ecs().then(({sdk, client}) => client.send(new sdk.StopTaskCommand(input))),
			updateService: async input => ecs().then(({sdk, client}) => client.send(new sdk.UpdateServiceCommand(input))),
		},
		ecr: {
			describeImages: async input => ecr().then(({sdk, client}) => client.send(new sdk.DescribeImagesCommand(input))),
			batchGetImage: async input => ecr().then(({sdk, client}) => client.send(new sdk.BatchGetImageCommand(input))),
			getDownloadUrlForLayer: async input => ecr().then(({sdk, client}) => client.send(new sdk.GetDownloadUrlForLayerCommand(input))),
			downloadBlob: async url => {
				// A presigned S3 URL: no credentials to add. A config blob is a few KB; 5 s is plenty.
				const answer = await fetch(url, {signal: AbortSignal.timeout(5000)});
				if (!answer.ok) throw Object.assign(new Error(`the blob could not be downloaded (HTTP ${answer.status})`), {name: 'BlobDownloadError'});
				return answer.text();
			},
		},
		iam: {
			getRole: async input => iam().then(({sdk, client}) => client.send(new sdk.GetRoleCommand(input))),
			simulatePrincipalPolicy: async input => iam().then(({sdk, client}) => client.send(new sdk.SimulatePrincipalPolicyCommand(input))),
		},
		ec2: {
			describeSubnets: async input => ec2().then(({sdk, client}) => client.send(new sdk.DescribeSubnetsCommand(input))),
			describeSecurityGroups: async input => ec2().then(({sdk, client}) => client.send(new sdk.DescribeSecurityGroupsCommand(input))),
		},
		elbv2: {
			describeTargetGroups: async input => elbv2().then(({sdk, client}) => client.send(new sdk.DescribeTargetGroupsCommand(input))),
		},
		ssm: {
			describeParameters: async input => ssm().then(({sdk, client}) => client.send(new sdk.DescribeParametersCommand(input))),
		},
		secretsManager: {
			describeSecret: async input => secrets().then(({sdk, client}) => client.send(new sdk.DescribeSecretCommand(input))),
		},
		sts: {
			getCallerIdentity: async input => sts().then(({sdk, client}) => client.send(new sdk.GetCallerIdentityCommand(input))),
		},
		logs: {
			getLogEvents: async input => logs().then(({sdk, client}) => client.send(new sdk.GetLogEventsCommand(input))),
		},
		// Registries outside ECR (their digests), over HTTPS without credentials: see registry.ts.
		registry: createRegistryPort(),
		s3: {
			listObjectsV2: async input => s3().then(({sdk, client}) => client.send(new sdk.ListObjectsV2Command(input))),
			getObject: async input => s3().then(({sdk, client}) => client.send(new sdk.GetObjectCommand(input))),
			putObject: async input => s3().then(({sdk, client}) => client.send(new sdk.PutObjectCommand(input))),
		},
	};
}
