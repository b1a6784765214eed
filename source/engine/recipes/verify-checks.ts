import type {AwsPorts} from '../../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import {
	ecsTasksPrincipal,
	isSecretsManager,
	manifestArchitecture,
	manifestMediaTypes,
	manifestPlatforms,
	parameterArn,
	parameterName,
	platformWords,
	roleName,
	secretId,
	trustsEcsTasks,
	type VerifyCheck,
	type VerifyItem,
} from '../../domain/preflight.js';

/*
 * One check per verify item: the read-only AWS calls it makes and how their answers become findings. An
 * answer that says the thing is missing is a failure; a call that is refused (access denied), throttled or
 * fails otherwise is "not checked" with why, never a pass.
 */

/** Where the checks run: the target's account, partition and region. */
export type CheckScope = {region: string; accountId: string; partition: string};

type Item<K extends VerifyItem['kind']> = Extract<VerifyItem, {kind: K}>;

/** The findings of one item. */
export async function runCheck(aws: AwsPorts, item: VerifyItem, scope: CheckScope): Promise<VerifyCheck[]> {
	switch (item.kind) {
		case 'role':
			return [await roleCheck(aws, item, scope)];
		case 'network':
			return networkChecks(aws, item);
		case 'target-group':
			return [await targetGroupCheck(aws, item)];
		case 'secret':
			return [await secretCheck(aws, item, scope)];
		case 'image':
			return [await imageCheck(aws, item, scope)];
	}
}

/** A call that could not answer: "not checked", naming the action and why. */
export function notChecked(base: Pick<VerifyCheck, 'kind' | 'field' | 'subject'>, action: string, error: unknown): VerifyCheck {
	const kind = classifyAwsError(error);
	const why =
		kind === 'access'
			? `not allowed to call ${action} (${(error as {name?: string}).name ?? 'AccessDenied'})`
			: kind === 'expired-credentials'
				? `the credentials expired (${action})`
				: kind === 'throttling'
					? `${action} was throttled`
					: `${action} failed: ${describeAwsError(error)}`;
	return {...base, state: 'not checked', reason: why, ...(kind === 'access' ? {fix: `allow ${action} to the identity that deploys (ecs-deployer iam-policy)`} : {})};
}

const errorName = (error: unknown) => (error as {name?: string}).name ?? '';

async function roleCheck(aws: AwsPorts, item: Item<'role'>, scope: CheckScope): Promise<VerifyCheck> {
	const name = roleName(item.arn);
	const base = {kind: 'role' as const, field: item.field, subject: `${item.use} role ${name}`};
	try {
		const {Role} = await aws.iam.getRole({RoleName: name});
		if (trustsEcsTasks(Role?.AssumeRolePolicyDocument)) return {...base, state: 'passed', reason: `exists and trusts ${ecsTasksPrincipal}`};
		return {
			...base,
			state: 'failed',
			reason: `its trust policy does not let ${ecsTasksPrincipal} assume it, so ECS cannot start tasks with it`,
			fix: `add a statement to the role's trust policy: Allow, Principal {Service: ${ecsTasksPrincipal}}, Action sts:AssumeRole (or name another role in ${item.field})`,
		};
	} catch (error) {
		if (errorName(error) === 'NoSuchEntityException' || errorName(error) === 'NoSuchEntity') {
			return {...base, state: 'failed', reason: `there is no role ${name} in account ${scope.accountId}`, fix: `create the role, or correct ${item.field}`};
		}
		return notChecked(base, 'iam:GetRole', error);
	}
}

