import type {DeploymentStrategy} from './recipe/schema.js';

/*
 * The lifecycle of a blue/green, canary or linear ECS service deployment (ServiceDeploymentLifecycleStage in
 * the ECS API), as a progress line and in words, and the share of production traffic the new revision has
 * at a stage. Pure: the engine feeds it what DescribeServiceDeployments says and what the recipe configures.
 */

/** The stages a deployment of this strategy goes through, in order (RECONCILE_SERVICE only comes when more than one revision runs). */
export function lifecycleStagesFor(strategy: DeploymentStrategy, testTraffic: boolean): string[] {
	if (strategy === 'rolling') return [];
	return [
		'PRE_SCALE_UP',
		'SCALE_UP',
		'POST_SCALE_UP',
		...(testTraffic ? ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'] : []),
		'PRE_PRODUCTION_TRAFFIC_SHIFT',
		'PRODUCTION_TRAFFIC_SHIFT',
		'POST_PRODUCTION_TRAFFIC_SHIFT',
		'BAKE_TIME',
		'CLEAN_UP',
	];
}

/** A stage in a few words, for the progress line. */
export const stageWords: Readonly<Record<string, string>> = {
	RECONCILE_SERVICE: 'reconcile',
	PRE_SCALE_UP: 'before scale-up',
	SCALE_UP: 'scale up',
	POST_SCALE_UP: 'scaled up',
	TEST_TRAFFIC_SHIFT: 'test traffic shift',
	POST_TEST_TRAFFIC_SHIFT: 'test traffic on new',
	PRE_PRODUCTION_TRAFFIC_SHIFT: 'before production shift',
	PRODUCTION_TRAFFIC_SHIFT: 'production traffic shift',
	POST_PRODUCTION_TRAFFIC_SHIFT: 'production on new',
	BAKE_TIME: 'bake time',
	CLEAN_UP: 'clean up',
};

/** The short groups the progress line shows, each covering some stages. */
export const progressGroups: ReadonlyArray<{label: string; stages: readonly string[]}> = [
	{label: 'reconcile', stages: ['RECONCILE_SERVICE']},
	{label: 'scale up', stages: ['PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP']},
	{label: 'test traffic', stages: ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT']},
	{label: 'production traffic', stages: ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT']},
	{label: 'bake time', stages: ['BAKE_TIME']},
	{label: 'clean up', stages: ['CLEAN_UP']},
];

/**
 * The progress line: each group that applies, marked done, current or to come. `reconcile` shows only when
 * the deployment went through it.
 */
export function progressLine(stages: readonly string[], current: string | undefined, finished: boolean): Array<{label: string; state: 'done' | 'current' | 'next'}> {
	const index = current === undefined ? -1 : stages.indexOf(current);
	return progressGroups
		.filter(group => group.stages.some(stage => stages.includes(stage)) || (group.label === 'reconcile' && current === 'RECONCILE_SERVICE'))
		.map(group => {
			if (finished) return {label: group.label, state: 'done' as const};
			const positions = group.stages.map(stage => stages.indexOf(stage)).filter(i => i >= 0);
			if (group.stages.includes(current ?? '')) return {label: group.label, state: 'current' as const};
			if (current === 'RECONCILE_SERVICE') return {label: group.label, state: 'next' as const};
			return {label: group.label, state: positions.length > 0 && Math.max(...positions) < index ? ('done' as const) : ('next' as const)};
		});
}

/** The production traffic steps of a strategy, in percent on the new revision after each (the last is 100). */
export function trafficSteps(strategy: DeploymentStrategy, canaryPercent = 5, linearStepPercent = 10): number[] {
	if (strategy === 'canary') return [canaryPercent, 100];
	if (strategy === 'linear') {
		const steps: number[] = [];
		for (let p = linearStepPercent; p < 100 - 1e-9; p += linearStepPercent) steps.push(Math.round(p * 10) / 10);
		return [...steps, 100];
	}
	return [100];
}

/**
 * Percent of production traffic on the new revision: none before the first production shift, each step's
 * share as the shifts go by (`shifts` counts the PRODUCTION_TRAFFIC_SHIFT stages seen), all of it once the
 * shift is over. A rolled-back deployment has none.
 */
export function productionShare(stage: string | undefined, shifts: number, steps: readonly number[], rolledBack: boolean): number {
	if (rolledBack) return 0;
	if (stage === 'POST_PRODUCTION_TRAFFIC_SHIFT' || stage === 'BAKE_TIME' || stage === 'CLEAN_UP') return 100;
	if (shifts <= 0) return 0;
	return steps[Math.min(shifts, steps.length) - 1] ?? 100;
}

/** Whole minutes left until `expiresAt`, never below 0. */
export function minutesLeft(expiresAt: number, now: number): number {
	return Math.max(0, Math.ceil((expiresAt - now) / 60_000));
}
