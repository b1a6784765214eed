import type {
	CancelUpdateStackCommandInput,
	CancelUpdateStackCommandOutput,
	ContinueUpdateRollbackCommandInput,
	ContinueUpdateRollbackCommandOutput,
	CreateChangeSetCommandInput,
	CreateChangeSetCommandOutput,
	DeleteChangeSetCommandInput,
	DeleteChangeSetCommandOutput,
	DeleteStackCommandInput,
	DeleteStackCommandOutput,
	DescribeChangeSetCommandInput,
	DescribeChangeSetCommandOutput,
	DescribeStackEventsCommandInput,
	DescribeStackEventsCommandOutput,
	DescribeStacksCommandInput,
	DescribeStacksCommandOutput,
	ExecuteChangeSetCommandInput,
	ExecuteChangeSetCommandOutput,
	GetTemplateCommandInput,
	GetTemplateCommandOutput,
	ListStackResourcesCommandInput,
	ListStackResourcesCommandOutput,
	ValidateTemplateCommandInput,
	ValidateTemplateCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type {GetLogEventsCommandInput, GetLogEventsCommandOutput} from '@aws-sdk/client-cloudwatch-logs';
import type {
	BatchGetImageCommandInput,
	BatchGetImageCommandOutput,
	DescribeImagesCommandInput,
	DescribeImagesCommandOutput,
	GetDownloadUrlForLayerCommandInput,
	GetDownloadUrlForLayerCommandOutput,
} from '@aws-sdk/client-ecr';
import type {DescribeSecurityGroupsCommandInput, DescribeSecurityGroupsCommandOutput, DescribeSubnetsCommandInput, DescribeSubnetsCommandOutput} from '@aws-sdk/client-ec2';
import type {DescribeTargetGroupsCommandInput, DescribeTargetGroupsCommandOutput} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {GetRoleCommandInput, GetRoleCommandOutput, SimulatePrincipalPolicyCommandInput, SimulatePrincipalPolicyCommandOutput} from '@aws-sdk/client-iam';
import type {DescribeSecretCommandInput, DescribeSecretCommandOutput} from '@aws-sdk/client-secrets-manager';
import type {DescribeParametersCommandInput, DescribeParametersCommandOutput} from '@aws-sdk/client-ssm';
import type {
	ContinueServiceDeploymentCommandInput,
	ContinueServiceDeploymentCommandOutput,
	DescribeClustersCommandInput,
	DescribeClustersCommandOutput,
	DescribeServicesCommandInput,
	DescribeServicesCommandOutput,
	DescribeServiceDeploymentsCommandInput,
	DescribeServiceDeploymentsCommandOutput,
	DescribeTaskDefinitionCommandInput,
	DescribeTaskDefinitionCommandOutput,
	DescribeTasksCommandInput,
	DescribeTasksCommandOutput,
	ListClustersCommandInput,
	ListClustersCommandOutput,
	ListServiceDeploymentsCommandInput,
	ListServiceDeploymentsCommandOutput,
	ListTasksCommandInput,
	ListTasksCommandOutput,
	RegisterTaskDefinitionCommandInput,
	RegisterTaskDefinitionCommandOutput,
	RunTaskCommandInput,
	RunTaskCommandOutput,
	StopTaskCommandInput,
	StopTaskCommandOutput,
	UpdateServiceCommandInput,
	UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs';
import type {
	GetObjectCommandInput,
	GetObjectCommandOutput,
	ListObjectsV2CommandInput,
	ListObjectsV2CommandOutput,
	PutObjectCommandInput,
	PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type {GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput} from '@aws-sdk/client-sts';

/*
 * The AWS calls the engine makes, and nothing else. Typed with the SDK's own input/output types
 * (type-only imports: nothing loads). The real adapters send SDK commands; the sandbox answers the same calls.
 */

export type CloudFormationPort = {
	describeStacks(input: DescribeStacksCommandInput): Promise<DescribeStacksCommandOutput>;
	describeStackEvents(input: DescribeStackEventsCommandInput): Promise<DescribeStackEventsCommandOutput>;
	createChangeSet(input: CreateChangeSetCommandInput): Promise<CreateChangeSetCommandOutput>;
	describeChangeSet(input: DescribeChangeSetCommandInput): Promise<DescribeChangeSetCommandOutput>;
	executeChangeSet(input: ExecuteChangeSetCommandInput): Promise<ExecuteChangeSetCommandOutput>;
	deleteChangeSet(input: DeleteChangeSetCommandInput): Promise<DeleteChangeSetCommandOutput>;
	deleteStack(input: DeleteStackCommandInput): Promise<DeleteStackCommandOutput>;
	cancelUpdateStack(input: CancelUpdateStackCommandInput): Promise<CancelUpdateStackCommandOutput>;
	continueUpdateRollback(input: ContinueUpdateRollbackCommandInput): Promise<ContinueUpdateRollbackCommandOutput>;
	/** The template a stack runs (TemplateStage 'Original': as submitted), or a change set's. */
	getTemplate(input: GetTemplateCommandInput): Promise<GetTemplateCommandOutput>;
	/** A stack's resources with their physical ids and statuses; pages with NextToken. */
	listStackResources(input: ListStackResourcesCommandInput): Promise<ListStackResourcesCommandOutput>;
	/** Checks a template before any stack is touched (pre-flight): syntax, parameters, capabilities. */
	validateTemplate(input: ValidateTemplateCommandInput): Promise<ValidateTemplateCommandOutput>;
};

export type EcsPort = {
	describeClusters(input: DescribeClustersCommandInput): Promise<DescribeClustersCommandOutput>;
	describeServices(input: DescribeServicesCommandInput): Promise<DescribeServicesCommandOutput>;
	listTasks(input: ListTasksCommandInput): Promise<ListTasksCommandOutput>;
	describeTasks(input: DescribeTasksCommandInput): Promise<DescribeTasksCommandOutput>;
	/** What a task definition runs (its containers' images): what runs now is read from here, not from stack tags. */
	describeTaskDefinition(input: DescribeTaskDefinitionCommandInput): Promise<DescribeTaskDefinitionCommandOutput>;
	listServiceDeployments(input: ListServiceDeploymentsCommandInput): Promise<ListServiceDeploymentsCommandOutput>;
	describeServiceDeployments(input: DescribeServiceDeploymentsCommandInput): Promise<DescribeServiceDeploymentsCommandOutput>;
	/** Answers a PAUSE lifecycle hook that is AWAITING_ACTION: CONTINUE (promote) or ROLLBACK. */
	continueServiceDeployment(input: ContinueServiceDeploymentCommandInput): Promise<ContinueServiceDeploymentCommandOutput>;
	/** The account's cluster ARNs in the region; pages with nextToken. */
	listClusters(input: ListClustersCommandInput): Promise<ListClustersCommandOutput>;
	/** A one-off task (`ecs-deployer run`) from the task definition the service runs, in its network. */
	runTask(input: RunTaskCommandInput): Promise<RunTaskCommandOutput>;
	/** The task definition of a release's beforeDeploy tasks, registered outside the stack (family `<family>-before-deploy`). */
	registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<RegisterTaskDefinitionCommandOutput>;
	/** Stops a beforeDeploy task that ran past its timeout. */
	stopTask(input: StopTaskCommandInput): Promise<StopTaskCommandOutput>;
	/** Used with `forceNewDeployment: true` only: a fresh deployment of the service's current task definition. */
	updateService(input: UpdateServiceCommandInput): Promise<UpdateServiceCommandOutput>;
};

export type EcrPort = {
	describeImages(input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput>;
	/** An image's manifest (pre-flight verify: its platforms), in one of `acceptedMediaTypes`. */
	batchGetImage(input: BatchGetImageCommandInput): Promise<BatchGetImageCommandOutput>;
	/** A presigned URL of a layer or config blob (pre-flight verify: a single-platform image's config). */
	getDownloadUrlForLayer(input: GetDownloadUrlForLayerCommandInput): Promise<GetDownloadUrlForLayerCommandOutput>;
	/** Reads a blob from the URL GetDownloadUrlForLayer gave (a small JSON config), with a time bound. */
	downloadBlob(url: string): Promise<string>;
};

/* The pre-flight verify's read-only calls (engine/recipes/verify.ts). */

export type IamPort = {
	/** A role, with its trust policy (AssumeRolePolicyDocument, URL-encoded JSON). */
	getRole(input: GetRoleCommandInput): Promise<GetRoleCommandOutput>;
	/** Evaluates a role's policies for actions on resources: may the execution role read a secret. */
	simulatePrincipalPolicy(input: SimulatePrincipalPolicyCommandInput): Promise<SimulatePrincipalPolicyCommandOutput>;
};

export type Ec2Port = {
	describeSubnets(input: DescribeSubnetsCommandInput): Promise<DescribeSubnetsCommandOutput>;
	describeSecurityGroups(input: DescribeSecurityGroupsCommandInput): Promise<DescribeSecurityGroupsCommandOutput>;
};

export type Elbv2Port = {
	describeTargetGroups(input: DescribeTargetGroupsCommandInput): Promise<DescribeTargetGroupsCommandOutput>;
};

export type SsmPort = {
	/** Parameter metadata only: the verify never reads a parameter's value. */
	describeParameters(input: DescribeParametersCommandInput): Promise<DescribeParametersCommandOutput>;
};

export type SecretsManagerPort = {
	/** Secret metadata only: the verify never reads a secret's value. */
	describeSecret(input: DescribeSecretCommandInput): Promise<DescribeSecretCommandOutput>;
};

export type StsPort = {
	getCallerIdentity(input: GetCallerIdentityCommandInput): Promise<GetCallerIdentityCommandOutput>;
};

export type LogsPort = {
	getLogEvents(input: GetLogEventsCommandInput): Promise<GetLogEventsCommandOutput>;
};

/**
 * The S3 calls of a shared ledger (source/store/s3-ledger.ts): objects listed by prefix, read, and written
 * with conditions (`IfNoneMatch: "*"` creates only, `IfMatch: <ETag>` replaces only that version).
 */
export type S3Port = {
	/** Up to 1,000 keys (with their ETags) under a prefix; pages with ContinuationToken. */
	listObjectsV2(input: ListObjectsV2CommandInput): Promise<ListObjectsV2CommandOutput>;
	/** An object; its body is read as text with `Body.transformToString()`. */
	getObject(input: GetObjectCommandInput): Promise<Omit<GetObjectCommandOutput, 'Body'> & {Body?: {transformToString(encoding?: string): Promise<string>} | undefined}>;
	putObject(input: PutObjectCommandInput): Promise<PutObjectCommandOutput>;
};

/**
 * A container registry outside the account's ECR (public.ecr.aws, docker.io, ghcr.io…), read through the
 * registry HTTP API (OCI distribution spec): the digest a tag points at, when the registry answers without
 * credentials. Never throws: undefined, with why, when it cannot say.
 */
export type RegistryPort = {
	manifestDigest(input: {registry: string; repository: string; tag: string}): Promise<{digest: string} | {unknown: string}>;
};

/** Every port, for one target (credentials and region). */
export type AwsPorts = {
	cloudFormation: CloudFormationPort;
	ecs: EcsPort;
	ecr: EcrPort;
	sts: StsPort;
	logs: LogsPort;
	s3: S3Port;
	iam: IamPort;
	ec2: Ec2Port;
	elbv2: Elbv2Port;
	ssm: SsmPort;
	secretsManager: SecretsManagerPort;
	/** Registries outside ECR; absent = digests of such images are not looked up. */
	registry?: RegistryPort;
	/** Forgets cached credentials so the next call fetches fresh ones (a renewed SSO or role session). */
	refreshCredentials?: () => void;
};

export type {
	Change,
	DescribeChangeSetCommandOutput,
	DescribeStacksCommandOutput,
	Stack,
	StackEvent,
} from '@aws-sdk/client-cloudformation';
export type {Deployment, Service, ServiceDeployment, Task, TaskDefinition} from '@aws-sdk/client-ecs';
