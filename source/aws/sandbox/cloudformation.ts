import {createHmac} from 'node:crypto';
import type {ChangeSetStatus, ExecutionStatus, Replacement, ResourceStatus, StackStatus} from '@aws-sdk/client-cloudformation';
import type {AwsPorts} from '../ports.js';
import {applyStep} from './apply.js';
import {page, type AccountClock, type Call} from './calls.js';
import {sandboxError} from './errors.js';
import {planCancel, planContinueRollback, planDelete, planExecution, stackResources} from './operations.js';
import {nextId, sandboxAccount, sandboxRegion, type ChangeSetData, type SandboxState, type StackData} from './state.js';
import {modifyDetails, resolvedProperties, type Resolution} from './change-details.js';
import {knownTypes, noEchoParameters, resourceChanges, type ResourceRef} from './template-model.js';

/* The sandbox's CloudFormation calls (change sets, stacks, events, resources), answered from the account state. */

export function cloudFormationPorts(call: Call, clock: AccountClock): Pick<AwsPorts, 'cloudFormation'> {
	return {
		cloudFormation: {
			describeStacks: async ({StackName}) =>
				call('DescribeStacks', state => {
					const stack = liveStack(state, StackName ?? '');
					const hidden = new Set(stack.body === undefined ? [] : noEchoParameters(stack.body));
					return {
						Stacks: [
							{
								StackId: stack.id,
								StackName: stack.name,
								StackStatus: stack.status as StackStatus,
								...(stack.reason ? {StackStatusReason: stack.reason} : {}),
								CreationTime: new Date(stack.created),
								...(stack.updated ? {LastUpdatedTime: new Date(stack.updated)} : {}),
								...(stack.deleted ? {DeletionTime: new Date(stack.deleted)} : {}),
								Tags: stack.tags,
								Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({OutputKey, OutputValue})),
								// NoEcho values are stored as CloudFormation shows them (`****`); a state file from before that is masked here.
								Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({ParameterKey, ParameterValue: hidden.has(ParameterKey) ? '****' : ParameterValue})),
							},
						],
						$metadata: {},
					};
				}),
			describeStackEvents: async ({StackName, NextToken}) =>
				call('DescribeStackEvents', state => {
					const stack = liveStack(state, StackName ?? '', `Stack [${StackName}] does not exist`);
					// Newest first, 100 to a page.
					const {items, next} = page([...stack.events].reverse(), NextToken, 100);
					return {
						StackEvents: items.map(e => ({
							StackId: stack.id,
							StackName: stack.name,
							EventId: e.eventId,
							OperationId: e.operationId,
							LogicalResourceId: e.logicalId,
							PhysicalResourceId: e.physicalId,
							ResourceType: e.resourceType,
							ResourceStatus: e.status as ResourceStatus,
							Timestamp: new Date(e.timestamp),
							...(e.reason ? {ResourceStatusReason: e.reason} : {}),
							...(e.token ? {ClientRequestToken: e.token} : {}),
						})),
						...(next ? {NextToken: next} : {}),
						$metadata: {},
					};
				}),
			createChangeSet: async input =>
				call(
					'CreateChangeSet',
					state => {
						const body = input.TemplateBody ?? '{}';
						const template = checkedTemplate(body);
						const parameters: Record<string, string> = {};
						for (const [key, p] of Object.entries(template.Parameters ?? {})) if (p.Default !== undefined) parameters[key] = p.Default;
						for (const p of input.Parameters ?? []) if (p.ParameterKey && p.ParameterValue !== undefined) parameters[p.ParameterKey] = p.ParameterValue;
						const missing = Object.keys(template.Parameters ?? {}).filter(k => parameters[k] === undefined);
						if (missing.length > 0) throw sandboxError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
						const capability = requiredCapability(template.Resources ?? {});
						const granted = input.Capabilities ?? [];
						// CAPABILITY_NAMED_IAM covers unnamed IAM resources too.
						if (capability && !granted.includes(capability) && !granted.includes('CAPABILITY_NAMED_IAM')) {
							throw sandboxError('InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`);
						}
						let stack = findStack(state, input.StackName ?? '');
						const now = clock.now();
						if (input.ChangeSetType === 'CREATE') {
							if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw sandboxError('AlreadyExistsException', `Stack [${input.StackName}] already exists`);
							if (!stack) {
								stack = {id: `arn:aws:cloudformation:${sandboxRegion}:${sandboxAccount}:stack/${input.StackName}/${nextId(state)}`, name: input.StackName ?? '', status: 'REVIEW_IN_PROGRESS', created: now, parameters: {}, tags: [], outputs: {}, events: [], changeSets: [], taskDefinitionRevision: 0};
								state.stacks.push(stack);
								applyStep({state, now, speed: clock.speed}, stack, {at: now, stack: stack.id, kind: 'stack-status', data: {status: 'REVIEW_IN_PROGRESS', reason: 'User Initiated', newOperation: true}});
							}
						} else {
							if (!stack) throw sandboxError('ValidationError', `Stack [${input.StackName}] does not exist`);
							if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status) || stack.status.endsWith('_IN_PROGRESS')) {
								throw sandboxError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
							}
						}
						const tags = input.Tags?.map(t => ({Key: t.Key ?? '', Value: t.Value ?? ''})) ?? [];
						const id = `arn:aws:cloudformation:${sandboxRegion}:${sandboxAccount}:changeSet/${input.ChangeSetName}/${nextId(state)}`;
						// NoEcho values are never stored: `****`, and a digest keyed with the account object's key, which
						// is not in the file (another process has another key: to it, every value looks changed).
						const noEcho = (stack.noEcho ??= freshNoEcho());
						const digests: Record<string, string> = {};
						for (const key of noEchoParameters(body)) {
							if (parameters[key] === undefined) continue;
							digests[key] = createHmac('sha256', clock.noEchoKey).update(parameters[key]).digest('hex');
							parameters[key] = '****';
						}
						noEcho.changeSets[id] = digests;
						const empty = stack.body === body && changedParameters(stack.parameters, noEcho.current, parameters, digests).length === 0 && JSON.stringify(stack.tags) === JSON.stringify(tags);
						stack.changeSets.push({
							id,
							name: input.ChangeSetName ?? '',
							type: input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE',
							status: empty ? 'FAILED' : 'CREATE_COMPLETE',
							...(empty ? {reason: "The submitted information didn't contain changes. Submit different information to create a change set."} : {}),
							body,
							parameters,
							tags,
							created: now,
						});
						return {Id: id, StackId: stack.id, $metadata: {}};
					},
					{mutates: true},
				),
			describeChangeSet: async ({ChangeSetName, StackName, IncludePropertyValues}) =>
				call('DescribeChangeSet', state => {
					const {stack, changeSet} = findChangeSet(state, ChangeSetName ?? '', StackName);
					// A change set takes a moment to compute.
					const ready = clock.now() - changeSet.created >= 1000 / clock.speed;
					const status = ready ? changeSet.status : 'CREATE_IN_PROGRESS';
					return {
						ChangeSetId: changeSet.id,
						ChangeSetName: changeSet.name,
						StackId: stack.id,
						StackName: stack.name,
						Status: status as ChangeSetStatus,
						ExecutionStatus: (status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE') as ExecutionStatus,
						...(ready && changeSet.reason ? {StatusReason: changeSet.reason} : {}),
						CreationTime: new Date(changeSet.created),
						Changes:
							ready && changeSet.status === 'CREATE_COMPLETE'
								? changesOf(stack, changeSet, changedParameters(stack.parameters, stack.noEcho?.current ?? {}, changeSet.parameters, stack.noEcho?.changeSets[changeSet.id] ?? {}), IncludePropertyValues === true)
								: [],
						$metadata: {},
					};
				}),
			executeChangeSet: async ({ChangeSetName, StackName, ClientRequestToken}) =>
				call(
					'ExecuteChangeSet',
					state => {
						const {stack, changeSet} = findChangeSet(state, ChangeSetName ?? '', StackName);
						if (changeSet.status !== 'CREATE_COMPLETE') throw sandboxError('InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.status}]`);
						const now = clock.now();
						const noEcho = stack.noEcho ?? freshNoEcho();
						const digests = noEcho.changeSets[changeSet.id] ?? {};
						const changed = changedParameters(stack.parameters, noEcho.current, changeSet.parameters, digests);
						const previousBody = stack.body;
						stack.previous = {...(stack.body === undefined ? {} : {body: stack.body}), parameters: stack.parameters, tags: stack.tags, outputs: stack.outputs};
						stack.noEcho = {current: digests, previous: noEcho.current, changeSets: {}};
						stack.body = changeSet.body;
						stack.parameters = changeSet.parameters;
						stack.tags = changeSet.tags;
						stack.changeSets = [];
						const creating = changeSet.type === 'CREATE';
						if (creating) stack.created = now;
						else stack.updated = now;
						const token = ClientRequestToken ?? nextId(state);
						clock.schedule(state, planExecution(state, stack, {body: changeSet.body, parameters: changeSet.parameters, ...(previousBody === undefined ? {} : {previousBody}), changedParameters: changed, creating, token, now, speed: clock.speed}));
						return {$metadata: {}};
					},
					{mutates: true},
				),
			deleteChangeSet: async ({ChangeSetName, StackName}) =>
				call(
					'DeleteChangeSet',
					state => {
						const {stack, changeSet} = findChangeSet(state, ChangeSetName ?? '', StackName);
						stack.changeSets = stack.changeSets.filter(c => c.id !== changeSet.id);
						if (stack.noEcho) delete stack.noEcho.changeSets[changeSet.id];
						return {$metadata: {}};
					},
					{mutates: true},
				),
			deleteStack: async ({StackName, ClientRequestToken}) =>
				call(
					'DeleteStack',
					state => {
						const stack = findStack(state, StackName ?? '');
						// Deleting a stack that is not there succeeds, as in CloudFormation.
						if (!stack || stack.status === 'DELETE_COMPLETE') return {$metadata: {}};
						if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
							throw sandboxError('ValidationError', `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
						}
						if (stack.status === 'REVIEW_IN_PROGRESS') {
							stack.status = 'DELETE_COMPLETE';
							stack.deleted = clock.now();
							return {$metadata: {}};
						}
						clock.schedule(state, planDelete(stack, ClientRequestToken ?? nextId(state), clock.now(), clock.speed));
						return {$metadata: {}};
					},
					{mutates: true},
				),
			cancelUpdateStack: async ({StackName, ClientRequestToken}) =>
				call(
					'CancelUpdateStack',
					state => {
						const stack = liveStack(state, StackName ?? '');
						if (stack.status !== 'UPDATE_IN_PROGRESS') throw sandboxError('ValidationError', 'CancelUpdateStack cannot be called from current stack status');
						const cancelled = state.steps.filter(s => s.stack === stack.id);
						state.steps = state.steps.filter(s => s.stack !== stack.id);
						// A task definition revision the update had already registered is deleted by the rollback.
						const since = stack.events.findLastIndex(e => e.resourceType === 'AWS::CloudFormation::Stack' && e.status === 'UPDATE_IN_PROGRESS');
						const initiated = stack.events.slice(since).some(e => e.resourceType === 'AWS::ECS::TaskDefinition' && e.reason === 'Resource creation Initiated');
						const registered = initiated && !cancelled.some(s => s.kind === 'register-task-definition');
						clock.schedule(state, planCancel(stack, ClientRequestToken ?? nextId(state), clock.now(), clock.speed, registered));
						return {$metadata: {}};
					},
					{mutates: true},
				),
			continueUpdateRollback: async ({StackName, ClientRequestToken}) =>
				call(
					'ContinueUpdateRollback',
					state => {
						const stack = liveStack(state, StackName ?? '');
						if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw sandboxError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
						clock.schedule(state, planContinueRollback(stack, ClientRequestToken ?? nextId(state), clock.now(), clock.speed));
						return {$metadata: {}};
					},
					{mutates: true},
				),
			getTemplate: async ({StackName, ChangeSetName}) =>
				call('GetTemplate', state => {
					// No transforms in the sandbox: the processed template is the original.
					const body = ChangeSetName ? findChangeSet(state, ChangeSetName, StackName).changeSet.body : liveStack(state, StackName ?? '').body;
					return {...(body === undefined ? {} : {TemplateBody: body}), StagesAvailable: ['Original', 'Processed'], $metadata: {}};
				}),
			validateTemplate: async ({TemplateBody}) =>
				call('ValidateTemplate', () => {
					const template = checkedTemplate(TemplateBody ?? '{}');
					const capability = requiredCapability(template.Resources ?? {});
					return {
						Parameters: Object.entries(template.Parameters ?? {}).map(([ParameterKey, p]) => ({ParameterKey, ...(p.Default === undefined ? {} : {DefaultValue: p.Default}), NoEcho: p.NoEcho === true || p.NoEcho === 'true'})),
						...(capability ? {Capabilities: [capability as 'CAPABILITY_IAM'], CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]'} : {}),
						$metadata: {},
					};
				}),
			listStackResources: async ({StackName, NextToken}) =>
				call('ListStackResources', state => {
					const stack = liveStack(state, StackName ?? '');
					const {items, next} = page(stackResources(stack), NextToken, 100);
					return {
						StackResourceSummaries: items.map(r => ({
							LogicalResourceId: r.id,
							PhysicalResourceId: r.physicalId,
							ResourceType: r.type,
							LastUpdatedTimestamp: new Date(r.updated),
							ResourceStatus: r.status as ResourceStatus,
							...(r.reason ? {ResourceStatusReason: r.reason} : {}),
							DriftInformation: {StackResourceDriftStatus: 'NOT_CHECKED' as const},
						})),
						...(next ? {NextToken: next} : {}),
						$metadata: {},
					};
				}),
		},
	};
}

type TemplateShape = {Resources?: Record<string, {Type?: string; Properties?: Record<string, unknown>}>; Parameters?: Record<string, {Default?: string; NoEcho?: boolean | string}>};

/** A template body as CloudFormation checks it before anything else: well-formed JSON of known resource types. */
function checkedTemplate(body: string): TemplateShape {
	let template: TemplateShape;
	try {
		template = JSON.parse(body) as TemplateShape;
	} catch {
		throw sandboxError('ValidationError', 'Template format error: JSON not well-formed.');
	}
	const unknown = Object.values(template.Resources ?? {}).map(r => r.Type ?? '').filter(t => !knownTypes.has(t));
	if (unknown.length > 0) throw sandboxError('ValidationError', `Template format error: Unrecognized resource types: [${unknown.join(', ')}]`);
	return template;
}

/** A stack by id, or the newest by that name that is not deleted. */
function findStack(state: SandboxState, nameOrId: string): StackData | undefined {
	return state.stacks.find(s => s.id === nameOrId) ?? state.stacks.filter(s => s.name === nameOrId && s.status !== 'DELETE_COMPLETE').at(-1);
}

/** findStack, or the ValidationError CloudFormation gives for a stack that does not exist. */
function liveStack(state: SandboxState, nameOrId: string, message = `Stack with id ${nameOrId} does not exist`): StackData {
	const stack = findStack(state, nameOrId);
	if (!stack) throw sandboxError('ValidationError', message);
	return stack;
}

/** A change set by name or id, of the stack named (any stack when none is). */
function findChangeSet(state: SandboxState, nameOrId: string, stackName: string | undefined) {
	for (const stack of state.stacks) {
		if (stackName !== undefined && stack.id !== stackName && stack.name !== stackName) continue;
		const changeSet = stack.changeSets.find(c => c.id === nameOrId || c.name === nameOrId);
		if (changeSet) return {stack, changeSet};
	}
	throw sandboxError('ChangeSetNotFoundException', `ChangeSet [${nameOrId}] does not exist`, 404);
}

/**
 * The resource changes a change set would make, by comparing each resource (and the parameters it uses) with
 * the stack's; a modified resource has its details (which properties, whether they recreate it, what caused
 * it) and, with `includeValues` (DescribeChangeSet's IncludePropertyValues), the values and the contexts.
 */
function changesOf(stack: StackData, changeSet: ChangeSetData, changed: readonly string[], includeValues: boolean) {
	const {body, type, parameters} = changeSet;
	const previousBody = type === 'CREATE' ? undefined : stack.body;
	const {added, modified, removed} = resourceChanges(previousBody, body, changed);
	const physicalIds = new Map(type === 'CREATE' ? [] : stackResources(stack).map(r => [r.id, r.physicalId] as const));
	const before: Resolution = {parameters: stack.parameters, physicalIds, unknown: new Set(), stackName: stack.name};
	const unknown = new Set(added.map(r => r.id));
	const detailsOf = (r: ResourceRef, after: Resolution) =>
		modifyDetails({logicalId: r.id, type: r.type, previousBody: previousBody ?? '{}', body, before, after, changedParameters: changed, includeValues});
	// A replaced resource gets a new physical id: what refers to it is known only after the change set runs.
	for (const r of modified) {
		if (detailsOf(r, {parameters, physicalIds, unknown, stackName: stack.name}).details.some(d => d.Target?.RequiresRecreation === 'Always')) unknown.add(r.id);
	}
	const after: Resolution = {parameters, physicalIds, unknown, stackName: stack.name};
	const context = (side: 'BeforeContext' | 'AfterContext', properties: Record<string, unknown> | undefined) => (includeValues && properties ? {[side]: JSON.stringify({Properties: properties})} : {});
	const changes = [
		...added.map(r => ({Type: 'Resource' as const, ResourceChange: {Action: 'Add' as const, LogicalResourceId: r.id, ResourceType: r.type, Scope: [], ...context('AfterContext', resolvedProperties(body, r.id, after))}})),
		...modified.map(r => {
			const {details, beforeContext, afterContext} = detailsOf(r, after);
			const replaced = details.some(d => d.Target?.RequiresRecreation === 'Always');
			return {
				Type: 'Resource' as const,
				ResourceChange: {
					Action: 'Modify' as const,
					LogicalResourceId: r.id,
					PhysicalResourceId: physicalIds.get(r.id),
					ResourceType: r.type,
					Replacement: (replaced ? 'True' : 'False') as Replacement,
					Scope: ['Properties' as const],
					Details: details,
					...(beforeContext === undefined ? {} : {BeforeContext: beforeContext}),
					...(afterContext === undefined ? {} : {AfterContext: afterContext}),
				},
			};
		}),
		...removed.map(r => ({Type: 'Resource' as const, ResourceChange: {Action: 'Remove' as const, LogicalResourceId: r.id, PhysicalResourceId: physicalIds.get(r.id), ResourceType: r.type, Scope: [], ...context('BeforeContext', previousBody === undefined ? undefined : resolvedProperties(previousBody, r.id, before))}})),
	];
	// Parameter or tag changes alone still update the stack (image tags are parameters).
	if (changes.length === 0 && type === 'UPDATE') {
		changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Modify' as const, LogicalResourceId: 'TaskDefinition', PhysicalResourceId: physicalIds.get('TaskDefinition'), ResourceType: 'AWS::ECS::TaskDefinition', Replacement: 'True' as Replacement, Scope: ['Properties' as const], Details: []}});
	}
	return changes;
}

/** A stack's first NoEcho record: no digests yet. */
function freshNoEcho(): NonNullable<StackData['noEcho']> {
	return {current: {}, changeSets: {}};
}

/** Parameters whose values differ; NoEcho ones (stored as `****`) by their digests. */
function changedParameters(before: Record<string, string>, beforeDigests: Record<string, string>, after: Record<string, string>, afterDigests: Record<string, string>): string[] {
	const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
	return [...keys].filter(key => before[key] !== after[key] || beforeDigests[key] !== afterDigests[key]);
}

/**
 * The capability a template needs: IAM resources need CAPABILITY_IAM, or CAPABILITY_NAMED_IAM when they
 * have custom names (the Capabilities parameter of
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
 */
function requiredCapability(resources: Record<string, {Type?: string; Properties?: Record<string, unknown>}>): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
	const iam = Object.values(resources).filter(r => r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::Policy');
	if (iam.some(r => r.Type === 'AWS::IAM::Role' && r.Properties?.['RoleName'] !== undefined)) return 'CAPABILITY_NAMED_IAM';
	return iam.length > 0 ? 'CAPABILITY_IAM' : undefined;
}
