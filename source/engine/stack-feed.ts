import type {CloudFormationPort, StackEvent} from '../aws/ports.js';
import {callAws, type CallContext} from './aws-call.js';
import type {StackEventView} from './events.js';

/**
 * The stack events of one operation, new ones only, old to new. DescribeStackEvents pages newest first:
 * read until an event already seen (or older than the operation), dedupe by EventId, then emit oldest first.
 * Events of other operations are left out: those before `since`, and those carrying another client request token.
 */
export class StackEventFeed {
	private readonly seen = new Set<string>();
	/** Latest physical id per logical id, e.g. the task definition ARN and the service ARN. */
	readonly physicalIds = new Map<string, string>();
	readonly events: StackEventView[] = [];

	constructor(
		private readonly cfn: CloudFormationPort,
		private readonly context: CallContext,
		private readonly stackName: string,
		private readonly since: number,
		private readonly tokens: ReadonlySet<string>,
	) {}

	async poll(): Promise<StackEventView[]> {
		const fresh: StackEvent[] = [];
		let nextToken: string | undefined;
		pages: do {
			const page = await callAws(this.context, 'DescribeStackEvents', () =>
				this.cfn.describeStackEvents({StackName: this.stackName, ...(nextToken === undefined ? {} : {NextToken: nextToken})}),
			);
			for (const event of page.StackEvents ?? []) {
				const time = event.Timestamp ? new Date(event.Timestamp).getTime() : 0;
				if (this.seen.has(event.EventId ?? '') || time < this.since) break pages;
				fresh.push(event);
			}
			nextToken = page.NextToken;
		} while (nextToken);

		const added: StackEventView[] = [];
		for (const event of fresh.reverse()) {
			const id = event.EventId ?? `${event.LogicalResourceId}-${event.ResourceStatus}-${String(event.Timestamp)}`;
			this.seen.add(id);
			if (event.ClientRequestToken && this.tokens.size > 0 && !this.tokens.has(event.ClientRequestToken)) continue;
			if (event.LogicalResourceId && event.PhysicalResourceId) this.physicalIds.set(event.LogicalResourceId, event.PhysicalResourceId);
			const view: StackEventView = {
				id,
				timestamp: event.Timestamp ? new Date(event.Timestamp).getTime() : 0,
				logicalId: event.LogicalResourceId ?? '',
				resourceType: event.ResourceType ?? '',
				status: event.ResourceStatus ?? '',
				...(event.ResourceStatusReason ? {reason: event.ResourceStatusReason} : {}),
			};
			this.events.push(view);
			added.push(view);
		}
		return added;
	}
}
