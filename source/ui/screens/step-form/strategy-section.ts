import {deleteField, setField, valueAt, type Path, type RecipeForm, type StrategyForm} from '../../../domain/recipe/edit.js';
import {deploymentStrategies, lifecycleStages, percentRanges, ranges} from '../../../domain/recipe/schema.js';
import {decimalField, display, numberField, selectField, textField, rules, unset, type Field, type Option} from './fields.js';
import {fieldRow, titleRow, type Row} from './rows.js';

/*
 * The Strategy section: how ECS replaces the running tasks (`service.deployment.strategy`) and only the
 * settings the chosen strategy uses: bake times, the canary's or the linear steps' traffic, the role ECS
 * changes the listener rules with, each load balancer's second target group and listener rules, and the
 * approval gate (a PAUSE lifecycle hook, which only the traffic-shifting strategies have); then what each
 * environment sets its own way (`environments[].deployment`). Pure.
 */

const strategyLabels: Record<(typeof deploymentStrategies)[number], string> = {
	rolling: 'rolling: replace tasks in place',
	'blue-green': 'blue-green: test the new revision, then shift all traffic',
	canary: 'canary: a share of the traffic first, then the rest',
	linear: 'linear: shift the traffic in equal steps',
};

/** The stages a PAUSE hook may wait at (not TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT). */
const pauseStages = lifecycleStages.filter(stage => stage !== 'TEST_TRAFFIC_SHIFT' && stage !== 'PRODUCTION_TRAFFIC_SHIFT');

export function strategyRows(form: RecipeForm): Row[] {
	const s = form.service.strategy;
	const path: Path = ['service', 'deployment'];
	const strategy = s.strategy === undefined ? 'rolling' : display(s.strategy);
	const shifts = strategy !== 'rolling';
	const rows: Row[] = [fieldRow('Strategy', [...path, 'strategy'], strategyField(path, s.strategy, 'rolling', unset('not set (rolling)')))];
	if (shifts) {
		rows.push(...settingRows(path, s, strategy, {bake: "ECS's default", canaryPercent: '5 %', canaryBake: '10 minutes', stepPercent: '10 %', stepBake: '6 minutes'}, 0));
		rows.push(
			fieldRow(
				'Infra role',
				[...path, 'infrastructureRole'],
				textField([...path, 'infrastructureRole'], s.infrastructureRole, {optional: true, bindable: true, rule: rules.roleArn, hint: 'the IAM role ECS changes the listener rules with (trusting ecs.amazonaws.com): arn:aws:iam::123456789012:role/name'}),
				{placeholder: 'none (required)'},
			),
		);
		rows.push(...loadBalancerRows(form, strategy));
	}
	// The approval gate is shown with a rolling update only when it is written (the validator says why it cannot be).
	if (shifts || s.approval) rows.push(...approvalRows(path, s.approval, unset('none: no approval gate'), 0));
	rows.push(...environmentRows(form, strategy));
	return rows;
}

/** The strategy select (`fallback`: the strategy when not set); choosing one takes out the canary or linear settings it would not use. */
function strategyField(path: Path, value: unknown, fallback: string, notSet: Option): Field {
	const options: Option[] = [notSet, ...deploymentStrategies.map(v => ({value: v, label: strategyLabels[v]}))];
	return selectField([...path, 'strategy'], value, options, (document, chosen) => {
		setField(document, [...path, 'strategy'], chosen);
		// The settings of another strategy would be refused (they apply to theirs only): they go with it.
		const now = chosen === undefined ? fallback : String(chosen);
		for (const other of ['canary', 'linear'] as const) if (now !== other && valueAt(document, [...path, other]) !== undefined) deleteField(document, [...path, other]);
		return undefined;
	});
}

type Placeholders = {bake: string; canaryPercent: string; canaryBake: string; stepPercent: string; stepBake: string};