/** Subnets and security groups: each exists, and all are in one VPC. */
async function networkChecks(aws: AwsPorts, item: Item<'network'>): Promise<VerifyCheck[]> {
	const subnetsBase = {kind: 'network' as const, field: `${item.field}.subnets`, subject: `subnets ${item.subnets.join(', ')}`};
	const groupsBase = {kind: 'network' as const, field: `${item.field}.securityGroups`, subject: `security groups ${item.securityGroups.join(', ')}`};
	const [subnets, groups] = await Promise.all([
		aws.ec2.describeSubnets({SubnetIds: item.subnets}).then(
			out => ({out}),
			(error: unknown) => ({error}),
		),
		item.securityGroups.length === 0
			? Promise.resolve(undefined)
			: aws.ec2.describeSecurityGroups({GroupIds: item.securityGroups}).then(
					out => ({out}),
					(error: unknown) => ({error}),
				),
	]);
	const checks: VerifyCheck[] = [];
	let vpc: string | undefined;
	if ('error' in subnets) {
		checks.push(missingIds(subnetsBase, item.subnets, 'InvalidSubnetID.NotFound', 'subnet', subnets.error, 'ec2:DescribeSubnets'));
	} else {
		const byVpc = new Map<string, string[]>();
		for (const s of subnets.out.Subnets ?? []) byVpc.set(s.VpcId ?? '?', [...(byVpc.get(s.VpcId ?? '?') ?? []), s.SubnetId ?? '?']);
		if (byVpc.size > 1) {
			checks.push({
				...subnetsBase,
				state: 'failed',
				reason: `the subnets are in ${byVpc.size} VPCs: ${[...byVpc].map(([v, ids]) => `${ids.join(', ')} in ${v}`).join('; ')}; a service's subnets must be in one VPC`,
				fix: `list subnets of one VPC in ${subnetsBase.field}`,
			});
		} else {
			vpc = [...byVpc.keys()][0];
			checks.push({...subnetsBase, state: 'passed', reason: `exist, in ${vpc}`, ...(vpc === undefined ? {} : {vpc})});
		}
	}
	if (groups === undefined) return checks;
	if ('error' in groups) {
		checks.push(missingIds(groupsBase, item.securityGroups, 'InvalidGroup.NotFound', 'security group', groups.error, 'ec2:DescribeSecurityGroups'));
		return checks;
	}
	const elsewhere = (groups.out.SecurityGroups ?? []).filter(g => vpc !== undefined && g.VpcId !== vpc);
	if (elsewhere.length > 0) {
		const index = item.securityGroups.indexOf(elsewhere[0]!.GroupId ?? '');
		checks.push({
			...groupsBase,
			field: index >= 0 ? `${groupsBase.field}[${index}]` : groupsBase.field,
			state: 'failed',
			reason: `${elsewhere.map(g => `${g.GroupId} is in ${g.VpcId}`).join(', ')}, the subnets in ${vpc}: a task's security groups must be in its subnets' VPC`,
			fix: `use security groups of ${vpc} in ${groupsBase.field}`,
		});
	} else {
		checks.push({...groupsBase, state: 'passed', reason: vpc === undefined ? 'exist' : `exist, in ${vpc}`});
	}
	return checks;
}

/** EC2 fails a whole Describe call when one id is unknown, naming the ids in its message: find them in the list. */
function missingIds(base: Pick<VerifyCheck, 'kind' | 'field' | 'subject'>, ids: readonly string[], code: string, noun: string, error: unknown, action: string): VerifyCheck {
	if (errorName(error) !== code) return notChecked(base, action, error);
	const message = (error as Error).message ?? '';
	const missing = ids.filter(id => message.includes(id));
	const first = missing[0] === undefined ? -1 : ids.indexOf(missing[0]);
	return {
		...base,
		field: first >= 0 ? `${base.field}[${first}]` : base.field,
		state: 'failed',
		reason: missing.length > 0 ? `there is no ${noun} ${missing.join(', ')} in this account and region` : `EC2 says: ${message}`,
		fix: `correct ${base.field} (${noun}s of the target's region and account)`,
	};
}

