import type {CfnResource, CfnValue, Tag} from './types.js';

export const executionRoleId = 'TaskExecutionRole';
/** The inline policy that lets a recipe's own execution role read the secrets the stack creates. */
export const executionRolePolicyId = 'ExecutionRoleSecretsPolicy';

/**
 * Where the stack's execution role lives: `role/ecs-deployer/<stack>/<generated name>`. CloudFormation
 * generates the name from the stack name but shortens it to fit 64 characters; the path keeps the full
 * stack name, so an IAM policy can name this stack's roles exactly (see iam-policy.ts).
 */
export const executionRolePath = (stackName: string) => `/ecs-deployer/${stackName}/`;

/** What the execution role must be able to read, besides what AmazonECSTaskExecutionRolePolicy grants. */
export type ExecutionRoleReads = {
	/** `valueFrom` of the secrets and SSM parameters the task references (and registry credentials). */
	secretSources: ReadonlySet<string>;
	/** Logical ids of the AWS::SecretsManager::Secret resources the stack creates (sensitive literals). */
	createdSecrets: readonly string[];
	/** S3 object ARNs: environment files and a FireLens configuration file. */
	s3Objects: ReadonlySet<string>;
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
			...(statements.length > 0
				? {Policies: [{PolicyName: 'read-task-secrets', PolicyDocument: {Version: '2012-10-17', Statement: statements}}]}
				: {}),
			Tags: tags,
		},
	};
}

/**
 * When the recipe names its own execution role, the stack still has to let that role read the secrets it
 * creates (nobody else knows their ARNs before the stack exists): an inline policy on the role, by name,
 * reading those secrets only. Its name carries the stack name, so environments sharing one role keep
 * separate policies and deleting one stack leaves the others' in place.
 */
export function executionRoleSecretsPolicy(roleArn: string, createdSecrets: readonly string[]): CfnResource {
	return {
		// An inline policy of the role (CloudFormation calls iam:PutRolePolicy), removed with the stack.
		Type: 'AWS::IAM::Policy',
		Properties: {
			PolicyName: {'Fn::Sub': '${AWS::StackName}-read-secrets'},
			PolicyDocument: {
				Version: '2012-10-17',
				Statement: [{Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: createdSecrets.map(id => ({Ref: id}))}],
			},
			Roles: [roleName(roleArn)],
		},
	};
}

/** `arn:aws:iam::111122223333:role/team/app/exec` → `exec`: IAM calls take the name without the path. */
export function roleName(roleArn: string): string {
	return roleArn.slice(roleArn.lastIndexOf('/') + 1);
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
