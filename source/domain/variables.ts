import {error, formatPath, type Problem} from './problems.js';
import {formatCount, formatList, quote, suggest} from './text.js';
import {sensitiveMarker, splitSensitive} from './variables-sensitive.js';

export {containsSensitive, redact, sensitiveMarker, splitSensitive, type TextPart} from './variables-sensitive.js';

/*
 * Octopus-style `#{Name}` variables: definitions scoped by environment, built-ins, nested references,
 * `##{` as the escape for a literal `#{`. Sensitive variables are never inlined: a reference becomes a
 * marker (variables-sensitive.ts) that the template builder turns into an ECS secret or a NoEcho parameter.
 */

/** A variable as declared in a recipe. */
export type VariableDefinition = {
	name: string;
	value?: string;
	/** Secrets Manager / SSM reference; only for sensitive variables. */
	valueFrom?: string;
	/** Scope: the environments it applies to; absent = all. */
	environments?: string[];
	/** Scope: the targets (by name) it applies to; absent = all. A scope of both is more specific than one. */
	targets?: string[];
	sensitive?: boolean;
	/** Where it was declared, for messages: `variables[3]`, `environments[2].variables.Color`. */
	source: string;
};

/** A built-in's value, or why it is not known here (`export` without a target has no Target.Region). */
export type BuiltinValue = {value: string} | {unknown: string};

type Entry = {definition: VariableDefinition} | {builtin: BuiltinValue};

/** The variables in force for one environment. */
export type VariableSet = {
	readonly entries: ReadonlyMap<string, Entry>;
	/** Expansions of non-sensitive variables, memoised: each is expanded once however often it is used. */
	readonly cache: Map<string, Resolution>;
	/** "Did you mean" hints by unknown name ('' for none), so many uses of one unknown name cost one search. */
	readonly suggestions: Map<string, string>;
	/** How much substitution with this set has produced and taken so far, against `substitutionLimits`. */
	readonly usage: {total: number; work: number; stopped: boolean};
};

/** A variable's expansion: its value, why it fails, or the chain of variables through which it grows too long. */
/** `unknown`: the problem is a built-in whose value is not known here (its name). */
type Failure = {problem: string; unknown?: string};
type Resolution = {value: string} | Failure | {overflow: readonly string[]};

const namePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** A variable's name: a letter or `_`, then letters, digits, `_`, `.`, `-` (the step form checks names with it). */
export {namePattern as variableNamePattern};
const reservedPrefix = /^(Image|Target|Release)\./;

/** What the template needs of a sensitive variable: its name and reference, never a value. */
export function sensitiveDefinition(set: VariableSet, name: string): {name: string; valueFrom?: string} | undefined {
	const entry = set.entries.get(name);
	if (!entry || !('definition' in entry) || !entry.definition.sensitive) return undefined;
	const {valueFrom} = entry.definition;
	return {name, ...(valueFrom === undefined ? {} : {valueFrom})};
}

/**
 * Picks the definitions in force for an environment: scoped ones beat unscoped ones; two at the same
 * level are ambiguous. Built-ins cannot be redefined.
 */
