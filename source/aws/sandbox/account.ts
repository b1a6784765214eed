import {createHmac, randomBytes} from 'node:crypto';
import type {AwsPorts} from '../ports.js';
import {sandboxError} from './errors.js';
export {sandboxError} from './errors.js';
import {applyStep} from './apply.js';
import {planCancel, planContinueRollback, planDelete, planExecution, stackResources} from './operations.js';
import {seedRepositories} from './seed.js';
import {withFileLock, type LockOptions} from '../../io/state-file.js';
import {emptyState, loadState, sandboxAccount, sandboxRegion, saveState, type SandboxState, type StackData} from './state.js';
import {servicePorts} from './services.js';
import {knownTypes, noEchoParameters, resourceChanges} from './template-model.js';

export type SandboxOptions = {
	/** The state file; absent = in memory only (tests). */
	file?: string;
	/** @default Date.now */
	now?: () => number;
	/** How much faster than a real deployment: 1 plays a create in about 20 s. @default 1 */
	speed?: number;
	/** Waiting for another process's lock on the file (tests shorten it). */
	lock?: LockOptions;
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

	/**
	 * Forgets every stack, service and log line; ECR is seeded again. Works on a state file that cannot be
	 * read (it is the way out of one). A good file is kept as sandbox.json.bak, so a reset can be undone; a
	 * bad one is not, so it cannot replace the last good copy.
	 */
	async reset(): Promise<void> {
		const state = this.fresh();
		this.memory = state;
		const file = this.options.file;
		if (!file) return;
		await withFileLock(
			file,
			async held => {
				const readable = await loadState(file).then(
					() => true,
					() => false,
				);
				await saveState(file, state, {backup: readable, held});
			},
			this.options.lock,
		);
	}

	/**
	 * Runs one call against the state, one call of this object at a time. With a file, other processes share
	 * the state: a call that changes it (or finds steps due) holds the file's lock and works on what the file
	 * holds at that moment; a call that only reads needs no lock, as the file is replaced in one rename.
	 */
	private call<T>(api: string, handler: (state: SandboxState) => T, options: {mutates?: boolean; faults?: boolean} = {}): Promise<T> {
		const run = async (): Promise<T> => {
			const file = this.options.file;
			if (!file) return this.play((this.memory ??= this.fresh()), this.now(), api, handler, options).result;
			if (!options.mutates) {
				const state = (await loadState(file)) ?? this.fresh();
				const now = this.now();
				if (!state.steps.some(s => s.at <= now)) return this.play(state, now, api, handler, options).result;
			}
			return withFileLock(
				file,
				async held => {
					const state = (await loadState(file)) ?? this.fresh();
					const {result, changed} = this.play(state, this.now(), api, handler, options);
					if (changed) await saveState(file, state, {backup: true, held});
					return result;
				},
				this.options.lock,
			);
		};
		const next = this.queue.then(run, run);
		this.queue = next.catch(() => undefined);
		return next;
	}

	/** Applies the steps due by `now`, injects faults, and answers; `changed` when the state must be saved. */
	private play<T>(state: SandboxState, now: number, api: string, handler: (state: SandboxState) => T, options: {mutates?: boolean; faults?: boolean}): {result: T; changed: boolean} {
		const moved = this.advance(state, now);
		if (options.faults !== false) this.injectFaults(state, api, now);
		const result = handler(state);
		return {result, changed: moved || Boolean(options.mutates)};
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
						const hidden = new Set(stack.body === undefined ? [] : noEchoParameters(stack.body));
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
									// NoEcho values are stored as CloudFormation shows them (`****`); a state file from before that is masked here.
									Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({ParameterKey, ParameterValue: hidden.has(ParameterKey) ? '****' : ParameterValue})),
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
							let template: {Resources?: Record<string, {Type?: string; Properties?: Record<string, unknown>}>; Parameters?: Record<string, {Default?: string}>};
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
							const capability = requiredCapability(template.Resources ?? {});
							const granted = input.Capabilities ?? [];
							// CAPABILITY_NAMED_IAM covers unnamed IAM resources too.
							if (capability && !granted.includes(capability) && !granted.includes('CAPABILITY_NAMED_IAM')) {
								throw sandboxError('InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`);
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
							const id = `arn:aws:cloudformation:${sandboxRegion}:${sandboxAccount}:changeSet/${input.ChangeSetName}/${this.id(state)}`;
							// NoEcho values are never stored: `****`, and a keyed digest to compare them with.
							const noEcho = (stack.noEcho ??= {key: randomBytes(32).toString('base64'), current: {}, changeSets: {}});
							const digests: Record<string, string> = {};
							for (const key of noEchoParameters(body)) {
								if (parameters[key] === undefined) continue;
								digests[key] = createHmac('sha256', noEcho.key).update(parameters[key]).digest('hex');
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
							Changes: ready && changeSet.status === 'CREATE_COMPLETE' ? changesOf(stack, changeSet.body, changeSet.type, changedParameters(stack.parameters, stack.noEcho?.current ?? {}, changeSet.parameters, stack.noEcho?.changeSets[changeSet.id] ?? {})) : [],
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
							const noEcho = stack.noEcho ?? {key: randomBytes(32).toString('base64'), current: {}, changeSets: {}};
							const digests = noEcho.changeSets[changeSet.id] ?? {};
							const changed = changedParameters(stack.parameters, noEcho.current, changeSet.parameters, digests);
							const previousBody = stack.body;
							stack.previous = {...(stack.body === undefined ? {} : {body: stack.body}), parameters: stack.parameters, tags: stack.tags, outputs: stack.outputs};
							stack.noEcho = {key: noEcho.key, current: digests, previous: noEcho.current, changeSets: {}};
							stack.body = changeSet.body;
							stack.parameters = changeSet.parameters;
							stack.tags = changeSet.tags;
							stack.changeSets = [];
							const creating = changeSet.type === 'CREATE';
							if (creating) stack.created = now;
							else stack.updated = now;
							const token = ClientRequestToken ?? this.id(state);
							state.steps.push(
								...planExecution(state, stack, {body: changeSet.body, parameters: changeSet.parameters, ...(previousBody === undefined ? {} : {previousBody}), changedParameters: changed, creating, token, now, speed: this.speed}),
							);
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
							if (stack.noEcho) delete stack.noEcho.changeSets[changeSet.id];
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
							const cancelled = state.steps.filter(s => s.stack === stack.id);
							state.steps = state.steps.filter(s => s.stack !== stack.id);
							// A task definition revision the update had already registered is deleted by the rollback.
							const since = stack.events.findLastIndex(e => e.resourceType === 'AWS::CloudFormation::Stack' && e.status === 'UPDATE_IN_PROGRESS');
							const initiated = stack.events.slice(since).some(e => e.resourceType === 'AWS::ECS::TaskDefinition' && e.reason === 'Resource creation Initiated');
							const registered = initiated && !cancelled.some(s => s.kind === 'register-task-definition');
							state.steps.push(...planCancel(stack, ClientRequestToken ?? this.id(state), this.now(), this.speed, registered));
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
				getTemplate: async ({StackName, ChangeSetName}) =>
					this.call('GetTemplate', state => {
						// No transforms in the sandbox: the processed template is the original.
						const body = ChangeSetName ? this.changeSet(state, ChangeSetName, StackName).changeSet.body : this.live(state, StackName ?? '').body;
						return {...(body === undefined ? {} : {TemplateBody: body}), StagesAvailable: ['Original', 'Processed'], $metadata: {}};
					}),
				listStackResources: async ({StackName, NextToken}) =>
					this.call('ListStackResources', state => {
						const stack = this.live(state, StackName ?? '');
						const all = stackResources(stack);
						const start = NextToken ? Number(NextToken) : 0;
						return {
							StackResourceSummaries: all.slice(start, start + 100).map(r => ({
								LogicalResourceId: r.id,
								PhysicalResourceId: r.physicalId,
								ResourceType: r.type,
								LastUpdatedTimestamp: new Date(r.updated),
								ResourceStatus: r.status as never,
								...(r.reason ? {ResourceStatusReason: r.reason} : {}),
								DriftInformation: {StackResourceDriftStatus: 'NOT_CHECKED' as const},
							})),
							...(start + 100 < all.length ? {NextToken: String(start + 100)} : {}),
							$metadata: {},
						};
					}),
			},
			...servicePorts((api, handler, options) => this.call(api, handler, options), {
				now: () => this.now(),
				speed: this.speed,
				play: (state, steps) => {
					state.steps.push(...steps);
					this.advance(state, this.now());
				},
			}),
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

/** The resource changes a change set would make, by comparing each resource (and the parameters it uses) with the stack's. */
function changesOf(stack: StackData, body: string, type: 'CREATE' | 'UPDATE', changed: readonly string[]) {
	const {added, modified, removed} = resourceChanges(type === 'CREATE' ? undefined : stack.body, body, changed);
	const changes = [
		...added.map(r => ({Type: 'Resource' as const, ResourceChange: {Action: 'Add' as const, LogicalResourceId: r.id, ResourceType: r.type, Scope: []}})),
		...modified.map(r => ({Type: 'Resource' as const, ResourceChange: {Action: 'Modify' as const, LogicalResourceId: r.id, ResourceType: r.type, Replacement: (r.type === 'AWS::ECS::TaskDefinition' ? 'True' : 'False') as never, Scope: ['Properties' as const]}})),
		...removed.map(r => ({Type: 'Resource' as const, ResourceChange: {Action: 'Remove' as const, LogicalResourceId: r.id, ResourceType: r.type, Scope: []}})),
	];
	// Parameter or tag changes alone still update the stack (image tags are parameters).
	if (changes.length === 0 && type === 'UPDATE') {
		changes.push({Type: 'Resource' as const, ResourceChange: {Action: 'Modify' as const, LogicalResourceId: 'TaskDefinition', ResourceType: 'AWS::ECS::TaskDefinition', Replacement: 'True' as never, Scope: ['Properties' as const]}});
	}
	return changes;
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
