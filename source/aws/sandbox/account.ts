import type {AwsPorts} from '../ports.js';
import {sandboxError} from './errors.js';
export {sandboxError} from './errors.js';
import {applyStep} from './apply.js';
import {planCancel, planContinueRollback, planDelete, planExecution} from './operations.js';
import {seedRepositories} from './seed.js';
import {emptyState, loadState, sandboxAccount, sandboxRegion, saveState, type SandboxState, type StackData} from './state.js';
import {servicePorts} from './services.js';
import {knownTypes} from './template-model.js';

export type SandboxOptions = {
	/** The state file; absent = in memory only (tests). */
	file?: string;
	/** @default Date.now */
	now?: () => number;
	/** How much faster than a real deployment: 1 plays a create in about 20 s. @default 1 */
	speed?: number;
};

/**
 * A simulated AWS account behind the same ports as the real adapters: CloudFormation, ECS, ECR, STS and
 * CloudWatch Logs, played in process. Every call loads the state (another process may have moved it),
 * applies the steps that are due, answers, and saves. See sandbox.md for its behaviour.
 */
export class SandboxAccount {
	private memory: SandboxState | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private readonly now: () => number;
	private readonly speed: number;

	constructor(private readonly options: SandboxOptions = {}) {
		this.now = options.now ?? (() => Date.now());
		this.speed = options.speed ?? 1;
	}

	/** Forgets every stack, service and log line; ECR is seeded again. */
	async reset(): Promise<void> {
		const state = emptyState();
		seedRepositories(state, this.now());
		this.memory = state;
		await saveState(this.options.file, state);
	}

	/** Runs one call against the state, one at a time. */
	private call<T>(api: string, handler: (state: SandboxState) => T, options: {mutates?: boolean; faults?: boolean} = {}): Promise<T> {
		const run = async () => {
			const state = (this.options.file ? await loadState(this.options.file) : this.memory) ?? this.fresh();
			this.memory = state;
			const now = this.now();
			const moved = this.advance(state, now);
			if (options.faults !== false) this.injectFaults(state, api, now);
			const result = handler(state);
			if (moved || options.mutates) await saveState(this.options.file, state);
			return result;
		};
		const next = this.queue.then(run, run);
		this.queue = next.catch(() => undefined);
		return next;
	}

	private fresh(): SandboxState {
		const state = emptyState();
		seedRepositories(state, this.now());
		return state;
	}

	private advance(state: SandboxState, now: number): boolean {
		const due = state.steps.filter(s => s.at <= now);
		if (due.length === 0) return false;
		state.steps = state.steps.filter(s => s.at > now);
		for (const step of due) {
			const stack = state.stacks.find(s => s.id === step.stack);
			if (stack) applyStep({state, now: step.at, id: () => this.id(state)}, stack, step);
		}
		return true;
	}