export function buildVariableSet(
	definitions: readonly VariableDefinition[],
	environment: string,
	builtins: Readonly<Record<string, BuiltinValue>>,
	/** The target deployed to, by name: variables scoped to other targets (or to targets, without one) do not apply. */
	target?: string,
): {set: VariableSet; problems: Problem[]} {
	const problems: Problem[] = [];
	const winners = new Map<string, {definition: VariableDefinition; specific: number}>();
	for (const definition of definitions) {
		if (!namePattern.test(definition.name)) {
			problems.push(error(`${definition.source}.name`, `${quote(definition.name)} is not a valid variable name: letters, digits, _ . and -, starting with a letter or _`));
			continue;
		}
		if (Object.hasOwn(builtins, definition.name) || reservedPrefix.test(definition.name)) {
			problems.push(error(`${definition.source}.name`, `${definition.name} is a built-in variable name (Project, Environment, Release.*, Image.*, Target.*); choose another`));
			continue;
		}
		if (definition.valueFrom !== undefined && !definition.sensitive) {
			problems.push(error(`${definition.source}.valueFrom`, `only sensitive variables take valueFrom: add sensitive: true to ${definition.name}`));
			continue;
		}
		if (definition.valueFrom !== undefined && definition.value !== undefined) {
			problems.push(error(`${definition.source}.value`, `${definition.name} has both value and valueFrom: keep one`));
			continue;
		}
		if (!definition.sensitive && definition.value === undefined) {
			problems.push(error(`${definition.source}.value`, `${definition.name} needs a value`));
			continue;
		}
		if (definition.environments !== undefined && !definition.environments.includes(environment)) continue;
		if (definition.targets !== undefined && (target === undefined || !definition.targets.includes(target))) continue;
		// The more scopes a definition has, the more specific it is (environment and target > one > none).
		const specific = (definition.environments === undefined ? 0 : 1) + (definition.targets === undefined ? 0 : 1);
		const current = winners.get(definition.name);
		if (!current || specific > current.specific) {
			winners.set(definition.name, {definition, specific});
		} else if (current.specific === specific) {
			problems.push(
				error(
					definition.source,
					`variable ${definition.name} is defined twice for environment ${environment}: ${current.definition.source} and ${definition.source}`,
				),
			);
		}
	}
	const entries = new Map<string, Entry>();
	for (const [name, value] of Object.entries(builtins)) entries.set(name, {builtin: value});
	// A sensitive value never goes further than this: only its name (a marker) and valueFrom are used.
	for (const [name, {definition}] of winners) {
		const {value: _value, ...withoutValue} = definition;
		entries.set(name, {definition: definition.sensitive ? withoutValue : definition});
	}
	const set: VariableSet = {entries, cache: new Map(), suggestions: new Map(), usage: {total: 0, work: 0, stopped: false}};
	substituteValueFroms(set, entries, problems);
	return {set, problems};
}

/**
 * A sensitive variable's `valueFrom` may use other variables (`secret:orders/#{Environment}/db-url`): each
 * environment reads its own secret. Substituted here, once per environment, so every use of the variable
 * gets the same reference; a reference that cannot be resolved is a problem on the variable's `valueFrom`.
 * It may not use a sensitive variable: the reference would then carry a secret's value.
 */
function substituteValueFroms(set: VariableSet, entries: Map<string, Entry>, problems: Problem[]): void {
	for (const [name, entry] of entries) {
		if (!('definition' in entry)) continue;
		const {definition} = entry;
		if (definition.valueFrom === undefined || !definition.valueFrom.includes('#{')) continue;
		const path = `${definition.source}.valueFrom`;
		const result = substituteString(definition.valueFrom, set, path);
		if (result.problems.length > 0) {
			for (const problem of result.problems) problems.push(problem);
			continue;
		}
		const sensitive = splitSensitive(result.value).find(part => part.kind === 'sensitive');
		if (sensitive !== undefined) {
			problems.push(error(path, `uses sensitive variable ${sensitive.name}: a valueFrom names where a secret is kept, so it may use only plain variables and built-ins`));
			continue;
		}
		entries.set(name, {definition: {...definition, valueFrom: result.value}});
	}
}

/**
 * Bounds on substitution, so a small recipe cannot expand into a huge one (ten variables of ten references
 * each come to ten billion characters) or nest deeper than the JavaScript stack. Far above what a service
 * needs: an environment value, an ARN or a command line is a few hundred characters, and CloudFormation
 * takes templates of at most 1 MB.
 */
export const substitutionLimits = {
	/** Characters one field may hold after substitution. */
	fieldLength: 65_536,
	/** Characters all the fields substituted with one variable set may come to. */
	totalLength: 4 * 1024 * 1024,
	/** Variables nested in variables, counted from the field. */
	depth: 64,
	/** Steps (references followed, characters copied) all substitutions with one variable set may take. */
	work: 32 * 1024 * 1024,
} as const;

/** A failure as a problem about the field at `path`; a built-in not known here says which. */
function problemOf(path: string, failure: Failure): Problem {
	const found = error(path, failure.problem);
	return failure.unknown === undefined ? found : {...found, kind: 'unknown-value', needs: failure.unknown};
}

/** Substitutes `#{…}` in one string. `path` names the field in problems. */
export function substituteString(input: string, set: VariableSet, path: string): {value: string; problems: Problem[]; references: string[]} {
	const references: string[] = [];
	const result = substituteText(input, set, references);
	return 'problem' in result ? {value: input, problems: [problemOf(path, result)], references} : {value: result.value, problems: [], references};
}

