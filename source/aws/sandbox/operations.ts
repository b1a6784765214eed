import {createHash} from 'node:crypto';
import {behaviourOf, readTemplate, resourceChanges, type ContainerModel, type ResourceModel, type ResourceRef, type TemplateModel} from './template-model.js';
import {sandboxAccount, sandboxCluster, sandboxRegion, type SandboxStage, type SandboxState, type StackData, type Step, type StepPayload} from './state.js';
import {registeredTaskDefinition} from './task-definition.js';

/*
 * Plays stack operations as timed steps: CloudFormation events in dependency order with the real status
 * names and reasons, and the ECS deployment underneath (tasks PROVISIONING → … → RUNNING, or failing and
 * rolled back by the circuit breaker). Times are in seconds of a real deployment, divided by `speed`.
 */

type Plan = {steps: Step[]; t: number; stack: string; token: string; speed: number; start: number};

/** A step `seconds` after the previous one. */
function at(plan: Plan, seconds: number, payload: StepPayload): void {
	plan.t += seconds;
	plan.steps.push({at: plan.start + Math.round((plan.t * 1000) / plan.speed), stack: plan.stack, ...payload});
}

/** A stack row (and the stack's new status). */
function stackStatus(plan: Plan, seconds: number, status: string, extra: {reason?: string; newOperation?: boolean} = {}): void {
	at(plan, seconds, {kind: 'stack-status', data: {token: plan.token, status, ...extra}});
}

/** A resource row. */
function row(plan: Plan, seconds: number, resource: ResourceRef, status: string, extra: {reason?: string; physicalId?: string} = {}): void {
	at(plan, seconds, {kind: 'event', data: {token: plan.token, logicalId: resource.id, type: resource.type, status, ...extra}});
}

const fargateSizes: Record<string, number[]> = {
	'256': [512, 1024, 2048],
	'512': [1024, 2048, 3072, 4096],
	'1024': [2048, 3072, 4096, 5120, 6144, 7168, 8192],
	'2048': Array.from({length: 13}, (_, i) => 4096 + i * 1024),
	'4096': Array.from({length: 23}, (_, i) => 8192 + i * 1024),
};

export function taskDefinitionArn(family: string, revision: number): string {
	return `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:task-definition/${family}:${revision}`;
}

export function serviceArnFor(stackName: string): string {
	return `arn:aws:ecs:${sandboxRegion}:${sandboxAccount}:service/${sandboxCluster}/${stackName}-Service-${stackName.length.toString(16)}Fk3`;
}

/**
 * The resources that support the service: made before the task definition, in two waves (a policy needs its
 * role or its secret).
 */
const supportingTypes = new Set(['AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::SecretsManager::Secret', 'AWS::IAM::Policy', 'AWS::SecretsManager::ResourcePolicy']);
/** Application Auto Scaling: made after the service it scales. */
const scalingTypes = new Set(['AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy']);

/** The physical id Application Auto Scaling gives: the target's `service/<cluster>/<service>|<dimension>|ecs`, a policy's ARN. */
function scalingPhysicalId(stack: StackData, resource: ResourceRef, serviceArn: string): string {
	const resourceId = `service/${sandboxCluster}/${serviceArn.split('/').at(-1)}`;
	if (resource.type === 'AWS::ApplicationAutoScaling::ScalableTarget') return `${resourceId}|ecs:service:DesiredCount|ecs`;
	const uuid = suffix(`${stack.id}/${resource.id}`, 32, hex);
	return `arn:aws:autoscaling:${sandboxRegion}:${sandboxAccount}:scalingPolicy:${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}:resource/ecs/${resourceId}:policyName/${stack.name}-${resource.id}`;
}

const waveOf = (type: string) => (type === 'AWS::IAM::Policy' || type === 'AWS::SecretsManager::ResourcePolicy' ? 1 : 0);

