import type {AwsPorts, Stack, Task} from '../../aws/ports.js';
import {describeAwsError} from '../../domain/aws-errors.js';
import type {FailureReason} from '../../domain/failures.js';
import type {BeforeDeploySpec} from '../../domain/recipe/schema.js';
import {beforeDeployTaskDefinition, type StackFacts} from '../../domain/template/before-deploy.js';
import type {BuiltTemplate} from '../../domain/template/types.js';
import {callAws} from '../core/aws-call.js';
import {Detached} from '../core/run-control.js';
import type {StackContext} from '../core/stack-context.js';
import {awslogsStream, followTask} from '../monitor/task-follow.js';
import {taskView} from '../monitor/service-watch.js';

/** `startedBy` of beforeDeploy tasks (ECS takes up to 128 characters). */
export const beforeDeployStartedBy = 'ecs-deployer/before-deploy';

/** How many of a failed task's last log lines the verdict quotes. */
const lastLines = 5;

/** How the beforeDeploy step ended: every task exited 0 (or there were none, or they were skipped), or one failed. */
export type BeforeDeployOutcome = {kind: 'passed'} | {kind: 'failed'; reasons: FailureReason[]; message: string};

/**
 * Runs the recipe's beforeDeploy tasks (migrations) with the NEW release, before the change set that updates
 * the service is executed: registers the release's task definition under `<family>-before-deploy`, runs each
 * task in the service's network (subnets, security groups, public IP and capacity from the recipe) with its
 * command, follows it to STOPPED (streaming its state and log lines), and stops it once its timeout passes.
 * The first task that does not exit 0 ends the step: the caller then leaves the service untouched.
 *
 * A stack not yet created holds no execution role or log group for the task definition to name: then the
 * step is skipped with a warning, unless the task definition needs nothing from the stack.
 */
export async function runBeforeDeploy(context: StackContext, built: BuiltTemplate, stack: Stack | undefined, tasks: readonly BeforeDeploySpec[]): Promise<BeforeDeployOutcome> {
	if (tasks.length === 0) return {kind: 'passed'};
	const {aws, host, resolved} = context;
	context.onStep?.('before-deploy');
	const facts = await stackFacts(context, built, stack);
	const made = beforeDeployTaskDefinition(built, facts);
	if ('missing' in made) {
		const what = made.missing.join(', ');
		if (!stack) {
			for (const task of tasks) host.notify({code: 'before-deploy', task: task.name, container: task.container, state: 'skipped', message: `beforeDeploy ${task.name} skipped: the stack is created by this deploy, and the task definition needs its ${what} first; run it once the stack exists (ecs-deployer run)`});
			host.notify({code: 'warning', message: `beforeDeploy tasks were not run: stack ${built.stackName} does not exist yet and the task definition needs its ${what}`});
			return {kind: 'passed'};
		}
		const message = `beforeDeploy tasks cannot run before this update: the release's task definition needs ${what}, which stack ${built.stackName} does not hold yet (this update creates it); nothing was changed. Deploy with --skip-before-deploy and run the task afterwards (ecs-deployer run)`;
		const reasons: FailureReason[] = [{source: 'task', subject: 'beforeDeploy', message}];
		host.notify({code: 'failure', reasons});
		return {kind: 'failed', reasons, message};
	}
	const registered = await callAws(context, 'RegisterTaskDefinition', () => aws.ecs.registerTaskDefinition(made.registration as unknown as Parameters<AwsPorts['ecs']['registerTaskDefinition']>[0]));
	const definition = registered.taskDefinition;
	const arn = definition?.taskDefinitionArn ?? made.registration.family;
	host.notify({code: 'note', message: `registered ${arn.split('/').at(-1)} for the beforeDeploy tasks of release ${resolved.releaseVersion ?? '(unversioned)'}`});

	const {network, capacityProviderStrategy, platformVersion} = resolved.service;
	for (const spec of tasks) {
		const started = await callAws(context, 'RunTask', () =>
			aws.ecs.runTask({
				cluster: context.cluster,
				taskDefinition: arn,
				count: 1,
				startedBy: beforeDeployStartedBy,
				networkConfiguration: {awsvpcConfiguration: {subnets: network.subnets, ...(network.securityGroups.length > 0 ? {securityGroups: network.securityGroups} : {}), assignPublicIp: network.assignPublicIp ? 'ENABLED' : 'DISABLED'}},
				...(capacityProviderStrategy ? {capacityProviderStrategy} : {launchType: 'FARGATE' as const}),
				...(platformVersion ? {platformVersion} : {}),
				overrides: {containerOverrides: [{name: spec.container, command: spec.command}]},
			}),
		);
		const task = started.tasks?.[0];
		if (!task?.taskArn) {
			const why = started.failures?.map(f => `${f.reason ?? 'failed'}${f.detail ? `: ${f.detail}` : ''}`).join('; ') || 'ECS started no task';
			return failed(context, spec, undefined, `the task did not start: ${why}`, []);
		}
		const taskId = task.taskArn.split('/').at(-1)!;
		host.notify({code: 'before-deploy', task: spec.name, container: spec.container, state: 'running', taskId, message: `beforeDeploy ${spec.name}: task ${taskId} (${spec.container}: ${spec.command.join(' ')})`});
		const lines: string[] = [];
		const logs = awslogsStream(definition?.containerDefinitions?.find(c => c.name === spec.container), taskId);
		const followed = await followTask(context, {
			cluster: context.cluster,
			taskArn: task.taskArn,
			container: spec.container,
			logs,
			deadline: context.clock.now() + spec.timeoutMinutes * 60_000,
			onLines: more => {
				lines.push(...more);
				if (lines.length > 200) lines.splice(0, lines.length - 200);
			},
		});
		if (followed.timedOut) {
			const still = `still ${followed.task?.lastStatus ?? 'running'} after its timeout of ${spec.timeoutMinutes} min`;
			try {
				await callAws(context, 'StopTask', () => aws.ecs.stopTask({cluster: context.cluster, task: task.taskArn!, reason: `ecs-deployer: beforeDeploy ${spec.name} ran past its timeout of ${spec.timeoutMinutes} min`}));
			} catch (error) {
				if (error instanceof Detached) throw error;
				// The verdict stands (nothing was changed); the task goes on until it ends by itself.
				return failed(context, spec, taskId, `${still}; it could not be stopped (${describeAwsError(error)}) and goes on in ECS`, lines);
			}
			return failed(context, spec, taskId, `${still}; it was stopped (StopTask)`, lines);
		}
		const outcome = containerOutcome(followed.task ?? task, spec.container);
		if (outcome.exitCode !== 0) return failed(context, spec, taskId, outcome.text, lines, outcome.exitCode);
		host.notify({code: 'before-deploy', task: spec.name, container: spec.container, state: 'passed', taskId, exitCode: 0, message: `beforeDeploy ${spec.name}: ${spec.container} exited 0`});
	}
	return {kind: 'passed'};
}

