import {isMap, isScalar, isSeq, visit, type Document} from 'yaml';
import {addItem, deleteField, insertItem, removeItem, renameKey, setField, type Path} from './document-edit.js';
import {readForm, type RecipeForm, type VariableForm} from './form.js';
import {openRecipe} from './document-edit.js';

/*
 * The step form's variables: every definition of a name gathered into one variable, the value each
 * environment gets (a definition scoped to the environment beats the one for all environments, as
 * domain/variables.ts decides), and the edits of a variable as a whole. A sensitive variable never gets a
 * `value` from these edits: it is read from `valueFrom` or given when deploying (docs/recipe.md). Pure.
 */

/** A variable: its name and every definition of it, in the order written. */
export type VariableGroup = {
	name: string;
	definitions: VariableForm[];
	/** Any definition is marked sensitive: the form treats the variable as sensitive. */
	sensitive: boolean;
};

/** Where a definition applies: every environment, one of the recipe's, or a list of them (or names that are none). */
export type Scope = {kind: 'all'} | {kind: 'environment'; environment: string} | {kind: 'other'; environments: string[]};

/** The definitions of the form gathered by name, in the order the names first appear. */
export function variableGroups(form: RecipeForm): VariableGroup[] {
	const groups = new Map<string, VariableGroup>();
	for (const definition of form.variables) {
		const name = definition.name === undefined || definition.name === null ? '' : String(definition.name);
		let group = groups.get(name);
		if (!group) groups.set(name, (group = {name, definitions: [], sensitive: false}));
		group.definitions.push(definition);
		if (definition.sensitive === true) group.sensitive = true;
	}
	return [...groups.values()];
}

/** The environments a definition names (absent: undefined, meaning all). */
export function scopeNames(definition: VariableForm): string[] | undefined {
	const environments = definition.environments;
	if (environments === undefined || environments === null) return undefined;
	return Array.isArray(environments) ? environments.map(String) : [String(environments)];
}

/** The scope of a definition among the recipe's environments. */
export function scopeOf(definition: VariableForm, environments: readonly string[]): Scope {
	const names = scopeNames(definition);
	if (names === undefined) return {kind: 'all'};
	if (names.length === 1 && environments.includes(names[0]!)) return {kind: 'environment', environment: names[0]!};
	return {kind: 'other', environments: names};
}

/**
 * The definition an environment gets: one scoped to it beats one for all environments (two at the same level
 * are an error the validator reports; the first is taken here). Undefined: the variable is unknown there.
 */
export function definitionInForce(group: VariableGroup, environment: string): VariableForm | undefined {
	const scoped = group.definitions.find(d => scopeNames(d)?.includes(environment));
	return scoped ?? group.definitions.find(d => scopeNames(d) === undefined);
}

const isListed = (definition: VariableForm) => definition.at[0] === 'variables';

/** Adds a variable with an empty value for all environments; returns its index in `variables`. */
export function addVariable(document: Document, name: string): number {
	return addItem(document, ['variables'], {name, value: ''});
}

/** The index after the last listed definition of a variable (the end of the list when it has none). */
function afterLast(group: VariableGroup, listLength: number): number {
	const listed = group.definitions.filter(isListed).map(d => d.at[1] as number);
	return listed.length > 0 ? Math.max(...listed) + 1 : listLength;
}

function listLength(document: Document): number {
	const list: unknown = document.getIn(['variables'], true);
	return isSeq(list) ? list.items.length : 0;
}

/**
 * A new definition of a variable, for one environment (or all), listed after its other definitions: a value,
 * or for a sensitive variable where its value is kept (`valueFrom`; none: given when deploying).
 */
export function addDefinition(document: Document, group: VariableGroup, environment: string | undefined, text: string | undefined): void {
	const item: Record<string, unknown> = {name: group.name};
	if (!group.sensitive) item['value'] = text ?? '';
	if (environment !== undefined) item['environments'] = [environment];
	if (group.sensitive) {
		item['sensitive'] = true;
		if (text !== undefined) item['valueFrom'] = text;
	}
	const index = insertItem(document, ['variables'], afterLast(group, listLength(document)), item);
	// A scope is written as people write it: environments: [dev].
	const scope: unknown = document.getIn(['variables', index, 'environments'], true);
	if (isSeq(scope)) scope.flow = true;
}

/**
 * Sets what a definition gives. For a sensitive variable that is where the value is kept (`valueFrom`; none:
 * given when deploying), and a `value` written in the file goes. Otherwise it is the value; empty text drops
 * the definition, so the environment takes the value for all environments, unless it is the variable's only
 * one (then the value is empty).
 */
export function setDefinitionValue(document: Document, group: VariableGroup, definition: VariableForm, text: string | undefined): void {
	const at = definition.at;
	if (group.sensitive) {
		if (!isListed(definition)) {
			// An environment's own entry cannot be sensitive: it becomes a listed definition that is.
			deleteField(document, at);
			addDefinition(document, group, scopeNames(definition)?.[0], text);
			return;
		}
		deleteField(document, [...at, 'value']);
		if (definition.sensitive !== true) setField(document, [...at, 'sensitive'], true);
		setField(document, [...at, 'valueFrom'], text);
		return;
	}
	if (text === undefined && group.definitions.length > 1) {
		removeDefinition(document, definition);
		return;
	}
	setField(document, isListed(definition) ? [...at, 'value'] : at, text ?? '');
}

