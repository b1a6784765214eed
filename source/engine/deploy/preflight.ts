import {classifyAwsError, reportError} from '../../domain/aws-errors.js';
import type {FailureReason} from '../../domain/failures.js';
import {checkCounts} from '../../domain/preflight.js';
import type {Target} from '../../domain/records.js';
import type {BuiltTemplate} from '../../domain/template/types.js';
import {AwsAccessError, callAws} from '../core/aws-call.js';
import type {EngineDeps} from '../core/deps.js';
import type {StackContext} from '../core/stack-context.js';
import {partitionOf, runVerify, verifyCacheMs} from '../recipes/verify.js';
import type {DeployReleaseInput} from './deploy-release.js';

/*
 * What a deploy checks before it touches the stack (deploy-release.ts runs both): the cluster and the template,
 * then the pre-flight verify of the recipe on its target.
 */

/**
 * Checks made before the stack is touched, so that a deploy that cannot work fails with a clear reason
 * instead of a half-created stack: the cluster exists and is ACTIVE (DescribeClusters answers a missing
 * cluster with `failures: [{reason: "MISSING"}]`), and CloudFormation accepts the template
 * (ValidateTemplate). A ValidateTemplate that cannot answer (a server error) is noted, not fatal: the
 * change set validates the template again.
 */
export async function preflightChecks(context: StackContext, target: Target, built: BuiltTemplate): Promise<FailureReason | undefined> {
	const clusters = await callAws(context, 'DescribeClusters', () => context.aws.ecs.describeClusters({clusters: [target.cluster]}));
	const cluster = clusters.clusters?.find(c => c.clusterName === target.cluster || c.clusterArn === target.cluster);
	if (!cluster || cluster.status !== 'ACTIVE') {
		return {
			source: 'stack',
			subject: `cluster ${target.cluster}`,
			message: cluster
				? `ECS cluster ${target.cluster} in ${target.region} is ${cluster.status}, not ACTIVE`
				: `Cluster not found: there is no ECS cluster ${target.cluster} in ${target.region} (${clusters.failures?.[0]?.reason ?? 'MISSING'})`,
			hint: `deploy to an ACTIVE cluster: check the target ${target.name} (ecs-deployer target verify ${target.name}), or create the cluster`,
		};
	}
	try {
		await context.aws.cloudFormation.validateTemplate({TemplateBody: JSON.stringify(built.template)});
	} catch (error) {
		const kind = classifyAwsError(error);
		if (kind === 'access' || kind === 'expired-credentials') throw new AwsAccessError(kind, 'ValidateTemplate', error);
		const report = reportError(error, 'ValidateTemplate');
		if ((error as {name?: string}).name === 'ValidationError') {
			return {source: 'stack', subject: 'template', message: `CloudFormation refused the template: ${report.message}`, hint: 'check the recipe (ecs-deployer validate, ecs-deployer export) and report it: the template ecs-deployer builds should always be accepted'};
		}
		context.host.notify({code: 'note', message: `the template could not be checked before the change set (${report.code}); the change set will check it`});
	}
	return undefined;
}

/**
 * The pre-flight verify (engine/recipes/verify.ts) on the recipe this deploy resolved, with the release's
 * images: the failed checks, as reasons naming the recipe field. Checks that could not be made are noted
 * (they do not stop the deploy: CloudFormation and ECS will say); passes are summed up in one note.
 */
export async function verifyBeforeDeploy(context: StackContext, deps: EngineDeps, input: DeployReleaseInput, accountId: string | undefined): Promise<FailureReason[]> {
	if (accountId === undefined) {
		context.host.notify({code: 'note', message: 'pre-flight verify: not checked (the account id is not known)'});
		return [];
	}
	const scope = {region: input.target.region, accountId, partition: partitionOf(input.target.region)};
	const checks = await runVerify(context.aws, context.resolved, input.target, scope, deps, input.verifyCache === false ? {refresh: true} : {});
	for (const c of checks.filter(c => c.state === 'not checked')) context.host.notify({code: 'note', message: `pre-flight verify: ${c.field}: ${c.subject}: not checked: ${c.reason}`});
	const cached = checks.filter(c => c.cached).length;
	context.host.notify({code: 'note', message: `pre-flight verify: ${checkCounts(checks)}${cached > 0 ? ` (${cached} passed within the last ${verifyCacheMs / 60_000} minutes, not checked again)` : ''}`});
	return checks.filter(c => c.state === 'failed').map(c => ({source: 'stack', subject: c.field, message: `${c.subject}: ${c.reason}`, ...(c.fix === undefined ? {} : {hint: c.fix})}));
}