/** Substitutes one string; a problem comes back as its message, so the field's path is formatted only then. */
function substituteText(input: string, set: VariableSet, references: string[]): {value: string} | Failure {
	const {fieldLength, totalLength} = substitutionLimits;
	const usage = set.usage;
	let value: string;
	if (!input.includes('#{')) {
		if (input.length > fieldLength) return {problem: `is ${formatCount(input.length)} characters long: a field may hold at most ${formatCount(fieldLength)} characters`};
		value = input;
	} else {
		const result = expandField(input, set, references);
		if ('problem' in result) return result;
		value = result.value;
	}
	usage.total += value.length;
	if (usage.total > totalLength) {
		usage.stopped = true;
		return {problem: `brings the service section past ${formatCount(totalLength)} characters after substitution, the most a recipe may expand to: use fewer or shorter variable values`};
	}
	if (references.length > 0 && value.trim() === '') {
		return {problem: `resolved to an empty value (from ${quote(input)}); a bound field must not come out empty`};
	}
	return {value};
}

/**
 * Nesting of mappings and lists that substituteTree follows: a backstop for trees that did not come through
 * parseRecipe (one that loops back on itself); parseRecipe refuses documents deeper than its maxDocumentDepth long before.
 */
const maxTreeDepth = 64;

/**
 * Substitutes every string in a tree of objects and arrays (keys are left alone). Stops at the first field
 * that takes the substitution past a limit on the whole tree (`stopped`): what follows would only repeat it.
 */
export function substituteTree(value: unknown, set: VariableSet, path: ReadonlyArray<string | number>): {value: unknown; problems: Problem[]; stopped: boolean} {
	const problems: Problem[] = [];
	const out = substituteNode(value, set, [...path], problems);
	return {value: out, problems, stopped: set.usage.stopped};
}

function substituteNode(value: unknown, set: VariableSet, path: Array<string | number>, problems: Problem[]): unknown {
	if (set.usage.stopped) return value;
	if (typeof value === 'string') {
		const result = substituteText(value, set, []);
		if ('value' in result) return result.value;
		problems.push(problemOf(formatPath(path), result));
		return value;
	}
	if (value === null || typeof value !== 'object') return value;
	if (path.length > maxTreeDepth) {
		problems.push(error(formatPath(path), `nests more than ${maxTreeDepth} levels deep`));
		return value;
	}
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (let i = 0; i < value.length; i++) {
			path.push(i);
			out.push(substituteNode(value[i], set, path, problems));
			path.pop();
		}
		return out;
	}
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		path.push(key);
		const item = substituteNode((value as Record<string, unknown>)[key], set, path, problems);
		path.pop();
		// A key named __proto__ must stay a key (the schema refuses it as unknown), not become the prototype.
		if (key === '__proto__') Object.defineProperty(out, key, {value: item, enumerable: true, writable: true, configurable: true});
		else out[key] = item;
	}
	return out;
}

/** A variable being expanded: its text, how far it has been read, and what it has come to so far. */
type Frame = {name: string; text: string; at: number; out: string};

/**
 * Expands the references in a field's text without recursion: the variables being expanded are kept on an
 * explicit stack, so the JavaScript stack never limits how deep variables nest (the depth limit does, with a
 * message). Every piece is measured before it is appended, so an expansion that would exceed the field limit
 * stops before the long string is built. `references` receives the names the field itself uses.
 */
