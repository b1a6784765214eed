import {
	addDefinition,
	addVariable,
	definitionInForce,
	moveVariable,
	removeDefinition,
	removeVariable,
	renameVariable,
	scopeNames,
	scopeOf,
	setDefinitionValue,
	setVariableSensitive,
	valuePath,
	variableGroups,
	type Path,
	type RecipeForm,
	type VariableForm,
	type VariableGroup,
} from '../../../domain/recipe/edit.js';
import {secretEnvironmentVariable} from '../../../domain/recipe/document-rules.js';
import {substitutionLimits} from '../../../domain/variables.js';
import {display, pathText, rules, selectField, textField, type Field, type Parsed} from './fields.js';
import {fieldRow, headingRow, uniqueName, type ListRef, type Row} from './rows.js';

/*
 * The Variables section: one group of rows per variable, whatever number of definitions it has. Its value
 * for all environments and each environment's own value (which wins there) are rows of their own, so a
 * value per environment is typed where the environment is named; a row without a value of its own shows,
 * dimmed, the value the environment gets. A sensitive variable shows where its value is kept (`valueFrom`)
 * or that it is given when deploying, and never a value: the form never writes one into the file.
 */

/**
 * The row id of a variable's name (ids by name, so the cursor follows the variable when it moves). A
 * definition without a name (an error in the file) must not take the list heading's id, `variables#`.
 */
const groupId = (name: string) => `variables#${name || '(no name)'}`;

/** How a scope is labelled: `All`, an environment, or the environments a definition lists. */
function scopeLabel(definition: VariableForm, environments: readonly string[]): string {
	const scope = scopeOf(definition, environments);
	if (scope.kind === 'all') return 'All';
	if (scope.kind === 'environment') return scope.environment;
	return scope.environments.join(', ') || 'no environment';
}

/** What a definition gives, as shown: a sensitive value is never shown, only where it comes from. */
function shown(definition: VariableForm, sensitive: boolean): string {
	// No value at all (the validator says it needs one) shows the row's placeholder; an empty one says so.
	if (!sensitive) return definition.value === undefined ? '' : display(definition.value) === '' ? '(empty)' : display(definition.value);
	// A value written for a sensitive variable is an error the validator names; its text stays off the screen.
	if (definition.value !== undefined) return '•••••• written in the file (an error): edit it to take it out';
	return definition.valueFrom === undefined ? 'given when deploying' : `from ${display(definition.valueFrom)}`;
}

/** The rows of the Variables section. */
export function variableRows(form: RecipeForm): Row[] {
	// Each environment once (two of the same name are an error the validator names at the environment).
	const environments = [...new Set(form.environments.map(e => display(e.name)).filter(Boolean))];
	const groups = variableGroups(form);
	const list: Omit<ListRef, 'item'> = {
		path: ['variables'],
		noun: 'variable',
		movable: true,
		count: groups.length,
		add: {
			kind: 'item',
			edit: true,
			apply(document) {
				const name = uniqueName('Variable', groups.map(g => g.name));
				addVariable(document, name);
				return groupId(name);
			},
		},
	};
	return [headingRow('Variables', list, {value: "used as #{Name} · an environment's own value wins"}), ...groups.flatMap(group => groupRows(group, groups, environments, list))];
}

function groupRows(group: VariableGroup, groups: readonly VariableGroup[], environments: readonly string[], list: Omit<ListRef, 'item'>): Row[] {
	const id = groupId(group.name);
	const listed = group.definitions.filter(d => d.at[0] === 'variables');
	const first = listed[0];
	const item: ListRef = {
		...list,
		item: group.name,
		itemLabel: `variable ${group.name}${group.definitions.length > 1 ? ` (its ${group.definitions.length} values)` : ''}`,
		remove: document => removeVariable(document, group),
		move: (document, by) => (moveVariable(document, group.name, by) ? id : undefined),
	};
	const at = (key: string): Path | undefined => (first ? [...first.at, key] : undefined);
	const pathOr = (path: Path | undefined, fallback: string) => (path ? pathText(path) : fallback);
	const rows: Row[] = [
		{
			...fieldRow('Name', first ? [...first.at, 'name'] : [], nameField(group, groups), {depth: 1, list: item}),
			id,
			path: pathOr(at('name'), id),
			covers: listed.map(d => pathText([...d.at, 'name'])),
		},
		{
			...fieldRow('Sensitive', [], sensitiveField(group), {depth: 2, list: item}),
			id: `${id}.sensitive`,
			path: pathOr(at('sensitive'), `${id}.sensitive`),
			covers: listed.slice(1).map(d => pathText([...d.at, 'sensitive'])),
		},
	];
	const scoped = (definitions: VariableForm[], label: string, key: string, environment: string | undefined): Row[] => {
		if (definitions.length === 0) return [placeholderRow(group, label, `${id}@${key}`, environment, item)];
		return definitions.map((definition, n) => definitionRow(group, definition, label, `${id}@${key}${n > 0 ? `~${n + 1}` : ''}`, item));
	};
	rows.push(...scoped(group.definitions.filter(d => scopeOf(d, environments).kind === 'all'), 'All', '*', undefined));
	for (const definition of group.definitions.filter(d => scopeOf(d, environments).kind === 'other')) {
		const label = scopeLabel(definition, environments);
		rows.push(definitionRow(group, definition, label, `${id}@${pathText(definition.at)}`, item));
	}
	for (const environment of environments) {
		const own = group.definitions.filter(d => {
			const scope = scopeOf(d, environments);
			return scope.kind === 'environment' && scope.environment === environment;
		});
		rows.push(...scoped(own, environment, environment, environment));
	}
	if (first) rows.push({...fieldRow('Description', [...first.at, 'description'], textField([...first.at, 'description'], first.description, {optional: true}), {depth: 2, list: item, placeholder: 'none'}), id: `${id}.description`});
	return rows;
}

