import {describe, expect, test} from 'vitest';
import {hintFor, hints, serviceEventReasons, stackRootCause, taskReasons, unwrapHandlerMessage} from '../../source/domain/failures.js';

// One real message per hint entry (texts as ECS and CloudFormation report them), and the words its hint must contain.
const samples: Array<[string, RegExp]> = [
	['CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop:9.9.9: not found', /tag does not exist/],
	['CannotPullContainerError: pull access denied for shop, repository does not exist or may require authorization', /may not pull this image/],
	['CannotPullContainerError: context deadline exceeded', /could not be pulled/],
	['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 10.0.0.1:443: i/o timeout. Please check your task network configuration.', /NAT gateway or VPC endpoints/],
	['ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue', /may not read a secret/],
	['ResourceInitializationError: failed to validate logger args', /could not prepare the task/],
	['OutOfMemoryError: Container killed due to memory usage (exit code 137)', /ran out of memory/],
	['was killed (exit code 137: SIGKILL)', /SIGKILL.*failed health checks/],
	['(service shop) (task 0123456789abcdef0123456789abcdef) failed container health checks.', /health check kept failing/],
	['Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/0123456789abcdef)', /load balancer found the task unhealthy/],
	["(service shop) failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::111122223333:role/exec' that was provided for this task.)", /ecs-tasks.amazonaws.com/],
	['(service shop) was unable to place a task. Reason: no capacity', /could not place the task/],
	['ECS Deployment Circuit Breaker was triggered (GeneralServiceException)', /stopped the rollout/],
	['Essential container in task exited', /application exited/],
	['User: arn:aws:sts::111122223333:assumed-role/deployer/me is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:eu-west-1:111122223333:service/main/shop', /Permission missing/],
	['Resource handler returned message: "shop already exists"', /exists outside this stack/],
	['No Fargate configuration exists for given values: 256 CPU, 4096 memory.', /Fargate task size/],
	['Stack:arn:aws:cloudformation:eu-west-1:111122223333:stack/shop-dev/1 is in ROLLBACK_COMPLETE state and can not be updated.', /cannot be updated/],
];

describe('hint table', () => {
	test('every entry has a sample here', () => expect(samples.length).toBe(hints.length));
	test.each(samples)('%s', (message, words) => expect(hintFor(message)).toMatch(words));
	test('an unknown message has no hint', () => expect(hintFor('something else happened')).toBeUndefined());
});

describe('stackRootCause', () => {
	const e = (logicalId: string, status: string, reason: string | undefined, timestamp: number, resourceType = 'AWS::ECS::Service') => ({logicalId, status, timestamp, resourceType, ...(reason ? {reason} : {})});
	test('takes the oldest failed resource, not the cascade or the stack rows', () => {
		const cause = stackRootCause([
			e('shop-dev', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [Service, LogGroup]. Rollback requested by user.', 5, 'AWS::CloudFormation::Stack'),
			e('LogGroup', 'CREATE_FAILED', 'Resource creation cancelled', 4, 'AWS::Logs::LogGroup'),
			e('Service', 'CREATE_FAILED', 'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'." (RequestToken: a3ab2120-1821-f83c-3adc-23d519cacdfe, HandlerErrorCode: GeneralServiceException)', 3),
			e('Service', 'CREATE_IN_PROGRESS', undefined, 1),
		]);
		expect(cause).toMatchObject({subject: 'Service (AWS::ECS::Service)', message: 'ECS Deployment Circuit Breaker was triggered (GeneralServiceException)'});
	});
	test('no failed resource: no root cause', () => expect(stackRootCause([e('Service', 'CREATE_COMPLETE', undefined, 1)])).toBeUndefined());
	test('unwraps handler messages, leaves others alone', () => {
		expect(unwrapHandlerMessage('plain reason')).toBe('plain reason');
	});
});

describe('taskReasons', () => {
	test('exit 137 without OutOfMemoryError is a SIGKILL, and a specific stopped reason leads', () => {
		const reasons = taskReasons([{id: 'a', stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed container health checks', containers: [{name: 'api', exitCode: 137}]}]);
		expect(reasons.map(r => `${r.source}: ${r.message}`)).toEqual(['task: Task failed container health checks', 'container: was killed (exit code 137: SIGKILL)']);
		expect(reasons.some(r => /out of memory/i.test(r.hint ?? ''))).toBe(false);
		expect(reasons[0]!.hint).toMatch(/health check/);
	});
	const task = (id: string, extra: object) => ({id, containers: [], ...extra});
	test('stopped reasons and exit codes, deduplicated across crash-looping tasks', () => {
		const reasons = taskReasons([
			task('a', {stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 1}]}),
			task('b', {stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 1}]}),
			task('c', {stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: x: not found', containers: [{name: 'web', reason: 'CannotPullContainerError: x: not found'}]}),
		]);
		expect(reasons.map(r => `${r.source} ${r.subject}: ${r.message}`)).toEqual([
			'container web: exited with exit code 1',
			'task task a: Essential container in task exited',
			'task task c: CannotPullContainerError: x: not found',
			'container web: CannotPullContainerError: x: not found',
		]);
	});
	test('routine replacements by the scheduler are not failures', () => {
		expect(taskReasons([task('a', {stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)'})])).toEqual([]);
	});
	test('an out-of-memory container shows its exit code', () => {
		expect(taskReasons([task('a', {stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage'}]})])[0]).toMatchObject({
			message: 'OutOfMemoryError: Container killed due to memory usage (exit code 137)',
			hint: expect.stringMatching(/memory/),
		});
	});
});

describe('serviceEventReasons', () => {
	test('keeps placement, launch, health and rollback events once each, drops routine ones', () => {
		const reasons = serviceEventReasons([
			'(service shop) has started 1 tasks: (task aaaa).',
			'(service shop) (task aaaa) failed container health checks.',
			'(service shop) (task bbbb) failed container health checks.',
			'(service shop) (deployment ecs-svc/1) deployment failed: tasks failed to start.',
			'(service shop) has reached a steady state.',
		]);
		expect(reasons.map(r => r.message)).toEqual([
			'(service shop) (task aaaa) failed container health checks.',
			'(service shop) (deployment ecs-svc/1) deployment failed: tasks failed to start.',
		]);
	});
});
