import type {DescribeChangeSetCommandOutput} from '../aws/ports.js';
import {callAws} from './aws-call.js';
import {nextInterval} from './clock.js';
import type {Context} from './deploy.js';
import type {ChangeView} from './events.js';

/* Change sets: wait for one to be ready, read its changes, and remove one that will not run. */

export async function waitForChangeSet(context: Context, id: string, stackName: string): Promise<DescribeChangeSetCommandOutput> {
	for (let quiet = 1; ; quiet++) {
		const out = await callAws(context, 'DescribeChangeSet', () => context.aws.cloudFormation.describeChangeSet({ChangeSetName: id, StackName: stackName}));
		if (out.Status === 'CREATE_COMPLETE' || out.Status === 'FAILED') return out;
		await context.clock.sleep(nextInterval({...context.polling, idleMs: context.polling.activeMs}, quiet), context.signal);
	}
}

/** Deletes a change set that will not run; a stack that only existed for it (REVIEW_IN_PROGRESS) goes too. */
export async function discardChangeSet(context: Context, changeSet: DescribeChangeSetCommandOutput, kind: 'create' | 'update', stackId: string): Promise<void> {
	const {cloudFormation} = context.aws;
	await callAws(context, 'DeleteChangeSet', () => cloudFormation.deleteChangeSet({ChangeSetName: changeSet.ChangeSetId ?? '', StackName: stackId}));
	if (kind === 'create') await callAws(context, 'DeleteStack', () => cloudFormation.deleteStack({StackName: stackId, ClientRequestToken: context.newId()}));
}

export function changeViews(changeSet: DescribeChangeSetCommandOutput): ChangeView[] {
	return (changeSet.Changes ?? []).flatMap(change => {
		const r = change.ResourceChange;
		if (!r) return [];
		return [
			{
				action: r.Action ?? '',
				logicalId: r.LogicalResourceId ?? '',
				resourceType: r.ResourceType ?? '',
				...(r.Replacement ? {replacement: r.Replacement} : {}),
				scope: r.Scope ?? [],
			},
		];
	});
}