/** A target group: found, target type ip (awsvpc tasks register by IP), health checks on the container's port. */
async function targetGroupCheck(aws: AwsPorts, item: Item<'target-group'>): Promise<VerifyCheck> {
	const name = item.arn.split('/')[1] ?? item.arn;
	const base = {kind: 'target-group' as const, field: item.field, subject: `target group ${name}`};
	let group;
	try {
		group = (await aws.elbv2.describeTargetGroups({TargetGroupArns: [item.arn]})).TargetGroups?.[0];
	} catch (error) {
		if (errorName(error) === 'TargetGroupNotFoundException' || errorName(error) === 'TargetGroupNotFound') {
			return {...base, state: 'failed', reason: `there is no target group ${item.arn}`, fix: `create it, or correct ${item.field}`};
		}
		return notChecked(base, 'elasticloadbalancing:DescribeTargetGroups', error);
	}
	if (!group) return {...base, state: 'failed', reason: `there is no target group ${item.arn}`, fix: `create it, or correct ${item.field}`};
	const vpc = group.VpcId === undefined ? {} : {vpc: group.VpcId};
	if (group.TargetType !== 'ip') {
		return {
			...base,
			...vpc,
			state: 'failed',
			reason: `its target type is ${group.TargetType ?? 'unknown'}; Fargate tasks (awsvpc network mode) register by IP, so ECS refuses it`,
			fix: `create a target group with target type ip (its type cannot be changed) and name it in ${item.field}`,
		};
	}
	if (group.Protocol === 'GENEVE') {
		return {...base, ...vpc, state: 'failed', reason: 'it is a Gateway Load Balancer target group (GENEVE): a service cannot register there', fix: `name an ALB or NLB target group in ${item.field}`};
	}
	const healthPort = Number(group.HealthCheckPort);
	if (group.HealthCheckPort !== undefined && group.HealthCheckPort !== 'traffic-port' && healthPort !== item.port) {
		return {
			...base,
			...vpc,
			state: 'failed',
			reason: `its health checks go to port ${group.HealthCheckPort}, but container ${item.container} listens on ${item.port}: every task would be unhealthy`,
			fix: `set the target group's health check port to traffic-port (or ${item.port}), or correct the port in ${item.field.replace(/\.\w+$/, '.port')}`,
		};
	}
	const port = group.Port !== undefined && group.Port !== item.port ? ` (its default port ${group.Port} differs; ECS registers each task on ${item.port})` : '';
	return {...base, ...vpc, state: 'passed', reason: `target type ip, ${group.Protocol ?? 'TCP'}, health checks on the container's port ${item.port}${port}`};
}

/** A secret or SSM parameter: it exists, and the execution role may read it (IAM policy simulation). */
async function secretCheck(aws: AwsPorts, item: Item<'secret'>, scope: CheckScope): Promise<VerifyCheck> {
	const manager = isSecretsManager(item.valueFrom);
	const base = {kind: 'secret' as const, field: item.field, subject: manager ? `secret ${secretId(item.valueFrom).split(':')[6] ?? item.valueFrom}` : `SSM parameter ${parameterName(item.valueFrom)}`};
	let arn: string;
	if (manager) {
		try {
			arn = (await aws.secretsManager.describeSecret({SecretId: secretId(item.valueFrom)})).ARN ?? secretId(item.valueFrom);
		} catch (error) {
			if (errorName(error) === 'ResourceNotFoundException') return {...base, state: 'failed', reason: `there is no secret ${secretId(item.valueFrom)} in Secrets Manager`, fix: `create the secret, or correct ${item.field}`};
			return notChecked(base, 'secretsmanager:DescribeSecret', error);
		}
	} else {
		const name = parameterName(item.valueFrom);
		try {
			// DescribeParameters answers metadata only: no value is read.
			const found = await aws.ssm.describeParameters({ParameterFilters: [{Key: 'Name', Option: 'Equals', Values: [name]}]});
			if (!(found.Parameters ?? []).some(p => p.Name === name)) return {...base, state: 'failed', reason: `there is no SSM parameter ${name} in ${scope.region}`, fix: `create the parameter, or correct ${item.field}`};
		} catch (error) {
			return notChecked(base, 'ssm:DescribeParameters', error);
		}
		arn = parameterArn(item.valueFrom, scope.partition, scope.region, scope.accountId);
	}
	if (item.executionRole === undefined) return {...base, state: 'passed', reason: 'exists; the stack creates the execution role with read access to it'};
	const action = manager ? 'secretsmanager:GetSecretValue' : 'ssm:GetParameters';
	const role = roleName(item.executionRole);
	try {
		const out = await aws.iam.simulatePrincipalPolicy({PolicySourceArn: item.executionRole, ActionNames: [action], ResourceArns: [arn]});
		const decision = out.EvaluationResults?.[0]?.EvalDecision;
		if (decision === 'allowed') return {...base, state: 'passed', reason: `exists; execution role ${role} may ${action} on it (IAM policy simulation)`};
		if (decision === undefined) return {...base, state: 'not checked', reason: `exists; the IAM policy simulation gave no decision for ${action}`};
		return {
			...base,
			state: 'failed',
			reason: `exists, but execution role ${role} may not ${action} on it (IAM policy simulation: ${decision}); tasks would stop with ResourceInitializationError`,
			fix: `allow ${action} on ${arn} in the policies of ${role} (service.executionRole), or leave service.executionRole out so the stack creates one that may`,
		};
	} catch (error) {
		const skipped = notChecked(base, 'iam:SimulatePrincipalPolicy', error);
		return {...skipped, reason: `exists; whether execution role ${role} may read it: ${skipped.reason}`};
	}
}

