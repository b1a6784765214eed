import type {AwsPorts} from '../../aws/ports.js';
import {callAws, type CallContext} from '../core/aws-call.js';

/** The ECS resources a stack holds, by physical id (ARNs), as ListStackResources lists them. */
export type StackEcsResources = {service?: string; taskDefinition?: string};

/**
 * The service and task definition a stack holds, read from its resources: the stack's outputs may be absent
 * (a template without outputs, an endpoint that does not refresh them after a change set) and its events
 * may not name every resource, but ListStackResources does. The physical id of an `AWS::ECS::Service` is
 * its ARN, of an `AWS::ECS::TaskDefinition` its ARN with the revision (CloudFormation resource reference,
 * "Return values"). Only ids that are ARNs count (a resource still being created has none yet).
 */
export async function stackEcsResources(context: CallContext & {aws: AwsPorts}, stackId: string): Promise<StackEcsResources> {
	const found: StackEcsResources = {};
	let nextToken: string | undefined;
	do {
		const page = await callAws(context, 'ListStackResources', () => context.aws.cloudFormation.listStackResources({StackName: stackId, ...(nextToken === undefined ? {} : {NextToken: nextToken})}));
		for (const resource of page.StackResourceSummaries ?? []) {
			const id = resource.PhysicalResourceId ?? '';
			if (!id.startsWith('arn:') || (resource.ResourceStatus ?? '').startsWith('DELETE_')) continue;
			if (resource.ResourceType === 'AWS::ECS::Service') found.service ??= id;
			if (resource.ResourceType === 'AWS::ECS::TaskDefinition') found.taskDefinition ??= id;
		}
		nextToken = page.NextToken;
	} while (nextToken);
	return found;
}
