import type {AwsPorts} from '../ports.js';
import type {Call} from './calls.js';
import {sandboxError} from './errors.js';
import {sandboxAccount, sandboxRegion} from './state.js';

/*
 * The resources the pre-flight verify reads (IAM roles, subnets, security groups, target groups, secrets,
 * SSM parameters): a fixed set that the example recipes in recipes/ use, plus a few broken ones to show
 * failures. They are not in the state file: nothing creates or deletes them. A recipe that names anything
 * else gets AWS's not-found answer (a missing role: NoSuchEntity). Shapes and error codes: the IAM, EC2,
 * ELBv2, SSM and Secrets Manager API references.
 */

const trust = (service: string) => encodeURIComponent(JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]}));

/** Roles by name: the service their trust policy names, and whether they may read the seeded secrets. */
const roles: Record<string, {service: string; readsSecrets: boolean}> = {
	ecsTaskExecutionRole: {service: 'ecs-tasks.amazonaws.com', readsSecrets: true},
	'orders-api-task': {service: 'ecs-tasks.amazonaws.com', readsSecrets: false},
	'checkout-api-task': {service: 'ecs-tasks.amazonaws.com', readsSecrets: false},
	ecsInfrastructureRoleForLoadBalancers: {service: 'ecs.amazonaws.com', readsSecrets: false},
	/** Broken on purpose: trusts Lambda, not ECS tasks. */
	'lambda-only-role': {service: 'lambda.amazonaws.com', readsSecrets: false},
	/** Broken on purpose: an execution role without read access to secrets. */
	'ecsTaskExecutionRoleNoSecrets': {service: 'ecs-tasks.amazonaws.com', readsSecrets: false},
};

export const sandboxVpc = 'vpc-0a1b2c3d4e5f60718';
/** Broken on purpose: another VPC. */
export const otherVpc = 'vpc-0ffe1dd2cc3bb4aa5';

const subnets: Record<string, {vpc: string; zone: string}> = {
	'subnet-0a1b2c3d4e5f60718': {vpc: sandboxVpc, zone: 'eu-west-1a'},
	'subnet-0b1c2d3e4f5a60729': {vpc: sandboxVpc, zone: 'eu-west-1b'},
	'subnet-0ffe1dd2cc3bb4aa5': {vpc: otherVpc, zone: 'eu-west-1c'},
};

const securityGroups: Record<string, {vpc: string; name: string}> = {
	'sg-0c1d2e3f4a5b60718': {vpc: sandboxVpc, name: 'services'},
	'sg-0a1b2c3d4e5f60718': {vpc: sandboxVpc, name: 'default'},
	'sg-0ffe1dd2cc3bb4aa5': {vpc: otherVpc, name: 'other-vpc'},
};

/** Target groups by name (the ARN's account and id are not compared). */
const targetGroups: Record<string, {type: string; port: number; protocol: string; vpc: string}> = {
	...Object.fromEntries(['orders-dev', 'orders-staging', 'orders-prod'].map(name => [name, {type: 'ip', port: 8080, protocol: 'HTTP', vpc: sandboxVpc}])),
	...Object.fromEntries(['dev', 'staging', 'production'].flatMap(env => [`checkout-${env}-blue`, `checkout-${env}-green`]).map(name => [name, {type: 'ip', port: 8080, protocol: 'HTTP', vpc: sandboxVpc}])),
	/** Broken on purpose: instance targets (awsvpc tasks register by IP). */
	'orders-instance': {type: 'instance', port: 8080, protocol: 'HTTP', vpc: sandboxVpc},
};

/** Secret names (without the 6-character suffix Secrets Manager adds to ARNs): the examples', and two for recipes of your own. */
const secrets = ['orders/dev/database-url', 'orders/staging/database-url', 'orders/production/database-url', 'invoice-worker/api-token', 'hello/token', 'hello/token-2'];
const parameters = ['/invoice-worker/smtp-password'];

/** The secret a SecretId names: a full ARN (name + `-` + 6 characters), a partial ARN or a name. */
function findSecret(id: string): string | undefined {
	const name = id.startsWith('arn:') ? id.split(':').slice(6).join(':') : id;
	return secrets.find(s => name === s || (name.startsWith(`${s}-`) && name.length === s.length + 7));
}

