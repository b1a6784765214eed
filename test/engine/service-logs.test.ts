import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {EngineEvent, LogLine} from '../../source/engine/core/host.js';
import type {LogsInput} from '../../source/engine/service/service-logs.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

/* Following a service's logs: the CloudWatch streams of its tasks, read with forward tokens. */

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

async function deploy(tag: string) {
	return h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'watch', images: {web: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true})).result;
}

const lines = (events: readonly EngineEvent[]): LogLine[] => events.flatMap(e => (e.code === 'log.lines' ? e.lines : []));

function logs(input: Partial<LogsInput> = {}) {
	const host = recordingHost();
	const run = h.engine.logs({recipeFile: h.example('hello-color'), environment: 'dev', target, follow: false, ...input}, host);
	return {run, host};
}

describe('the logs of a service', () => {
	test('read once: every line of the PRIMARY deployment\'s tasks, oldest first, from each container\'s stream', async () => {
		await deploy('1.0.0');
		h.fake.advance(60_000);
		const {run, host} = logs();
		const result = await run.result;
		expect(result).toMatchObject({outcome: 'done', streams: 1});
		const read = lines(host.events);
		expect(read[0]).toMatchObject({container: 'web', message: 'Starting web (hello-color:1.0.0)', taskId: expect.stringMatching(/^[0-9a-f]{32}$/)});
		expect(read.map(l => l.message)).toContain('Ready: listening on :80');
		expect(read.map(l => l.timestamp)).toEqual([...read.map(l => l.timestamp)].sort((a, b) => a - b));
		const call = h.fake.calls.find(c => c.command === 'GetLogEvents')!.input;
		expect(call).toMatchObject({logGroupName: '/ecs/hello-color/dev', logStreamName: `web/web/${read[0]!.taskId}`, startFromHead: true});
	});

	test('followed: each round continues from the forward token, new lines only, slower while nothing is written; stop ends it', async () => {
		await deploy('1.0.0');
		h.fake.advance(20_000);
		const {run, host} = logs({follow: true});
		h.fake.atSleep(6, () => run.stop());
		const result = await run.result;
		expect(result.outcome).toBe('stopped');
		const read = lines(host.events);
		expect(new Set(read.map(l => `${l.timestamp} ${l.message}`)).size, 'no line twice').toBe(read.length);
		const reads = h.fake.calls.filter(c => c.command === 'GetLogEvents').map(c => c.input);
		expect(reads.slice(1).every(input => typeof input.nextToken === 'string' && input.nextToken.startsWith('f/'))).toBe(true);
		expect(read.filter(l => l.message.startsWith('GET /health')).length).toBeGreaterThan(1);
	});

	test('a crash loop: the stopped tasks of the deployment show their last words', async () => {
		await deploy('1.0.0');
		await deploy('1.4.1-crashloop');
		// The circuit breaker rolled back: the PRIMARY deployment is the previous one again; the crashed tasks are found by --task.
		const crashed = h.fake.calls.filter(c => c.command === 'GetLogEvents').map(c => c.input.logStreamName as string)[0]!.split('/').at(-1)!;
		const {run, host} = logs({task: `arn:aws:ecs:eu-west-1:123456789012:task/sandbox/${crashed}`});
		expect(await run.result).toMatchObject({outcome: 'done', streams: 1});
		expect(lines(host.events).map(l => l.message)).toEqual(['Starting web (hello-color:1.4.1-crashloop)', 'Loading configuration from environment', 'Error: required setting DATABASE_URL is not set', 'Process exited with code 1']);
	});

	test('--since leaves out older lines; a container or environment that is not there is bad input naming the flag', async () => {
		await deploy('1.0.0');
		h.fake.advance(60_000);
		const {run, host} = logs({since: h.fake.now - 15_000});
		await run.result;
		expect(lines(host.events).every(l => l.timestamp >= h.fake.now - 15_000)).toBe(true);
		expect(lines(host.events).length).toBeGreaterThan(0);
		expect(await logs({container: 'db'}).run.result).toMatchObject({outcome: 'invalid', problems: [{path: '--container', message: 'hello-color has no container "db" (its containers: web)'}]});
		expect(await logs({environment: 'staging'}).run.result).toMatchObject({outcome: 'invalid', problems: [{path: '--env', message: expect.stringMatching(/no stack hello-color-staging/)}]});
	});

	test('the sandbox pages a stream as CloudWatch Logs does: forward tokens, the same token at the end, the newest lines without startFromHead', async () => {
		await deploy('1.0.0');
		h.fake.advance(40_000);
		const {run, host} = logs();
		await run.result;
		const {taskId} = lines(host.events)[0]!;
		const aws = h.fake.ports().logs;
		const stream = {logGroupName: '/ecs/hello-color/dev', logStreamName: `web/web/${taskId}`};
		const first = await aws.getLogEvents({...stream, startFromHead: true, limit: 3});
		expect(first.events!.map(e => e.message)).toEqual(['Starting web (hello-color:1.0.0)', 'Loading configuration from environment', 'Ready: listening on :80']);
		const rest = await aws.getLogEvents({...stream, startFromHead: true, nextToken: first.nextForwardToken!});
		expect(rest.events!.length).toBeGreaterThan(0);
		const end = await aws.getLogEvents({...stream, startFromHead: true, nextToken: rest.nextForwardToken!});
		expect(end).toMatchObject({events: [], nextForwardToken: rest.nextForwardToken});
		h.fake.advance(10_000);
		expect((await aws.getLogEvents({...stream, startFromHead: true, nextToken: rest.nextForwardToken!})).events!.map(e => e.message)).toEqual([expect.stringMatching(/^GET \/health 200/)]);
		const newest = await aws.getLogEvents({...stream, limit: 2});
		expect(newest.events!.map(e => e.message)).toEqual([expect.stringMatching(/^GET/), expect.stringMatching(/^GET/)]);
		await expect(aws.getLogEvents({...stream, logStreamName: 'web/web/0000'})).rejects.toMatchObject({name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.'});
	});
});