/** An image has a variant for the task's CPU architecture (ECR only: the manifest, or a single image's config). */
async function imageCheck(aws: AwsPorts, item: Item<'image'>, scope: CheckScope): Promise<VerifyCheck> {
	const wanted = manifestArchitecture(item.architecture);
	// The template names images by tag (what tasks pull): the tag is checked, the digest only without one.
	const reference = item.tag ?? item.digest;
	const base = {kind: 'image' as const, field: item.field, subject: `image ${item.ref} (${item.registry ? `${item.registry}/` : ''}${item.repository}${reference === undefined ? '' : `:${item.tag ?? item.digest}`})`};
	const fixArchitecture = `push a linux/${wanted} image (docker buildx build --platform linux/${wanted}), or set service.cpuArchitecture to the image's architecture`;
	if (item.registry !== undefined) return {...base, state: 'not checked', reason: `on ${item.registry}: only images in Amazon ECR have their platforms read`};
	if (item.region !== undefined && item.region !== scope.region) return {...base, state: 'not checked', reason: `in ECR of ${item.region}: only the target's region (${scope.region}) is read`};
	if (reference === undefined) return {...base, state: 'not checked', reason: `no tag chosen: give one (--image ${item.ref}=TAG) to check its platforms`};
	const registryId = item.account === undefined ? {} : {registryId: item.account};
	let answer;
	try {
		answer = await aws.ecr.batchGetImage({repositoryName: item.repository, ...registryId, imageIds: [item.tag !== undefined ? {imageTag: item.tag} : {imageDigest: item.digest!}], acceptedMediaTypes: [...manifestMediaTypes]});
	} catch (error) {
		if (errorName(error) === 'RepositoryNotFoundException') return {...base, state: 'failed', reason: `there is no ECR repository ${item.repository}`, fix: `create it and push the image, or correct images.${item.ref}.repository`};
		return notChecked(base, 'ecr:BatchGetImage', error);
	}
	const image = answer.images?.[0];
	if (!image) {
		const failure = answer.failures?.[0];
		return {...base, state: 'failed', reason: `ECR has no image ${reference} in ${item.repository} (${failure?.failureCode ?? 'ImageNotFound'})`, fix: `push it, or choose another tag for ${item.ref}`};
	}
	const read = manifestPlatforms(image.imageManifest);
	if (read.kind === 'index') {
		const linux = read.platforms.filter(p => p.os === 'linux');
		if (linux.some(p => p.architecture === wanted)) return {...base, state: 'passed', reason: `has a linux/${wanted} variant (${platformWords(read.platforms)})`};
		return {...base, state: 'failed', reason: `has no linux/${wanted} variant (it has ${platformWords(read.platforms)}); the task runs on ${item.architecture}`, fix: fixArchitecture};
	}
	let architecture: string | undefined;
	if (read.kind === 'single') architecture = read.architecture;
	else if (read.kind === 'config') {
		try {
			const url = (await aws.ecr.getDownloadUrlForLayer({repositoryName: item.repository, ...registryId, layerDigest: read.digest})).downloadUrl;
			if (url === undefined) return {...base, state: 'not checked', reason: 'a single-platform image: ECR gave no URL for its config, where the architecture is'};
			const config = JSON.parse(await aws.ecr.downloadBlob(url)) as {architecture?: unknown};
			if (typeof config.architecture === 'string') architecture = config.architecture;
		} catch (error) {
			const skipped = notChecked(base, 'ecr:GetDownloadUrlForLayer', error);
			return {...skipped, reason: `a single-platform image whose config (its architecture) could not be read: ${skipped.reason}`};
		}
	} else return {...base, state: 'not checked', reason: `its platforms cannot be known: ${read.why}`};
	if (architecture === undefined) return {...base, state: 'not checked', reason: 'a single-platform image whose config names no architecture'};
	if (architecture === wanted) return {...base, state: 'passed', reason: `a single-platform linux/${wanted} image`};
	return {...base, state: 'failed', reason: `a single-platform ${architecture} image; the task runs on ${item.architecture} (linux/${wanted})`, fix: fixArchitecture};
}
