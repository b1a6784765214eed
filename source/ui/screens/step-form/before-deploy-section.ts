import {addItem, setField, type RecipeForm} from '../../../domain/recipe/edit.js';
import {ranges} from '../../../domain/recipe/schema.js';
import {display, displayCommand, numberField, parseCommand, pathText, rules, selectField, textField, type Field} from './fields.js';
import {fieldRow, itemListRows, uniqueName, type Row} from './rows.js';

/** `service.beforeDeploy`: tasks (migrations) that run with the new release and must exit 0 before the service changes. */
export function beforeDeployRows(form: RecipeForm): Row[] {
	const path = ['service', 'beforeDeploy'];
	const tasks = form.service.beforeDeploy;
	const containers = form.service.containers.map(c => display(c.name));
	const names = tasks.map(t => display(t.name));
	return itemListRows('Before deploy tasks', {
		path,
		noun: 'task',
		items: tasks,
		add: document => pathText([...path, addItem(document, path, {name: uniqueName('migrate', names), container: containers[0] ?? '', command: ['npm', 'run', 'migrate']}), 'command']),
		label: task => `task ${display(task.name)}`,
		rows(task, j, item) {
			const at = [...path, j];
			const command: Field = {
				kind: 'text',
				initial: displayCommand(task.command),
				hint: 'words, or a JSON list: ["npm", "run", "migrate"]; must exit 0 for the deploy to go on',
				parse: typed => parseCommand(typed, {shell: false, optional: false}),
				write: (document, value) => (setField(document, [...at, 'command'], value), undefined),
			};
			return [
				fieldRow('Name', [...at, 'name'], textField([...at, 'name'], task.name, {rule: rules.beforeDeployName}), {depth: 1, list: item}),
				fieldRow('Container', [...at, 'container'], selectField([...at, 'container'], task.container, containers.map(c => ({value: c, label: c}))), {depth: 2, list: item}),
				fieldRow('Command', [...at, 'command'], command, {depth: 2, list: item}),
				fieldRow('Timeout', [...at, 'timeoutMinutes'], numberField([...at, 'timeoutMinutes'], task.timeoutMinutes, {...ranges.beforeDeployTimeoutMinutes, unit: 'minutes', optional: true}), {depth: 2, list: item, placeholder: '15 minutes'}),
			];
		},
	});
}