export function preflightPorts(call: Call): Pick<AwsPorts, 'iam' | 'ec2' | 'elbv2' | 'ssm' | 'secretsManager'> {
	return {
		iam: {
			getRole: async ({RoleName}) =>
				call('GetRole', () => {
					const role = roles[RoleName ?? ''];
					if (!role) throw sandboxError('NoSuchEntityException', `The role with name ${RoleName} cannot be found.`, 404);
					return {Role: {RoleName, Path: '/', RoleId: `AROASANDBOX${RoleName!.length}`, Arn: `arn:aws:iam::${sandboxAccount}:role/${RoleName}`, CreateDate: new Date(0), AssumeRolePolicyDocument: trust(role.service)}, $metadata: {}};
				}),
			simulatePrincipalPolicy: async ({PolicySourceArn, ActionNames, ResourceArns}) =>
				call('SimulatePrincipalPolicy', () => {
					const name = PolicySourceArn?.split('/').at(-1) ?? '';
					const role = roles[name];
					if (!role) throw sandboxError('NoSuchEntityException', `The role with name ${name} cannot be found.`, 404);
					const results = (ActionNames ?? []).flatMap(action =>
						(ResourceArns ?? ['*']).map(resource => ({EvalActionName: action, EvalResourceName: resource, EvalDecision: role.readsSecrets ? ('allowed' as const) : ('implicitDeny' as const)})),
					);
					return {EvaluationResults: results, IsTruncated: false, $metadata: {}};
				}),
		},
		ec2: {
			describeSubnets: async ({SubnetIds}) =>
				call('DescribeSubnets', () => {
					// EC2 fails the whole call when one id is unknown, naming it.
					const missing = (SubnetIds ?? []).filter(id => !subnets[id]);
					if (missing.length > 0) throw sandboxError('InvalidSubnetID.NotFound', `The subnet ID '${missing.join("', '")}' does not exist`);
					return {Subnets: (SubnetIds ?? []).map(id => ({SubnetId: id, VpcId: subnets[id]!.vpc, AvailabilityZone: subnets[id]!.zone, State: 'available' as const, OwnerId: sandboxAccount})), $metadata: {}};
				}),
			describeSecurityGroups: async ({GroupIds}) =>
				call('DescribeSecurityGroups', () => {
					const missing = (GroupIds ?? []).filter(id => !securityGroups[id]);
					if (missing.length > 0) throw sandboxError('InvalidGroup.NotFound', `The security group '${missing.join("', '")}' does not exist`);
					return {SecurityGroups: (GroupIds ?? []).map(id => ({GroupId: id, GroupName: securityGroups[id]!.name, VpcId: securityGroups[id]!.vpc, OwnerId: sandboxAccount})), $metadata: {}};
				}),
		},
		elbv2: {
			describeTargetGroups: async ({TargetGroupArns}) =>
				call('DescribeTargetGroups', () => {
					const found = (TargetGroupArns ?? []).map(arn => ({arn, group: targetGroups[arn.split('/')[1] ?? '']}));
					if (found.some(f => !f.group)) throw sandboxError('TargetGroupNotFoundException', 'One or more target groups not found');
					return {
						TargetGroups: found.map(({arn, group}) => ({TargetGroupArn: arn, TargetGroupName: arn.split('/')[1], TargetType: group!.type as 'ip', Port: group!.port, Protocol: group!.protocol as 'HTTP', VpcId: group!.vpc, HealthCheckPort: 'traffic-port'})),
						$metadata: {},
					};
				}),
		},
		ssm: {
			describeParameters: async ({ParameterFilters}) =>
				call('DescribeParameters', () => {
					const wanted = ParameterFilters?.find(f => f.Key === 'Name')?.Values ?? [];
					return {Parameters: parameters.filter(p => wanted.includes(p)).map(Name => ({Name, Type: 'SecureString' as const, ARN: `arn:aws:ssm:${sandboxRegion}:${sandboxAccount}:parameter${Name}`})), $metadata: {}};
				}),
		},
		secretsManager: {
			describeSecret: async ({SecretId}) =>
				call('DescribeSecret', () => {
					const name = findSecret(SecretId ?? '');
					if (!name) throw sandboxError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
					return {ARN: `arn:aws:secretsmanager:${sandboxRegion}:${sandboxAccount}:secret:${name}-AbCdEf`, Name: name, $metadata: {}};
				}),
		},
	};
}