/** The bake time and the canary's or the linear steps' settings of `strategy`. */
function settingRows(path: Path, s: StrategyForm, strategy: string, placeholders: Placeholders, depth: number): Row[] {
	const bindable = {optional: true, bindable: true};
	const minutes = (label: string, at: Path, value: unknown, placeholder: string) =>
		fieldRow(label, at, numberField(at, value, {...ranges.bakeTimeMinutes, unit: 'minutes', ...bindable}), {placeholder, depth});
	const percent = (label: string, at: Path, value: unknown, range: {min: number; max: number}, placeholder: string) =>
		fieldRow(label, at, decimalField(at, value, {...range, unit: '% (in steps of 0.1)', ...bindable}), {placeholder, depth});
	const rows = [minutes('Bake time', [...path, 'bakeTimeMinutes'], s.bakeTimeMinutes, placeholders.bake)];
	if (strategy === 'canary')
		rows.push(
			percent('Canary traffic', [...path, 'canary', 'percent'], s.canaryPercent, percentRanges.canaryPercent, placeholders.canaryPercent),
			minutes('Canary bake time', [...path, 'canary', 'bakeTimeMinutes'], s.canaryBakeTimeMinutes, placeholders.canaryBake),
		);
	if (strategy === 'linear')
		rows.push(
			percent('Step traffic', [...path, 'linear', 'stepPercent'], s.linearStepPercent, percentRanges.linearStepPercent, placeholders.stepPercent),
			minutes('Step interval', [...path, 'linear', 'stepBakeTimeMinutes'], s.linearStepBakeTimeMinutes, placeholders.stepBake),
		);
	return rows;
}

/**
 * Each environment's own strategy settings (`environments[].deployment`): each field written there replaces
 * the service's for that environment; not set, the service's applies.
 */
function environmentRows(form: RecipeForm, serviceStrategy: string): Row[] {
	const theService = "the service's";
	return form.environments.flatMap((environment, i) => {
		const path: Path = ['environments', i, 'deployment'];
		const own = environment.deployment;
		const strategy = own.strategy === undefined ? serviceStrategy : display(own.strategy);
		const rows: Row[] = [
			titleRow(`In ${display(environment.name) || `environment ${i + 1}`}`, path),
			fieldRow('Strategy', [...path, 'strategy'], strategyField(path, own.strategy, serviceStrategy, unset(`the service's (${serviceStrategy})`)), {depth: 1}),
		];
		if (strategy !== 'rolling') rows.push(...settingRows(path, own, strategy, {bake: theService, canaryPercent: theService, canaryBake: theService, stepPercent: theService, stepBake: theService}, 1));
		if (strategy !== 'rolling' || own.approval) rows.push(...approvalRows(path, own.approval, unset(form.service.strategy.approval ? "the service's" : 'none: no approval gate'), 1));
		return rows;
	});
}

/** Each load balancer's second target group and listener rules: the traffic-shifting strategies route with them. */
function loadBalancerRows(form: RecipeForm, strategy: string): Row[] {
	const bindable = {optional: true, bindable: true};
	return form.service.loadBalancers.flatMap((lb, i) => {
		const at: Path = ['service', 'loadBalancers', i];
		const field = (label: string, key: 'alternateTargetGroupArn' | 'productionListenerRule' | 'testListenerRule', rule: (typeof rules)[keyof typeof rules], placeholder: string) =>
			fieldRow(label, [...at, key], textField([...at, key], lb[key], {...bindable, rule}), {depth: 1, placeholder});
		return [
			titleRow(`Load balancer ${display(lb.container)}:${display(lb.port)}`, [...at, 'strategy']),
			field('Alternate TG', 'alternateTargetGroupArn', rules.targetGroup, 'none (required)'),
			field('Prod listener', 'productionListenerRule', rules.listenerRule, 'none (required)'),
			field('Test listener', 'testListenerRule', rules.listenerRule, strategy === 'blue-green' ? 'none (required)' : 'none'),
		];
	});
}

function approvalRows(deployment: Path, approval: StrategyForm['approval'], notSet: Option, depth: number): Row[] {
	const path: Path = [...deployment, 'approval'];
	const stageOptions: Option[] = [notSet, ...pauseStages.map(stage => ({value: stage, label: stage}))];
	const stage: Field = selectField([...path, 'stage'], approval ? (approval.stage ?? 'POST_TEST_TRAFFIC_SHIFT') : undefined, stageOptions, (document, value) => {
		if (value === undefined) deleteField(document, path);
		else setField(document, [...path, 'stage'], value);
		return undefined;
	});
	const rows = [fieldRow('Approval at', [...path, 'stage'], stage, {depth})];
	if (approval) {
		rows.push(
			fieldRow('Approval timeout', [...path, 'timeoutMinutes'], numberField([...path, 'timeoutMinutes'], approval.timeoutMinutes, {...ranges.hookTimeoutMinutes, unit: 'minutes', optional: true, bindable: true}), {depth: depth + 1, placeholder: '60 minutes'}),
			fieldRow(
				'On timeout',
				[...path, 'onTimeout'],
				selectField([...path, 'onTimeout'], approval.onTimeout, [unset('not set (rollback)'), {value: 'rollback', label: 'rollback'}, {value: 'continue', label: 'continue'}]),
				{depth: depth + 1},
			),
		);
	}
	return rows;
}
