import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {Target} from '../../domain/records.js';
import {callAws} from '../core/aws-call.js';
import {connect, type EngineDeps} from '../core/deps.js';
import {listeningHost, type EngineHost} from '../core/host.js';
import {releaseFromStack} from '../releases/release-lookup.js';
import {describeStack} from '../monitor/stack-monitor.js';
import {stackNameFor} from '../core/stack-names.js';

/** A stack as the history browser's stack view shows it. */
export type StackDetails = {
	stackName: string;
	/** Absent: there is no stack. */
	status?: string;
	statusReason?: string;
	release?: string;
	createdAt?: number;
	updatedAt?: number;
	outputs: Array<{key: string; value: string; description?: string}>;
	/** NoEcho values come back from AWS as `****`. */
	parameters: Array<{key: string; value: string}>;
	resources: Array<{logicalId: string; physicalId: string; type: string; status: string; reason?: string; updatedAt?: number}>;
	/** The template CloudFormation has now (as submitted). */
	template?: string;
};

/** The stack of an environment: status, outputs, parameters, resources and its current template. */
export async function stackDetails(recipe: RecipeDocument, environment: string, target: Target, deps: EngineDeps, host: EngineHost = listeningHost()): Promise<StackDetails> {
	const {aws, context} = await connect(deps, target, host);
	const stackName = stackNameFor(recipe, environment, target);
	const stack = await describeStack({...context, aws}, stackName);
	if (!stack) return {stackName, outputs: [], parameters: [], resources: []};
	const resources: StackDetails['resources'] = [];
	let nextToken: string | undefined;
	do {
		const page = await callAws(context, 'ListStackResources', () => aws.cloudFormation.listStackResources({StackName: stack.StackId ?? stackName, ...(nextToken ? {NextToken: nextToken} : {})}));
		for (const r of page.StackResourceSummaries ?? []) {
			resources.push({
				logicalId: r.LogicalResourceId ?? '',
				physicalId: r.PhysicalResourceId ?? '',
				type: r.ResourceType ?? '',
				status: r.ResourceStatus ?? '',
				...(r.ResourceStatusReason ? {reason: r.ResourceStatusReason} : {}),
				...(r.LastUpdatedTimestamp ? {updatedAt: new Date(r.LastUpdatedTimestamp).getTime()} : {}),
			});
		}
		nextToken = page.NextToken;
	} while (nextToken);
	const template = await callAws(context, 'GetTemplate', () => aws.cloudFormation.getTemplate({StackName: stack.StackId ?? stackName, TemplateStage: 'Original'}));
	const release = releaseFromStack(stack, recipe.name)?.version;
	return {
		stackName,
		...(stack.StackStatus ? {status: stack.StackStatus} : {}),
		...(stack.StackStatusReason ? {statusReason: stack.StackStatusReason} : {}),
		...(release ? {release} : {}),
		...(stack.CreationTime ? {createdAt: new Date(stack.CreationTime).getTime()} : {}),
		...(stack.LastUpdatedTime ? {updatedAt: new Date(stack.LastUpdatedTime).getTime()} : {}),
		outputs: (stack.Outputs ?? []).map(o => ({key: o.OutputKey ?? '', value: o.OutputValue ?? '', ...(o.Description ? {description: o.Description} : {})})),
		parameters: (stack.Parameters ?? []).map(p => ({key: p.ParameterKey ?? '', value: p.ParameterValue ?? ''})),
		resources,
		...(template.TemplateBody ? {template: prettyTemplate(template.TemplateBody)} : {}),
	};
}

/** JSON templates are shown indented; YAML ones as they are. */
function prettyTemplate(body: string): string {
	try {
		return JSON.stringify(JSON.parse(body), null, 2);
	} catch {
		return body;
	}
}
