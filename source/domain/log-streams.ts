import type {ResolvedRecipe} from './recipe/resolved.js';
import {containsSensitive} from './variables-sensitive.js';

/*
 * Where each container's CloudWatch log stream is (pure). The awslogs driver writes a task's container to
 * the stream `<awslogs-stream-prefix>/<container name>/<task id>` of its group (Amazon ECS developer guide,
 * "Using the awslogs log driver": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
 */

/** A container that logs to CloudWatch Logs: its log group and stream prefix. */
export type LogSource = {container: string; group: string; prefix: string};

/** The log group `logging: auto` gets: the one the template creates. */
export function autoLogGroup(project: string, environment: string): string {
	return `/ecs/${project}/${environment}`;
}

/**
 * The containers that log to CloudWatch Logs, in recipe order: `logging: auto` (the stack's log group, the
 * prefix the recipe gives or the container's name), and `manual` with the awslogs driver when its group and
 * prefix are plain text.
 */
export function logSources(resolved: Pick<ResolvedRecipe, 'project' | 'environment' | 'service'>): LogSource[] {
	return resolved.service.containers.flatMap((container): LogSource[] => {
		const logging = container.logging;
		if (logging.type === 'auto') return [{container: container.name, group: autoLogGroup(resolved.project, resolved.environment), prefix: logging.streamPrefix ?? container.name}];
		if (logging.type !== 'manual' || logging.driver !== 'awslogs') return [];
		const group = logging.options?.['awslogs-group'];
		const prefix = logging.options?.['awslogs-stream-prefix'];
		if (group === undefined || prefix === undefined || containsSensitive(group) || containsSensitive(prefix)) return [];
		return [{container: container.name, group, prefix}];
	});
}

/** The stream of one container of one task. */
export function streamName(source: LogSource, taskId: string): string {
	return `${source.prefix}/${source.container}/${taskId}`;
}

/** A task id from an id or a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
export function taskIdOf(task: string): string {
	return task.split('/').at(-1) ?? task;
}

/**
 * A duration as typed after `--since` (`90s`, `10m`, `2h`, `1d`) in milliseconds, or undefined when it is
 * not one.
 */
export function parseDuration(text: string): number | undefined {
	const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
	if (!match) return undefined;
	const unit = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}[match[2] as 's' | 'm' | 'h' | 'd'];
	return Number(match[1]) * unit;
}
