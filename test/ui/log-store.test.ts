import {describe, expect, test} from 'vitest';
import {LogStore} from '../../source/ui/runs/log-store.js';

describe('the log store', () => {
	test('keeps the newest lines only (memory stays bounded however long it follows) and tells subscribers once per batch', () => {
		const timers: Array<() => void> = [];
		const store = new LogStore({capacity: 100, schedule: callback => timers.push(callback)});
		let told = 0;
		store.subscribe(() => told++);
		for (let i = 0; i < 10_000; i++) store.push({code: 'log.lines', lines: [{timestamp: i, container: 'web', taskId: 't', message: `line ${i}`}]});
		expect(timers).toHaveLength(1);
		timers.shift()!();
		expect(told).toBe(1);
		const snapshot = store.getSnapshot();
		expect(snapshot.lines).toHaveLength(100);
		expect(snapshot.lines[0]).toMatchObject({message: 'line 9900', seq: 9900});
		expect(snapshot.received).toBe(10_000);
		store.end({outcome: 'stopped', message: 'stopped following after 10000 log lines', lines: 10_000, streams: 1});
		expect(store.getSnapshot().ended).toMatchObject({outcome: 'stopped'});
	});
});
