import {describe, expect, test} from 'vitest';
import type {StackEventView} from '../../../source/engine/core/host.js';
import {formatDuration, column, shortDigest, formatTime} from '../../../source/ui/format.js';
import {ecsRows, eventRows, matchesStatus, mergeEventPage, nextStatusFilter, oldestLoaded, stackLines, summarize} from '../../../source/ui/screens/history/history-rows.js';

let seq = 0;
function event(logicalId: string, status: string, timestamp: number, extra: Partial<StackEventView> = {}): StackEventView {
	return {id: `e${++seq}`, timestamp, logicalId, resourceType: logicalId === 'app-dev' ? 'AWS::CloudFormation::Stack' : 'AWS::ECS::Service', status, ...extra};
}

describe('stack event pages', () => {
	test('an operation cut by a page boundary continues: its older events are appended, newest first', () => {
		const page1 = [
			{operation: 'op-2', events: [event('app-dev', 'UPDATE_IN_PROGRESS', 200), event('Service', 'UPDATE_COMPLETE', 210), event('app-dev', 'UPDATE_COMPLETE', 220)]},
			{operation: 'op-1', events: [event('Service', 'CREATE_COMPLETE', 120), event('app-dev', 'CREATE_COMPLETE', 130)]},
		];
		const page2 = [{operation: 'op-1', events: [event('app-dev', 'CREATE_IN_PROGRESS', 100), event('Service', 'CREATE_IN_PROGRESS', 110)]}];
		const groups = mergeEventPage(mergeEventPage([], page1), page2);
		expect(groups.map(g => [g.operation, g.events.map(e => e.timestamp)])).toEqual([
			['op-2', [220, 210, 200]],
			['op-1', [130, 120, 110, 100]],
		]);
		expect(oldestLoaded(groups)).toBe(100);
		expect(summarize(groups[1]!)).toMatchObject({began: 'CREATE_IN_PROGRESS', ended: 'CREATE_COMPLETE', at: 100, count: 4});
	});

	test('rows: a heading per operation, then its events that pass the filters; an operation with none is left out', () => {
		const groups = mergeEventPage([], [
			{operation: 'op-2', events: [event('app-dev', 'UPDATE_IN_PROGRESS', 200), event('Service', 'UPDATE_FAILED', 210, {reason: 'tasks failed'}), event('app-dev', 'UPDATE_ROLLBACK_COMPLETE', 220)]},
			{operation: 'op-1', events: [event('app-dev', 'CREATE_IN_PROGRESS', 100), event('Service', 'CREATE_COMPLETE', 120)]},
		]);
		const kinds = (rows: ReturnType<typeof eventRows>) => rows.map(r => (r.kind === 'operation' ? `# ${r.summary.operation}` : `${r.event.logicalId} ${r.event.status}`));
		expect(kinds(eventRows(groups, {status: 'all'}))).toEqual(['# op-2', 'app-dev UPDATE_ROLLBACK_COMPLETE', 'Service UPDATE_FAILED', 'app-dev UPDATE_IN_PROGRESS', '# op-1', 'Service CREATE_COMPLETE', 'app-dev CREATE_IN_PROGRESS']);
		expect(kinds(eventRows(groups, {status: 'failed'}))).toEqual(['# op-2', 'app-dev UPDATE_ROLLBACK_COMPLETE', 'Service UPDATE_FAILED']);
		expect(kinds(eventRows(groups, {status: 'all', resource: 'Service'}))).toEqual(['# op-2', 'Service UPDATE_FAILED', '# op-1', 'Service CREATE_COMPLETE']);
		// A deployment's time: the operations with an event in it, whole.
		expect(kinds(eventRows(groups, {status: 'all', scope: {label: 'x', from: 95, to: 150}}))).toEqual(['# op-1', 'Service CREATE_COMPLETE', 'app-dev CREATE_IN_PROGRESS']);
		// A heading's search text holds its events', so `/` keeps the heading of what it finds.
		const heading = eventRows(groups, {status: 'all'})[0]!;
		expect(heading.text).toContain('tasks failed');
	});

	test('status kinds, and the order s cycles through them', () => {
		expect(matchesStatus('UPDATE_FAILED', 'failed')).toBe(true);
		expect(matchesStatus('UPDATE_ROLLBACK_COMPLETE', 'failed')).toBe(true);
		expect(matchesStatus('UPDATE_ROLLBACK_COMPLETE', 'complete')).toBe(false);
		expect(matchesStatus('UPDATE_ROLLBACK_IN_PROGRESS', 'rollback')).toBe(true);
		expect(matchesStatus('CREATE_IN_PROGRESS', 'in progress')).toBe(true);
		expect(matchesStatus('CREATE_COMPLETE', 'complete')).toBe(true);
		const seen = ['all'];
		for (let i = 0; i < 5; i++) seen.push(nextStatusFilter(seen.at(-1) as never));
		expect(seen).toEqual(['all', 'failed', 'rollback', 'in progress', 'complete', 'all']);
	});
});

