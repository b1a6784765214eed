import {addItem, type Path, type RecipeForm} from '../../../domain/recipe/edit.js';
import {ranges} from '../../../domain/recipe/schema.js';
import {display, numberField, pathText, rules, textField} from './fields.js';
import {fieldRow, itemListRows, titleRow, uniqueName, type Row} from './rows.js';

/*
 * The Auto scaling section: `service.autoScaling`, Application Auto Scaling of the task count between min
 * and max on CPU, memory or ALB requests per task, and scheduled changes of min and max. Emptying every
 * field takes `autoScaling` out of the recipe (the count is the recipe's again). Pure.
 */

export function autoScalingRows(form: RecipeForm): Row[] {
	const a = form.service.autoScaling;
	const path: Path = ['service', 'autoScaling'];
	const optional = {optional: true, bindable: true};
	const count = (label: string, key: 'min' | 'max', placeholder: string) =>
		fieldRow(label, [...path, key], numberField([...path, key], a?.[key], {...ranges.desiredCount, unit: 'tasks', ...optional}), {placeholder});
	const rows: Row[] = [count('Min tasks', 'min', 'none (no auto scaling)'), count('Max tasks', 'max', a ? 'none (required)' : 'none')];
	if (!a) return rows;
	const percent = (label: string, key: 'targetCpu' | 'targetMemory') =>
		fieldRow(label, [...path, key], numberField([...path, key], a[key], {...ranges.targetUtilization, unit: '%', ...optional}), {depth: 1, placeholder: 'none'});
	const seconds = (label: string, key: 'scaleInCooldown' | 'scaleOutCooldown') =>
		fieldRow(label, [...path, key], numberField([...path, key], a[key], {...ranges.cooldownSeconds, unit: 'seconds', ...optional}), {depth: 1, placeholder: "Application Auto Scaling's"});
	rows.push(
		titleRow('Target tracking', [...path, 'targets']),
		percent('Average CPU', 'targetCpu'),
		percent('Average memory', 'targetMemory'),
		fieldRow('Requests/task', [...path, 'requestsPerTarget'], numberField([...path, 'requestsPerTarget'], a.requestsPerTarget, {...ranges.requestsPerTarget, unit: 'per minute', ...optional}), {depth: 1, placeholder: 'none'}),
	);
	if (a.requestsPerTarget !== undefined || a.loadBalancer !== undefined)
		rows.push(fieldRow('ALB', [...path, 'loadBalancer'], textField([...path, 'loadBalancer'], a.loadBalancer, {...optional, rule: rules.loadBalancer}), {depth: 1, placeholder: "the production listener rule's"}));
	rows.push(seconds('Cooldown in', 'scaleInCooldown'), seconds('Cooldown out', 'scaleOutCooldown'), ...scheduleRows(a.schedule));
	return rows;
}

function scheduleRows(schedule: NonNullable<RecipeForm['service']['autoScaling']>['schedule']): Row[] {
	const path: Path = ['service', 'autoScaling', 'schedule'];
	const names = schedule.map(s => display(s.name));
	return itemListRows('Schedule', {
		path,
		noun: 'scheduled action',
		items: schedule,
		add: document => pathText([...path, addItem(document, path, {name: uniqueName('schedule', names), cron: 'cron(0 8 ? * MON-FRI *)', min: 1}), 'name']),
		label: action => `scheduled action ${display(action.name)}`,
		rows(action, j, item) {
			const at = [...path, j];
			const count = (label: string, key: 'min' | 'max') =>
				fieldRow(label, [...at, key], numberField([...at, key], action[key], {...ranges.desiredCount, unit: 'tasks', optional: true, bindable: true}), {depth: 2, list: item, placeholder: 'unchanged'});
			return [
				fieldRow('Name', [...at, 'name'], textField([...at, 'name'], action.name, {rule: rules.scheduleName}), {depth: 1, list: item}),
				fieldRow('When', [...at, 'cron'], textField([...at, 'cron'], action.cron, {rule: rules.schedule}), {depth: 2, list: item}),
				count('Min', 'min'),
				count('Max', 'max'),
				fieldRow('Time zone', [...at, 'timezone'], textField([...at, 'timezone'], action.timezone, {optional: true}), {depth: 2, list: item, placeholder: 'UTC'}),
			];
		},
	});
}
