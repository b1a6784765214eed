import type {AwsConnection} from '../../aws/clients.js';
import type {AwsPorts} from '../../aws/ports.js';
import {describeAwsError} from '../../domain/aws-errors.js';
import {environmentNamePattern} from '../../domain/recipe/schema.js';
import {exitCodes, type ExitCode} from '../../exit-codes.js';
import type {WorkspaceStore} from '../../store/workspace-store.js';
import type {Target} from '../../store/types.js';
import type {Output} from '../output.js';

export type TargetAddFlags = {
	name: string;
	region: string;
	cluster: string;
	env?: string[];
	tag?: string[];
	profile?: string;
	roleArn?: string;
	externalId?: string;
	sessionName?: string;
	duration?: string;
};

/** The connection for a target, with this run's overrides (--profile, --region, --endpoint-url). */
export function connectionFor(target: Target, overrides: {profile?: string; region?: string; endpoint?: string} = {}): AwsConnection {
	const profile = overrides.profile ?? (target.credentials.source === 'profile' ? target.credentials.profile : undefined);
	return {
		region: overrides.region ?? target.region,
		...(profile === undefined ? {} : {profile}),
		...(target.assumeRole === undefined ? {} : {assumeRole: target.assumeRole}),
		...(overrides.endpoint === undefined ? {} : {endpoint: overrides.endpoint}),
	};
}

/** `ecs-deployer target add`: saves a target (replacing one of the same name). Every field has a flag. */
export function targetAddCommand(flags: TargetAddFlags, store: WorkspaceStore, output: Output): ExitCode {
	const problems: string[] = [];
	if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(flags.name)) problems.push(`--name: "${flags.name}" must be letters, digits, _ . and -`);
	if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(flags.region)) problems.push(`--region: "${flags.region}" is not an AWS region (like eu-west-1)`);
	if (!/^[A-Za-z0-9_-]{1,255}$/.test(flags.cluster)) problems.push(`--cluster: "${flags.cluster}" is not an ECS cluster name`);
	for (const env of flags.env ?? []) if (!environmentNamePattern.test(env)) problems.push(`--env: "${env}" is not an environment name`);
	if ((flags.env ?? []).length === 0) problems.push('--env: name at least one environment this target serves (repeatable)');
	if (flags.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(flags.roleArn)) problems.push(`--role-arn: "${flags.roleArn}" is not an IAM role ARN`);
	const duration = flags.duration === undefined ? undefined : Number(flags.duration);
	if (duration !== undefined && !(Number.isInteger(duration) && duration >= 900 && duration <= 43_200)) problems.push('--duration: seconds from 900 to 43200');
	if (problems.length > 0) {
		for (const problem of problems) output.note(`error: ${problem}`);
		return exitCodes.badInput;
	}
	const target: Target = {
		name: flags.name,
		region: flags.region,
		cluster: flags.cluster,
		environments: flags.env ?? [],
		tags: flags.tag ?? [],
		credentials: flags.profile === undefined ? {source: 'default'} : {source: 'profile', profile: flags.profile},
		...(flags.roleArn === undefined
			? {}
			: {
					assumeRole: {
						roleArn: flags.roleArn,
						...(flags.externalId === undefined ? {} : {externalId: flags.externalId}),
						...(flags.sessionName === undefined ? {} : {sessionName: flags.sessionName}),
						...(duration === undefined ? {} : {durationSeconds: duration}),
					},
				}),
	};
	const replaced = store.target(target.name) !== undefined;
	store.saveTarget(target);
	output.line(`${replaced ? 'updated' : 'added'} target ${target.name}: cluster ${target.cluster} in ${target.region}, serves ${target.environments.join(', ')}`);
	return exitCodes.success;
}

export function targetListCommand(store: WorkspaceStore, output: Output, json: boolean, builtIn: readonly Target[] = []): ExitCode {
	const targets = [...store.targets(), ...builtIn];
	if (json) {
		output.json(targets);
		return exitCodes.success;
	}
	if (targets.length === 0) output.line('no targets yet: add one with ecs-deployer target add --name NAME --region REGION --cluster CLUSTER --env ENV');
	for (const t of targets) {
		const credentials = t.sandbox ? 'simulated account (built in)' : t.credentials.source === 'profile' ? `profile ${t.credentials.profile}` : 'default credentials';
		const role = t.assumeRole ? `, assumes ${t.assumeRole.roleArn}` : '';
		output.line(`${t.name.padEnd(16)} ${t.cluster} (${t.region})  envs: ${t.environments.join(', ')}  ${credentials}${role}${t.tags.length > 0 ? `  tags: ${t.tags.join(', ')}` : ''}`);
	}
	return exitCodes.success;
}

export function targetRemoveCommand(name: string, store: WorkspaceStore, output: Output): ExitCode {
	if (!store.removeTarget(name)) {
		output.note(`error: there is no target named ${name}`);
		return exitCodes.badInput;
	}
	output.line(`removed target ${name}`);
	return exitCodes.success;
}

/** `ecs-deployer target verify`: who am I, does the cluster exist and is it active, is FARGATE there. */
export async function targetVerifyCommand(target: Target, ports: AwsPorts, output: Output, json: boolean): Promise<ExitCode> {
	const checks: Array<{check: string; passed: boolean; detail: string}> = [];
	let access = true;
	try {
		const me = await ports.sts.getCallerIdentity({});
		checks.push({check: 'credentials', passed: true, detail: `account ${me.Account}, principal ${me.Arn}`});
	} catch (error) {
		access = false;
		checks.push({check: 'credentials', passed: false, detail: describeAwsError(error)});
	}
	if (access) {
		try {
			const out = await ports.ecs.describeClusters({clusters: [target.cluster]});
			const cluster = out.clusters?.[0];
			if (!cluster) {
				checks.push({check: 'cluster', passed: false, detail: `cluster ${target.cluster} not found in ${target.region} (${out.failures?.[0]?.reason ?? 'MISSING'})`});
			} else {
				checks.push({check: 'cluster', passed: cluster.status === 'ACTIVE', detail: `${cluster.clusterName} is ${cluster.status}`});
				const fargate = (cluster.capacityProviders ?? []).includes('FARGATE');
				checks.push({check: 'fargate', passed: fargate, detail: fargate ? 'FARGATE capacity provider available' : 'the cluster has no FARGATE capacity provider'});
			}
		} catch (error) {
			checks.push({check: 'cluster', passed: false, detail: describeAwsError(error)});
		}
	}
	if (json) output.json({target: target.name, checks});
	else for (const c of checks) output.line(`${c.passed ? output.paint.green('✓') : output.paint.red('✗')} ${c.check.padEnd(12)} ${c.detail}`);
	if (!access) return exitCodes.awsAccess;
	return checks.every(c => c.passed) ? exitCodes.success : exitCodes.deploymentFailed;
}
