import type {DescribeChangeSetCommandOutput} from '../aws/ports.js';
import {classifyAwsError} from '../domain/aws-errors.js';
import {callAws} from './aws-call.js';
import {nextInterval} from './clock.js';
import type {ChangeView} from './host.js';
import type {StackContext} from './stack-context.js';

/* Change sets: wait for one to be ready, read its changes, and remove one that will not run. */

/** Waits until the change set is computed (CREATE_COMPLETE or FAILED); every wait honours detach and cancel. */
export async function waitForChangeSet(context: StackContext, id: string, stackName: string): Promise<DescribeChangeSetCommandOutput> {
	for (let quiet = 1; ; quiet++) {
		const out = await callAws(context, 'DescribeChangeSet', () => context.aws.cloudFormation.describeChangeSet({ChangeSetName: id, StackName: stackName}));
		if (out.Status === 'CREATE_COMPLETE' || out.Status === 'FAILED') return out;
		// A cancel stops waiting: the caller discards the change set.
		if (context.control.cancelRequested) return out;
		await context.control.pause(context.clock, nextInterval({...context.polling, idleMs: context.polling.activeMs}, quiet));
	}
}

/** Deletes a change set that will not run; a stack that only existed for it (REVIEW_IN_PROGRESS) goes too. */
export async function discardChangeSet(context: StackContext, changeSetId: string, kind: 'create' | 'update', stackId: string): Promise<void> {
	const {cloudFormation} = context.aws;
	try {
		await callAws(context, 'DeleteChangeSet', () => cloudFormation.deleteChangeSet({ChangeSetName: changeSetId, StackName: stackId}));
	} catch (error) {
		// Gone already: another operator's execution deleted the stack's other change sets.
		if (classifyAwsError(error) !== 'not-found') throw error;
	}
	if (kind !== 'create') return;
	// Only a stack that still exists for review alone goes: another operator may have created it meanwhile.
	const stack = (await callAws(context, 'DescribeStacks', () => cloudFormation.describeStacks({StackName: stackId}))).Stacks?.[0];
	if (stack?.StackStatus === 'REVIEW_IN_PROGRESS') await callAws(context, 'DeleteStack', () => cloudFormation.deleteStack({StackName: stackId, ClientRequestToken: context.newId()}));
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

/** The change set as lines for a question or a preview: `Modify TaskDefinition (AWS::ECS::TaskDefinition) [replaced]`. */
export function changeLines(changes: readonly ChangeView[]): string[] {
	return changes.map(c => `${c.action.padEnd(7)} ${c.logicalId} (${c.resourceType})${c.replacement === 'True' ? ' [replaced]' : c.replacement === 'Conditional' ? ' [may be replaced]' : ''}`);
}
