import {readFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import type {EngineDeps} from '../../../source/engine/core/deps.js';
import {checkRecipeText} from '../../../source/engine/recipes/recipe-edit.js';
import {newRecipeText, openRecipe, readForm} from '../../../source/domain/recipe/edit.js';
import {fargateCpuValues, fargateMemoryFor} from '../../../source/domain/recipe/fargate.js';
import {layoutLines, windowStart} from '../../../source/ui/screens/step-form/field-lines.js';
import {parseCommand, parseEntry, parseList, parseNumber, parseText, rules} from '../../../source/ui/screens/step-form/fields.js';
import {collectProblems, placeProblems} from '../../../source/ui/screens/step-form/problems.js';
import {buildSections} from '../../../source/ui/screens/step-form/sections.js';
import {currentSection, derive, initialState, isDirty, previewEdit, selectedRow, stepFormReducer, type StepFormAction, type StepFormState} from '../../../source/ui/screens/step-form/step-form-reducer.js';
import {patchLines} from '../../../source/ui/screens/step-form/diff-view.js';
import {parseKey} from '../../../source/ui/input/keys.js';
import {actionFor, commandsFor, recipesFolder} from '../../../source/ui/screens/step-form/use-step-form.js';
import {repoRoot} from '../../helpers/cli.js';
import {harness} from '../../helpers/engine.js';

const read = (name: string) => readFileSync(path.join(repoRoot, 'recipes', `${name}.yaml`), 'utf8');

function opened(name: string | undefined): StepFormState {
	return stepFormReducer(initialState('recipes'), {type: 'loaded', file: name ? `recipes/${name}.yaml` : undefined, text: name ? read(name) : newRecipeText()});
}

function run(state: StepFormState, ...actions: StepFormAction[]): StepFormState {
	return actions.reduce(stepFormReducer, state);
}

/** The state with the cursor on the row `id` of section `section`, keys in the fields. */
function at(state: StepFormState, section: string, id: string): StepFormState {
	const next = {...state, section, focus: 'fields' as const, rowId: id};
	expect(selectedRow(next)?.id).toBe(id);
	return next;
}

const typed = (text: string): StepFormAction[] => [...text].map(c => ({type: 'text', edit: {type: 'insert', text: c}}));
const erased = (n: number): StepFormAction[] => Array.from({length: n}, () => ({type: 'text', edit: {type: 'erase', what: 'back'}}));
const cursor = (to: 'left' | 'right' | 'start' | 'end'): StepFormAction => ({type: 'text', edit: {type: 'move', to}});

describe('the reducer', () => {
	test('a loaded recipe starts on the section list; Enter goes to the fields, Esc back', () => {
		const state = opened('hello-color');
		expect(state).toMatchObject({status: 'ready', file: 'recipes/hello-color.yaml', focus: 'sections', section: 'project'});
		const sections = run(state, {type: 'move', by: 5});
		expect(sections.section).toBe('service');
		const fields = run(sections, {type: 'enter'});
		expect(fields.focus).toBe('fields');
		expect(selectedRow(fields)?.label).toBe('Stack name');
		expect(run(fields, {type: 'escape'}).focus).toBe('sections');
	});

	test('moving in the fields skips the titles that are not fields', () => {
		const state = run(at(opened('orders-api'), 'container:0', 'service.containers[0].essential'), {type: 'move', by: 1});
		expect(selectedRow(state)?.id).toBe('service.containers[0].cpu');
		const health = run(at(state, 'container:0', 'service.containers[0].ports[0].appProtocol'), {type: 'move', by: 1});
		expect(selectedRow(health)?.id).toBe('service.containers[0].healthCheck.command');
	});

	test('a text field: typed, checked where it is typed, accepted into the text', () => {
		const start = at(opened('orders-api'), 'container:0', 'service.containers[0].ports[0].containerPort');
		const editing = run(start, {type: 'enter'});
		expect(editing.editing).toMatchObject({kind: 'text', buffer: {text: '8080', cursor: 4}});
		const wrong = run(editing, ...erased(4), ...typed('80a'), {type: 'enter'});
		expect(wrong.editing?.error).toBe('must be a whole number from 1 to 65535');
		expect(wrong.text).toBe(start.text);
		const right = run(wrong, ...erased(1), {type: 'enter'});
		expect(right.editing).toBeUndefined();
		expect(right.text).toBe(start.text.replace('containerPort: 8080', 'containerPort: 80'));
		expect(isDirty(right)).toBe(true);
		expect(run(editing, ...typed('9'), {type: 'escape'}).text).toBe(start.text);
	});

	test('the cursor moves in the text being typed', () => {
		const editing = run(at(opened('hello-color'), 'project', 'name'), {type: 'enter'}, cursor('start'), ...typed('my-'), cursor('end'), cursor('left'), ...erased(1));
		expect(editing.editing).toMatchObject({buffer: {text: 'my-hello-colr', cursor: 12}});
	});

	test('a select: ↑↓ choose, Enter writes the choice', () => {
		const start = at(opened('hello-color'), 'container:0', 'service.containers[0].ports[0].protocol');
		const open = run(start, {type: 'enter'});
		expect(open.editing).toMatchObject({kind: 'select', index: 0});
		const chosen = run(open, {type: 'move', by: 2}, {type: 'enter'});
		expect(chosen.text).toContain('ports: [{containerPort: 80, protocol: udp}]');
	});

	test('a taken name is refused (containers, volumes, environment variables)', () => {
		const state = run(at(opened('invoice-worker'), 'container:1', 'service.containers[1].name'), {type: 'enter'}, ...erased(6), ...typed('log-router'), {type: 'enter'});
		expect(state.editing?.error).toBe('another container is called log-router');
		const variable = run(at(opened('orders-api'), 'container:0', 'service.containers[0].environment.APP_ENV'), {type: 'enter'}, cursor('start'), ...Array.from({length: 7}, () => cursor('right')), ...erased(7), ...typed('LOG_LEVEL'), {type: 'enter'});
		expect(variable.editing?.error).toBe('LOG_LEVEL is set already');
	});

	test('renaming a container renames the references to it', () => {
		const state = run(at(opened('invoice-worker'), 'container:0', 'service.containers[0].name'), {type: 'enter'}, ...erased(10), ...typed('router'), {type: 'enter'});
		expect(state.text).toContain('- container: router');
	});

	test('a on a list adds an item and edits its first field; a on a mapping types a new entry', () => {
		const ports = run(at(opened('orders-api'), 'container:0', 'service.containers[0].ports#'), {type: 'add'});
		expect(ports.editing).toMatchObject({kind: 'text', rowId: 'service.containers[0].ports[1].containerPort', buffer: {text: '8081'}});
		expect(readForm(openRecipe(ports.text)).service.containers[0]?.ports.map(p => p.containerPort)).toEqual([8080, 8081]);
		const variable = run(at(opened('orders-api'), 'container:0', 'service.containers[0].environment.LOG_LEVEL'), {type: 'add'}, ...typed('FEATURE=on'), {type: 'enter'});
		expect(variable.text).toContain('        FEATURE: on\n');
		expect(variable.rowId).toBe('service.containers[0].environment.FEATURE');
		expect(run(at(opened('orders-api'), 'project', 'name'), {type: 'add'}).notice?.text).toMatch(/^a adds an item to a list/);
	});

	test('x asks before removing; y removes, n keeps', () => {
		const asked = run(at(opened('orders-api'), 'tags', 'service.tags[1].value'), {type: 'remove'});
		expect(asked.mode).toEqual({kind: 'confirm-remove', rowId: 'service.tags[1].value', question: 'Remove tag cost-center?'});
		expect(run(asked, {type: 'escape'}).text).toBe(asked.text);
		const removed = run(asked, {type: 'confirm-remove'});
		expect(removed.text).not.toContain('cost-center');
		expect(removed.notice?.text).toBe('removed tag cost-center');
	});

	test('[ and ] reorder containers, and the cursor stays on the moved one', () => {
		const state = run(at(opened('invoice-worker'), 'containers', 'service.containers[1]'), {type: 'move-item', by: -1});
		expect(readForm(openRecipe(state.text)).service.containers.map(c => c.name)).toEqual(['worker', 'log-router']);
		expect(selectedRow(state)?.label).toBe('worker');
		expect(run(state, {type: 'move-item', by: -1}).text).toBe(state.text);
	});

	test('at most 10 containers', () => {
		let state = at(opened('hello-color'), 'containers', 'service.containers#');
		for (let i = 0; i < 12; i++) state = run(state, {type: 'add'});
		expect(readForm(openRecipe(state.text)).service.containers).toHaveLength(10);
		expect(state.notice?.text).toBe('a task has at most 10 containers (an ECS limit)');
	});

	test('Enter on a container opens its section', () => {
		const state = run(at(opened('invoice-worker'), 'containers', 'service.containers[1]'), {type: 'enter'});
		expect(currentSection(state)).toMatchObject({id: 'container:1', title: 'worker'});
	});

	test('Esc: the edit, then the fields, then (with changes) the question', () => {
		const edited = run(at(opened('hello-color'), 'service', 'service.desiredCount'), {type: 'enter'}, ...erased(1), ...typed('2'), {type: 'enter'}, {type: 'enter'});
		expect(edited.editing).toBeDefined();
		const steps = [run(edited, {type: 'escape'}), run(edited, {type: 'escape'}, {type: 'escape'}), run(edited, {type: 'escape'}, {type: 'escape'}, {type: 'escape'})];
		expect(steps.map(s => [s.editing === undefined, s.focus, s.mode.kind])).toEqual([
			[true, 'fields', 'form'],
			[true, 'sections', 'form'],
			[true, 'sections', 'confirm-discard'],
		]);
	});

	test('^s: nothing to save, the changes, or (new recipe) the file name first', () => {
		expect(run(opened('hello-color'), {type: 'save'}).notice?.text).toBe('no changes to save');
		const changed = run(at(opened('hello-color'), 'service', 'service.desiredCount'), {type: 'enter'}, ...typed('0'), {type: 'enter'}, {type: 'save'});
		expect(changed.mode).toEqual({kind: 'diff', target: 'recipes/hello-color.yaml', offset: 0});
		const created = run(opened(undefined), {type: 'save'});
		expect(created.mode).toMatchObject({kind: 'file-name', buffer: {text: 'recipes/my-service.yaml'}});
		const wrong = run(created, ...erased(5), {type: 'enter'});
		expect(wrong.mode).toMatchObject({kind: 'file-name', error: 'a recipe file name ends in .yaml or .yml'});
		const named = run(created, {type: 'enter'});
		expect(named.mode).toEqual({kind: 'diff', target: 'recipes/my-service.yaml', offset: 0});
		const taken = run(named, {type: 'saving'}, {type: 'save-failed', problem: 'recipes/my-service.yaml exists; pick another name'});
		expect(taken.mode).toMatchObject({kind: 'file-name', error: 'recipes/my-service.yaml exists; pick another name'});
		const saved = run(named, {type: 'saving'}, {type: 'saved', file: 'recipes/my-service.yaml', text: named.text});
		expect(saved).toMatchObject({file: 'recipes/my-service.yaml', original: named.text, mode: {kind: 'form'}});
		expect(isDirty(saved)).toBe(false);
	});

	test('a file that is not YAML is shown, not edited', () => {
		const state = stepFormReducer(initialState(), {type: 'loaded', file: 'x.yaml', text: 'name: [broken\n'});
		expect(derive(state.text).broken).toMatch(/^the file is not valid YAML/);
		expect(run({...state, focus: 'fields'}, {type: 'enter'}).notice?.tone).toBe('error');
	});

	test('the permissions boundary is with the roles: checked as typed, written after the execution role', () => {
		const hello = at(opened('hello-color'), 'task', 'service.permissionsBoundary');
		expect(selectedRow(hello)).toMatchObject({label: 'Permissions boundary', value: 'ecs-deployer-boundary'});
		const orders = at(opened('orders-api'), 'task', 'service.permissionsBoundary');
		expect(selectedRow(orders)).toMatchObject({value: '', placeholder: 'none (only with a role the stack creates)'});
		const wrong = run(orders, {type: 'enter'}, ...typed('not a policy'), {type: 'enter'});
		expect(wrong.editing?.error).toMatch(/^must be a managed policy: its ARN/);
		const right = run(orders, {type: 'enter'}, ...typed('arn:aws:iam::111122223333:policy/boundary'), {type: 'enter'});
		expect(right.text).toContain('role/ecsTaskExecutionRole\n  permissionsBoundary: arn:aws:iam::111122223333:policy/boundary\n  cpu: 512');
	});

	test('the CPU select offers the Fargate CPU values; memory only those of the CPU; a new CPU keeps the pair valid', () => {
		const size = buildSections(readForm(openRecipe(read('orders-api')))).find(s => s.id === 'size')!;
		const [cpu, memory] = size.rows;
		expect(cpu?.field?.options?.map(o => o.data)).toEqual([...fargateCpuValues]);
		expect(memory?.field?.options?.map(o => o.data)).toEqual([...fargateMemoryFor(512)!]);
		const state = run(at(opened('orders-api'), 'size', 'service.cpu'), {type: 'enter'}, {type: 'move', by: 3}, {type: 'enter'});
		expect(readForm(openRecipe(state.text)).service).toMatchObject({cpu: 4096, memory: 8192});
	});
});

describe('problems on the form', () => {
	const check = {
		problems: [{path: 'recipe', message: 'something about the file', severity: 'warning' as const}],
		environments: {
			dev: [{path: 'service.containers[0].ports[0].containerPort', message: 'must be at most 65535', severity: 'error' as const, line: 69}],
			production: [
				{path: 'service.containers[0].ports[0].containerPort', message: 'must be at most 65535', severity: 'error' as const, line: 69},
				{path: 'service.containers[0].ports[0]', message: 'odd port', severity: 'error' as const},
				{path: 'service.memory', message: 'too little', severity: 'error' as const},
			],
		},
		deployable: false,
	};

	test('the same problem in every environment is one problem; otherwise it names its environments', () => {
		expect(collectProblems(check)).toEqual([
			{path: 'service.containers[0].ports[0].containerPort', message: 'must be at most 65535', severity: 'error', line: 69},
			{path: 'service.containers[0].ports[0]', message: 'odd port', severity: 'error', environments: ['production']},
			{path: 'service.memory', message: 'too little', severity: 'error', environments: ['production']},
			{path: 'recipe', message: 'something about the file', severity: 'warning'},
		]);
	});

	test("each problem is placed on its field's row (or its item's first row), counted on its section; the rest only in the summary", () => {
		const sections = buildSections(readForm(openRecipe(read('orders-api'))));
		const placement = placeProblems(sections, collectProblems(check));
		expect(placement.byRow.get('service.containers[0].ports[0].containerPort')?.map(p => p.message)).toEqual(['must be at most 65535', 'odd port']);
		expect(placement.byRow.get('service.memory')?.map(p => p.message)).toEqual(['too little']);
		expect(placement.bySection.get('container:0')).toHaveLength(2);
		expect(placement.unplaced.map(p => p.path)).toEqual(['recipe']);
	});

	test('the field pane lays the problems out under their row and keeps the selected row in view', () => {
		const sections = buildSections(readForm(openRecipe(read('orders-api'))));
		const rows = sections.find(s => s.id === 'container:0')!.rows;
		const placement = placeProblems(sections, collectProblems(check));
		const selected = rows.findIndex(r => r.id === 'service.containers[0].ports[0].containerPort');
		const {lines, selected: range} = layoutLines(rows, selected, undefined, placement.byRow);
		expect(lines.slice(range[0], range[1] + 1).map(l => (l.kind === 'problem' ? l.text : l.kind))).toEqual(['row', '✗ must be at most 65535', '✗ odd port (production)']);
		expect(windowStart(100, [50, 52], 10)).toBe(48);
		expect(windowStart(100, [98, 99], 10)).toBe(90);
		expect(windowStart(5, [4, 4], 10)).toBe(0);
	});
});

describe('fields', () => {
	test('numbers: whole, in range, optional when empty; a #{Variable} where the field may be bound', () => {
		const options = {min: 0, max: 100, optional: true, bindable: true};
		expect(parseNumber(' 42 ', options)).toEqual({ok: true, value: 42});
		expect(parseNumber('', options)).toEqual({ok: true, value: undefined});
		expect(parseNumber('', {min: 0, max: 1})).toEqual({ok: false, error: 'is required'});
		expect(parseNumber('101', options)).toEqual({ok: false, error: 'must be from 0 to 100'});
		expect(parseNumber('1.5', options)).toEqual({ok: false, error: 'must be a whole number from 0 to 100'});
		expect(parseNumber('#{Count}', options)).toEqual({ok: true, value: '#{Count}'});
		expect(parseNumber('#{Count}', {min: 0, max: 1})).toMatchObject({ok: false});
	});

	test("text follows the schema's rules", () => {
		expect(parseText('orders-api', {rule: rules.project})).toEqual({ok: true, value: 'orders-api'});
		expect(parseText('9lives', {rule: rules.project})).toEqual({ok: false, error: 'must be a letter, then letters, digits and -; at most 64 characters'});
		expect(parseText('arn:aws:iam::123456789012:role/app', {rule: rules.roleArn})).toMatchObject({ok: true});
		expect(parseText('#{Role}', {rule: rules.roleArn, bindable: true})).toMatchObject({ok: true});
	});

	test('lists, commands and NAME=value entries', () => {
		expect(parseList('subnet-0a1b2c3d, subnet-0b1c2d3e', {rule: rules.subnet})).toEqual({ok: true, value: ['subnet-0a1b2c3d', 'subnet-0b1c2d3e']});
		expect(parseList('subnet-x', {rule: rules.subnet})).toMatchObject({ok: false});
		expect(parseList('', {optional: true})).toEqual({ok: true, value: undefined});
		expect(parseCommand('node server.js', {shell: false, optional: true})).toEqual({ok: true, value: ['node', 'server.js']});
		expect(parseCommand('curl -f http://x/ || exit 1', {shell: true, optional: true})).toEqual({ok: true, value: 'curl -f http://x/ || exit 1'});
		expect(parseCommand('["CMD", "/bin/check"]', {shell: true, optional: true})).toEqual({ok: true, value: ['CMD', '/bin/check']});
		expect(parseEntry('A_B = x=y')).toEqual({ok: true, value: {key: 'A_B', value: 'x=y'}});
		expect(parseEntry('A B=1')).toMatchObject({ok: false});
	});
});

describe('keys and footer', () => {
	const key = parseKey;

	test('while a field is typed, letters are text; otherwise they are commands', () => {
		const fields = at(opened('orders-api'), 'tags', 'service.tags[0].key');
		expect(actionFor(fields, key('a'), 10)).toEqual({type: 'add'});
		expect(actionFor(fields, key('\u0013'), 10)).toEqual({type: 'save'});
		// Shift+Tab goes back a pane (to the sections), as ← does.
		expect(actionFor(fields, key('\u001B[Z'), 10)).toEqual({type: 'focus', to: 'sections'});
		const typing = run(fields, {type: 'enter'});
		expect(actionFor(typing, key('a'), 10)).toEqual({type: 'text', edit: {type: 'insert', text: 'a'}});
		expect(actionFor(typing, key('\u0013'), 10)).toBeUndefined();
		expect(actionFor(typing, key('\u0017'), 10)).toEqual({type: 'text', edit: {type: 'erase', what: 'word'}});
		expect(actionFor({...fields, mode: {kind: 'diff', target: 'x', offset: 0}}, key('y'), 10)).toBe('write');
		expect(actionFor({...fields, mode: {kind: 'confirm-discard'}}, key('y'), 10)).toBe('discard');
	});

	test('the footer offers what the selected row allows', () => {
		const tag = at(opened('orders-api'), 'tags', 'service.tags[0].key');
		expect(commandsFor(tag, selectedRow(tag))).toEqual(expect.arrayContaining(['formEdit', 'formAdd', 'formRemove', 'formMoveUp', 'formMoveDown', 'save']));
		const name = at(opened('orders-api'), 'project', 'name');
		expect(commandsFor(name, selectedRow(name))).not.toContain('formAdd');
	});

	test('new recipes go to the catalog folder', () => {
		expect(recipesFolder('./recipes')).toBe('recipes');
		expect(recipesFolder('/tmp/x/')).toBe('/tmp/x');
		expect(recipesFolder('a.yaml, b.yaml')).toBe('recipes');
	});
});

describe('the Variables section', () => {
	const rowsOf = (state: StepFormState) => currentSection({...state, section: 'variables'}).rows;
	const lines = (state: StepFormState) => rowsOf(state).map(r => `${'  '.repeat(r.depth)}${r.label} | ${r.value || `(${r.placeholder ?? ''})`}`);

	test('one group per variable: its value for all environments and each environment\'s own, a sensitive one never shown', () => {
		const state = opened('orders-api');
		expect(lines(state)).toEqual([
			"Variables (3) | used as #{Name} · an environment's own value wins",
			'  Name | TargetGroupArn',
			'    Sensitive | no',
			'    All | (not set)',
			'    dev | arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/orders-dev/0123456789abcdef',
			'    staging | arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/orders-staging/1123456789abcdef',
			'    production | arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/orders-prod/2123456789abcdef',
			'    Description | (none)',
			'  Name | LogLevel',
			'    Sensitive | no',
			'    All | debug',
			'    dev | ((as All) debug)',
			'    staging | ((as All) debug)',
			'    production | info',
			'    Description | (none)',
			'  Name | DatabaseUrl',
			'    Sensitive | yes: its value is never in the file (from a secret, or given when deploying)',
			'    All | from arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/#{Environment}/database-url-AbCdEf',
			'    dev | ((as All) from arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/#{Environment}/database-url-AbCdEf)',
			'    staging | ((as All) from arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/#{Environment}/database-url-AbCdEf)',
			'    production | ((as All) from arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/#{Environment}/database-url-AbCdEf)',
			'    Description | (none)',
		]);
	});

	test("typing a value on an environment's row gives it its own; the cursor stays on the row", () => {
		const start = at(opened('orders-api'), 'variables', 'variables#LogLevel@staging');
		const state = run(start, {type: 'enter'}, ...typed('warn'), {type: 'enter'});
		expect(state.text).toContain('  - name: LogLevel\n    value: warn\n    environments: [staging]\n');
		expect(selectedRow(state)).toMatchObject({id: 'variables#LogLevel@staging', label: 'staging', value: 'warn'});
		// Emptying it gives the environment the value for all again.
		const back = run(state, {type: 'enter'}, ...erased(4), {type: 'enter'});
		expect(back.text).toBe(start.text);
		expect(selectedRow(back)?.placeholder).toBe('(as All) debug');
	});

	test('a sensitive value written in the file is masked, never put in the text being typed, and taken out on Enter', () => {
		const text = read('orders-api').replace('  - name: DatabaseUrl\n', '  - {name: Token, sensitive: true, value: hunter2}\n  - name: DatabaseUrl\n');
		const state = at(stepFormReducer(initialState(), {type: 'loaded', file: 'x.yaml', text}), 'variables', 'variables#Token@*');
		expect(rowsOf(state).map(r => `${r.value} ${r.placeholder ?? ''}`).join('\n')).not.toContain('hunter2');
		expect(selectedRow(state)?.value).toBe('•••••• written in the file (an error): edit it to take it out');
		const editing = run(state, {type: 'enter'});
		expect(editing.editing).toMatchObject({kind: 'text', buffer: {text: ''}});
		const fixed = run(editing, ...typed('/orders/token'), {type: 'enter'});
		expect(fixed.text).toContain('  - {name: Token, sensitive: true, valueFrom: /orders/token}\n');
		expect(fixed.text).not.toContain('hunter2');
	});

	test('Sensitive: yes takes the values out of the file', () => {
		const state = run(at(opened('orders-api'), 'variables', 'variables#LogLevel.sensitive'), {type: 'enter'}, {type: 'move', by: 1}, {type: 'enter'});
		expect(state.text).not.toContain('value: debug');
		expect(state.text).not.toContain('value: info');
		expect(rowsOf(state).find(r => r.id === 'variables#LogLevel@*')?.value).toBe('given when deploying');
	});

	test('a adds a variable and edits its name; x on a value removes that value, on the name the whole variable; [ ] move it', () => {
		const added = run(at(opened('orders-api'), 'variables', 'variables#'), {type: 'add'});
		expect(added.editing).toMatchObject({rowId: 'variables#Variable', buffer: {text: 'Variable'}});
		const named = run(added, ...erased(8), ...typed('Region'), {type: 'enter'});
		expect(named.text).toContain('  - name: Region\n    value: ""\n');
		expect(selectedRow(named)?.id).toBe('variables#Region');

		const asked = run(at(opened('orders-api'), 'variables', 'variables#TargetGroupArn@dev'), {type: 'remove'});
		expect(asked.mode).toMatchObject({question: 'Remove the dev value of TargetGroupArn?'});
		const removed = run(asked, {type: 'confirm-remove'});
		expect(removed.text).not.toContain('orders-dev');
		expect(removed.text).toContain('orders-staging');

		const whole = run(at(opened('orders-api'), 'variables', 'variables#TargetGroupArn'), {type: 'remove'});
		expect(whole.mode).toMatchObject({question: 'Remove variable TargetGroupArn (its 3 values)?'});
		expect(run(whole, {type: 'confirm-remove'}).text).not.toContain('name: TargetGroupArn');

		const moved = run(at(opened('orders-api'), 'variables', 'variables#DatabaseUrl@*'), {type: 'move-item', by: -1});
		expect(variableNames(moved)).toEqual(['TargetGroupArn', 'DatabaseUrl', 'LogLevel']);
		expect(selectedRow(moved)?.id).toBe('variables#DatabaseUrl');
	});

	test('row ids stay unique with what a file may hold: a variable without a name, an environment named twice', () => {
		const text = read('orders-api').replace('  - name: DatabaseUrl\n', '  - {value: orphan}\n  - {name: NoValue}\n  - name: DatabaseUrl\n').replace('  - name: staging\n', '  - name: staging\n  - name: staging\n');
		const rows = buildSections(readForm(openRecipe(text))).find(s => s.id === 'variables')!.rows;
		const ids = rows.map(r => r.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(rows.find(r => r.id === 'variables#(no name)')).toMatchObject({label: 'Name', value: ''});
		expect(rows.find(r => r.id === 'variables#NoValue@*')).toMatchObject({value: '', placeholder: 'not set'});
	});

	test("a problem with a definition shows on that definition's row", () => {
		const text = read('orders-api').replace('    environments: [staging]\n', '    environments: [qa]\n');
		const sections = buildSections(readForm(openRecipe(text)));
		const problems = [{path: 'variables[1].environments[0]', message: '"qa" is not one of the recipe\'s environments', severity: 'error' as const}];
		const placement = placeProblems(sections, problems);
		expect([...placement.byRow.keys()]).toEqual(['variables#TargetGroupArn@variables[1]']);
		expect(placement.bySection.get('variables')).toHaveLength(1);
	});
});

const variableNames = (state: StepFormState) => [...new Set(readForm(openRecipe(state.text)).variables.map(v => v.name))];

describe('the Channels section', () => {
	test('a adds a channel; the range and the pre-release rule are checked as typed; one default at most', () => {
		const added = run(at(opened('orders-api'), 'channels', 'channels#'), {type: 'add'});
		expect(added.editing).toMatchObject({rowId: 'channels[0].name', buffer: {text: 'stable'}});
		const stable = run(added, {type: 'enter'});
		expect(stable.text).toContain('\nchannels:\n  - name: stable\n\nservice:\n');
		const range = run(at(stable, 'channels', 'channels[0].versionRange'), {type: 'enter'}, ...typed('one point four'), {type: 'enter'});
		expect(range.editing?.error).toBe('is not an npm semver range (examples: >=1.2.0 <2, ^1.4, 1.x)');
		const ranged = run(range, ...erased(14), ...typed('>=1.2.0 <2'), {type: 'enter'});
		expect(ranged.text).toContain('    versionRange: ">=1.2.0 <2"\n');
		const look = run(at(ranged, 'channels', 'channels[0].prereleaseTag'), {type: 'enter'}, ...typed('^(?!beta)'), {type: 'enter'});
		expect(look.editing?.error).toMatch(/^is not a pattern this tool can match \(RE2 syntax/);
		const rule = run(at(ranged, 'channels', 'channels[0].prereleaseTag'), {type: 'enter'}, ...typed('^$'), {type: 'enter'});
		expect(rule.text).toContain('    prereleaseTag: ^$\n');
		const first = run(at(rule, 'channels', 'channels[0].default'), {type: 'enter'}, {type: 'move', by: 1}, {type: 'enter'});
		expect(first.text).toContain('    default: true\n');
		const second = run(at(first, 'channels', 'channels#'), {type: 'add'}, {type: 'enter'});
		const moved = run(at(second, 'channels', 'channels[1].default'), {type: 'enter'}, {type: 'move', by: 1}, {type: 'enter'});
		expect(readForm(openRecipe(moved.text)).channels.map(c => [c.name, c.default])).toEqual([
			['stable', undefined],
			['channel', true],
		]);
	});
});

describe('checked as typed', () => {
	test('what is typed is previewed as the text Enter would write, or why it cannot be', () => {
		const start = at(opened('orders-api'), 'tags', 'service.tags[0].key');
		expect(previewEdit(start)).toBeUndefined();
		const typing = run(start, {type: 'enter'}, ...erased(4), ...typed('aws:team'));
		const preview = previewEdit(typing);
		expect(preview).toEqual({rowId: 'service.tags[0].key', text: run(typing, {type: 'enter'}).text});
		expect(preview?.text).toContain('{key: aws:team, value: orders}');
		expect(typing.text).toBe(start.text);
		expect(previewEdit(run(typing, ...typed('x'.repeat(130))))).toEqual({rowId: 'service.tags[0].key', error: 'at most 128 characters'});
		// A select previews the choice under the cursor.
		const choosing = run(at(opened('orders-api'), 'tags', 'service.propagateTags'), {type: 'enter'}, {type: 'move', by: 1});
		expect(previewEdit(choosing)?.text).toContain('  propagateTags: TASK_DEFINITION\n');
	});
});

describe('the changes before a save', () => {
	test('a value written for a sensitive variable is masked, even on the line the save removes', () => {
		const before = read('orders-api').replace('  - name: DatabaseUrl\n', '  - {name: Token, sensitive: true, value: hunter2}\n  - name: DatabaseUrl\n');
		const after = before.replace('value: hunter2}', 'valueFrom: /orders/token}');
		const lines = patchLines('orders-api.yaml', before, after);
		expect(lines).toContain('-  - {name: Token, sensitive: true, value: ••••••}');
		expect(lines).toContain('+  - {name: Token, sensitive: true, valueFrom: /orders/token}');
		expect(lines.join('\n')).not.toContain('hunter2');
	});
});

describe('the Strategy and Auto scaling sections', () => {
	const ids = (state: StepFormState, section: string) =>
		buildSections(readForm(openRecipe(state.text)))
			.find(s => s.id === section)!
			.rows.map(r => r.id)
			.filter(id => !id.startsWith('environments'));
	/** Chooses the option `value` of the select on row `id` and presses Enter. */
	function choose(state: StepFormState, section: string, id: string, value: string): StepFormState {
		const open = run(at(state, section, id), {type: 'enter'});
		const from = open.editing?.kind === 'select' ? open.editing.index : 0;
		const options = selectedRow(open)!.field!.options!;
		const to = options.findIndex(o => o.value === value);
		expect(to).toBeGreaterThanOrEqual(0);
		return run(open, {type: 'move', by: to - from}, {type: 'enter'});
	}
	/** The validator's problems on `text` (the schema's and the rules' for every environment), placed on the form. */
	function placed(text: string) {
		const sections = buildSections(readForm(openRecipe(text)));
		return placeProblems(sections, collectProblems(checkRecipeText(text, deps))).byRow;
	}
	let deps: EngineDeps;
	beforeAll(async () => {
		deps = (await harness()).deps;
	});

	test("the strategy select shows only the chosen strategy's fields and writes service.deployment", () => {
		const start = opened('orders-api');
		expect(ids(start, 'strategy')).toEqual(['service.deployment.strategy']);
		const canary = choose(start, 'strategy', 'service.deployment.strategy', 'canary');
		expect(canary.text).toContain('    healthCheckGracePeriodSeconds: 60\n    strategy: canary\n');
		expect(ids(canary, 'strategy')).toEqual([
			'service.deployment.strategy',
			'service.deployment.bakeTimeMinutes',
			'service.deployment.canary.percent',
			'service.deployment.canary.bakeTimeMinutes',
			'service.deployment.infrastructureRole',
			'service.loadBalancers[0].strategy#title',
			'service.loadBalancers[0].alternateTargetGroupArn',
			'service.loadBalancers[0].productionListenerRule',
			'service.loadBalancers[0].testListenerRule',
			'service.deployment.approval.stage',
		]);
		const percent = run(at(canary, 'strategy', 'service.deployment.canary.percent'), {type: 'enter'}, ...typed('12.5'), {type: 'enter'});
		expect(percent.text).toContain('    strategy: canary\n    canary:\n      percent: 12.5\n');
		// Linear: the canary's settings go (they would be refused), the linear ones are offered.
		const linear = choose(percent, 'strategy', 'service.deployment.strategy', 'linear');
		expect(linear.text).not.toContain('canary');
		expect(ids(linear, 'strategy')).toContain('service.deployment.linear.stepPercent');
		expect(ids(linear, 'strategy')).not.toContain('service.deployment.canary.percent');
		const alternate = run(at(linear, 'strategy', 'service.loadBalancers[0].alternateTargetGroupArn'), {type: 'enter'}, ...typed('#{AlternateTargetGroupArn}'), {type: 'enter'});
		expect(alternate.text).toContain('      targetGroupArn: "#{TargetGroupArn}"\n      alternateTargetGroupArn: "#{AlternateTargetGroupArn}"\n');
		// The approval gate: a stage writes it, timeout and on-timeout appear; "none" takes it out whole.
		const gated = choose(alternate, 'strategy', 'service.deployment.approval.stage', 'POST_PRODUCTION_TRAFFIC_SHIFT');
		expect(gated.text).toContain('    approval:\n      stage: POST_PRODUCTION_TRAFFIC_SHIFT\n');
		expect(ids(gated, 'strategy')).toContain('service.deployment.approval.onTimeout');
		const timeout = run(at(gated, 'strategy', 'service.deployment.approval.timeoutMinutes'), {type: 'enter'}, ...typed('30'), {type: 'enter'});
		expect(timeout.text).toContain('      stage: POST_PRODUCTION_TRAFFIC_SHIFT\n      timeoutMinutes: 30\n');
		expect(choose(timeout, 'strategy', 'service.deployment.approval.stage', '').text).not.toContain('approval');
		// Back to not set: the key goes, and so do the fields.
		const rolling = choose(timeout, 'strategy', 'service.deployment.strategy', '');
		expect(rolling.text).not.toMatch(/strategy:|linear/);
		expect(ids(rolling, 'strategy')[0]).toBe('service.deployment.strategy');
	});

	test("an environment's own strategy: written in environments[].deployment, its settings offered, its problems at its rows", () => {
		const rowsOf = (state: StepFormState) => buildSections(readForm(openRecipe(state.text))).find(s => s.id === 'strategy')!.rows;
		const start = opened('orders-api');
		expect(rowsOf(start).filter(r => r.path.startsWith('environments[1]')).map(r => [r.label, r.value])).toEqual([
			['In staging', ''],
			['Strategy', "the service's (rolling)"],
		]);
		const staging = choose(start, 'strategy', 'environments[1].deployment.strategy', 'canary');
		expect(staging.text).toContain('  - name: staging\n    deployment:\n      strategy: canary\n');
		expect(staging.text).not.toMatch(/\n {4}strategy:/);
		const ids = rowsOf(staging).map(r => r.id);
		expect(ids).toContain('environments[1].deployment.canary.percent');
		expect(ids).not.toContain('environments[0].deployment.canary.percent');
		expect(ids).not.toContain('service.deployment.canary.percent');
		// The values of a recipe that overrides per environment are shown where they are written.
		const checkout = opened('checkout-api');
		const values = new Map(rowsOf(checkout).map(r => [r.id, r.value]));
		expect(values.get('environments[1].deployment.canary.percent')).toBe('10');
		expect(values.get('environments[2].deployment.approval.stage')).toBe('POST_TEST_TRAFFIC_SHIFT');
		expect(values.get('environments[0].deployment.strategy')).toMatch(/^rolling/);
		const bad = checkout.text.replace('canary: {percent: 10,', 'canary: {percent: 150,');
		expect(placed(bad).get('environments[1].deployment.canary.percent')?.length).toBeGreaterThan(0);
		// Back to the service's: the key goes, and the canary settings with it.
		expect(choose(staging, 'strategy', 'environments[1].deployment.strategy', '').text).toBe(start.text);
	});

	test('a bad value is refused as typed, and one written in the file is shown at its field', () => {
		const canary = choose(opened('orders-api'), 'strategy', 'service.deployment.strategy', 'canary');
		const typing = run(at(canary, 'strategy', 'service.deployment.canary.percent'), {type: 'enter'}, ...typed('150'));
		expect(previewEdit(typing)).toEqual({rowId: 'service.deployment.canary.percent', error: 'must be from 0.1 to 100'});
		const written = canary.text.replace('    strategy: canary\n', '    strategy: canary\n    canary: {percent: 150}\n');
		expect(placed(written).get('service.deployment.canary.percent')?.map(p => p.message).join(' ')).toMatch(/100/);
		// The strategy's own rules, at the fields they are about.
		const byRow = placed(canary.text);
		expect(byRow.get('service.deployment.infrastructureRole')?.[0]?.message).toMatch(/needs the IAM role/);
		expect(byRow.get('service.loadBalancers[0].alternateTargetGroupArn')?.[0]?.message).toMatch(/second target group/);
	});

	test('auto scaling: min and max write service.autoScaling; min above max is shown at max; emptied, it goes', () => {
		const start = opened('orders-api');
		expect(ids(start, 'auto-scaling')).toEqual(['service.autoScaling.min', 'service.autoScaling.max']);
		const min = run(at(start, 'auto-scaling', 'service.autoScaling.min'), {type: 'enter'}, ...typed('5'), {type: 'enter'});
		const max = run(at(min, 'auto-scaling', 'service.autoScaling.max'), {type: 'enter'}, ...typed('3'), {type: 'enter'});
		expect(max.text).toContain('  autoScaling:\n    min: 5\n    max: 3\n');
		expect(ids(max, 'auto-scaling')).toContain('service.autoScaling.targetCpu');
		expect(placed(max.text).get('service.autoScaling.max')?.map(p => p.message)).toContain('3 is below min (5)');
		const cpu = run(at(max, 'auto-scaling', 'service.autoScaling.targetCpu'), {type: 'enter'}, ...typed('60'), {type: 'enter'});
		expect(cpu.text).toContain('    max: 3\n    targetCpu: 60\n');
		const none = ['service.autoScaling.min', 'service.autoScaling.max', 'service.autoScaling.targetCpu'].reduce((state, id) => run(at(state, 'auto-scaling', id), {type: 'enter'}, ...erased(2), {type: 'enter'}), cpu);
		expect(none.text).toBe(start.text);
	});

	test('service, task and container settings write their paths; empty removes the key', () => {
		const start = opened('orders-api');
		const platform = run(at(start, 'service', 'service.platformVersion'), {type: 'enter'}, ...typed('1.4'), {type: 'enter'});
		expect(platform.editing?.error).toBe('must be LATEST or a version such as 1.4.0');
		const version = run(platform, ...typed('.0'), {type: 'enter'});
		expect(version.text).toMatch(/\n {2}platformVersion: 1\.4\.0\n/);
		const exec = choose(version, 'service', 'service.enableExecuteCommand', 'true');
		expect(exec.text).toMatch(/\n {2}enableExecuteCommand: true\n/);
		const spot = run(at(exec, 'service', 'service.capacityProviderStrategy#'), {type: 'add'}, {type: 'escape'});
		expect(spot.text).toMatch(/\n {2}capacityProviderStrategy:\n {4}- capacityProvider: FARGATE\n {6}weight: 1\n/);
		// The last provider removed: the key goes (an empty strategy is refused), launch type FARGATE again.
		expect(run(at(spot, 'service', 'service.capacityProviderStrategy[0].weight'), {type: 'remove'}, {type: 'confirm-remove'}).text).toBe(exec.text);
		const storage = run(at(spot, 'task', 'service.ephemeralStorage'), {type: 'enter'}, ...typed('40'), {type: 'enter'});
		expect(storage.text).toMatch(/\n {2}ephemeralStorage: 40\n/);
		const arm = choose(storage, 'task', 'service.runtimePlatform.cpuArchitecture', 'ARM64');
		expect(arm.text).toMatch(/\n {2}runtimePlatform:\n {4}cpuArchitecture: ARM64\n/);
		const init = choose(arm, 'container:0', 'service.containers[0].linuxParameters.initProcessEnabled', 'true');
		expect(init.text).toMatch(/\n {6}linuxParameters:\n {8}initProcessEnabled: true\n/);
		const stop = run(at(init, 'container:0', 'service.containers[0].stopTimeout'), {type: 'enter'}, ...typed('121'), {type: 'enter'});
		expect(stop.editing?.error).toBe('must be from 2 to 120');
		const user = run(at(run(stop, {type: 'escape'}), 'container:0', 'service.containers[0].user'), {type: 'enter'}, ...typed('1000:1000'), {type: 'enter'});
		expect(user.text).toMatch(/\n {6}user: 1000:1000\n/);
		// Not set again: each key goes, and the mappings made for them too.
		const unset = choose(choose(user, 'container:0', 'service.containers[0].linuxParameters.initProcessEnabled', ''), 'task', 'service.runtimePlatform.cpuArchitecture', '');
		expect(unset.text).not.toMatch(/linuxParameters|runtimePlatform/);
		const cleared = run(at(unset, 'container:0', 'service.containers[0].user'), {type: 'enter'}, ...erased(9), {type: 'enter'});
		expect(cleared.text).not.toContain('user:');
	});

	test('container capabilities, ulimits, system controls and Docker labels', () => {
		const start = opened('orders-api');
		const c = 'service.containers[0]';
		const wrong = run(at(start, 'container:0', `${c}.linuxParameters.capabilities.drop`), {type: 'enter'}, ...typed('ALL, NET_NOPE'), {type: 'enter'});
		expect(wrong.editing?.error).toBe('"NET_NOPE": must be Linux capabilities such as NET_BIND_SERVICE or SYS_PTRACE, or ALL');
		const drop = run(wrong, ...erased(10), {type: 'enter'});
		expect(drop.text).toMatch(/\n {6}linuxParameters:\n {8}capabilities:\n {10}drop: \[ALL\]\n/);
		const ulimit = run(at(drop, 'container:0', `${c}.ulimits#`), {type: 'add'}, {type: 'escape'});
		expect(ulimit.text).toMatch(/\n {6}ulimits:\n {8}- name: core\n {10}softLimit: 65535\n {10}hardLimit: 65535\n/);
		const soft = run(at(ulimit, 'container:0', `${c}.ulimits[0].softLimit`), {type: 'enter'}, ...erased(5), ...typed('1024'), {type: 'enter'});
		expect(soft.text).toContain('          softLimit: 1024\n');
		const label = run(at(soft, 'container:0', `${c}.dockerLabels#`), {type: 'add'}, ...typed('com.example.team=orders'), {type: 'enter'});
		expect(label.text).toMatch(/\n {6}dockerLabels:\n {8}com\.example\.team: orders\n/);
		expect(ids(label, 'container:0')).toContain(`${c}.systemControls#`);
		// Emptied, the capabilities go, and the mappings made for them.
		const none = run(at(label, 'container:0', `${c}.linuxParameters.capabilities.drop`), {type: 'enter'}, ...erased(3), {type: 'enter'});
		expect(none.text).not.toContain('linuxParameters');
	});
});
