/*
 * Why a deploy failed: the root cause, not the cascade. Reads the stack events of the failed operation,
 * the stopped tasks of the new deployment and the ECS service events, and gives each reason a hint.
 * Message texts: the Amazon ECS developer guide (stopped task errors, service event messages:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html) and CloudFormation's
 * resource handler messages as DescribeStackEvents returns them.
 */

export type FailureReason = {
	source: 'stack' | 'task' | 'container' | 'service';
	/** The resource, task or container it is about. */
	subject: string;
	message: string;
	hint?: string;
};

type StackEventLike = {logicalId: string; resourceType: string; status: string; reason?: string; timestamp: number};
type TaskLike = {
	id: string;
	stopCode?: string;
	stoppedReason?: string;
	containers: Array<{name: string; exitCode?: number; reason?: string}>;
};

/** Reason → hint, first match wins. Each entry has a test. */
export const hints: ReadonlyArray<{match: RegExp; hint: string}> = [
	{
		match: /CannotPullContainerError.*(not found|manifest unknown)/i,
		hint: 'The image tag does not exist in the repository: check the tag in ECR (ecs-deployer tags) or push the image.',
	},
	{
		match: /CannotPullContainerError.*(denied|403|unauthori[sz]ed|no basic auth)/i,
		hint: 'The execution role may not pull this image: it needs ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (AmazonECSTaskExecutionRolePolicy), and repository credentials for private registries.',
	},
	{
		match: /CannotPullContainerError/i,
		hint: 'The image could not be pulled: check the image reference and tag, that the execution role may pull it, and that the subnets can reach the registry.',
	},
	{
		match: /ResourceInitializationError.*(i\/o timeout|dial tcp|network)/i,
		hint: 'The task could not reach AWS endpoints from its subnets: give private subnets a NAT gateway or VPC endpoints (ECR, Secrets Manager, Logs, S3), or use a public subnet with assignPublicIp: true.',
	},
	{
		match: /ResourceInitializationError.*(AccessDenied|not authorized)/i,
		hint: 'The execution role may not read a secret or parameter the task uses: allow secretsmanager:GetSecretValue / ssm:GetParameters on it (and kms:Decrypt for a customer key).',
	},
	{
		match: /ResourceInitializationError/i,
		hint: 'ECS could not prepare the task (secrets, registry authentication, log group or volumes): check the execution role and network access.',
	},
	{
		// Only this reason means memory: exit 137 alone is any SIGKILL (failed health checks, a stop timeout).
		match: /OutOfMemoryError/i,
		hint: 'The container ran out of memory and was killed (exit 137): raise its memory limit or the task memory, or find what uses the memory.',
	},
	{
		match: /failed (container )?health checks|Task failed container health checks/i,
		hint: 'The container health check kept failing: try the command inside the image, and give slow starters a startPeriod.',
	},
	{
		match: /ELB health checks|is unhealthy in \(target-group/i,
		hint: 'The load balancer found the task unhealthy: check that the container port matches the target group, the health check path answers 200, the security group lets the load balancer in, and consider healthCheckGracePeriodSeconds.',
	},
	{
		match: /unable to assume the role/i,
		hint: 'The role cannot be assumed by ECS tasks: its trust policy must allow ecs-tasks.amazonaws.com, and you need iam:PassRole for it.',
	},
	{
		match: /unable to place a task/i,
		hint: 'ECS could not place the task: check that the subnets have free IP addresses, the cluster has FARGATE capacity, and the task size is a Fargate size.',
	},
	{
		match: /Circuit Breaker was triggered|circuit breaker: tasks failed to start|deployment failed: tasks failed to start/i,
		hint: 'New tasks kept failing, so ECS stopped the rollout (and went back to the previous version, if there was one): the task reasons say why they failed.',
	},
	{
		match: /killed \(exit code 137/i,
		hint: 'The container was killed with SIGKILL (exit 137): ECS does that after failed health checks or when the container does not stop in time (a container killed for its memory use says OutOfMemoryError instead). The task\'s stopped reason says which.',
	},
	{
		match: /Essential container in task exited|exit code [1-9]\d*/i,
		hint: 'The application exited: its last log lines (below) usually say why; check its configuration and environment variables.',
	},
	{
		match: /not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9]+)/,
		hint: 'Permission missing: allow the action named in the message to the identity that deploys (ecs-deployer iam-policy prints what the tool needs).',
	},
	{
		match: /already exists/i,
		hint: 'A resource with that name exists outside this stack: leave serviceName out (CloudFormation then names the service) or pick another name.',
	},
	{
		match: /No Fargate configuration exists|Invalid (CPU|memory)/i,
		hint: 'The CPU/memory pair is not a Fargate task size: see the table in docs/recipe.md.',
	},
	{
		match: /can not be updated|cannot be updated/i,
		hint: 'The stack is in a state that cannot be updated: deploying again offers to recover it (continue the rollback, or delete and recreate).',
	},
];

