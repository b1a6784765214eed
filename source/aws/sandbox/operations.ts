import {behaviourOf, readTemplate} from './template-model.js';
import {sandboxAccount, sandboxCluster, sandboxRegion, type SandboxState, type StackData, type Step} from './state.js';

/*
 * Plays stack operations as timed steps: CloudFormation events in dependency order with the real status
 * names and reasons, and the ECS deployment underneath (tasks PROVISIONING → … → RUNNING, or failing and
 * rolled back by the circuit breaker). Times are in seconds of a real deployment, divided by `speed`.
 */

type Plan = {steps: Step[]; t: number; stack: string; token: string; speed: number; start: number};

function at(plan: Plan, seconds: number, kind: string, data: Record<string, unknown> = {}): void {
	plan.t += seconds;
	plan.steps.push({at: plan.start + Math.round((plan.t * 1000) / plan.speed), stack: plan.stack, kind, data: {token: plan.token, ...data}});
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

/** The steps of a change set's execution. */
export function planExecution(state: SandboxState, stack: StackData, body: string, parameters: Record<string, string>, creating: boolean, token: string, now: number, speed: number): Step[] {
	const model = readTemplate(body, parameters, sandboxAccount, sandboxRegion);
	const hasTag = (repository: string, tag: string) => {
		const images = state.repositories[repository];
		return images === undefined ? undefined : images.some(i => i.tags.includes(tag));
	};
	const behaviour = behaviourOf(model, hasTag);
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	const verb = creating ? 'CREATE' : 'UPDATE';
	const revision = stack.taskDefinitionRevision + 1;
	const taskDefinition = taskDefinitionArn(model.family, revision);
	const serviceArn = serviceArnFor(stack.name);
	if (model.faults.length > 0) at(plan, 0, 'faults', {faults: model.faults});
	at(plan, 0, 'stack-status', {status: `${verb}_IN_PROGRESS`, reason: 'User Initiated'});

	const others = model.resources.filter(r => r.type === 'AWS::Logs::LogGroup' || r.type === 'AWS::IAM::Role');
	const invalid = model.extraneous[0];
	if (invalid) {
		// Resource schema validation, as CloudFormation's resource handlers report it.
		at(plan, 1, 'event', {logicalId: invalid.id, type: invalid.type, status: `${verb}_FAILED`, reason: `Properties validation failed for resource ${invalid.id} with message: #: extraneous key [${invalid.key}] is not permitted`});
		failStack(plan, stack, creating, [invalid.id], []);
		return plan.steps;
	}
	if (creating) {
		for (const r of others) at(plan, 0.5, 'event', {logicalId: r.id, type: r.type, status: 'CREATE_IN_PROGRESS'});
		for (const r of others) at(plan, 0.5, 'event', {logicalId: r.id, type: r.type, status: 'CREATE_IN_PROGRESS', reason: 'Resource creation Initiated', physicalId: physicalIdOf(stack, r)});
		for (const r of others) at(plan, r.type === 'AWS::IAM::Role' ? 2 : 0.5, 'event', {logicalId: r.id, type: r.type, status: 'CREATE_COMPLETE', physicalId: physicalIdOf(stack, r)});
	}

	const sizeOk = fargateSizes[model.cpu]?.includes(Number(model.memory)) ?? Number(model.cpu) >= 8192;
	at(plan, 1, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: `${verb}_IN_PROGRESS`, ...(creating ? {} : {reason: 'Requested update requires the creation of a new physical resource; hence creating one.'})});
	if (!sizeOk) {
		at(plan, 1, 'event', {
			logicalId: 'TaskDefinition',
			type: 'AWS::ECS::TaskDefinition',
			status: `${verb}_FAILED`,
			reason: `Resource handler returned message: "Invalid request provided: Create TaskDefinition: No Fargate configuration exists for given values: ${model.cpu} CPU, ${model.memory} memory. See the Amazon ECS documentation for the valid values." (RequestToken: ${token.slice(0, 8)}-sbox-4f1e-9c2d-${token.slice(-12).padStart(12, '0')}, HandlerErrorCode: InvalidRequest)`,
		});
		failStack(plan, stack, creating, ['TaskDefinition'], others.map(r => r.id));
		return plan.steps;
	}
	at(plan, 0.5, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: `${verb}_IN_PROGRESS`, reason: 'Resource creation Initiated', physicalId: taskDefinition});
	at(plan, 0.5, 'register-task-definition', {family: model.family, revision, arn: taskDefinition});
	at(plan, 0, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: `${verb}_COMPLETE`, physicalId: taskDefinition});

	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: `${verb}_IN_PROGRESS`, physicalId: creating ? '' : serviceArn});
	if (creating) at(plan, 0.5, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'CREATE_IN_PROGRESS', reason: 'Resource creation Initiated', physicalId: serviceArn});
	at(plan, 0.2, 'ecs-start', {taskDefinition, desired: model.desiredCount, containers: model.containers, stackName: stack.name, maximumPercent: model.maximumPercent});
	at(plan, 2, 'tasks', {status: 'PENDING'});

	const playFailures = (count: number) => {
		for (let i = 1; i <= count; i++) {
			if (behaviour.kind !== 'cannot-pull' && behaviour.kind !== 'no-network') {
				at(plan, 2, 'tasks', {status: 'ACTIVATING'});
				at(plan, 2, 'tasks', {status: 'RUNNING'});
			}
			at(plan, behaviour.kind === 'unhealthy' ? 6 : 3, 'task-fail', {behaviour, failures: i, last: i === count, logGroup: model.logGroup, containers: model.containers});
			if (i < count) at(plan, 1, 'tasks', {status: 'PENDING'});
		}
	};

	if (behaviour.kind === 'healthy') {
		at(plan, 2, 'tasks', {status: 'ACTIVATING'});
		at(plan, 2, 'tasks', {status: 'RUNNING'});
		if (model.containers.some(c => c.healthCheck)) at(plan, 2, 'tasks', {status: 'RUNNING', health: 'HEALTHY'});
		at(plan, 2, 'ecs-complete', {logs: model.logGroup, containers: model.containers});
		at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: `${verb}_COMPLETE`, physicalId: serviceArn});
		at(plan, 0.5, 'commit', {taskDefinition, serviceArn, logGroup: model.logGroup, revision});
		if (!creating) {
			at(plan, 0.5, 'stack-status', {status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'});
			const old = taskDefinitionArn(model.family, stack.taskDefinitionRevision);
			at(plan, 0.5, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: 'DELETE_IN_PROGRESS', physicalId: old});
			at(plan, 0.5, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: 'DELETE_COMPLETE', physicalId: old});
		}
		at(plan, 0.2, 'stack-status', {status: `${verb}_COMPLETE`});
		return plan.steps;
	}

	// Tasks keep failing: the circuit breaker stops the rollout after its threshold (at least 3 tasks).
	playFailures(Math.max(3, Math.ceil(model.desiredCount / 2)));
	at(plan, 1, 'ecs-rollback', {creating});
	const breaker = `Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'." (RequestToken: ${token.slice(0, 8)}-sbox-4f1e-9c2d-${token.slice(-12).padStart(12, '0')}, HandlerErrorCode: GeneralServiceException)`;
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: `${verb}_FAILED`, reason: breaker, physicalId: serviceArn});
	if (creating) {
		failStack(plan, stack, true, ['Service'], [...others.map(r => r.id), 'TaskDefinition', 'Service']);
		return plan.steps;
	}
	at(plan, 0.5, 'stack-status', {status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason: 'The following resource(s) failed to update: [Service]. ', newOperation: true});
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS', physicalId: serviceArn});
	if (behaviour.kind === 'stuck-rollback') {
		at(plan, 4, 'event', {
			logicalId: 'Service',
			type: 'AWS::ECS::Service',
			status: 'UPDATE_FAILED',
			reason: `Resource handler returned message: "Service arn was not stable: the previous deployment did not reach a steady state in time." (RequestToken: ${token.slice(0, 8)}-sbox-77aa-0b1c-${token.slice(-12).padStart(12, '0')}, HandlerErrorCode: NotStabilized)`,
			physicalId: serviceArn,
		});
		at(plan, 0.5, 'stack-status', {status: 'UPDATE_ROLLBACK_FAILED', reason: 'The following resource(s) failed to update: [Service]. '});
		return plan.steps;
	}
	finishRollback(plan, stack, serviceArn, taskDefinition);
	return plan.steps;
}

