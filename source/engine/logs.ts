import type {LogsPort} from '../aws/ports.js';
import {classifyAwsError, describeAwsError} from '../domain/aws-errors.js';
import type {ResolvedRecipe} from '../domain/recipe/resolved.js';
import {AwsAccessError, callAws, type CallContext} from './aws-call.js';
import type {TaskView} from './events.js';

/** How many of a failed container's last log lines to show. */
const lastLines = 20;

/**
 * Fetches the last lines of each failed container's CloudWatch log stream (containers with `logging: auto`),
 * one task per container: crash-looping tasks print the same thing.
 */
export async function fetchFailedContainerLogs(context: CallContext, logs: LogsPort, resolved: ResolvedRecipe, stopped: readonly TaskView[]): Promise<void> {
	const done = new Set<string>();
	for (const task of stopped) {
		for (const container of task.containers) {
			const failed = container.reason !== undefined || (container.exitCode !== undefined && container.exitCode !== 0);
			const spec = resolved.service.containers.find(c => c.name === container.name);
			if (!failed || done.has(container.name) || spec?.logging.type !== 'auto') continue;
			done.add(container.name);
			// awslogs stream names: <prefix>/<container name>/<task id>.
			const stream = `${spec.logging.streamPrefix ?? spec.name}/${spec.name}/${task.id}`;
			try {
				const out = await callAws(context, 'GetLogEvents', () =>
					logs.getLogEvents({logGroupName: `/ecs/${resolved.project}/${resolved.environment}`, logStreamName: stream, limit: lastLines, startFromHead: false}),
				);
				const lines = (out.events ?? []).map(e => e.message ?? '').filter(line => line !== '');
				if (lines.length > 0) context.host.notify({code: 'logs', container: container.name, taskId: task.id, lines});
			} catch (error) {
				if (error instanceof AwsAccessError || classifyAwsError(error) !== 'not-found') {
					context.host.notify({code: 'note', message: `could not read the logs of ${container.name}: ${describeAwsError(error instanceof AwsAccessError ? error.cause : error)}`});
				}
			}
		}
	}
}