describe('ECS side and stack', () => {
	test('why tasks stopped comes first with its hint; then deployments with the circuit breaker; then stopped tasks with exit codes', () => {
		const rows = ecsRows({
			serviceArn: 'arn:aws:ecs:eu-west-1:1:service/c/s',
			deployments: [{arn: 'arn:aws:ecs:eu-west-1:1:service-deployment/c/s/2', status: 'ROLLBACK_SUCCESSFUL', circuitBreaker: {status: 'TRIGGERED', failureCount: 3, threshold: 3}, rollback: {reason: 'circuit breaker'}}],
			stoppedTasks: [{id: 'abcdef0123456789', revision: 'app-dev:3', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{name: 'web', exitCode: 1}]}],
			reasons: [
				{source: 'container', subject: 'web', message: 'exited with exit code 1', hint: 'look at its logs'},
				{source: 'task', subject: 'task abcdef0123456789', message: 'Essential container in task exited'},
			],
		});
		expect(rows.map(r => r.text)).toEqual([
			'Why tasks stopped',
			'container web: exited with exit code 1 — look at its logs',
			'task abcdef0123456789: Essential container in task exited',
			'ECS deployments (1)',
			'ROLLBACK_SUCCESSFUL  —  breaker TRIGGERED 3/3  rolled back: circuit breaker',
			'Stopped tasks (1; ECS keeps them about an hour)',
			'abcdef01  app-dev:3  EssentialContainerExited  web exit 1  Essential container in task exited',
		]);
		expect(rows[6]!.detail).toContain('container  web: ?, exit code 1');
		expect(ecsRows({deployments: [], stoppedTasks: [], reasons: []})[0]!.text).toMatch(/no ECS service/);
	});

	test('stack lines: a NoEcho parameter shows as ****, never a value; control characters in values are made visible', () => {
		const lines = stackLines({
			stackName: 'app-dev',
			status: 'UPDATE_COMPLETE',
			release: '1.2.0',
			outputs: [{key: 'ServiceArn', value: 'arn:aws:ecs:…'}],
			parameters: [
				{key: 'ImageTagWeb', value: '1.2.0'},
				{key: 'SecretApiKey', value: '****'},
			],
			resources: [{logicalId: 'Service', physicalId: 'arn:x', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE', reason: 'bad\u001b[2Jthing'}],
			template: '{\n  "Resources": {}\n}',
		});
		const text = lines.map(l => l.text);
		expect(text).toContain('ServiceArn = arn:aws:ecs:…');
		expect(lines.find(l => l.text.startsWith('SecretApiKey'))).toMatchObject({kind: 'secret', text: 'SecretApiKey = **** (NoEcho: AWS does not show it)'});
		expect(text.find(t => t.startsWith('Service '))).toContain('bad\\u001b[2Jthing');
		expect(text.slice(-4)).toEqual(['Template (3 lines, as CloudFormation has it)', '{', '  "Resources": {}', '}']);
		expect(stackLines({stackName: 'app-dev', outputs: [], parameters: [], resources: []})[0]!.text).toMatch(/there is no stack app-dev/);
	});
});

describe('format', () => {
	test('durations, columns, digests and UTC times', () => {
		expect([formatDuration(850), formatDuration(42_000), formatDuration(185_000), formatDuration(3_720_000), formatDuration(undefined)]).toEqual(['850ms', '42s', '3m 05s', '1h 02m', '—']);
		expect(column('UPDATE_ROLLBACK_IN_PROGRESS', 10)).toBe('UPDATE_RO…');
		expect(column('ok', 4)).toBe('ok  ');
		expect(shortDigest('sha256:1e7b5ab67f27df93526f3aac')).toBe('sha256:1e7b5ab67f27');
		expect(formatTime('2026-11-29T23:22:12.546Z')).toBe('2026-11-29 23:22:12');
	});
});
