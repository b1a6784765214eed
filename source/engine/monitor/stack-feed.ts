import type {CloudFormationPort, StackEvent} from '../../aws/ports.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import type {StackEventView} from '../core/host.js';

/**
 * The stack events of one operation, new ones only, old to new. DescribeStackEvents pages newest first:
 * read until an event already seen (or older than the operation), dedupe by EventId, then emit oldest first.
 * Events of other operations are left out: those before `since`, and those carrying a client request token
 * that is not one of `tokens` (the set may grow: a cancel adds its own token). Events without a token are kept.
 */
export class StackEventFeed {
	private readonly seen = new Set<string>();
	/** The physical id per logical id that the operation created or updated, e.g. the new task definition ARN. */
	readonly physicalIds = new Map<string, string>();
	readonly events: StackEventView[] = [];

	constructor(
		private readonly cfn: CloudFormationPort,
		private readonly context: CallContext,
		private readonly stackName: string,
		private readonly since: number,
		readonly tokens: Set<string>,
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
				if (this.seen.has(eventId(event)) || time < this.since) break pages;
				fresh.push(event);
			}
			nextToken = page.NextToken;
		} while (nextToken);

		const added: StackEventView[] = [];
		for (const event of fresh.reverse()) {
			const id = eventId(event);
			this.seen.add(id);
			if (event.ClientRequestToken && this.tokens.size > 0 && !this.tokens.has(event.ClientRequestToken)) continue;
			// An update replaces the task definition, then deletes the old one during cleanup (DELETE_* rows with the
			// old ARN): the operation's resource is the one it created, so deletions never overwrite it.
			const deleting = (event.ResourceStatus ?? '').startsWith('DELETE_');
			if (event.LogicalResourceId && event.PhysicalResourceId && !deleting) this.physicalIds.set(event.LogicalResourceId, event.PhysicalResourceId);
			const view = stackEventView(event, id);
			this.events.push(view);
			added.push(view);
		}
		return added;
	}
}

function eventId(event: StackEvent): string {
	return event.EventId ?? `${event.LogicalResourceId}-${event.ResourceStatus}-${String(event.Timestamp)}`;
}

/** A stack event as panes and printers show it. */
export function stackEventView(event: StackEvent, id = eventId(event)): StackEventView {
	return {
		id,
		timestamp: event.Timestamp ? new Date(event.Timestamp).getTime() : 0,
		logicalId: event.LogicalResourceId ?? '',
		resourceType: event.ResourceType ?? '',
		status: event.ResourceStatus ?? '',
		...(event.ResourceStatusReason ? {reason: event.ResourceStatusReason} : {}),
		...(event.OperationId ? {operationId: event.OperationId} : {}),
	};
}
