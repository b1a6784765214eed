import {error, formatPath, type Problem} from './problems.js';

/*
 * Octopus-style `#{Name}` variables: definitions scoped by environment, built-ins, nested references,
 * `##{` as the escape for a literal `#{`. Sensitive variables are never inlined: a reference becomes a
 * marker that the template builder turns into an ECS secret or a NoEcho parameter.
 */

/** A variable as declared in a recipe. */
export type VariableDefinition = {
	name: string;
	value?: string;
	/** Secrets Manager / SSM reference; only for sensitive variables. */
	valueFrom?: string;
	/** Scope: the environments it applies to; absent = all. */
	environments?: string[];
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
	/** Resolved values of non-sensitive variables, memoised. */
	readonly cache: Map<string, Resolution>;
};

type Resolution = {value: string} | {problem: string};

const namePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const reservedPrefix = /^(Image|Target|Release)\./;
const markerOpen = '\u0000sensitive:';
const markerClose = '\u0000';

/** The marker that stands in for a sensitive variable in substituted text. */
export function sensitiveMarker(name: string): string {
	return `${markerOpen}${name}${markerClose}`;
}

export type TextPart = {kind: 'text'; text: string} | {kind: 'sensitive'; name: string};

/** Splits substituted text into plain text and sensitive references. */
export function splitSensitive(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let rest = text;
	for (;;) {
		const start = rest.indexOf(markerOpen);
		if (start < 0) break;
		const end = rest.indexOf(markerClose, start + markerOpen.length);
		if (end < 0) break;
		if (start > 0) parts.push({kind: 'text', text: rest.slice(0, start)});
		parts.push({kind: 'sensitive', name: rest.slice(start + markerOpen.length, end)});
		rest = rest.slice(end + markerClose.length);
	}
	if (rest !== '' || parts.length === 0) parts.push({kind: 'text', text: rest});
	return parts;
}

export function containsSensitive(text: string): boolean {
	return text.includes(markerOpen);
}

/** Replaces sensitive markers with asterisks, for display. */
export function redact(text: string): string {
	return splitSensitive(text)
		.map(part => (part.kind === 'text' ? part.text : '******'))
		.join('');
}

/** What the template needs of a sensitive variable: its name and reference, never a value. */
export function sensitiveDefinition(set: VariableSet, name: string): {name: string; valueFrom?: string; value?: string} | undefined {
	const entry = set.entries.get(name);
	if (!entry || !('definition' in entry) || !entry.definition.sensitive) return undefined;
	const {valueFrom, value} = entry.definition;
	return {name, ...(valueFrom === undefined ? {} : {valueFrom}), ...(value === undefined ? {} : {value})};
}

/**
 * Picks the definitions in force for an environment: scoped ones beat unscoped ones; two at the same
 * level are ambiguous. Built-ins cannot be redefined.
 */