	/** Faults a recipe asked for with SANDBOX_FAULTS: bursts of throttling, and a session that expires for a while. */
	private injectFaults(state: SandboxState, api: string, now: number): void {
		if (state.expiredUntil !== undefined && now < state.expiredUntil && api !== 'GetCallerIdentity') {
			throw sandboxError(api.startsWith('Describe') && !api.includes('Stack') ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', 403);
		}
		const until = state.calls['throttle-until'];
		if (until !== undefined && now < until) {
			state.calls[api] = (state.calls[api] ?? 0) + 1;
			// Three throttled calls in every five.
			if (state.calls[api]! % 5 < 3) throw sandboxError(api.includes('Stack') ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
		}
	}

	private id(state: SandboxState): string {
		state.seq++;
		return `${state.seq.toString(16).padStart(8, '0')}-5a4d-4b0c-9e1f-${(state.seq * 7919).toString(16).padStart(12, '0')}`;
	}

	private stack(state: SandboxState, nameOrId: string): StackData | undefined {
		return state.stacks.find(s => s.id === nameOrId) ?? state.stacks.filter(s => s.name === nameOrId && s.status !== 'DELETE_COMPLETE').at(-1);
	}

	private live(state: SandboxState, nameOrId: string, message = `Stack with id ${nameOrId} does not exist`): StackData {
		const stack = this.stack(state, nameOrId);
		if (!stack) throw sandboxError('ValidationError', message);
		return stack;
	}

	ports(): AwsPorts {
		return {
			cloudFormation: {
				describeStacks: async ({StackName}) =>
					this.call('DescribeStacks', state => {
						const stack = this.live(state, StackName ?? '');
						return {
							Stacks: [
								{
									StackId: stack.id,
									StackName: stack.name,
									StackStatus: stack.status as never,
									...(stack.reason ? {StackStatusReason: stack.reason} : {}),
									CreationTime: new Date(stack.created),
									...(stack.updated ? {LastUpdatedTime: new Date(stack.updated)} : {}),
									...(stack.deleted ? {DeletionTime: new Date(stack.deleted)} : {}),
									Tags: stack.tags,
									Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({OutputKey, OutputValue})),
									Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({ParameterKey, ParameterValue: ParameterKey.startsWith('Secret') ? '****' : ParameterValue})),
								},
							],
							$metadata: {},
						};
					}),
				describeStackEvents: async ({StackName, NextToken}) =>
					this.call('DescribeStackEvents', state => {
						const stack = this.live(state, StackName ?? '', `Stack [${StackName}] does not exist`);
						// Newest first, 100 to a page.
						const all = [...stack.events].reverse();
						const start = NextToken ? Number(NextToken) : 0;
						return {
							StackEvents: all.slice(start, start + 100).map(e => ({
								StackId: stack.id,
								StackName: stack.name,
								EventId: e.eventId,
								OperationId: e.operationId,
								LogicalResourceId: e.logicalId,
								PhysicalResourceId: e.physicalId,
								ResourceType: e.resourceType,
								ResourceStatus: e.status as never,
								Timestamp: new Date(e.timestamp),
								...(e.reason ? {ResourceStatusReason: e.reason} : {}),
								...(e.token ? {ClientRequestToken: e.token} : {}),
							})),
							...(start + 100 < all.length ? {NextToken: String(start + 100)} : {}),
							$metadata: {},
						};
					}),
				createChangeSet: async input =>
					this.call(
						'CreateChangeSet',
						state => {
							const body = input.TemplateBody ?? '{}';
							let template: {Resources?: Record<string, {Type?: string}>; Parameters?: Record<string, {Default?: string}>};
							try {
								template = JSON.parse(body);
							} catch {
								throw sandboxError('ValidationError', 'Template format error: JSON not well-formed.');
							}
							const unknown = Object.values(template.Resources ?? {}).map(r => r.Type ?? '').filter(t => !knownTypes.has(t));
							if (unknown.length > 0) throw sandboxError('ValidationError', `Template format error: Unrecognized resource types: [${unknown.join(', ')}]`);
							const parameters: Record<string, string> = {};
							for (const [key, p] of Object.entries(template.Parameters ?? {})) if (p.Default !== undefined) parameters[key] = p.Default;
							for (const p of input.Parameters ?? []) if (p.ParameterKey && p.ParameterValue !== undefined) parameters[p.ParameterKey] = p.ParameterValue;
							const missing = Object.keys(template.Parameters ?? {}).filter(k => parameters[k] === undefined);
							if (missing.length > 0) throw sandboxError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
							if (Object.values(template.Resources ?? {}).some(r => r.Type === 'AWS::IAM::Role') && !(input.Capabilities ?? []).includes('CAPABILITY_IAM')) {
								throw sandboxError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
							}
							let stack = this.stack(state, input.StackName ?? '');
							const now = this.now();
							if (input.ChangeSetType === 'CREATE') {
								if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw sandboxError('AlreadyExistsException', `Stack [${input.StackName}] already exists`);
								if (!stack) {
									stack = {id: `arn:aws:cloudformation:${sandboxRegion}:${sandboxAccount}:stack/${input.StackName}/${this.id(state)}`, name: input.StackName ?? '', status: 'REVIEW_IN_PROGRESS', created: now, parameters: {}, tags: [], outputs: {}, events: [], changeSets: [], taskDefinitionRevision: 0};
									state.stacks.push(stack);
									applyStep({state, now, id: () => this.id(state)}, stack, {at: now, stack: stack.id, kind: 'stack-status', data: {status: 'REVIEW_IN_PROGRESS', reason: 'User Initiated', newOperation: true}});
								}
							} else {
								if (!stack) throw sandboxError('ValidationError', `Stack [${input.StackName}] does not exist`);
								if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status) || stack.status.endsWith('_IN_PROGRESS')) {
									throw sandboxError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
								}
							}
							const tags = input.Tags?.map(t => ({Key: t.Key ?? '', Value: t.Value ?? ''})) ?? [];
							const empty = stack.body === body && JSON.stringify(stack.parameters) === JSON.stringify(parameters) && JSON.stringify(stack.tags) === JSON.stringify(tags);
							const id = `arn:aws:cloudformation:${sandboxRegion}:${sandboxAccount}:changeSet/${input.ChangeSetName}/${this.id(state)}`;
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
				describeChangeSet: async ({ChangeSetName, StackName}) =>
					this.call('DescribeChangeSet', state => {
						const {stack, changeSet} = this.changeSet(state, ChangeSetName ?? '', StackName);
						// A change set takes a moment to compute.
						const ready = this.now() - changeSet.created >= 1000 / this.speed;
						const status = ready ? changeSet.status : 'CREATE_IN_PROGRESS';
						return {
							ChangeSetId: changeSet.id,
							ChangeSetName: changeSet.name,
							StackId: stack.id,
							StackName: stack.name,
							Status: status as never,
							ExecutionStatus: (status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE') as never,
							...(ready && changeSet.reason ? {StatusReason: changeSet.reason} : {}),
							CreationTime: new Date(changeSet.created),
							Changes: ready && changeSet.status === 'CREATE_COMPLETE' ? changesOf(stack, changeSet.body, changeSet.type) : [],
							$metadata: {},
						};
					}),
				executeChangeSet: async ({ChangeSetName, StackName, ClientRequestToken}) =>
					this.call(
						'ExecuteChangeSet',
						state => {
							const {stack, changeSet} = this.changeSet(state, ChangeSetName ?? '', StackName);
							if (changeSet.status !== 'CREATE_COMPLETE') throw sandboxError('InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.status}]`);
							const now = this.now();
							stack.previous = {...(stack.body === undefined ? {} : {body: stack.body}), parameters: stack.parameters, tags: stack.tags, outputs: stack.outputs};
							stack.body = changeSet.body;
							stack.parameters = changeSet.parameters;
							stack.tags = changeSet.tags;
							stack.changeSets = [];
							const creating = changeSet.type === 'CREATE';
							if (creating) stack.created = now;
							else stack.updated = now;
							state.steps.push(...planExecution(state, stack, changeSet.body, changeSet.parameters, creating, ClientRequestToken ?? this.id(state), now, this.speed));
							this.advance(state, now);
							return {$metadata: {}};
						},
						{mutates: true},
					),
				deleteChangeSet: async ({ChangeSetName, StackName}) =>
					this.call(
						'DeleteChangeSet',
						state => {
							const {stack, changeSet} = this.changeSet(state, ChangeSetName ?? '', StackName);
							stack.changeSets = stack.changeSets.filter(c => c.id !== changeSet.id);
							return {$metadata: {}};
						},
						{mutates: true},
					),
				deleteStack: async ({StackName, ClientRequestToken}) =>
					this.call(
						'DeleteStack',
						state => {
							const stack = this.stack(state, StackName ?? '');
							// Deleting a stack that is not there succeeds, as in CloudFormation.
							if (!stack || stack.status === 'DELETE_COMPLETE') return {$metadata: {}};
							if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
								throw sandboxError('ValidationError', `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
							}
							if (stack.status === 'REVIEW_IN_PROGRESS') {
								stack.status = 'DELETE_COMPLETE';
								stack.deleted = this.now();
								return {$metadata: {}};
							}
							state.steps.push(...planDelete(stack, ClientRequestToken ?? this.id(state), this.now(), this.speed));
							this.advance(state, this.now());
							return {$metadata: {}};
						},
						{mutates: true},
					),
				cancelUpdateStack: async ({StackName, ClientRequestToken}) =>
					this.call(
						'CancelUpdateStack',
						state => {
							const stack = this.live(state, StackName ?? '');
							if (stack.status !== 'UPDATE_IN_PROGRESS') throw sandboxError('ValidationError', 'CancelUpdateStack cannot be called from current stack status');
							state.steps = state.steps.filter(s => s.stack !== stack.id);
							state.steps.push(...planCancel(stack, ClientRequestToken ?? this.id(state), this.now(), this.speed));
							this.advance(state, this.now());
							return {$metadata: {}};
						},
						{mutates: true},
					),
				continueUpdateRollback: async ({StackName, ClientRequestToken}) =>
					this.call(
						'ContinueUpdateRollback',
						state => {
							const stack = this.live(state, StackName ?? '');
							if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw sandboxError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
							state.steps.push(...planContinueRollback(stack, ClientRequestToken ?? this.id(state), this.now(), this.speed));
							this.advance(state, this.now());
							return {$metadata: {}};
						},
						{mutates: true},
					),
			},
			...servicePorts((api, handler, options) => this.call(api, handler, options)),
		};
	}

	private changeSet(state: SandboxState, nameOrId: string, stackName: string | undefined) {
		for (const stack of state.stacks) {
			if (stackName !== undefined && stack.id !== stackName && stack.name !== stackName) continue;
			const changeSet = stack.changeSets.find(c => c.id === nameOrId || c.name === nameOrId);
			if (changeSet) return {stack, changeSet};
		}
		throw sandboxError('ChangeSetNotFoundException', `ChangeSet [${nameOrId}] does not exist`, 404);
	}
}

/** The resource changes a change set would make, by comparing each resource with the stack's. */
function changesOf(stack: StackData, body: string, type: 'CREATE' | 'UPDATE') {
	const next = (JSON.parse(body) as {Resources?: Record<string, {Type: string}>}).Resources ?? {};
	const current = stack.body ? ((JSON.parse(stack.body) as {Resources?: Record<string, {Type: string}>}).Resources ?? {}) : {};
	const changes = [];
	for (const [id, resource] of Object.entries(next)) {
		const before = current[id];
		if (!before || type === 'CREATE') changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Add' as const, LogicalResourceId: id, ResourceType: resource.Type, Scope: []}});
		else if (JSON.stringify(before) !== JSON.stringify(resource)) {
			changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Modify' as const, LogicalResourceId: id, ResourceType: resource.Type, Replacement: (resource.Type === 'AWS::ECS::TaskDefinition' ? 'True' : 'False') as never, Scope: ['Properties' as const]}});
		}
	}
	for (const [id, resource] of Object.entries(current)) {
		if (!next[id]) changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Remove' as const, LogicalResourceId: id, ResourceType: resource.Type, Scope: []}});
	}
	// Parameter or tag changes alone still update the stack (image tags are parameters).
	if (changes.length === 0 && type === 'UPDATE') {
		changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Modify' as const, LogicalResourceId: 'TaskDefinition', ResourceType: 'AWS::ECS::TaskDefinition', Replacement: 'True' as never, Scope: ['Properties' as const]}});
	}
	return changes;
}