function expandField(input: string, set: VariableSet, references: string[]): {value: string} | Failure {
	const {fieldLength, depth, work} = substitutionLimits;
	const usage = set.usage;
	const field: Frame = {name: '', text: input, at: 0, out: ''};
	const stack: Frame[] = [field];
	const active = new Set<string>();
	/** Names of the variables on the stack, outermost first (the field itself has none). */
	const chain = () => stack.slice(1).map(frame => frame.name);
	/**
	 * Records that every variable on the stack fails (each contains the one that failed), so the next field
	 * that uses one of them gets the answer from the cache. `resolution` gets the frame's index on the stack.
	 */
	const failAll = (resolution: (index: number) => Resolution) => {
		for (let j = 1; j < stack.length; j++) set.cache.set(stack[j]!.name, resolution(j));
	};
	const overflow = (through: readonly string[]): {problem: string} => {
		const names = [...chain(), ...through];
		failAll(j => ({overflow: names.slice(j - 1)}));
		// Text of the field itself tipped it over: name the variables that made it long.
		return {problem: names.length > 0 ? overflowMessage(abbreviate(names)) : overflowMessage(formatList([...new Set(references)]))};
	};
	const append = (frame: Frame, piece: string, through: readonly string[]): {problem: string} | undefined => {
		usage.work += piece.length + 1;
		if (frame.out.length + piece.length > fieldLength) return overflow(through);
		frame.out += piece;
		return undefined;
	};

	while (stack.length > 0) {
		const frame = stack.at(-1)!;
		if (usage.work > work) {
			usage.stopped = true;
			return {problem: `takes more than ${formatCount(work)} steps to substitute: the recipe's variables refer to each other too often`};
		}
		const start = frame.text.indexOf('#{', frame.at);
		if (start < 0) {
			// This frame is done: its value goes to the one below, or it is the field's value.
			const rest = append(frame, frame.text.slice(frame.at), []);
			if (rest) return rest;
			stack.pop();
			if (stack.length === 0) return {value: frame.out};
			active.delete(frame.name);
			set.cache.set(frame.name, {value: frame.out});
			const failed = append(stack.at(-1)!, frame.out, [frame.name]);
			if (failed) return failed;
			continue;
		}
		if (start > frame.at && frame.text[start - 1] === '#') {
			// `##{` is a literal `#{`.
			const failed = append(frame, `${frame.text.slice(frame.at, start - 1)}#{`, []);
			if (failed) return failed;
			frame.at = start + 2;
			continue;
		}
		const before = append(frame, frame.text.slice(frame.at, start), []);
		if (before) return before;
		const close = frame.text.indexOf('}', start + 2);
		if (close < 0) {
			const problem = `has an unclosed #{ in ${quote(frame.text)} (write ##{ for a literal #{)`;
			failAll(() => ({problem}));
			return {problem};
		}
		const written = frame.text.slice(start + 2, close);
		const name = written.trim();
		frame.at = close + 1;
		if (!namePattern.test(name)) {
			const problem = `${quote(`#{${written}}`)} is not a variable reference; only plain names are supported (no filters or expressions)`;
			failAll(() => ({problem}));
			return {problem};
		}
		if (stack.length === 1) references.push(name);

		if (active.has(name)) {
			const names = chain();
			const problem = `variables refer to each other in a loop: ${abbreviate([...names.slice(names.indexOf(name)), name])}`;
			failAll(() => ({problem}));
			return {problem};
		}
		const found = lookup(name, set);
		if ('value' in found) {
			const failed = append(frame, found.value, [name]);
			if (failed) return failed;
			continue;
		}
		if ('overflow' in found) return overflow(found.overflow);
		if ('problem' in found) {
			failAll(() => found);
			return found;
		}
		// A variable not expanded yet: expand it on top of the stack, then come back here.
		if (stack.length > depth) {
			return {problem: `nests variables more than ${depth} levels deep: ${abbreviate([...chain(), name])} (at most ${depth} levels are allowed)`};
		}
		usage.work++;
		active.add(name);
		stack.push({name, text: found.expand, at: 0, out: ''});
	}
	return {value: field.out};
}

/** What a name stands for: a value, a failure, or a definition still to be expanded. */
function lookup(name: string, set: VariableSet): Resolution | {expand: string} {
	const entry = set.entries.get(name);
	if (!entry) {
		let hint = set.suggestions.get(name);
		if (hint === undefined) {
			hint = suggest(name, [...set.entries.keys()]) ?? '';
			set.suggestions.set(name, hint);
		}
		return {problem: `refers to unknown variable ${name.length > 80 ? quote(name) : name}${hint ? ` (did you mean ${hint}?)` : ''}`};
	}
	if ('builtin' in entry) {
		const builtin = entry.builtin;
		return 'value' in builtin ? {value: builtin.value} : {problem: `uses ${name}, which is not known here: ${builtin.unknown}`, unknown: name};
	}
	if (entry.definition.sensitive) return {value: sensitiveMarker(name)};
	return set.cache.get(name) ?? {expand: entry.definition.value ?? ''};
}

function overflowMessage(through: string): string {
	const limit = formatCount(substitutionLimits.fieldLength);
	if (through === '') return `is more than ${limit} characters long after substitution: a field may hold at most ${limit} characters`;
	return `expands to more than ${limit} characters through ${through}: a field may hold at most ${limit} characters after substitution`;
}

/** A chain of names for a message, with the middle left out when it is long: `V0 → V1 → V2 → … → V63 → V64`. */
function abbreviate(names: readonly string[]): string {
	const shown = names.length > 12 ? [...names.slice(0, 6), '…', ...names.slice(-6)] : names;
	return shown.join(' → ');
}