export function buildVariableSet(
	definitions: readonly VariableDefinition[],
	environment: string,
	builtins: Readonly<Record<string, BuiltinValue>>,
): {set: VariableSet; problems: Problem[]} {
	const problems: Problem[] = [];
	const winners = new Map<string, {definition: VariableDefinition; specific: boolean}>();
	for (const definition of definitions) {
		if (!namePattern.test(definition.name)) {
			problems.push(error(`${definition.source}.name`, `"${definition.name}" is not a valid variable name: letters, digits, _ . and -, starting with a letter or _`));
			continue;
		}
		if (definition.name in builtins || reservedPrefix.test(definition.name)) {
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
		const scoped = definition.environments !== undefined;
		if (scoped && !definition.environments!.includes(environment)) continue;
		const current = winners.get(definition.name);
		if (!current || (scoped && !current.specific)) {
			winners.set(definition.name, {definition, specific: scoped});
		} else if (current.specific === scoped) {
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
	for (const [name, {definition}] of winners) entries.set(name, {definition});
	return {set: {entries, cache: new Map()}, problems};
}

/** Substitutes `#{…}` in one string. `path` names the field in problems. */
export function substituteString(input: string, set: VariableSet, path: string): {value: string; problems: Problem[]; references: string[]} {
	const references: string[] = [];
	const result = expand(input, set, [], references);
	if ('problem' in result) return {value: input, problems: [error(path, result.problem)], references};
	if (references.length > 0 && result.value.trim() === '') {
		return {value: result.value, problems: [error(path, `resolved to an empty value (from "${input}"); a bound field must not come out empty`)], references};
	}
	return {value: result.value, problems: [], references};
}

/** Substitutes every string in a tree of objects and arrays (keys are left alone). */
export function substituteTree(value: unknown, set: VariableSet, path: ReadonlyArray<string | number>): {value: unknown; problems: Problem[]} {
	if (typeof value === 'string') {
		const result = substituteString(value, set, formatPath(path));
		return {value: result.value, problems: result.problems};
	}
	const problems: Problem[] = [];
	if (Array.isArray(value)) {
		const out = value.map((item, i) => {
			const result = substituteTree(item, set, [...path, i]);
			problems.push(...result.problems);
			return result.value;
		});
		return {value: out, problems};
	}
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			const result = substituteTree(item, set, [...path, key]);
			problems.push(...result.problems);
			out[key] = result.value;
		}
		return {value: out, problems};
	}
	return {value, problems};
}

/** Expands the references in `text`; `chain` holds the variables being expanded, to find cycles. */
function expand(text: string, set: VariableSet, chain: readonly string[], references: string[]): Resolution {
	let out = '';
	let i = 0;
	while (i < text.length) {
		if (text.startsWith('##{', i)) {
			out += '#{';
			i += 3;
			continue;
		}
		if (!text.startsWith('#{', i)) {
			out += text[i];
			i++;
			continue;
		}
		const close = text.indexOf('}', i + 2);
		if (close < 0) return {problem: `has an unclosed #{ in "${text}" (write ##{ for a literal #{)`};
		const name = text.slice(i + 2, close).trim();
		if (!namePattern.test(name)) {
			return {problem: `"#{${text.slice(i + 2, close)}}" is not a variable reference; only plain names are supported (no filters or expressions)`};
		}
		references.push(name);
		const resolved = lookup(name, set, chain);
		if ('problem' in resolved) return resolved;
		out += resolved.value;
		i = close + 1;
	}
	return {value: out};
}

function lookup(name: string, set: VariableSet, chain: readonly string[]): Resolution {
	if (chain.includes(name)) {
		const loop = [...chain.slice(chain.indexOf(name)), name].join(' → ');
		return {problem: `variables refer to each other in a loop: ${loop}`};
	}
	const entry = set.entries.get(name);
	if (!entry) {
		const hint = suggest(name, [...set.entries.keys()]);
		return {problem: `refers to unknown variable ${name}${hint ? ` (did you mean ${hint}?)` : ''}`};
	}
	if ('builtin' in entry) {
		const builtin = entry.builtin;
		return 'value' in builtin ? {value: builtin.value} : {problem: `uses ${name}, which is not known here: ${builtin.unknown}`};
	}
	if (entry.definition.sensitive) return {value: sensitiveMarker(name)};
	const cached = set.cache.get(name);
	if (cached) return cached;
	const result = expand(entry.definition.value ?? '', set, [...chain, name], []);
	// Cache only results that do not depend on the chain (cycle problems do).
	if ('value' in result) set.cache.set(name, result);
	return result;
}

function suggest(name: string, known: readonly string[]): string | undefined {
	const lower = name.toLowerCase();
	let best: {name: string; distance: number} | undefined;
	for (const candidate of known) {
		const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
		if (distance <= 2 && (!best || distance < best.distance)) best = {name: candidate, distance};
	}
	return best?.name;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length]!;
}
