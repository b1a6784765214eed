import {deleteField, setField, type Path, type RecipeForm} from '../../../domain/recipe/edit.js';
import {deploymentStrategies, lifecycleStages, percentRanges, ranges} from '../../../domain/recipe/schema.js';
import {decimalField, display, numberField, selectField, textField, rules, unset, type Field, type Option} from './fields.js';
import {fieldRow, titleRow, type Row} from './rows.js';

/*
 * The Strategy section: how ECS replaces the running tasks (`service.deployment.strategy`) and only the
 * settings the chosen strategy uses: bake times, the canary's or the linear steps' traffic, the role ECS
 * changes the listener rules with, each load balancer's second target group and listener rules, and the
 * approval gate (a PAUSE lifecycle hook, which only the traffic-shifting strategies have). Pure.
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
	const bindable = {optional: true, bindable: true};
	const options: Option[] = [unset('not set (rolling)'), ...deploymentStrategies.map(value => ({value, label: strategyLabels[value]}))];
	const choose = selectField([...path, 'strategy'], s.strategy, options, (document, value) => {
		setField(document, [...path, 'strategy'], value);
		// The settings of another strategy would be refused (they apply to theirs only): they go with it.
		if (value !== 'canary') deleteField(document, [...path, 'canary']);
		if (value !== 'linear') deleteField(document, [...path, 'linear']);
		return undefined;
	});
	const rows: Row[] = [fieldRow('Strategy', [...path, 'strategy'], choose)];
	const minutes = (label: string, at: Path, value: unknown, placeholder: string, depth = 0) =>
		fieldRow(label, at, numberField(at, value, {...ranges.bakeTimeMinutes, unit: 'minutes', ...bindable}), {placeholder, depth});
	if (shifts) {
		rows.push(minutes('Bake time', [...path, 'bakeTimeMinutes'], s.bakeTimeMinutes, "ECS's default"));
		if (strategy === 'canary') {
			rows.push(
				fieldRow('Canary traffic', [...path, 'canary', 'percent'], decimalField([...path, 'canary', 'percent'], s.canaryPercent, {...percentRanges.canaryPercent, unit: '% (in steps of 0.1)', ...bindable}), {placeholder: '5 %'}),
				minutes('Canary bake time', [...path, 'canary', 'bakeTimeMinutes'], s.canaryBakeTimeMinutes, '10 minutes'),
			);
		}
		if (strategy === 'linear') {
			rows.push(
				fieldRow('Step traffic', [...path, 'linear', 'stepPercent'], decimalField([...path, 'linear', 'stepPercent'], s.linearStepPercent, {...percentRanges.linearStepPercent, unit: '% (in steps of 0.1)', ...bindable}), {placeholder: '10 %'}),
				minutes('Step interval', [...path, 'linear', 'stepBakeTimeMinutes'], s.linearStepBakeTimeMinutes, '6 minutes'),
			);
		}
		rows.push(fieldRow('Infra role', [...path, 'infrastructureRole'], textField([...path, 'infrastructureRole'], s.infrastructureRole, {...bindable, rule: rules.roleArn, hint: 'the IAM role ECS changes the listener rules with (trusting ecs.amazonaws.com): arn:aws:iam::123456789012:role/name'}), {placeholder: 'none (required)'}));
		rows.push(...loadBalancerRows(form, strategy));
	}
	// The approval gate is shown with a rolling update only when it is written (the validator says why it cannot be).
	if (shifts || s.approval) rows.push(...approvalRows(form));
	return rows;
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

function approvalRows(form: RecipeForm): Row[] {
	const approval = form.service.strategy.approval;
	const path: Path = ['service', 'deployment', 'approval'];
	const stageOptions: Option[] = [unset('none: no approval gate'), ...pauseStages.map(stage => ({value: stage, label: stage}))];
	const stage: Field = selectField([...path, 'stage'], approval ? (approval.stage ?? 'POST_TEST_TRAFFIC_SHIFT') : undefined, stageOptions, (document, value) => {
		if (value === undefined) deleteField(document, path);
		else setField(document, [...path, 'stage'], value);
		return undefined;
	});
	const rows = [fieldRow('Approval at', [...path, 'stage'], stage)];
	if (approval) {
		rows.push(
			fieldRow('Approval timeout', [...path, 'timeoutMinutes'], numberField([...path, 'timeoutMinutes'], approval.timeoutMinutes, {...ranges.hookTimeoutMinutes, unit: 'minutes', optional: true, bindable: true}), {depth: 1, placeholder: '60 minutes'}),
			fieldRow(
				'On timeout',
				[...path, 'onTimeout'],
				selectField([...path, 'onTimeout'], approval.onTimeout, [unset('not set (rollback)'), {value: 'rollback', label: 'rollback'}, {value: 'continue', label: 'continue'}]),
				{depth: 1},
			),
		);
	}
	return rows;
}