/** Removes one definition of a variable. */
export function removeDefinition(document: Document, definition: VariableForm): void {
	if (isListed(definition)) removeItem(document, ['variables'], definition.at[1] as number);
	else deleteField(document, definition.at);
}

/** Removes a variable: every definition of it. */
export function removeVariable(document: Document, group: VariableGroup): void {
	// Listed ones from the last, so the indexes of the others hold.
	const listed = group.definitions.filter(isListed).sort((a, b) => (b.at[1] as number) - (a.at[1] as number));
	for (const definition of listed) removeDefinition(document, definition);
	for (const definition of group.definitions.filter(d => !isListed(d))) removeDefinition(document, definition);
}

/**
 * Makes a variable sensitive or not, every definition of it. Sensitive: the values written in the file go
 * (a sensitive value is never kept in the recipe: docs/recipe.md), and an environment's own entry becomes a
 * listed definition scoped to it. Not sensitive: `valueFrom` goes too (only sensitive variables take it), and
 * the definitions need values. Returns whether a value was taken out of the file.
 */
export function setVariableSensitive(document: Document, group: VariableGroup, sensitive: boolean): boolean {
	let removedValue = false;
	if (!sensitive) {
		for (const definition of group.definitions.filter(isListed)) {
			deleteField(document, [...definition.at, 'sensitive']);
			deleteField(document, [...definition.at, 'valueFrom']);
		}
		return false;
	}
	const sensitiveGroup = {...group, sensitive: true};
	for (const definition of group.definitions) {
		if (!isListed(definition)) continue;
		if (definition.value !== undefined) removedValue = true;
		deleteField(document, [...definition.at, 'value']);
		setField(document, [...definition.at, 'sensitive'], true);
	}
	for (const definition of group.definitions.filter(d => !isListed(d))) {
		removedValue = true;
		deleteField(document, definition.at);
		addDefinition(document, sensitiveGroup, scopeNames(definition)?.[0], undefined);
	}
	return removedValue;
}

/** Renames a variable: every definition of it, and the `#{…}` references to it anywhere in the recipe. */
export function renameVariable(document: Document, group: VariableGroup, to: string): void {
	for (const definition of group.definitions) {
		if (isListed(definition)) setField(document, [...definition.at, 'name'], to);
		else renameKey(document, definition.at.slice(0, -1), group.name, to);
	}
	renameVariableReferences(document, group.name, to);
}

/**
 * Points every `#{from}` reference (`#{ from }` too) in the recipe's values at `to`; `##{from}`, the escape
 * for a literal `#{`, is left alone. The scalars keep their quoting.
 */
export function renameVariableReferences(document: Document, from: string, to: string): void {
	const reference = /(#?)#\{(\s*)([^}]*?)(\s*)\}/g;
	visit(document, {
		Scalar(key, node) {
			if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('#{')) return;
			const renamed = node.value.replace(reference, (whole, escape: string, before: string, name: string, after: string) => (escape === '' && name === from ? `#{${before}${to}${after}}` : whole));
			if (renamed !== node.value && isScalar(node)) node.value = renamed;
		},
	});
}

/**
 * Moves a variable (all of its listed definitions, kept together) before the one above it (`by` -1) or after
 * the one below it (1). False when it cannot move.
 */
export function moveVariable(document: Document, name: string, by: -1 | 1): boolean {
	const list: unknown = document.getIn(['variables'], true);
	if (!isSeq(list)) return false;
	const items = list.items as unknown[];
	const nameOf = (item: unknown) => {
		const value: unknown = isMap(item) ? item.get('name') : undefined;
		return value === undefined || value === null ? '' : String(value);
	};
	const order: string[] = [];
	const byName = new Map<string, unknown[]>();
	for (const item of items) {
		const key = nameOf(item);
		if (!byName.has(key)) {
			byName.set(key, []);
			order.push(key);
		}
		byName.get(key)!.push(item);
	}
	const from = order.indexOf(name);
	const to = from + by;
	if (from === -1 || to < 0 || to >= order.length) return false;
	[order[from], order[to]] = [order[to]!, order[from]!];
	items.splice(0, items.length, ...order.flatMap(key => byName.get(key)!));
	return true;
}

/** Where a definition's value is, as the validator names it (`variables[3].value`, `environments[2].variables.LogLevel`). */
export function valuePath(definition: VariableForm, sensitive: boolean): Path {
	if (!isListed(definition)) return definition.at;
	return [...definition.at, sensitive ? 'valueFrom' : 'value'];
}

/**
 * The values written in a recipe text for sensitive variables (an error the validator reports): whatever
 * shows the text, such as the changes before a save, masks them.
 */
export function sensitiveValues(text: string): string[] {
	const document = openRecipe(text);
	if (document.errors.length > 0) return [];
	const values = new Set<string>();
	for (const group of variableGroups(readForm(document))) {
		if (!group.sensitive) continue;
		for (const definition of group.definitions) if (typeof definition.value === 'string' || typeof definition.value === 'number') values.add(String(definition.value));
	}
	return [...values].filter(value => value.trim() !== '');
}
