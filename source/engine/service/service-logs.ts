import type {AwsPorts} from '../../aws/ports.js';
import {classifyAwsError, reportError} from '../../domain/aws-errors.js';
import {logSources, streamName, taskIdOf, type LogSource} from '../../domain/log-streams.js';
import {error as problem, hasErrors, type Problem} from '../../domain/problems.js';
import type {Target} from '../../domain/records.js';
import {AwsAccessError, callAws, operationOf, type CallContext} from '../core/aws-call.js';
import {nextInterval} from '../core/clock.js';
import {callContextFor, type EngineDeps} from '../core/deps.js';
import type {EngineHost, LogLine} from '../core/host.js';
import {prepareRecipe} from '../core/prepare.js';
import {Detached, RunControl} from '../core/run-control.js';
import {stackEcsResources} from '../monitor/stack-resources.js';
import {describeStack} from '../monitor/stack-monitor.js';


export type LogsInput = {
	recipeFile: string;
	environment: string;
	target: Target;
	/** Keep reading new events until stopped (Ctrl+C, detach); without it, read what is there and end. */
	follow: boolean;
	/** Only events at or after this time (epoch ms). */
	since?: number;
	/** Only this task (an id or a task ARN). */
	task?: string;
	/** Only this container. */
	container?: string;
	/**
	 * The tasks to read, asked again before each round: the live view follows the tasks of the deploy it
	 * watches. Without it (or while it names none), the tasks of the service's PRIMARY deployment (running
	 * and stopped).
	 */
	tasks?: () => readonly string[];
	/** At most this many tasks are read (the newest first). @default 10 */
	maxTasks?: number;
};

/** How reading the logs ended. */
export type LogsResult =
	| {outcome: 'done'; message: string; lines: number; streams: number}
	/** Following, stopped by the operator (Ctrl+C, leaving the pane). */
	| {outcome: 'stopped'; message: string; lines: number; streams: number}
	| {outcome: 'invalid'; message: string; problems: Problem[]}
	| {outcome: 'access-denied'; message: string; operation: string}
	| {outcome: 'error'; message: string; code: string; hint: string};

/** Logs being read: the result once they end, and the controls (stop = detach). */
export type LogsRun = {readonly result: Promise<LogsResult>; readonly control: RunControl; stop(): void};

/** Pages read from one stream in one round at most (10,000 events or 1 MB each): a huge backlog does not stall the others. */
const pagesPerRound = 5;
/** Rounds between two looks for new tasks while following. */
const rediscoverEvery = 3;

type Stream = {source: LogSource; taskId: string; name: string; token?: string};

/**
 * Reads the CloudWatch log streams of a service's tasks (`<prefix>/<container>/<task id>`), oldest first,
 * and reports them as `log.lines` events; while following, reads new events with each stream's forward
 * token (GetLogEvents, startFromHead), on a setTimeout chain that slows down while nothing is written and
 * looks for new tasks every few rounds. A stream that does not exist yet (a task still starting) is tried
 * again later. Stops on `stop()` (the run's detach).
 */
export function followLogs(input: LogsInput, deps: EngineDeps, host: EngineHost): LogsRun {
	const control = new RunControl();
	const result = readLogs(control, input, deps, host);
	return {result, control, stop: () => control.detach()};
}

async function readLogs(control: RunControl, input: LogsInput, deps: EngineDeps, host: EngineHost): Promise<LogsResult> {
	const prepared = await prepareRecipe({recipeFile: input.recipeFile, environment: input.environment, target: {name: input.target.name, cluster: input.target.cluster, region: input.target.region}, releaseVersion: 'current'}, deps.files);
	if (!prepared.resolved || hasErrors(prepared.problems)) return {outcome: 'invalid', problems: prepared.problems, message: `cannot read the logs of ${input.environment}: the recipe has problems`};
	const resolved = prepared.resolved;
	let sources = logSources(resolved);
	if (input.container !== undefined) {
		const names = resolved.service.containers.map(c => c.name);
		if (!names.includes(input.container)) return invalid('--container', `${resolved.project} has no container "${input.container}" (its containers: ${names.join(', ')})`);
		sources = sources.filter(s => s.container === input.container);
	}
	if (sources.length === 0) {
		return invalid(input.container === undefined ? 'service.containers' : '--container', `no container${input.container === undefined ? '' : ` named ${input.container}`} of ${resolved.project} logs to CloudWatch Logs: give it logging: auto (or the awslogs driver with awslogs-group and awslogs-stream-prefix)`);
	}
	let lines = 0;
	const streams = new Map<string, Stream>();
	try {
		const aws = await deps.awsFor(input.target);
		const context = callContextFor(deps, input.target, aws, host, control);
		const tasksNow = async (): Promise<readonly string[] | LogsResult> => {
			if (input.task !== undefined) return [taskIdOf(input.task)];
			// The caller's tasks (a deploy's new tasks); none yet: the service's.
			const given = input.tasks?.().map(taskIdOf) ?? [];
			if (given.length > 0) return given;
			return serviceTasks(context, aws, resolved.service.stackName, input);
		};
		let announced = '';
		for (let round = 0, quiet = 1; ; round++) {
			if (round % rediscoverEvery === 0 || streams.size === 0) {
				const tasks = await tasksNow();
				if (!Array.isArray(tasks)) return tasks as LogsResult;
				for (const taskId of (tasks as string[]).slice(0, input.maxTasks ?? 10)) {
					for (const source of sources) {
						const name = streamName(source, taskId);
						if (!streams.has(`${source.group}|${name}`)) streams.set(`${source.group}|${name}`, {source, taskId, name});
					}
				}
				const what = `${streams.size} log stream${streams.size === 1 ? '' : 's'} (${[...new Set([...streams.values()].map(s => s.taskId.slice(0, 8)))].join(', ') || 'no task yet'})`;
				if (what !== announced) host.notify({code: 'note', message: `${input.follow ? 'following' : 'reading'} ${what}`});
				announced = what;
			}
			const fresh: LogLine[] = [];
			for (const stream of streams.values()) fresh.push(...(await readStream(context, aws, stream, input.since)));
			fresh.sort((a, b) => a.timestamp - b.timestamp);
			if (fresh.length > 0) {
				lines += fresh.length;
				host.notify({code: 'log.lines', lines: fresh});
			}
			if (!input.follow) return {outcome: 'done', lines, streams: streams.size, message: `${lines} log line${lines === 1 ? '' : 's'} from ${streams.size} stream${streams.size === 1 ? '' : 's'}`};
			quiet = fresh.length > 0 ? 1 : quiet + 1;
			await control.pause(deps.clock, nextInterval(context.polling, quiet));
		}
	} catch (error) {
		if (error instanceof Detached) return {outcome: 'stopped', lines, streams: streams.size, message: `stopped following after ${lines} log line${lines === 1 ? '' : 's'}`};
		if (error instanceof AwsAccessError) return {outcome: 'access-denied', operation: error.operation, message: `${error.operation}: ${error.message}`};
		const report = reportError(error, operationOf(error));
		return {outcome: 'error', code: report.code, hint: report.hint, message: `reading the logs failed: ${report.message}`};
	}

	function invalid(path: string, message: string): LogsResult {
		return {outcome: 'invalid', problems: [problem(path, message)], message: `cannot read the logs of ${input.environment}: ${message}`};
	}
}

