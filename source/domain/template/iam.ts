import type {CfnResource, CfnValue, Tag} from './types.js';

export const executionRoleId = 'TaskExecutionRole';

/**
 * The task execution role the stack creates when the recipe names none: the AWS managed
 * AmazonECSTaskExecutionRolePolicy (pull from ECR, write logs), plus read access to exactly the secrets,
 * parameters and environment files the task uses, which that policy does not grant.
 */
export function executionRole(secretSources: ReadonlySet<string>, environmentFiles: ReadonlySet<string>, tags: Tag[]): CfnResource {
	const statements: CfnValue[] = [];
	const sources = [...secretSources].sort();
	const secrets = sources.filter(s => s.includes(':secretsmanager:')).map(secretArn);
	const parameters = sources.filter(s => !s.includes(':secretsmanager:')).map(parameterArn);
	if (secrets.length > 0) statements.push({Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: unique(secrets)});
	if (parameters.length > 0) statements.push({Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: parameters});
	const files = [...environmentFiles].sort();
	if (files.length > 0) {
		statements.push({Effect: 'Allow', Action: ['s3:GetObject'], Resource: files});
		statements.push({Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: unique(files.map(f => f.slice(0, f.indexOf('/'))))});
	}
	return {
		Type: 'AWS::IAM::Role',
		Properties: {
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

/** `arn:…:secret:name-AbCdEf:jsonkey:stage:version` → the secret's ARN (ECS may ask for a JSON key of it). */
function secretArn(valueFrom: string): string {
	return valueFrom.split(':').slice(0, 7).join(':');
}

/** An SSM parameter ARN as is; a bare name becomes the ARN in the stack's account and region. */
function parameterArn(valueFrom: string): CfnValue {
	if (valueFrom.startsWith('arn:')) return valueFrom;
	return {'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${valueFrom.replace(/^\//, '')}`};
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}
