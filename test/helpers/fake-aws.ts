import {
	CancelUpdateStackCommand,
	CloudFormationClient,
	ContinueUpdateRollbackCommand,
	CreateChangeSetCommand,
	DeleteChangeSetCommand,
	DeleteStackCommand,
	DescribeChangeSetCommand,
	DescribeStackEventsCommand,
	DescribeStacksCommand,
	ExecuteChangeSetCommand,
	type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {CloudWatchLogsClient, GetLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DescribeImagesCommand, ECRClient} from '@aws-sdk/client-ecr';
import {DescribeClustersCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Deployment, type Task} from '@aws-sdk/client-ecs';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {mockClient} from 'aws-sdk-client-mock';

/*
 * A stateful fake of the CloudFormation, ECS and CloudWatch Logs calls the engine makes, mocked at the SDK
 * client level (aws-sdk-client-mock). Each DescribeStacks call moves the running operation one step, so a
 * test drives a whole deployment through the real engine and real adapters. Shapes, statuses and messages
 * follow ../shared/aws-facts.md. Behaviour:
 * - CreateChangeSet → DescribeChangeSet is CREATE_COMPLETE with the resource changes, or FAILED with
 *   "The submitted information didn't contain changes…" when the template and parameters equal the stack's.
 * - ExecuteChangeSet starts the operation chosen by `scenario`: 'success', 'circuit-breaker' (tasks exit 1,
 *   ECS rolls back, stack UPDATE_ROLLBACK_COMPLETE) or 'resource-failure' (TaskDefinition fails, cascade,
 *   ROLLBACK_COMPLETE / UPDATE_ROLLBACK_COMPLETE).
 * - DeleteStack, ContinueUpdateRollback and CancelUpdateStack run their own short operations.
 * - `failNext(command, error)` makes the next calls of a command throw (throttling, expired tokens).
 */

export type Scenario = 'success' | 'circuit-breaker' | 'resource-failure' | 'slow';

type FakeStack = {
	id: string;
	name: string;
	status: string;
	reason?: string;
	events: StackEvent[];
	templateBody?: string;
	parameters?: string;
	outputs: Record<string, string>;
	revision: number;
	createdAt: Date;
	updatedAt?: Date;
	tags: Array<{Key: string; Value: string}>;
	changeSets: Map<string, {id: string; status: string; reason?: string; type: string; body: string; parameters: string; created: Date; tags: Array<{Key: string; Value: string}>}>;
};

type FakeService = {arn: string; name: string; deployments: Deployment[]; events: Array<{id: string; createdAt: Date; message: string}>; tasks: Task[]};

export const account = '111122223333';
export const region = 'eu-west-1';
export const cluster = 'main';

export function awsError(name: string, message: string, status = 400): Error {
	return Object.assign(new Error(message), {name, $fault: 'client', $metadata: {httpStatusCode: status, requestId: 'fake', attempts: 1, totalRetryDelay: 0}});
}

export class FakeAws {
	now = Date.parse('2026-11-23T10:00:00.000Z');
	scenario: Scenario = 'success';
	readonly stacks = new Map<string, FakeStack>();
	/** ECS services by stack name; operations act on the stack they run on. */
	private readonly services = new Map<string, FakeService>();
	private currentStack = '';
	get service(): FakeService | undefined {
		return this.services.get(this.currentStack);
	}
	set service(value: FakeService | undefined) {
		if (value) this.services.set(this.currentStack, value);
		else this.services.delete(this.currentStack);
	}
	readonly logs = new Map<string, string[]>();
	readonly calls: Array<{command: string; input: any}> = [];
	private steps: Array<() => void> = [];
	private readonly faults = new Map<string, Error[]>();
	private seq = 0;
	readonly cfn = mockClient(CloudFormationClient);
	readonly ecs = mockClient(ECSClient);
	readonly cwl = mockClient(CloudWatchLogsClient);
	readonly sts = mockClient(STSClient);
	readonly ecrMock = mockClient(ECRClient);
	/** ECR repositories: name → images (one digest, several tags). */
	readonly repositories = new Map<string, Array<{digest: string; tags: string[]; pushedAt: Date}>>();

	constructor() {
		const on = <I, O>(mock: any, command: any, name: string, handler: (input: I) => O) =>
			mock.on(command).callsFake(async (input: I) => {
				this.calls.push({command: name, input});
				const fault = this.faults.get(name)?.shift();
				if (fault) throw fault;
				return handler(input);
			});
		on(this.cfn, DescribeStacksCommand, 'DescribeStacks', (i: any) => this.describeStacks(i.StackName));
		on(this.cfn, DescribeStackEventsCommand, 'DescribeStackEvents', (i: any) => this.describeStackEvents(i.StackName, i.NextToken));
		on(this.cfn, CreateChangeSetCommand, 'CreateChangeSet', (i: any) => this.createChangeSet(i));
		on(this.cfn, DescribeChangeSetCommand, 'DescribeChangeSet', (i: any) => this.describeChangeSet(i.ChangeSetName));
		on(this.cfn, ExecuteChangeSetCommand, 'ExecuteChangeSet', (i: any) => this.executeChangeSet(i.ChangeSetName, i.ClientRequestToken));
		on(this.cfn, DeleteChangeSetCommand, 'DeleteChangeSet', (i: any) => this.deleteChangeSet(i.ChangeSetName));
		on(this.cfn, DeleteStackCommand, 'DeleteStack', (i: any) => this.deleteStack(i.StackName, i.ClientRequestToken));
		on(this.cfn, ContinueUpdateRollbackCommand, 'ContinueUpdateRollback', (i: any) => this.continueUpdateRollback(i.StackName, i.ClientRequestToken));
		on(this.cfn, CancelUpdateStackCommand, 'CancelUpdateStack', (i: any) => this.cancelUpdate(i.StackName, i.ClientRequestToken));
		on(this.ecs, DescribeServicesCommand, 'DescribeServices', (i: any) => this.describeServices(i.services[0]));
		on(this.ecs, ListTasksCommand, 'ListTasks', (i: any) => this.listTasks(i));
		on(this.ecs, DescribeTasksCommand, 'DescribeTasks', (i: any) => ({tasks: [...this.services.values()].flatMap(s => s.tasks).filter(t => i.tasks.includes(t.taskArn))}));
		on(this.sts, GetCallerIdentityCommand, 'GetCallerIdentity', () => ({Account: account, Arn: `arn:aws:sts::${account}:assumed-role/deployer/ci`, UserId: 'AROAFAKE:ci'}));
		on(this.ecrMock, DescribeImagesCommand, 'DescribeImages', (i: any) => this.describeImages(i));
		on(this.ecs, DescribeClustersCommand, 'DescribeClusters', (i: any) =>
			i.clusters[0] === cluster
				? {clusters: [{clusterName: cluster, clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`, status: 'ACTIVE', capacityProviders: ['FARGATE', 'FARGATE_SPOT']}], failures: []}
				: {clusters: [], failures: [{arn: i.clusters[0], reason: 'MISSING'}]},
		);
		on(this.cwl, GetLogEventsCommand, 'GetLogEvents', (i: any) => this.getLogEvents(i.logGroupName, i.logStreamName));
	}

	restore(): void {
		this.cfn.restore();
		this.ecs.restore();
		this.cwl.restore();
		this.sts.restore();
		this.ecrMock.restore();
	}

	private sleeps = 0;
	private readonly onSleep = new Map<number, () => void>();
	/** The engine's clock on the fake's time: sleeping moves time on at once. */
	clock = {
		now: () => this.now,
		sleep: async (ms: number) => {
			this.onSleep.get(++this.sleeps)?.();
			this.now += ms;
		},
	};

	/** Runs `action` when the engine sleeps for the `n`th time from now (between two polls). */
	atSleep(n: number, action: () => void): void {
		this.onSleep.set(this.sleeps + n, action);
	}

	/** The next `count` calls of `command` throw `error`. */
	failNext(command: string, error: Error, count = 1): void {
		this.faults.set(command, [...(this.faults.get(command) ?? []), ...Array.from({length: count}, () => error)]);
	}

	count(command: string): number {
		return this.calls.filter(c => c.command === command).length;
	}

	/** Puts a stack in a state, as an earlier deploy would have left it. */
	seedStack(name: string, status: string, options: {template?: string; parameters?: string; service?: boolean} = {}): FakeStack {
		const stack = this.newStack(name);
		this.currentStack = name;
		stack.status = status;
		if (options.template !== undefined) stack.templateBody = options.template;
		if (options.parameters !== undefined) stack.parameters = options.parameters;
		if (options.service) {
			stack.revision = 1;
			this.completeService(stack, 1);
		}
		return stack;
	}

	// CloudFormation ------------------------------------------------------------------------------

	private find(nameOrId: string): FakeStack | undefined {
		for (const stack of this.stacks.values()) if (stack.id === nameOrId) return stack;
		const byName = [...this.stacks.values()].filter(s => s.name === nameOrId && s.status !== 'DELETE_COMPLETE');
		return byName.at(-1);
	}

	private describeStacks(name: string) {
		this.steps.shift()?.();
		const stack = this.find(name);
		if (!stack) throw awsError('ValidationError', `Stack with id ${name} does not exist`);
		return {
			Stacks: [
				{
					StackId: stack.id,
					StackName: stack.name,
					StackStatus: stack.status,
					...(stack.reason ? {StackStatusReason: stack.reason} : {}),
					CreationTime: stack.createdAt,
					...(stack.updatedAt ? {LastUpdatedTime: stack.updatedAt} : {}),
					Tags: stack.tags,
					Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({OutputKey, OutputValue})),
				},
			],
		};
	}

	private describeStackEvents(name: string, nextToken?: string) {
		const stack = this.find(name);
		if (!stack) throw awsError('ValidationError', `Stack [${name}] does not exist`);
		// Newest first, in pages of 5 (the real API pages at 1 MB; small pages exercise the paging).
		const all = [...stack.events].reverse();
		const start = nextToken ? Number(nextToken) : 0;
		const page = all.slice(start, start + 5);
		return {StackEvents: page, ...(start + 5 < all.length ? {NextToken: String(start + 5)} : {})};
	}

	private newStack(name: string): FakeStack {
		const stack: FakeStack = {
			id: `arn:aws:cloudformation:${region}:${account}:stack/${name}/${String(++this.seq).padStart(8, '0')}-fake`,
			name,
			status: 'REVIEW_IN_PROGRESS',
			events: [],
			outputs: {},
			revision: 0,
			createdAt: new Date(this.now),
			tags: [],
			changeSets: new Map(),
		};
		this.stacks.set(stack.id, stack);
		return stack;
	}

	private createChangeSet(input: any) {
		let stack = this.find(input.StackName);
		if (input.ChangeSetType === 'CREATE') {
			if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw awsError('AlreadyExistsException', `Stack [${input.StackName}] already exists`);
			stack ??= this.newStack(input.StackName);
			this.event(stack, 'AWS::CloudFormation::Stack', input.StackName, 'REVIEW_IN_PROGRESS', 'User Initiated', undefined, stack.id);
		} else if (!stack) {
			throw awsError('ValidationError', `Stack [${input.StackName}] does not exist`);
		} else if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED'].includes(stack.status)) {
			throw awsError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
		}
		const parameters = JSON.stringify(input.Parameters);
		// Tags count as a change, as in CloudFormation.
		const empty = stack.templateBody === input.TemplateBody && stack.parameters === parameters && JSON.stringify(stack.tags) === JSON.stringify(input.Tags ?? []);
		const id = `arn:aws:cloudformation:${region}:${account}:changeSet/${input.ChangeSetName}/${++this.seq}`;
		stack.changeSets.set(id, {
			id,
			status: empty ? 'FAILED' : 'CREATE_COMPLETE',
			...(empty ? {reason: "The submitted information didn't contain changes. Submit different information to create a change set."} : {}),
			type: input.ChangeSetType,
			body: input.TemplateBody,
			parameters,
			created: new Date(this.now),
			tags: input.Tags ?? [],
		});
		return {Id: id, StackId: stack.id};
	}

	private changeSet(id: string) {
		for (const stack of this.stacks.values()) {
			const cs = stack.changeSets.get(id);
			if (cs) return {stack, cs};
		}
		throw Object.assign(awsError('ChangeSetNotFoundException', `ChangeSet [${id}] does not exist`, 404));
	}

	private describeChangeSet(id: string) {
		const {stack, cs} = this.changeSet(id);
		const resources = Object.entries(JSON.parse(cs.body).Resources as Record<string, {Type: string}>);
		return {
			ChangeSetId: cs.id,
			StackId: stack.id,
			Status: cs.status,
			ExecutionStatus: cs.status === 'FAILED' ? 'UNAVAILABLE' : 'AVAILABLE',
			...(cs.reason ? {StatusReason: cs.reason} : {}),
			CreationTime: cs.created,
			Changes: cs.status === 'FAILED' ? [] : resources.map(([logicalId, r]) => ({
				Type: 'Resource',
				ResourceChange: {
					Action: cs.type === 'CREATE' ? 'Add' : 'Modify',
					LogicalResourceId: logicalId,
					ResourceType: r.Type,
					...(cs.type === 'CREATE' ? {} : {Replacement: logicalId === 'TaskDefinition' ? 'True' : 'False'}),
					Scope: ['Properties'],
				},
			})),
		};
	}

	private deleteChangeSet(id: string) {
		const {stack} = this.changeSet(id);
		stack.changeSets.delete(id);
		return {};
	}

	private executeChangeSet(id: string, token: string) {
		const {stack, cs} = this.changeSet(id);
		this.currentStack = stack.name;
		stack.changeSets.clear();
		const previousTags = stack.tags;
		stack.tags = cs.tags;
		const creating = cs.type === 'CREATE';
		const previous = {body: stack.templateBody, parameters: stack.parameters};
		stack.templateBody = cs.body;
		stack.parameters = cs.parameters;
		const verb = creating ? 'CREATE' : 'UPDATE';
		if (creating) stack.createdAt = new Date(this.now);
		else stack.updatedAt = new Date(this.now);
		this.stackStatus(stack, `${verb}_IN_PROGRESS`, 'User Initiated', token);
		const revision = stack.revision + 1;
		const taskDefinition = this.taskDefinitionArn(stack, revision);
		const resources = Object.keys(JSON.parse(cs.body).Resources as object).filter(id => id !== 'TaskDefinition' && id !== 'Service');
		const steps: Array<() => void> = [];
		if (creating) {
			steps.push(() => resources.forEach(r => this.event(stack, 'AWS::Resource', r, 'CREATE_IN_PROGRESS', undefined, token)));
			steps.push(() => resources.forEach(r => this.event(stack, 'AWS::Resource', r, 'CREATE_COMPLETE', undefined, token, `${stack.name}-${r}`)));
		}
		if (this.scenario === 'resource-failure') {
			steps.push(() => {
				this.event(stack, 'AWS::ECS::TaskDefinition', 'TaskDefinition', `${verb}_IN_PROGRESS`, undefined, token);
				this.event(stack, 'AWS::ECS::TaskDefinition', 'TaskDefinition', `${verb}_FAILED`, 'Resource handler returned message: "Invalid request provided: Create TaskDefinition: No Fargate configuration exists for given values: 256 CPU, 4096 memory." (RequestToken: a3ab2120-1821-f83c-3adc-23d519cacdfe, HandlerErrorCode: InvalidRequest)', token);
				if (creating) this.event(stack, 'AWS::Logs::LogGroup', 'LogGroup', 'CREATE_FAILED', 'Resource creation cancelled', token);
				this.stackStatus(stack, creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to ${creating ? 'create' : 'update'}: [TaskDefinition]. Rollback requested by user.`, token);
			});
			steps.push(() => {
				stack.templateBody = previous.body;
				stack.parameters = previous.parameters;
				stack.tags = previousTags;
				this.stackStatus(stack, creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE', undefined, token);
			});
			this.steps = steps;
			return {};
		}
		steps.push(() => {
			this.event(stack, 'AWS::ECS::TaskDefinition', 'TaskDefinition', `${verb}_IN_PROGRESS`, creating ? undefined : 'Requested update requires the creation of a new physical resource; hence creating one.', token);
			this.event(stack, 'AWS::ECS::TaskDefinition', 'TaskDefinition', `${verb}_IN_PROGRESS`, 'Resource creation Initiated', token, taskDefinition);
			this.event(stack, 'AWS::ECS::TaskDefinition', 'TaskDefinition', `${verb}_COMPLETE`, undefined, token, taskDefinition);
		});
		const serviceArn = `arn:aws:ecs:${region}:${account}:service/${cluster}/${stack.name}-Service`;
		steps.push(() => {
			this.event(stack, 'AWS::ECS::Service', 'Service', `${verb}_IN_PROGRESS`, undefined, token, creating ? '' : serviceArn);
			this.startDeployment(stack, revision);
			this.event(stack, 'AWS::ECS::Service', 'Service', `${verb}_IN_PROGRESS`, creating ? 'Resource creation Initiated' : undefined, token, serviceArn);
		});
		if (this.scenario === 'slow') for (let i = 0; i < 20; i++) steps.push(() => undefined);
		if (this.scenario === 'circuit-breaker') {
			steps.push(() => this.failTasks(1));
			steps.push(() => {
				this.failTasks(2);
				this.rollBackDeployment();
				this.event(stack, 'AWS::ECS::Service', 'Service', 'UPDATE_FAILED', `Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'." (RequestToken: a3ab2120-1821-f83c-3adc-23d519cacdfe, HandlerErrorCode: GeneralServiceException)`, token, serviceArn);
				this.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Service]. ', token);
			});
			steps.push(() => {
				this.event(stack, 'AWS::ECS::Service', 'Service', 'UPDATE_COMPLETE', undefined, token, serviceArn);
				this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, token);
			});
			steps.push(() => {
				stack.templateBody = previous.body;
				stack.parameters = previous.parameters;
				stack.tags = previousTags;
				this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, token);
			});
			this.steps = steps;
			return {};
		}
		steps.push(() => this.runTasks());
		steps.push(() => {
			this.completeService(stack, revision);
			this.event(stack, 'AWS::ECS::Service', 'Service', `${verb}_COMPLETE`, undefined, token, serviceArn);
			stack.revision = revision;
			this.stackStatus(stack, `${verb}_COMPLETE`, undefined, token);
		});
		this.steps = steps;
		return {};
	}

	private deleteStack(nameOrId: string, token: string) {
		const stack = this.find(nameOrId);
		if (!stack) return {};
		this.currentStack = stack.name;
		this.stackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated', token);
		this.steps = [
			() => {
				this.stackStatus(stack, 'DELETE_COMPLETE', undefined, token);
				this.service = undefined;
			},
		];
		return {};
	}

	private continueUpdateRollback(nameOrId: string, token: string) {
		const stack = this.find(nameOrId)!;
		if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw awsError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
		this.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated', token);
		this.steps = [() => this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, token)];
		return {};
	}

	private cancelUpdate(nameOrId: string, token: string) {
		const stack = this.find(nameOrId)!;
		if (stack.status !== 'UPDATE_IN_PROGRESS') throw awsError('ValidationError', 'CancelUpdateStack cannot be called from current stack status');
		this.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'Stack update cancelled', token);
		this.steps = [() => this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, token)];
		return {};
	}

	private stackStatus(stack: FakeStack, status: string, reason: string | undefined, token: string | undefined): void {
		stack.status = status;
		if (reason === undefined) delete stack.reason;
		else stack.reason = reason;
		this.event(stack, 'AWS::CloudFormation::Stack', stack.name, status, reason, token, stack.id);
	}

	private event(stack: FakeStack, type: string, logicalId: string, status: string, reason: string | undefined, token: string | undefined, physicalId = ''): void {
		this.now += 250;
		const timestamp = new Date(this.now);
		stack.events.push({
			StackId: stack.id,
			StackName: stack.name,
			EventId: type === 'AWS::CloudFormation::Stack' ? `fake-${++this.seq}` : `${logicalId}-${status}-${timestamp.toISOString()}`,
			LogicalResourceId: logicalId,
			PhysicalResourceId: physicalId,
			ResourceType: type,
			ResourceStatus: status as never,
			Timestamp: timestamp,
			...(reason === undefined ? {} : {ResourceStatusReason: reason}),
			...(token === undefined ? {} : {ClientRequestToken: token}),
		});
	}

	private taskDefinitionArn(stack: FakeStack, revision: number): string {
		return `arn:aws:ecs:${region}:${account}:task-definition/${stack.name}:${revision}`;
	}

	// ECS ----------------------------------------------------------------------------------------

	private startDeployment(stack: FakeStack, revision: number): void {
		const arn = `arn:aws:ecs:${region}:${account}:service/${cluster}/${stack.name}-Service`;
		this.service ??= {arn, name: `${stack.name}-Service`, deployments: [], events: [], tasks: []};
		const service = this.service;
		for (const d of service.deployments) d.status = 'ACTIVE';
		const id = `ecs-svc/${String(1_000_000_000_000_000_000 + ++this.seq).slice(1)}`;
		service.deployments.unshift({
			id,
			status: 'PRIMARY',
			taskDefinition: this.taskDefinitionArn(stack, revision),
			desiredCount: 1,
			pendingCount: 1,
			runningCount: 0,
			failedTasks: 0,
			rolloutState: 'IN_PROGRESS',
			rolloutStateReason: `ECS deployment ${id} in progress.`,
		});
		this.task(`${String(++this.seq).padStart(32, 'a')}`, id, this.taskDefinitionArn(stack, revision), 'PROVISIONING');
		this.serviceEvent(`(service ${service.name}) has started 1 tasks: (task ${service.tasks[0]!.taskArn!.split('/').at(-1)}).`);
	}

	private task(id: string, deploymentId: string, taskDefinition: string, lastStatus: string): void {
		this.service!.tasks.unshift({
			taskArn: `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`,
			taskDefinitionArn: taskDefinition,
			startedBy: deploymentId,
			group: `service:${this.service!.name}`,
			lastStatus,
			desiredStatus: 'RUNNING',
			containers: [{name: 'web', lastStatus}],
		});
	}

	private runTasks(): void {
		const primary = this.service!.deployments[0]!;
		for (const t of this.service!.tasks) if (t.startedBy === primary.id) Object.assign(t, {lastStatus: 'RUNNING', containers: [{name: 'web', lastStatus: 'RUNNING'}]});
		Object.assign(primary, {pendingCount: 0, runningCount: 1});
	}

	private failTasks(n: number): void {
		const primary = this.service!.deployments[0]!;
		const task = this.service!.tasks.find(t => t.startedBy === primary.id && t.lastStatus !== 'STOPPED')!;
		const id = task.taskArn!.split('/').at(-1)!;
		Object.assign(task, {
			lastStatus: 'STOPPED',
			desiredStatus: 'STOPPED',
			stopCode: 'EssentialContainerExited',
			stoppedReason: 'Essential container in task exited',
			containers: [{name: 'web', lastStatus: 'STOPPED', exitCode: 1}],
		});
		this.logs.set(`web/web/${id}`, ['Starting server on :80', 'Error: config value DATABASE_URL is missing', 'Process exited with code 1']);
		primary.failedTasks = n;
		this.serviceEvent(`(service ${this.service!.name}) has stopped 1 running tasks: (task ${id}).`);
		if (n < 2) this.task(`${String(++this.seq).padStart(32, 'b')}`, primary.id!, primary.taskDefinition!, 'PROVISIONING');
	}

	private rollBackDeployment(): void {
		const service = this.service!;
		const [failed, previous] = service.deployments;
		Object.assign(failed!, {status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'});
		if (previous) Object.assign(previous, {status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${previous.id}.`});
		this.serviceEvent(`(service ${service.name}) (deployment ${failed!.id}) deployment failed: tasks failed to start.`);
		if (previous) this.serviceEvent(`(service ${service.name}) rolling back to deployment ${previous.id}.`);
	}

	private completeService(stack: FakeStack, revision: number): void {
		if (!this.service) this.startDeployment(stack, revision);
		const service = this.service!;
		this.runTasks();
		const primary = service.deployments[0]!;
		Object.assign(primary, {rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${primary.id} completed.`});
		service.deployments = [primary];
		this.serviceEvent(`(service ${service.name}) has reached a steady state.`);
		stack.outputs = {ServiceArn: service.arn, TaskDefinitionArn: this.taskDefinitionArn(stack, revision), ClusterName: cluster};
	}

	private serviceEvent(message: string): void {
		this.now += 250;
		this.service!.events.unshift({id: `${++this.seq}-event`, createdAt: new Date(this.now), message});
	}

	private describeServices(name: string) {
		const service = [...this.services.values()].find(s => s.arn === name || s.name === name);
		if (!service) return {services: [], failures: [{arn: name, reason: 'MISSING'}]};
		return {services: [{serviceArn: service.arn, serviceName: service.name, status: 'ACTIVE', deployments: service.deployments, events: service.events.slice(0, 100)}]};
	}

	private listTasks(input: any) {
		const services = [...this.services.values()];
		const tasks = input.serviceName ? (services.find(s => s.arn === input.serviceName || s.name === input.serviceName)?.tasks ?? []) : services.flatMap(s => s.tasks);
		const selected = input.startedBy
			? tasks.filter(t => t.startedBy === input.startedBy && t.desiredStatus === 'RUNNING')
			: tasks.filter(t => (input.desiredStatus ?? 'RUNNING') === t.desiredStatus);
		return {taskArns: selected.map(t => t.taskArn!)};
	}

	// ECR ----------------------------------------------------------------------------------------

	/** Adds images to a repository: each tag its own digest unless `digest` is given. */
	pushImage(repository: string, tags: string[], pushedAt: Date, digest?: string): string {
		const images = this.repositories.get(repository) ?? [];
		const d = digest ?? `sha256:${(++this.seq).toString(16).padStart(64, '0')}`;
		for (const image of images) image.tags = image.tags.filter(t => !tags.includes(t));
		images.push({digest: d, tags, pushedAt});
		this.repositories.set(repository, images);
		return d;
	}

	private describeImages(input: any) {
		const images = this.repositories.get(input.repositoryName);
		if (!images) throw awsError('RepositoryNotFoundException', `The repository with name '${input.repositoryName}' does not exist in the registry with id '${account}'`);
		if (input.imageIds) {
			const tag = input.imageIds[0].imageTag;
			const found = images.find(i => i.tags.includes(tag));
			if (!found) throw awsError('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '${account}'`);
			return {imageDetails: [{imageDigest: found.digest, imageTags: found.tags, imagePushedAt: found.pushedAt, repositoryName: input.repositoryName}]};
		}
		const tagged = images.filter(i => i.tags.length > 0);
		const max = input.maxResults ?? 100;
		const start = input.nextToken ? Number(input.nextToken) : 0;
		const page = tagged.slice(start, start + max);
		return {
			imageDetails: page.map(i => ({registryId: account, repositoryName: input.repositoryName, imageDigest: i.digest, imageTags: i.tags, imagePushedAt: i.pushedAt, imageSizeInBytes: 50_000_000})),
			...(start + max < tagged.length ? {nextToken: String(start + max)} : {}),
		};
	}

	// Logs ---------------------------------------------------------------------------------------

	private getLogEvents(group: string, stream: string) {
		const lines = this.logs.get(stream);
		if (!lines) throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
		return {events: lines.map((message, i) => ({timestamp: this.now - 1000 + i, message, ingestionTime: this.now})), group};
	}
}