/**
 * Reads a stream from where the last round stopped (its forward token), to its end: the end is a page whose
 * forward token is the one sent (CloudWatch Logs API reference, GetLogEvents). A stream not there yet reads
 * as empty.
 */
async function readStream(context: CallContext, aws: AwsPorts, stream: Stream, since: number | undefined): Promise<LogLine[]> {
	const found: LogLine[] = [];
	for (let page = 0; page < pagesPerRound; page++) {
		let out;
		try {
			out = await callAws(context, 'GetLogEvents', () =>
				aws.logs.getLogEvents({
					logGroupName: stream.source.group,
					logStreamName: stream.name,
					startFromHead: true,
					// The time bound goes with every page: a token is a position, and some endpoints count it without the bound.
					...(since === undefined ? {} : {startTime: since}),
					...(stream.token === undefined ? {} : {nextToken: stream.token}),
				}),
			);
		} catch (error) {
			// The task has not started writing yet (or never will): not an error of the logs.
			if (classifyAwsError(error) === 'not-found') return found;
			throw error;
		}
		for (const event of out.events ?? []) {
			if (event.message === undefined || (since !== undefined && (event.timestamp ?? 0) < since)) continue;
			found.push({timestamp: event.timestamp ?? 0, container: stream.source.container, taskId: stream.taskId, message: event.message.replace(/\r?\n$/, '')});
		}
		const sent = stream.token;
		if (out.nextForwardToken !== undefined) stream.token = out.nextForwardToken;
		if (out.nextForwardToken === undefined || out.nextForwardToken === sent || (out.events ?? []).length === 0) return found;
	}
	return found;
}

/**
 * The tasks of the service's PRIMARY deployment, newest first: running ones (ListTasks by startedBy, its only
 * filter) and stopped ones (a crash loop's tasks stop; ECS keeps them about an hour).
 */
async function serviceTasks(context: CallContext, aws: AwsPorts, stackName: string, input: LogsInput): Promise<string[] | LogsResult> {
	const stack = await describeStack({...context, aws}, stackName);
	if (!stack) return {outcome: 'invalid', problems: [problem('--env', `there is no stack ${stackName}: ${input.environment} has not been deployed`)], message: `no logs: ${input.environment} has not been deployed (no stack ${stackName})`};
	const {service} = await stackEcsResources({...context, aws}, stack.StackId ?? stackName);
	if (!service) return [];
	const cluster = input.target.cluster;
	const described = await callAws(context, 'DescribeServices', () => aws.ecs.describeServices({cluster, services: [service]}));
	const primary = described.services?.[0]?.deployments?.find(d => d.status === 'PRIMARY');
	if (!primary?.id) return [];
	const deploymentId = primary.id;
	const [running, stopped] = await Promise.all([
		callAws(context, 'ListTasks', () => aws.ecs.listTasks({cluster, startedBy: deploymentId})),
		callAws(context, 'ListTasks', () => aws.ecs.listTasks({cluster, serviceName: service, desiredStatus: 'STOPPED'})),
	]);
	const arns = [...new Set([...(running.taskArns ?? []), ...(stopped.taskArns ?? [])])].slice(0, 100);
	if (arns.length === 0) return [];
	const tasks = await callAws(context, 'DescribeTasks', () => aws.ecs.describeTasks({cluster, tasks: arns}));
	return (tasks.tasks ?? [])
		.filter(t => t.startedBy === deploymentId)
		.sort((a, b) => new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime())
		.map(t => taskIdOf(t.taskArn ?? ''));
}