function finishRollback(plan: Plan, _stack: StackData, serviceArn: string, newTaskDefinition: string): void {
	at(plan, 3, 'ecs-complete', {});
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE', physicalId: serviceArn});
	at(plan, 0.5, 'stack-status', {status: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'});
	at(plan, 0.5, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: 'DELETE_IN_PROGRESS', physicalId: newTaskDefinition});
	at(plan, 0.5, 'event', {logicalId: 'TaskDefinition', type: 'AWS::ECS::TaskDefinition', status: 'DELETE_COMPLETE', physicalId: newTaskDefinition});
	at(plan, 0.2, 'revert', {});
	at(plan, 0, 'stack-status', {status: 'UPDATE_ROLLBACK_COMPLETE'});
}

/** A failed create rolls back by deleting what was made; a failed update goes back to the previous template. */
function failStack(plan: Plan, stack: StackData, creating: boolean, failed: string[], made: string[]): void {
	const types: Record<string, string> = {LogGroup: 'AWS::Logs::LogGroup', TaskExecutionRole: 'AWS::IAM::Role', TaskDefinition: 'AWS::ECS::TaskDefinition', Service: 'AWS::ECS::Service'};
	if (creating) {
		at(plan, 0.5, 'stack-status', {status: 'ROLLBACK_IN_PROGRESS', reason: `The following resource(s) failed to create: [${failed.join(', ')}]. Rollback requested by user.`, newOperation: true});
		for (const id of [...made].reverse()) {
			at(plan, 0.5, 'event', {logicalId: id, type: types[id] ?? 'AWS::CloudFormation::CustomResource', status: 'DELETE_IN_PROGRESS'});
			at(plan, id === 'Service' ? 2 : 0.5, 'event', {logicalId: id, type: types[id] ?? 'AWS::CloudFormation::CustomResource', status: 'DELETE_COMPLETE'});
			if (id === 'Service') at(plan, 0, 'service-delete', {stackName: stack.name});
		}
		at(plan, 0.2, 'revert', {});
		at(plan, 0, 'stack-status', {status: 'ROLLBACK_COMPLETE'});
		return;
	}
	at(plan, 0.5, 'stack-status', {status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason: `The following resource(s) failed to update: [${failed.join(', ')}]. `, newOperation: true});
	at(plan, 1, 'revert', {});
	at(plan, 0, 'stack-status', {status: 'UPDATE_ROLLBACK_COMPLETE'});
}

function physicalIdOf(stack: StackData, resource: {id: string; type: string}): string {
	if (resource.type === 'AWS::Logs::LogGroup') return `${stack.name}-${resource.id}`;
	return `${stack.name}-${resource.id}-${stack.id.slice(-12)}`;
}

/** Steps for DeleteStack, ContinueUpdateRollback and CancelUpdateStack. */
export function planDelete(stack: StackData, token: string, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	at(plan, 0, 'stack-status', {status: 'DELETE_IN_PROGRESS', reason: 'User Initiated'});
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'DELETE_IN_PROGRESS'});
	at(plan, 3, 'service-delete', {stackName: stack.name});
	at(plan, 0, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'DELETE_COMPLETE'});
	at(plan, 1, 'stack-status', {status: 'DELETE_COMPLETE'});
	return plan.steps;
}

export function planContinueRollback(stack: StackData, token: string, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	const serviceArn = serviceArnFor(stack.name);
	at(plan, 0, 'stack-status', {status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason: 'User Initiated'});
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS', physicalId: serviceArn});
	finishRollback(plan, stack, serviceArn, taskDefinitionArn(readFamily(stack), stack.taskDefinitionRevision + 1));
	return plan.steps;
}

export function planCancel(stack: StackData, token: string, now: number, speed: number): Step[] {
	const plan: Plan = {steps: [], t: 0, stack: stack.id, token, speed, start: now};
	at(plan, 0, 'stack-status', {status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason: 'Stack update cancelled', newOperation: true});
	at(plan, 1, 'event', {logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS', physicalId: serviceArnFor(stack.name)});
	finishRollback(plan, stack, serviceArnFor(stack.name), taskDefinitionArn(readFamily(stack), stack.taskDefinitionRevision + 1));
	return plan.steps;
}

function readFamily(stack: StackData): string {
	return stack.body ? readTemplate(stack.body, stack.parameters, sandboxAccount, sandboxRegion).family || stack.name : stack.name;
}

