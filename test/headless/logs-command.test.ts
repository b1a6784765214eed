import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {logsCommand, type LogsFlags} from '../../source/headless/commands/logs.js';
import {capture} from '../helpers/output.js';
import {harness, recordingHost, target, type Harness} from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
	await h.engine.deploy({recipeFile: h.example('hello-color'), environment: 'dev', target, reattach: 'watch', images: {web: '1.0.0'}}, recordingHost({'execute-change-set': true})).result;
	h.fake.advance(30_000);
});
afterEach(() => h.fake.restore());

async function logs(flags: Partial<LogsFlags> = {}, signal?: AbortSignal) {
	const {output, out, err} = capture();
	const code = await logsCommand({recipe: h.example('hello-color'), env: 'dev', target: 'sandbox', ...flags}, h.engine, output, {env: {}, ...(signal ? {signal} : {})}, () => h.fake.now);
	return {code, stdout: out(), stderr: err()};
}

describe('ecs-deployer logs', () => {
	test('prints each line with its time, container and task; exit 0', async () => {
		const {code, stdout, stderr} = await logs();
		expect(code).toBe(0);
		expect(stdout).toMatch(/^2026-11-23T10:\d\d:\d\dZ web\/[0-9a-f]{8} Starting web \(hello-color:1\.0\.0\)$/m);
		expect(stdout).toMatch(/web\/[0-9a-f]{8} Ready: listening on :80$/m);
		expect(stderr).toMatch(/reading 1 log stream \([0-9a-f]{8}\)/);
		expect(stderr).toMatch(/\d+ log lines from 1 stream/);
	});

	test('--json prints one object per line; --container and --since narrow it', async () => {
		const {stdout} = await logs({json: true, container: 'web', since: '10s'});
		const lines = stdout.trim().split('\n').map(l => JSON.parse(l) as {timestamp: string; container: string; task: string; message: string});
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.every(l => l.container === 'web' && /^[0-9a-f]{32}$/.test(l.task))).toBe(true);
		expect(lines.every(l => Date.parse(l.timestamp) >= h.fake.now - 10_000)).toBe(true);
		expect(lines.map(l => l.message)).not.toContain('Starting web (hello-color:1.0.0)');
	});

	test('bad flags exit 2 naming the flag', async () => {
		const since = await logs({since: 'ten minutes'});
		expect(since.code).toBe(2);
		expect(since.stderr).toMatch(/--since: "ten minutes" is not a duration/);
		const container = await logs({container: 'db'});
		expect(container.code).toBe(2);
		expect(container.stderr).toMatch(/--container: hello-color has no container "db"/);
	});

	test('--follow goes on until Ctrl+C: new lines as they are written, then exit 130', async () => {
		const interrupt = new AbortController();
		h.fake.atSleep(4, () => interrupt.abort());
		const {code, stdout, stderr} = await logs({follow: true}, interrupt.signal);
		expect(code).toBe(130);
		expect(stdout.match(/GET \/health 200/g)?.length).toBeGreaterThan(1);
		expect(stderr).toMatch(/following 1 log stream/);
		expect(stderr).toMatch(/stopped following after \d+ log lines/);
	});

	test('a log line cannot drive the terminal: control characters are shown as escapes', async () => {
		h.fake.answer('GetLogEvents', output => ({...output, events: [...(output.events ?? []), {timestamp: h.fake.now, message: 'evil \u001B]52;c;aGk=\u0007\u001B[2J done'}]}));
		const {stdout} = await logs();
		expect(stdout).not.toContain('\u001B');
		expect(stdout).toContain('evil \\u001b]52;c;aGk=\\u0007\\u001b[2J done');
	});
});
