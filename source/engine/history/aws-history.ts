import type {AwsPorts, StackEvent} from '../../aws/ports.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import {runningImages} from '../../domain/running-images.js';
import {isInProgress, isSuccess} from '../../domain/stack-status.js';
import {toolTagKeys} from '../../domain/template/tags.js';
import type {Release} from '../../domain/records.js';
import {callAws, type CallContext} from '../core/aws-call.js';

/** One stack operation that deployed the service, as AWS tells it (no ledger involved). */
export type AwsDeployment = {
	/** The release the operation's task definition is tagged with, when it is. */
	version?: string;
	/** The images the task definition names, by image ref. */
	images: Release['images'];
	/** succeeded, rolled-back, failed or in progress, from the operation's stack rows. */
	outcome: string;
	stackStatus: string;
	startedAt: string;
	finishedAt?: string;
	/** The client request token of the operation's first row (matches a ledger record's token). */
	token?: string;
	/** The task definition revision the operation registered. */
	taskDefinition?: string;
};

const time = (event: StackEvent) => (event.Timestamp ? new Date(event.Timestamp).getTime() : 0);

/**
 * What AWS knows of an environment's deployments when no ledger has them (another operator deployed with a
 * ledger of their own): each create or update of the stack, from its events (newest `maxEvents`: paged
 * newest first), how it ended, and the release and images of the task definition it registered
 * (DescribeTaskDefinition with its tags, one call per revision, for the newest `maxOperations`). Newest first.
 */
export async function deploymentsFromAws(context: CallContext & {aws: AwsPorts}, stackName: string, recipe: Pick<RecipeDocument, 'images'>, options: {maxEvents?: number; maxOperations?: number} = {}): Promise<AwsDeployment[]> {
	const events: StackEvent[] = [];
	let nextToken: string | undefined;
	do {
		const page = await callAws(context, 'DescribeStackEvents', () => context.aws.cloudFormation.describeStackEvents({StackName: stackName, ...(nextToken ? {NextToken: nextToken} : {})}));
		events.push(...(page.StackEvents ?? []));
		nextToken = page.NextToken;
	} while (nextToken && events.length < (options.maxEvents ?? 500));
	const operations = operationsOf(events).reverse().slice(0, options.maxOperations ?? 10);
	const described = new Map<string, {version?: string; images: Release['images']}>();
	for (const operation of operations) {
		const arn = operation.taskDefinition;
		if (arn === undefined || described.has(arn)) continue;
		try {
			const answer = await callAws(context, 'DescribeTaskDefinition', () => context.aws.ecs.describeTaskDefinition({taskDefinition: arn, include: ['TAGS']}));
			const version = answer.tags?.find(t => t.key === toolTagKeys.release)?.value;
			const running = runningImages(answer.taskDefinition?.containerDefinitions ?? [], recipe.images);
			const images = Object.fromEntries(Object.entries(running).flatMap(([ref, i]) => (i.tag === undefined ? [] : [[ref, {tag: i.tag, ...(i.digest ? {digest: i.digest} : {})}]])));
			described.set(arn, {...(version ? {version} : {}), images});
		} catch {
			// A revision AWS no longer describes: the operation is still listed, without its release.
			described.set(arn, {images: {}});
		}
	}
	return operations.map(({taskDefinition, ...rest}) => {
		const found = taskDefinition === undefined ? undefined : described.get(taskDefinition);
		return {...rest, images: found?.images ?? {}, ...(found?.version ? {version: found.version} : {}), ...(taskDefinition ? {taskDefinition} : {})};
	});
}

/**
 * A stack's create and update operations, oldest first: each starts at a stack row "User Initiated" (not the
 * review row of a change set) and runs to the next one; its rollback belongs to it. Deletes are not
 * deployments and are left out.
 */
export function operationsOf(events: readonly StackEvent[]): Array<Omit<AwsDeployment, 'images' | 'version'>> {
	const sorted = [...events].sort((a, b) => time(a) - time(b));
	const starts = sorted.flatMap((e, i) => (e.ResourceType === 'AWS::CloudFormation::Stack' && e.ResourceStatusReason === 'User Initiated' && (e.ResourceStatus as string | undefined) !== 'REVIEW_IN_PROGRESS' ? [i] : []));
	const operations: Array<Omit<AwsDeployment, 'images' | 'version'>> = [];
	starts.forEach((start, n) => {
		const rows = sorted.slice(start, starts[n + 1] ?? sorted.length);
		const first = rows[0]!;
		if (first.ResourceStatus?.startsWith('DELETE')) return;
		const stackRows = rows.filter(r => r.ResourceType === 'AWS::CloudFormation::Stack');
		const last = stackRows.at(-1)!;
		const status = last.ResourceStatus ?? '';
		const outcome = isInProgress(status) ? 'in progress' : isSuccess(status) ? 'succeeded' : status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'ROLLBACK_COMPLETE' ? 'rolled-back' : 'failed';
		// The revision the operation registered: the first task definition it completed (a rollback completes the old one after).
		const registered = rows.find(r => r.ResourceType === 'AWS::ECS::TaskDefinition' && /_COMPLETE$/.test(r.ResourceStatus ?? '') && !r.ResourceStatus?.startsWith('DELETE') && (r.PhysicalResourceId ?? '').includes(':task-definition/'));
		operations.push({
			outcome,
			stackStatus: status,
			startedAt: new Date(time(first)).toISOString(),
			...(isInProgress(status) ? {} : {finishedAt: new Date(time(last)).toISOString()}),
			...(first.ClientRequestToken ? {token: first.ClientRequestToken} : {}),
			...(registered?.PhysicalResourceId ? {taskDefinition: registered.PhysicalResourceId} : {}),
		});
	});
	return operations;
}