/** What the container's end says: its exit code, or why it never ran. */
function containerOutcome(task: Task, container: string): {exitCode?: number; text: string} {
	const view = taskView(task);
	const ran = view.containers.find(c => c.name === container);
	const stopped = view.stoppedReason ? ` (${view.stopCode ? `${view.stopCode}: ` : ''}${view.stoppedReason})` : '';
	if (ran?.exitCode === undefined) return {text: `stopped before ${container} ran: ${ran?.reason ?? view.stoppedReason ?? 'no exit code'}`};
	return {exitCode: ran.exitCode, text: `${container} exited ${ran.exitCode}${stopped}${ran.reason ? `: ${ran.reason}` : ''}`};
}

function failed(context: StackContext, spec: BeforeDeploySpec, taskId: string | undefined, why: string, lines: readonly string[], exitCode?: number): BeforeDeployOutcome {
	const tail = lines.slice(-lastLines);
	const message = `beforeDeploy task ${spec.name} failed${taskId ? ` (task ${taskId})` : ''}: ${why}; the service was not changed`;
	const reasons: FailureReason[] = [{source: 'task', subject: `beforeDeploy ${spec.name}`, message: `${why}${tail.length > 0 ? `; last log lines: ${tail.join(' ⏎ ')}` : ''}`}];
	context.host.notify({code: 'before-deploy', task: spec.name, container: spec.container, state: 'failed', ...(taskId ? {taskId} : {}), ...(exitCode === undefined ? {} : {exitCode}), message, lastLines: tail});
	context.host.notify({code: 'failure', reasons});
	return {kind: 'failed', reasons, message};
}

/** The stack's account, region, partition (from its ARN) and the physical ids of its resources. */
async function stackFacts(context: StackContext, built: BuiltTemplate, stack: Stack | undefined): Promise<StackFacts> {
	const arn = stack?.StackId ?? '';
	const [, partition = 'aws', , region = context.resolved.target?.region ?? '', accountId = context.resolved.target?.accountId ?? ''] = arn.split(':');
	const physicalIds: Record<string, string> = {};
	if (stack) {
		let nextToken: string | undefined;
		do {
			const page = await callAws(context, 'ListStackResources', () => context.aws.cloudFormation.listStackResources({StackName: arn || built.stackName, ...(nextToken === undefined ? {} : {NextToken: nextToken})}));
			for (const r of page.StackResourceSummaries ?? []) {
				if (r.LogicalResourceId && r.PhysicalResourceId && !(r.ResourceStatus ?? '').startsWith('DELETE_')) physicalIds[r.LogicalResourceId] = r.PhysicalResourceId;
			}
			nextToken = page.NextToken;
		} while (nextToken);
	}
	return {stackName: built.stackName, region, accountId, partition, physicalIds};
}