function nameField(group: VariableGroup, groups: readonly VariableGroup[]): Field {
	return {
		...textField([], group.name, {rule: rules.variable}),
		write(document, value) {
			const to = String(value);
			if (to === group.name) return undefined;
			if (groups.some(g => g.name === to)) return `a variable is called ${to} already`;
			renameVariable(document, group, to);
			return undefined;
		},
	};
}

function sensitiveField(group: VariableGroup): Field {
	return selectField(
		[],
		group.sensitive ? 'true' : 'false',
		[
			{value: 'false', label: 'no', data: false},
			{value: 'true', label: 'yes: its value is never in the file (from a secret, or given when deploying)', data: true},
		],
		(document, value) => {
			if ((value === true) !== group.sensitive) setVariableSensitive(document, group, value === true);
			return undefined;
		},
	);
}

/** A value as typed: kept as it is (spaces may matter in a value); empty is none. */
function parseValue(typed: string, sensitive: boolean): Parsed {
	const text = sensitive ? typed.trim() : typed;
	if (text === '') return {ok: true, value: undefined};
	if (text.length > substitutionLimits.fieldLength) return {ok: false, error: `at most ${substitutionLimits.fieldLength} characters`};
	return {ok: true, value: text};
}

function valueHint(group: VariableGroup, label: string, environment: string | undefined, only: boolean): string {
	if (group.sensitive) {
		return `where the value is kept: a Secrets Manager ARN, an SSM parameter ARN or name; empty: given when deploying (${secretEnvironmentVariable(group.name)} for a headless deploy)`;
	}
	if (environment === undefined && label === 'All') return `the value in every environment without its own; other #{Variables} may be used${only ? '' : '; empty: not set'}`;
	return `the value in ${label}; other #{Variables} may be used${only ? '' : `; empty: ${label} takes the value for All`}`;
}

/** The row of a definition: its value, or for a sensitive variable where the value is kept. */
function definitionRow(group: VariableGroup, definition: VariableForm, label: string, id: string, item: ListRef): Row {
	const only = group.definitions.length === 1;
	// The secret itself is never put in the text being edited: the edit starts from where it is kept.
	const initial = group.sensitive ? display(definition.valueFrom) : display(definition.value);
	const field: Field = {
		kind: 'text',
		initial,
		hint: valueHint(group, label, scopeOf(definition, []).kind === 'all' ? undefined : label, only),
		parse: typed => parseValue(typed, group.sensitive),
		write(document, value) {
			setDefinitionValue(document, group, definition, value as string | undefined);
			return undefined;
		},
	};
	const scope = label === 'All' ? 'value for all environments' : `${label} value`;
	const listed = definition.at[0] === 'variables';
	return {
		...fieldRow(label, valuePath(definition, group.sensitive), field, {depth: 2, placeholder: 'not set'}),
		id,
		value: shown(definition, group.sensitive),
		list: {...item, itemLabel: `the ${scope} of ${group.name}`, remove: document => removeDefinition(document, definition)},
		...(listed ? {covers: [pathText(definition.at)]} : {}),
	};
}

/** The row of a scope without a definition: typing gives it one; it shows, dimmed, what it gets now. */
function placeholderRow(group: VariableGroup, label: string, id: string, environment: string | undefined, item: ListRef): Row {
	const field: Field = {
		kind: 'text',
		initial: '',
		// Nothing to empty here: typing gives the scope a value.
		hint: valueHint(group, label, environment, false).replace(/; empty: .*$/, ''),
		parse: typed => parseValue(typed, group.sensitive),
		write(document, value) {
			if (value !== undefined) addDefinition(document, group, environment, value as string);
			return undefined;
		},
	};
	let placeholder = 'not set';
	if (environment !== undefined) {
		const inForce = definitionInForce(group, environment);
		const from = inForce && (scopeNames(inForce) === undefined ? 'All' : scopeNames(inForce)!.join(', '));
		// What it gets first, then the value: a long value is cut at the pane's edge.
		placeholder = inForce ? `(as ${from}) ${shown(inForce, group.sensitive)}` : `not set: ${group.name} is unknown in ${environment}`;
	} else if (group.sensitive) {
		placeholder = 'not set (each environment has its own)';
	}
	return {id, label, value: '', placeholder, depth: 2, path: id, field, list: item};
}
