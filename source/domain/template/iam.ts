import type {CfnResource, CfnValue, Tag} from './types.js';

export const executionRoleId = 'TaskExecutionRole';

/**
 * Where the stack's execution role lives: `role/ecs-deployer/<stack>/<generated name>`. CloudFormation
 * generates the name from the stack name but shortens it to fit 64 characters; the path keeps the full
 * stack name, so an IAM policy can name this stack's roles exactly (see iam-policy.ts).
 */
export const executionRolePath = (stackName: string) => `/ecs-deployer/${stackName}/`;

/**
 * The ARN of a permissions boundary as the recipe gives it: an ARN as it is, or a managed policy's name
 * (with its path, if any: `ecs-deployer-boundary`, `/team/boundary`) in the given partition and account.
 */
export function permissionsBoundaryArn(boundary: string, partition: string, account: string): string {
	return boundary.startsWith('arn:') ? boundary : `arn:${partition}:iam::${account}:policy/${boundary.replace(/^\//, '')}`;
}

/** What the execution role must be able to read, besides what AmazonECSTaskExecutionRolePolicy grants. */
export type ExecutionRoleReads = {
	/** `valueFrom` of the secrets and SSM parameters the task references (and registry credentials). */
	secretSources: ReadonlySet<string>;
	/** Logical ids of the AWS::SecretsManager::Secret resources the stack creates (sensitive literals). */
	createdSecrets: readonly string[];
	/** S3 object ARNs: environment files and a FireLens configuration file. */
	s3Objects: ReadonlySet<string>;
	/**
	 * The managed policy that bounds the role (`service.permissionsBoundary`: an ARN, or a policy name in the
	 * stack's account): whatever its policies say, the role can do no more than the boundary allows. The IAM
	 * policy for deploying lets the deploying identity create and change roles only with this boundary (see
	 * iam-policy.ts).
	 */
	permissionsBoundary?: string;
};

/**
 * The task execution role the stack creates when the recipe names none: the AWS managed
 * AmazonECSTaskExecutionRolePolicy (pull from ECR, write logs), plus read access to exactly the secrets,
 * parameters and S3 objects the task uses, which that policy does not grant.
 */
export function executionRole(reads: ExecutionRoleReads, tags: Tag[]): CfnResource {
	const statements: CfnValue[] = [];
	const sources = [...reads.secretSources].sort();
	const secrets: CfnValue[] = [
		...unique(sources.filter(s => s.includes(':secretsmanager:')).map(secretArn)),
		...reads.createdSecrets.map(id => ({Ref: id})),
	];
	const parameters = sources.filter(s => !s.includes(':secretsmanager:')).map(parameterArn);
	if (secrets.length > 0) statements.push({Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets});
	if (parameters.length > 0) statements.push({Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: parameters});
	// ECS needs GetObject on each file and GetBucketLocation on its bucket:
	// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
	const objects = [...reads.s3Objects].sort();
	if (objects.length > 0) {
		statements.push({Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects});
		statements.push({Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: unique(objects.map(bucketArn))});
	}
	return {
		Type: 'AWS::IAM::Role',
		Properties: {
			Path: {'Fn::Sub': executionRolePath('${AWS::StackName}')},
			AssumeRolePolicyDocument: {
				Version: '2012-10-17',
				Statement: [{Effect: 'Allow', Principal: {Service: 'ecs-tasks.amazonaws.com'}, Action: 'sts:AssumeRole'}],
			},
			ManagedPolicyArns: [{'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'}],
			...(reads.permissionsBoundary === undefined ? {} : {PermissionsBoundary: boundaryValue(reads.permissionsBoundary)}),
			...(statements.length > 0
				? {Policies: [{PolicyName: 'read-task-secrets', PolicyDocument: {Version: '2012-10-17', Statement: statements}}]}
				: {}),
			Tags: tags,
		},
	};
}

/** The logical id of the resource policy of a secret the stack creates (`<SecretId>Policy`). */
export const secretPolicyId = (secretId: string) => `${secretId}Policy`;

/**
 * When the recipe names its own execution role, that role still has to read the secrets the stack creates
 * (nobody knows their ARNs before the stack exists). Each such secret gets a resource policy that lets the
 * role read it: within one account, an Allow in either the role's policies or the secret's resource policy
 * is enough (IAM User Guide, "Policy evaluation for requests within a single account"). So the stack never
 * writes to a role it did not create, and deploying needs no IAM write permission for it. The policy goes
 * with the stack (and with the secret). `BlockPublicPolicy` makes Secrets Manager refuse a policy that
 * would open the secret to everyone.
 */
export function secretReadPolicy(secretId: string, roleArn: string): CfnResource {
	return {
		Type: 'AWS::SecretsManager::ResourcePolicy',
		Properties: {
			SecretId: {Ref: secretId},
			ResourcePolicy: {
				Version: '2012-10-17',
				// In a secret's resource policy, "*" is that secret.
				Statement: [{Effect: 'Allow', Principal: {AWS: roleArn}, Action: 'secretsmanager:GetSecretValue', Resource: '*'}],
			},
			BlockPublicPolicy: true,
		},
	};
}

/** A boundary's ARN in the template: a policy given by name is in the stack's own account. */
function boundaryValue(boundary: string): CfnValue {
	return boundary.startsWith('arn:') ? boundary : {'Fn::Sub': permissionsBoundaryArn(boundary, '${AWS::Partition}', '${AWS::AccountId}')};
}

/** `arn:…:secret:name-AbCdEf:jsonkey:stage:version` → the secret's ARN (ECS may ask for a JSON key of it). */
function secretArn(valueFrom: string): string {
	return valueFrom.split(':').slice(0, 7).join(':');
}

/** An SSM parameter ARN as is; a bare name becomes the ARN in the stack's account and region. */
function parameterArn(valueFrom: string): CfnValue {
	if (valueFrom.startsWith('arn:')) return valueFrom;
	return {'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${valueFrom.replace(/^\//, '')}`};
}

/** `arn:aws:s3:::bucket/path/file` → `arn:aws:s3:::bucket`. */
function bucketArn(objectArn: string): string {
	const slash = objectArn.indexOf('/');
	return slash < 0 ? objectArn : objectArn.slice(0, slash);
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}
