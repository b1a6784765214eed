import {classifyAwsError, describeAwsError} from '../../domain/aws-errors.js';
import {logSources, streamName} from '../../domain/log-streams.js';
import {AwsAccessError, callAws} from '../core/aws-call.js';
import type {TaskView} from '../core/host.js';
import {Detached} from '../core/run-control.js';
import type {StackContext} from '../core/stack-context.js';

/** How many of a failed container's last log lines to show. */
const lastLines = 20;

/**
 * Fetches the last lines of each failed container's CloudWatch log stream (containers that log to CloudWatch),
 * one task per container (crash-looping tasks print the same thing); `done` remembers which were fetched.
 */
export async function fetchContainerLogs(context: StackContext, stopped: readonly TaskView[], done: Set<string>): Promise<void> {
	const sources = logSources(context.resolved);
	for (const task of stopped) {
		for (const container of task.containers) {
			const failed = container.reason !== undefined || (container.exitCode !== undefined && container.exitCode !== 0);
			const source = sources.find(s => s.container === container.name);
			if (!failed || done.has(container.name) || !source) continue;
			done.add(container.name);
			try {
				const out = await callAws(context, 'GetLogEvents', () => context.aws.logs.getLogEvents({logGroupName: source.group, logStreamName: streamName(source, task.id), limit: lastLines, startFromHead: false}));
				const lines = (out.events ?? []).map(e => e.message ?? '').filter(line => line !== '');
				if (lines.length > 0) context.host.notify({code: 'logs', container: container.name, taskId: task.id, lines});
			} catch (error) {
				if (error instanceof Detached) throw error;
				if (error instanceof AwsAccessError || classifyAwsError(error) !== 'not-found') {
					context.host.notify({code: 'note', message: `could not read the logs of ${container.name}: ${describeAwsError(error instanceof AwsAccessError ? error.cause : error)}`});
				}
			}
		}
	}
}
