import type {AwsPorts, Task} from '../../aws/ports.js';
import {classifyAwsError} from '../../domain/aws-errors.js';
import {callAws, type CallContext} from '../core/aws-call.js';
import {nextInterval} from '../core/clock.js';
import {taskView} from './service-watch.js';

/** Where a container's awslogs stream is: its group and stream (`<prefix>/<container>/<task id>`). */
export type LogStream = {group: string; stream: string};

export type FollowOptions = {
	cluster: string;
	taskArn: string;
	/** The container whose log lines are read. */
	container: string;
	logs: LogStream | undefined;
	/** Stop following at this time (the clock's): the result says `timedOut` and the task still runs. */
	deadline?: number;
	/** Called with each batch of new log lines (besides the `task.output` event). */
	onLines?: (lines: string[]) => void;
};

/**
 * Polls a task started with RunTask until it stops (or the deadline passes), reporting each change of its
 * state (`task`) and its container's new log lines (`task.output`); returns the last task read.
 */
export async function followTask(context: CallContext & {aws: AwsPorts}, options: FollowOptions): Promise<{task: Task | undefined; timedOut: boolean}> {
	const {aws} = context;
	const {cluster, taskArn, container, logs} = options;
	let last = '';
	let token: string | undefined;
	const taskId = taskArn.split('/').at(-1)!;
	const readLogs = async (): Promise<boolean> => {
		if (!logs) return false;
		try {
			const page = await callAws(context, 'GetLogEvents', () => aws.logs.getLogEvents({logGroupName: logs.group, logStreamName: logs.stream, startFromHead: true, ...(token ? {nextToken: token} : {})}));
			const lines = (page.events ?? []).map(e => e.message ?? '');
			token = page.nextForwardToken ?? token;
			if (lines.length > 0) {
				context.host.notify({code: 'task.output', container, taskId, lines});
				options.onLines?.(lines);
			}
			return lines.length > 0;
		} catch (error) {
			// The stream appears once the container has written to it.
			if (classifyAwsError(error) === 'not-found') return false;
			throw error;
		}
	};
	for (let quiet = 1; ; ) {
		const described = await callAws(context, 'DescribeTasks', () => aws.ecs.describeTasks({cluster, tasks: [taskArn]}));
		const task = described.tasks?.[0];
		let changed = false;
		if (task) {
			const view = taskView(task);
			const key = JSON.stringify(view);
			if (key !== last) {
				last = key;
				changed = true;
				context.host.notify({code: 'task', task: view});
			}
		}
		if (await readLogs()) changed = true;
		if (task?.lastStatus === 'STOPPED') {
			// Lines written just before the end arrive a moment later.
			await readLogs();
			return {task, timedOut: false};
		}
		if (options.deadline !== undefined && context.clock.now() >= options.deadline) return {task, timedOut: true};
		quiet = changed ? 1 : quiet + 1;
		const wait = nextInterval(context.polling, quiet);
		await context.control.pause(context.clock, options.deadline === undefined ? wait : Math.max(0, Math.min(wait, options.deadline - context.clock.now())));
	}
}

/** The awslogs stream of a container of a registered task definition (its logConfiguration), if it has one. */
export function awslogsStream(definition: {name?: string; logConfiguration?: {logDriver?: string; options?: Record<string, string>}} | undefined, taskId: string): LogStream | undefined {
	const config = definition?.logConfiguration;
	if (!definition?.name || config?.logDriver !== 'awslogs') return undefined;
	const group = config.options?.['awslogs-group'];
	const prefix = config.options?.['awslogs-stream-prefix'];
	return group === undefined || prefix === undefined ? undefined : {group, stream: `${prefix}/${definition.name}/${taskId}`};
}