/** The same few characters every time for the same seed, like the suffixes CloudFormation and Secrets Manager add. */
function suffix(seed: string, length: number, alphabet: string): string {
	const bytes = createHash('sha256').update(seed).digest();
	return Array.from({length}, (_, i) => alphabet[bytes[i]! % alphabet.length]).join('');
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const hex = '0123456789abcdef';
const mixed = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The physical id CloudFormation gives a supporting resource: its name, or one made from the stack's. */
function physicalIdOf(stack: StackData, resource: ResourceRef & {name?: string}): string {
	switch (resource.type) {
		case 'AWS::Logs::LogGroup':
			return resource.name ?? `${stack.name}-${resource.id}`;
		case 'AWS::SecretsManager::Secret': {
			// Secrets Manager adds a hyphen and six random characters to the name.
			const name = resource.name ?? `${resource.id}-${suffix(`${stack.id}/${resource.id}`, 12, mixed)}`;
			return `arn:aws:secretsmanager:${sandboxRegion}:${sandboxAccount}:secret:${name}-${suffix(`${stack.id}/${resource.id}/arn`, 6, mixed)}`;
		}
		case 'AWS::IAM::Policy':
			return `${stack.name.slice(0, 5)}-${resource.id.slice(0, 5)}-${suffix(`${stack.id}/${resource.id}`, 12, upper)}`;
		default:
			return resource.name ?? `${stack.name}-${resource.id}-${stack.id.slice(-12)}`;
	}
}

/** CloudFormation's own validation of a resource's properties, before its handler runs. */
function validationFailure(resource: ResourceModel): string {
	return `Properties validation failed for resource ${resource.id} with message: [${resource.violations.schema.join(', ')}]`;
}

/** A resource handler's failure, with its request token and error code. */
function handlerFailure(message: string, token: string, code: string): string {
	return `Resource handler returned message: "${message}" (RequestToken: ${token.slice(0, 8)}-sbox-4f1e-9c2d-${token.slice(-12).padStart(12, '0')}, HandlerErrorCode: ${code})`;
}

/** A stack operation to plan: the template and parameters it goes to, and what changed since the last one. */
export type Execution = {
	body: string;
	parameters: Record<string, string>;
	/** The template the stack had before (an update). */
	previousBody?: string;
	/** Parameters whose values changed (NoEcho ones compared by digest). */
	changedParameters: readonly string[];
	creating: boolean;
	token: string;
	now: number;
	speed: number;
};

/** What an update changed so far, to undo when it rolls back. */
type Undo = {modified: Array<ResourceRef & {physicalId: string}>; added: Array<ResourceRef & {physicalId: string}>; taskDefinition?: string};

/** The steps of a change set's execution. */
export function planExecution(state: SandboxState, stack: StackData, run: Execution): Step[] {
	const {creating, token} = run;
	const model = readTemplate(run.body, run.parameters, sandboxAccount, sandboxRegion, stack.name);
	const hasTag = (repository: string, tag: string) => {
		const images = state.repositories[repository];
		return images === undefined ? undefined : images.some(i => i.tags.includes(tag));
	};
	const behaviour = behaviourOf(model, hasTag);
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed: run.speed, start: run.now};
	const verb = creating ? 'CREATE' : 'UPDATE';
	const revision = stack.taskDefinitionRevision + 1;
	const taskDefinition = taskDefinitionArn(model.family, revision);
	const serviceArn = serviceArnFor(stack.name);
	const taskResource = model.resources.find(r => r.type === 'AWS::ECS::TaskDefinition') ?? {id: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', violations: {schema: []}};
	const serviceResource = model.resources.find(r => r.type === 'AWS::ECS::Service') ?? {id: 'Service', type: 'AWS::ECS::Service', violations: {schema: []}};
	if (model.faults.length > 0) at(plan, 0, {kind: 'faults', data: {faults: model.faults}});
	stackStatus(plan, 0, `${verb}_IN_PROGRESS`, {reason: 'User Initiated'});

	// A create makes every supporting resource; an update touches only those it adds or changes.
	const changes = creating ? undefined : resourceChanges(run.previousBody, run.body, run.changedParameters);
	const isAdded = (r: ResourceRef) => changes === undefined || changes.added.some(a => a.id === r.id);
	const touched = model.resources.filter(r => supportingTypes.has(r.type) && (isAdded(r) || changes?.modified.some(m => m.id === r.id)));
	const made: Array<ResourceRef & {physicalId: string}> = [];
	const undo: Undo = {modified: [], added: []};
	for (const wave of [0, 1].map(n => touched.filter(r => waveOf(r.type) === n))) {
		if (wave.length === 0) continue;
		const invalid = wave.find(r => r.violations.schema.length > 0);
		if (invalid) {
			// Resource schema validation, as CloudFormation reports it (before the resource handler runs).
			row(plan, 1, invalid, `${isAdded(invalid) ? 'CREATE' : 'UPDATE'}_FAILED`, {reason: validationFailure(invalid)});
			failOperation(plan, stack, creating, [invalid.id], made, undo);
			return plan.steps;
		}
		const id = (r: ResourceModel) => physicalIdOf(stack, r);
		for (const r of wave) row(plan, 0.5, r, isAdded(r) ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', isAdded(r) ? {} : {physicalId: id(r)});
		for (const r of wave.filter(isAdded)) row(plan, 0.5, r, 'CREATE_IN_PROGRESS', {reason: 'Resource creation Initiated', physicalId: id(r)});
		for (const r of wave) row(plan, r.type.startsWith('AWS::IAM::') ? 2 : 0.5, r, `${isAdded(r) ? 'CREATE' : 'UPDATE'}_COMPLETE`, {physicalId: id(r)});
		for (const r of wave) {
			made.push({id: r.id, type: r.type, physicalId: id(r)});
			if (isAdded(r)) undo.added.push({id: r.id, type: r.type, physicalId: id(r)});
			else undo.modified.push({id: r.id, type: r.type, physicalId: id(r)});
		}
	}

	if (taskResource.violations.schema.length > 0) {
		row(plan, 1, taskResource, `${verb}_FAILED`, {reason: validationFailure(taskResource)});
		failOperation(plan, stack, creating, [taskResource.id], made, undo);
		return plan.steps;
	}
	// The revision in use now (after a rollback, not necessarily the newest one registered).
	const previousTaskDefinition = creating ? undefined : (stackResources(stack).find(r => r.id === taskResource.id)?.physicalId || taskDefinitionArn(model.family, stack.taskDefinitionRevision));
	row(plan, 1, taskResource, `${verb}_IN_PROGRESS`, creating ? {} : {reason: 'Requested update requires the creation of a new physical resource; hence creating one.', physicalId: previousTaskDefinition!});
	const sizeOk = fargateSizes[model.cpu]?.includes(Number(model.memory)) ?? Number(model.cpu) >= 8192;
	const refused = taskResource.violations.handler ?? (sizeOk ? undefined : `No Fargate configuration exists for given values: ${model.cpu} CPU, ${model.memory} memory. See the Amazon ECS documentation for the valid values.`);
	if (refused !== undefined) {
		row(plan, 1, taskResource, `${verb}_FAILED`, {reason: handlerFailure(`Invalid request provided: Create TaskDefinition: ${refused}`, token, 'InvalidRequest')});
		failOperation(plan, stack, creating, [taskResource.id], made, undo);
		return plan.steps;
	}
	// ECS keeps the whole definition the template registers (DescribeTaskDefinition returns it), resolved with the resources made so far.
	const physicalIds = new Map([...stackResources(stack).map(r => [r.id, r.physicalId] as const), ...made.map(m => [m.id, m.physicalId] as const)]);
	const registered = registeredTaskDefinition(run.body, taskResource.id, {parameters: run.parameters, physicalIds, unknown: new Set(), stackName: stack.name});
	// The handler registers the revision, then the stack names its ARN: whoever reads the ARN from the stack's
	// resources can describe it.
	at(plan, 0.5, {kind: 'register-task-definition', data: {family: model.family, revision, arn: taskDefinition, ...registered}});
	row(plan, 0, taskResource, `${verb}_IN_PROGRESS`, {reason: 'Resource creation Initiated', physicalId: taskDefinition});
	row(plan, 0.5, taskResource, `${verb}_COMPLETE`, {physicalId: taskDefinition});
	made.push({id: taskResource.id, type: taskResource.type, physicalId: taskDefinition});
	undo.taskDefinition = taskDefinition;

	if (serviceResource.violations.schema.length > 0) {
		row(plan, 1, serviceResource, `${verb}_FAILED`, {reason: validationFailure(serviceResource), ...(creating ? {} : {physicalId: serviceArn})});
		failOperation(plan, stack, creating, [serviceResource.id], made, undo);
		return plan.steps;
	}
	row(plan, 1, serviceResource, `${verb}_IN_PROGRESS`, {physicalId: creating ? '' : serviceArn});
	if (creating) row(plan, 0.5, serviceResource, 'CREATE_IN_PROGRESS', {reason: 'Resource creation Initiated', physicalId: serviceArn});
	at(plan, 0.2, {kind: 'ecs-start', data: {taskDefinition, desired: model.desiredCount, containers: model.containers, stackName: stack.name, maximumPercent: model.maximumPercent, ...(model.keepsDesiredCount ? {keepDesired: true} : {})}});
	at(plan, 2, {kind: 'tasks', data: {status: 'PENDING'}});

	if (behaviour.kind === 'healthy' || behaviour.kind === 'slow') {
		const startSeconds = behaviour.kind === 'slow' ? slowStartSeconds : 0;
		/** The service is stable: the stack completes (and an update cleans up). */
		const finish = (p: Plan) => {
			row(p, 1, serviceResource, `${verb}_COMPLETE`, {physicalId: serviceArn});
			// Auto scaling refers to the service: made (or changed) once it is there.
			for (const r of model.resources.filter(r => scalingTypes.has(r.type) && (isAdded(r) || changes?.modified.some(m => m.id === r.id)))) {
				const id = scalingPhysicalId(stack, r, serviceArn);
				row(p, 0.5, r, isAdded(r) ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', isAdded(r) ? {} : {physicalId: id});
				if (isAdded(r)) row(p, 0.5, r, 'CREATE_IN_PROGRESS', {reason: 'Resource creation Initiated', physicalId: id});
				row(p, 1, r, `${isAdded(r) ? 'CREATE' : 'UPDATE'}_COMPLETE`, {physicalId: id});
				if (r.type === 'AWS::ApplicationAutoScaling::ScalableTarget' && model.scaling) at(p, 0, {kind: 'service-scale', data: model.scaling});
			}
			at(p, 0.5, {kind: 'commit', data: {taskDefinition, serviceArn, revision, ...(model.logGroup === undefined ? {} : {logGroup: model.logGroup})}});
			if (!creating) {
				stackStatus(p, 0.5, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
				row(p, 0.5, taskResource, 'DELETE_IN_PROGRESS', {physicalId: previousTaskDefinition!});
				row(p, 0.5, taskResource, 'DELETE_COMPLETE', {physicalId: previousTaskDefinition!});
				// Resources the new template no longer has go in the cleanup, the last made first.
				const live = new Map(stackResources(stack).map(r => [r.id, r]));
				for (const r of [...(changes?.removed ?? [])].reverse()) deleteRows(p, stack, {...r, physicalId: live.get(r.id)?.physicalId ?? ''});
			}
			stackStatus(p, 0.2, `${verb}_COMPLETE`);
		};
		// A new service has no old revision to shift traffic from: its first deployment just starts tasks.
		if (!creating && model.deployment.strategy !== 'ROLLING') {
			/** A PAUSE hook answered ROLLBACK (or timing out so): ECS goes back to the old revision and the update fails. */
			const reject = (p: Plan) => {
				at(p, 0.5, {kind: 'ecs-rollback', data: {creating: false, reason: 'hook'}});
				row(p, 2, serviceResource, 'UPDATE_FAILED', {reason: handlerFailure("Error occurred during operation 'ECS service deployment was rolled back by a lifecycle hook'.", token, 'GeneralServiceException'), physicalId: serviceArn});
				stackStatus(p, 0.5, 'UPDATE_ROLLBACK_IN_PROGRESS', {reason: `The following resource(s) failed to update: [${serviceResource.id}]. `, newOperation: true});
				row(p, 1, serviceResource, 'UPDATE_IN_PROGRESS', {physicalId: serviceArn});
				finishRollback(p, stack, serviceArn, undo);
			};
			playActions(plan, shiftActions(model, startSeconds), finish, reject);
			return plan.steps;
		}
		playRollout(plan, model.containers, startSeconds);
		finish(plan);
		return plan.steps;
	}

	// Tasks keep failing: the circuit breaker stops the rollout after its threshold (at least 3 tasks).
	const count = Math.max(3, Math.ceil(model.desiredCount / 2));
	for (let i = 1; i <= count; i++) {
		if (behaviour.kind !== 'cannot-pull' && behaviour.kind !== 'no-network') {
			at(plan, 2, {kind: 'tasks', data: {status: 'ACTIVATING'}});
			at(plan, 2, {kind: 'tasks', data: {status: 'RUNNING'}});
		}
		at(plan, behaviour.kind === 'unhealthy' ? 6 : 3, {kind: 'task-fail', data: {behaviour, failures: i, last: i === count, containers: model.containers, ...(model.logGroup === undefined ? {} : {logGroup: model.logGroup})}});
		if (i < count) at(plan, 1, {kind: 'tasks', data: {status: 'PENDING'}});
	}
	at(plan, 1, {kind: 'ecs-rollback', data: {creating}});
	const breaker = handlerFailure("Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.", token, 'GeneralServiceException');
	row(plan, 1, serviceResource, `${verb}_FAILED`, {reason: breaker, physicalId: serviceArn});
	if (creating) {
		failOperation(plan, stack, true, [serviceResource.id], [...made, {id: serviceResource.id, type: serviceResource.type, physicalId: serviceArn}], undo);
		return plan.steps;
	}
	stackStatus(plan, 0.5, 'UPDATE_ROLLBACK_IN_PROGRESS', {reason: `The following resource(s) failed to update: [${serviceResource.id}]. `, newOperation: true});
	row(plan, 1, serviceResource, 'UPDATE_IN_PROGRESS', {physicalId: serviceArn});
	if (behaviour.kind === 'stuck-rollback') {
		row(plan, 4, serviceResource, 'UPDATE_FAILED', {
			reason: `Resource handler returned message: "Service arn was not stable: the previous deployment did not reach a steady state in time." (RequestToken: ${token.slice(0, 8)}-sbox-77aa-0b1c-${token.slice(-12).padStart(12, '0')}, HandlerErrorCode: NotStabilized)`,
			physicalId: serviceArn,
		});
		stackStatus(plan, 0.5, 'UPDATE_ROLLBACK_FAILED', {reason: `The following resource(s) failed to update: [${serviceResource.id}]. `});
		return plan.steps;
	}
	finishRollback(plan, stack, serviceArn, undo);
	return plan.steps;
}

/** A deployment step, or a PAUSE hook that holds the deployment at the stage just entered. */
/** A timed step, or a PAUSE hook of the template at the lifecycle stage just reached. */
type Action = {seconds: number; payload: StepPayload} | {pause: TemplateModel['deployment']['pauses'][number] & {stage: SandboxStage}};

/**
 * Bake times (minutes in the template) pass at this many seconds per minute: a demo should not take the ten
 * minutes a real bake does. A PAUSE hook's timeout keeps its real length (divided by the speed): someone
 * has to answer it.
 */
const bakeSecondsPerMinute = 1;

/**
 * How long a lifecycle stage lasts at the least (seconds of a real deployment): longer than the engine's
 * active polling interval (2 s), so that someone watching sees each stage go by.
 */
const stageSeconds = 3;

/**
 * A blue/green, canary or linear deployment through its lifecycle stages (ServiceDeploymentLifecycleStage):
 * the new revision scales up next to the old one, test traffic reaches it (with a test listener rule),
 * production traffic shifts in the strategy's steps, both run for the bake time, and the old one is cleaned
 * up. PAUSE hooks wait right after the stage they are at.
 */
function shiftActions(model: TemplateModel, startSeconds: number): Action[] {
	const {deployment, containers} = model;
	const actions: Action[] = [];
	let production = 0;
	let test = false;
	const stage = (seconds: number, name: SandboxStage) => {
		actions.push({seconds, payload: {kind: 'ecs-stage', data: {strategy: deployment.strategy, stage: name, production, test}}});
		for (const pause of deployment.pauses.filter(p => p.stage === name)) actions.push({pause: {...pause, stage: name}});
	};
	stage(0.5, 'PRE_SCALE_UP');
	stage(0.5, 'SCALE_UP');
	actions.push({seconds: 2 + startSeconds, payload: {kind: 'tasks', data: {status: 'ACTIVATING'}}}, {seconds: 2, payload: {kind: 'tasks', data: {status: 'RUNNING'}}});
	if (containers.some(c => c.healthCheck)) actions.push({seconds: 2, payload: {kind: 'tasks', data: {status: 'RUNNING', health: 'HEALTHY'}}});
	stage(stageSeconds, 'POST_SCALE_UP');
	if (deployment.testTraffic) {
		test = true;
		stage(stageSeconds, 'TEST_TRAFFIC_SHIFT');
		stage(stageSeconds, 'POST_TEST_TRAFFIC_SHIFT');
	}
	deployment.steps.forEach((percent, i) => {
		stage(i === 0 ? stageSeconds : Math.max(stageSeconds, deployment.stepBakeMinutes * bakeSecondsPerMinute), 'PRE_PRODUCTION_TRAFFIC_SHIFT');
		production = percent;
		stage(stageSeconds, 'PRODUCTION_TRAFFIC_SHIFT');
	});
	stage(stageSeconds, 'POST_PRODUCTION_TRAFFIC_SHIFT');
	stage(stageSeconds, 'BAKE_TIME');
	stage(Math.max(stageSeconds, deployment.bakeMinutes * bakeSecondsPerMinute), 'CLEAN_UP');
	actions.push({seconds: 2, payload: {kind: 'ecs-complete', data: {}}});
	return actions;
}

/**
 * Plays actions into a plan, then `finish`. At a PAUSE hook the plan stops: the pause step carries what
 * follows (the rest, planned on, and `reject`'s rollback) for when the hook is answered, and a timeout step
 * comes at its timeout.
 */
function playActions(plan: Plan, actions: Action[], finish: (p: Plan) => void, reject: (p: Plan) => void): void {
	for (const [i, action] of actions.entries()) {
		if ('payload' in action) {
			at(plan, action.seconds, action.payload);
			continue;
		}
		const {stage, timeoutMinutes, action: onTimeout} = action.pause;
		const rest: Plan = {...plan, steps: []};
		playActions(rest, actions.slice(i + 1), finish, reject);
		const rollback: Plan = {...plan, steps: []};
		reject(rollback);
		const hookId = `${suffix(`${plan.token}/${stage}/${i}`, 8, hex)}-${suffix(`${plan.token}/${stage}/${i}/id`, 12, hex)}`;
		at(plan, 0, {kind: 'ecs-pause', data: {hookId, stage, timeoutMs: Math.round((timeoutMinutes * 60_000) / plan.speed), action: onTimeout, rest: rest.steps, rollback: rollback.steps}});
		at(plan, timeoutMinutes * 60, {kind: 'ecs-hook-timeout', data: {hookId}});
		return;
	}
	finish(plan);
}

/** How long the tasks of a `1.4.1-slow` release take to start, in seconds of a real deployment. */
const slowStartSeconds = 600;

/** The tasks of the new deployment start (after `startSeconds` more), pass their health checks, and the deployment completes. */
function playRollout(plan: Plan, containers: ContainerModel[], startSeconds = 0): void {
	at(plan, 2 + startSeconds, {kind: 'tasks', data: {status: 'ACTIVATING'}});
	at(plan, 2, {kind: 'tasks', data: {status: 'RUNNING'}});
	if (containers.some(c => c.healthCheck)) at(plan, 2, {kind: 'tasks', data: {status: 'RUNNING', health: 'HEALTHY'}});
	at(plan, 2, {kind: 'ecs-complete', data: {}});
}

/** The service is back on its previous deployment; what the update changed is undone, what it made deleted. */
function finishRollback(plan: Plan, stack: StackData, serviceArn: string, undo: Undo): void {
	at(plan, 3, {kind: 'ecs-complete', data: {}});
	row(plan, 1, {id: 'Service', type: 'AWS::ECS::Service'}, 'UPDATE_COMPLETE', {physicalId: serviceArn});
	undoChanges(plan, stack, undo, 0.2);
}

/** Rows that put modified resources back and delete what the update made, then the stack's old template. */
function undoChanges(plan: Plan, stack: StackData, undo: Undo, revertAfter: number): void {
	for (const r of [...undo.modified].reverse()) {
		row(plan, 0.5, r, 'UPDATE_IN_PROGRESS', {physicalId: r.physicalId});
		row(plan, 0.5, r, 'UPDATE_COMPLETE', {physicalId: r.physicalId});
	}
	if (undo.taskDefinition !== undefined || undo.added.length > 0) {
		stackStatus(plan, 0.5, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
		if (undo.taskDefinition !== undefined) {
			const taskResource = {id: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition'};
			row(plan, 0.5, taskResource, 'DELETE_IN_PROGRESS', {physicalId: undo.taskDefinition});
			row(plan, 0.5, taskResource, 'DELETE_COMPLETE', {physicalId: undo.taskDefinition});
		}
		for (const r of [...undo.added].reverse()) deleteRows(plan, stack, r);
	}
	at(plan, revertAfter, {kind: 'revert', data: {}});
	stackStatus(plan, 0, 'UPDATE_ROLLBACK_COMPLETE');
}

/** DELETE_IN_PROGRESS and DELETE_COMPLETE rows of a resource (the service goes with its ECS service). */
function deleteRows(plan: Plan, stack: StackData, r: ResourceRef & {physicalId: string}): void {
	const physical = r.physicalId ? {physicalId: r.physicalId} : {};
	row(plan, 0.5, r, 'DELETE_IN_PROGRESS', physical);
	row(plan, r.type === 'AWS::ECS::Service' ? 2 : 0.5, r, 'DELETE_COMPLETE', physical);
	if (r.type === 'AWS::ECS::Service') at(plan, 0, {kind: 'service-delete', data: {stackName: stack.name}});
}

/** A failed create rolls back by deleting what was made; a failed update goes back to the previous template. */
function failOperation(plan: Plan, stack: StackData, creating: boolean, failed: string[], made: Array<ResourceRef & {physicalId: string}>, undo: Undo): void {
	if (creating) {
		stackStatus(plan, 0.5, 'ROLLBACK_IN_PROGRESS', {reason: `The following resource(s) failed to create: [${failed.join(', ')}]. Rollback requested by user.`, newOperation: true});
		for (const r of [...made].reverse()) deleteRows(plan, stack, r);
		at(plan, 0.2, {kind: 'revert', data: {}});
		stackStatus(plan, 0, 'ROLLBACK_COMPLETE');
		return;
	}
	stackStatus(plan, 0.5, 'UPDATE_ROLLBACK_IN_PROGRESS', {reason: `The following resource(s) failed to update: [${failed.join(', ')}]. `, newOperation: true});
	undoChanges(plan, stack, undo, 1);
}

/** A resource of a stack as ListStackResources shows it, read from the stack's events. */
export type StackResource = {id: string; type: string; physicalId: string; status: string; reason?: string; updated: number};

/**
 * The stack's resources and their current state, from its events: a replacement adds a physical resource
 * next to the old one, and the cleanup that deletes one of the two (the old after an update, the new after
 * a rollback) leaves the other.
 */
export function stackResources(stack: StackData): StackResource[] {
	const resources = new Map<string, StackResource[]>();
	for (const e of stack.events) {
		if (e.resourceType === 'AWS::CloudFormation::Stack') continue;
		const versions = resources.get(e.logicalId) ?? [];
		resources.set(e.logicalId, versions);
		const known = e.physicalId ? versions.find(v => v.physicalId === e.physicalId) : versions.at(-1);
		if (known && e.status.startsWith('DELETE_') && versions.length > 1) {
			// Cleanup of one physical resource while another stays.
			if (e.status === 'DELETE_COMPLETE') {
				versions.splice(versions.indexOf(known), 1);
				const kept = versions.at(-1)!;
				// The rollback put the resource back on its previous physical resource.
				if (kept.status.endsWith('_IN_PROGRESS')) Object.assign(kept, {status: 'UPDATE_COMPLETE', updated: e.timestamp});
			}
			continue;
		}
		// A new resource's first row has no physical id yet; a replacement's new one is another version.
		const version = known ?? (versions.at(-1)?.physicalId === '' ? versions.at(-1) : undefined);
		if (!version) {
			versions.push({id: e.logicalId, type: e.resourceType, physicalId: e.physicalId, status: e.status, updated: e.timestamp, ...(e.reason ? {reason: e.reason} : {})});
			continue;
		}
		version.status = e.status;
		version.updated = e.timestamp;
		if (e.physicalId) version.physicalId = e.physicalId;
		if (e.reason) version.reason = e.reason;
		else delete version.reason;
	}
	const all = [...resources.values()].flatMap(versions => versions.slice(-1));
	// A stack that still runs lists what it has; a deleted or rolled-back one lists what it had.
	return stack.status === 'DELETE_COMPLETE' || stack.status === 'ROLLBACK_COMPLETE' ? all : all.filter(r => r.status !== 'DELETE_COMPLETE');
}

/** Steps for DeleteStack: every resource the stack has, the service first and what it needs last. */
export function planDelete(stack: StackData, token: string, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	stackStatus(plan, 0, 'DELETE_IN_PROGRESS', {reason: 'User Initiated'});
	const order = (type: string) => ['AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::IAM::Policy', 'AWS::SecretsManager::ResourcePolicy'].indexOf(type) + 1 || 7;
	// Resources that were never made (a failed create's) or are gone already have nothing to delete.
	const live = stackResources(stack)
		.filter(r => r.status !== 'DELETE_COMPLETE' && r.physicalId !== '')
		.sort((a, b) => order(a.type) - order(b.type));
	for (const r of live) {
		if (r.type === 'AWS::ECS::Service') {
			row(plan, 1, r, 'DELETE_IN_PROGRESS', {physicalId: r.physicalId});
			at(plan, 3, {kind: 'service-delete', data: {stackName: stack.name}});
			row(plan, 0, r, 'DELETE_COMPLETE', {physicalId: r.physicalId});
		} else {
			row(plan, 0.5, r, 'DELETE_IN_PROGRESS', {physicalId: r.physicalId});
			row(plan, 0.5, r, 'DELETE_COMPLETE', {physicalId: r.physicalId});
		}
	}
	stackStatus(plan, 1, 'DELETE_COMPLETE');
	return plan.steps;
}

/** Steps for ContinueUpdateRollback: the service goes back, the failed update's task definition is deleted. */
export function planContinueRollback(stack: StackData, token: string, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	const serviceArn = serviceArnFor(stack.name);
	stackStatus(plan, 0, 'UPDATE_ROLLBACK_IN_PROGRESS', {reason: 'User Initiated'});
	row(plan, 1, {id: 'Service', type: 'AWS::ECS::Service'}, 'UPDATE_IN_PROGRESS', {physicalId: serviceArn});
	// The failed update registered its task definition revision: it is the stack's newest.
	finishRollback(plan, stack, serviceArn, {modified: [], added: [], taskDefinition: taskDefinitionArn(readFamily(stack), stack.taskDefinitionRevision)});
	return plan.steps;
}

/**
 * Steps for CancelUpdateStack. `registered` says whether the cancelled update had registered its task
 * definition revision (then the rollback deletes it).
 */
export function planCancel(stack: StackData, token: string, now: number, speed: number, registered: boolean): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	const serviceArn = serviceArnFor(stack.name);
	stackStatus(plan, 0, 'UPDATE_ROLLBACK_IN_PROGRESS', {reason: 'Stack update cancelled', newOperation: true});
	row(plan, 1, {id: 'Service', type: 'AWS::ECS::Service'}, 'UPDATE_IN_PROGRESS', {physicalId: serviceArn});
	// The service goes back to the previous task definition: its deployment is PRIMARY again, the cancelled one drains.
	at(plan, 0.5, {kind: 'ecs-rollback', data: {creating: false, reason: 'cancel'}});
	finishRollback(plan, stack, serviceArn, {modified: [], added: [], ...(registered ? {taskDefinition: taskDefinitionArn(readFamily(stack), stack.taskDefinitionRevision)} : {})});
	return plan.steps;
}

/**
 * Steps for UpdateService with forceNewDeployment: a new deployment of the same task definition; the new
 * tasks start next to the old ones (or after them, with maximumPercent 100), which then stop.
 */
export function planForceDeployment(stack: StackData, deployment: {taskDefinition: string; desired: number; containers: ContainerModel[]; maximumPercent: number}, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token: '', speed, start: now};
	at(plan, 0, {kind: 'ecs-start', data: {...deployment, stackName: stack.name}});
	at(plan, 2, {kind: 'tasks', data: {status: 'PENDING'}});
	playRollout(plan, deployment.containers);
	return plan.steps;
}

function readFamily(stack: StackData): string {
	return stack.body ? readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion, stack.name).family || stack.name : stack.name;
}
