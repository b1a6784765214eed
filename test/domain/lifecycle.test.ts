import {describe, expect, test} from 'vitest';
import {lifecycleStagesFor, minutesLeft, productionShare, progressLine, trafficSteps} from '../../source/domain/lifecycle.js';

describe('the lifecycle of a traffic-shifting deployment', () => {
	test('the stages: test traffic only with a test listener; rolling has none', () => {
		expect(lifecycleStagesFor('blue-green', true)).toContain('POST_TEST_TRAFFIC_SHIFT');
		expect(lifecycleStagesFor('canary', false)).not.toContain('TEST_TRAFFIC_SHIFT');
		expect(lifecycleStagesFor('rolling', true)).toEqual([]);
	});

	test('the progress line marks what is done, where it is, and what comes', () => {
		const stages = lifecycleStagesFor('blue-green', true);
		expect(progressLine(stages, 'PRODUCTION_TRAFFIC_SHIFT', false)).toEqual([
			{label: 'scale up', state: 'done'},
			{label: 'test traffic', state: 'done'},
			{label: 'production traffic', state: 'current'},
			{label: 'bake time', state: 'next'},
			{label: 'clean up', state: 'next'},
		]);
		expect(progressLine(stages, 'RECONCILE_SERVICE', false)[0]).toEqual({label: 'reconcile', state: 'current'});
		expect(progressLine(stages, 'CLEAN_UP', true).every(step => step.state === 'done')).toBe(true);
	});

	test('the traffic split follows the strategy\'s steps', () => {
		expect(trafficSteps('canary', 10)).toEqual([10, 100]);
		expect(trafficSteps('linear', undefined, 25)).toEqual([25, 50, 75, 100]);
		expect(trafficSteps('linear', undefined, 30)).toEqual([30, 60, 90, 100]);
		const canary = trafficSteps('canary', 10);
		expect(productionShare('POST_TEST_TRAFFIC_SHIFT', 0, canary, false)).toBe(0);
		expect(productionShare('PRODUCTION_TRAFFIC_SHIFT', 1, canary, false)).toBe(10);
		expect(productionShare('PRE_PRODUCTION_TRAFFIC_SHIFT', 1, canary, false)).toBe(10);
		expect(productionShare('BAKE_TIME', 2, canary, false)).toBe(100);
		expect(productionShare('BAKE_TIME', 2, canary, true)).toBe(0);
	});

	test('minutes left round up and never go below 0', () => {
		expect(minutesLeft(1_000 + 59 * 60_000 + 1, 1_000)).toBe(60);
		expect(minutesLeft(0, 5_000)).toBe(0);
	});
});