export function hintFor(message: string): string | undefined {
	return hints.find(entry => entry.match.test(message))?.hint;
}

/** Follow-up failures that only say something else failed first. */
const cascade = /Resource (creation|update|deletion) cancelled|cancelled|The following resource\(s\) failed to/i;

/**
 * The root cause among stack events: the oldest failed resource event of the operation, skipping the stack's
 * own rows and the "cancelled" follow-ups. Handler messages are unwrapped to their inner text.
 */
export function stackRootCause(events: readonly StackEventLike[]): FailureReason | undefined {
	const failed = events
		.filter(e => e.status.endsWith('_FAILED') && e.resourceType !== 'AWS::CloudFormation::Stack' && !cascade.test(e.reason ?? ''))
		.sort((a, b) => a.timestamp - b.timestamp);
	const first = failed[0];
	if (!first) return undefined;
	const message = unwrapHandlerMessage(first.reason ?? first.status);
	return withHint({source: 'stack', subject: `${first.logicalId} (${first.resourceType})`, message});
}

/** `Resource handler returned message: "Error occurred during operation 'X'." (RequestToken: …, HandlerErrorCode: Y)` → `X (Y)`. */
export function unwrapHandlerMessage(reason: string): string {
	const match = /Resource handler returned message: "(.*)" \(RequestToken: [^,]+, HandlerErrorCode: ([A-Za-z]+)\)/s.exec(reason);
	if (!match) return reason;
	const inner = /Error occurred during operation '(.*)'\.?$/s.exec(match[1]!)?.[1] ?? match[1]!;
	return `${inner} (${match[2]})`;
}

/**
 * Reasons from stopped tasks: the task's stopped reason and each container's exit code and reason,
 * deduplicated (ten crash-looping tasks are one reason). Tasks stopped by the scheduler to scale or replace
 * are routine and left out.
 */
export function taskReasons(tasks: readonly TaskLike[]): FailureReason[] {
	const seen = new Set<string>();
	const reasons: FailureReason[] = [];
	const add = (reason: FailureReason) => {
		const key = `${reason.source}:${reason.message}`;
		if (seen.has(key)) return;
		seen.add(key);
		reasons.push(withHint(reason));
	};
	for (const task of tasks) {
		if (task.stopCode === 'ServiceSchedulerInitiated' || task.stopCode === 'UserInitiated') continue;
		if (!task.stoppedReason && !task.containers.some(c => c.reason || (c.exitCode ?? 0) !== 0)) continue;
		// A specific stopped reason (failed health checks, cannot pull) says why; "Essential container in task
		// exited" only says that a container did, so then the container's exit leads.
		const specific = task.stoppedReason !== undefined && !/^Essential container in task exited/.test(task.stoppedReason);
		if (specific) add({source: 'task', subject: `task ${task.id}`, message: task.stoppedReason!});
		for (const container of task.containers) {
			if (container.reason) add({source: 'container', subject: container.name, message: container.reason + exitText(container.exitCode)});
			else if (container.exitCode === 137) add({source: 'container', subject: container.name, message: 'was killed (exit code 137: SIGKILL)'});
			else if (container.exitCode !== undefined && container.exitCode !== 0) add({source: 'container', subject: container.name, message: `exited with exit code ${container.exitCode}`});
		}
		if (task.stoppedReason && !specific) add({source: 'task', subject: `task ${task.id}`, message: task.stoppedReason});
	}
	return reasons;
}

function exitText(exitCode: number | undefined): string {
	return exitCode === undefined ? '' : ` (exit code ${exitCode})`;
}

const serviceProblem = /unable to place|failed to launch|unhealthy|failed container health checks|deployment failed|circuit breaker|rolling back/i;

/** Service events that explain placement, launch, health or rollback failures, oldest first, deduplicated. */
export function serviceEventReasons(messages: readonly string[]): FailureReason[] {
	const seen = new Set<string>();
	const reasons: FailureReason[] = [];
	for (const message of messages) {
		if (!serviceProblem.test(message)) continue;
		// Task ids differ between otherwise equal messages.
		const key = message.replace(/\(task [0-9a-f]+\)/g, '(task …)');
		if (seen.has(key)) continue;
		seen.add(key);
		reasons.push(withHint({source: 'service', subject: 'service', message}));
	}
	return reasons;
}

function withHint(reason: FailureReason): FailureReason {
	const hint = hintFor(reason.message);
	return hint === undefined ? reason : {...reason, hint};
}
