import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import {printable} from '../../../domain/text.js';
import type {RollbackCandidate} from '../../../engine/history.js';

/*
 * What the rollback screen shows, as pure functions: which earlier releases can be gone back to (and why
 * the others cannot), and what changes compared with what runs now.
 */

type Images = RollbackCandidate['images'];

/** Outcomes after which a release served the environment (the engine's rule: only those are offered). */
const serving: ReadonlySet<string> = new Set(['succeeded', 'no-op']);

/** A release the environment ran, as listed: whether it is offered, and why not when it is not (in full, and short for the row). */
export type CandidateRow = RollbackCandidate & {offered: boolean; why?: string; short?: string};

/** The candidates as rows: the one running now and those that did not serve are listed but not offered. */
export function candidateRows(candidates: readonly RollbackCandidate[]): CandidateRow[] {
	return candidates.map(c => {
		// The release the stack holds is what a rollback moves away from (ECS runs it too, unless it has not caught up).
		if (c.current) return {...c, offered: false, why: c.running ? 'running now' : 'the stack holds it now; ECS has not confirmed it runs', short: c.running ? 'running now' : 'on the stack now'};
		if (serving.has(c.outcome)) return {...c, offered: true};
		return {...c, offered: false, ...whyNot(c.outcome)};
	});
}

function whyNot(outcome: string): {why: string; short: string} {
	if (outcome === 'failed' || outcome === 'rolled-back' || outcome === 'timed-out' || outcome === 'cancelled') {
		return {why: `not offered: it never served here (${outcome.replace('-', ' ')})`, short: 'not offered: never served here'};
	}
	if (outcome === 'in progress' || outcome === 'started' || outcome === 'detached') return {why: 'not offered: its deployment has not ended', short: 'not offered: not ended'};
	return {why: `not offered: how its deployment ended is not known (${outcome})`, short: 'not offered: outcome unknown'};
}

/** The release ECS runs now (read from AWS and matched with the records), else the one the stack holds. */
export function runningNow<T extends RollbackCandidate>(candidates: readonly T[]): T | undefined {
	return candidates.find(c => c.running) ?? candidates.find(c => c.current);
}

/** One image: what runs now → what the chosen release pins. */
export type ImageChange = {ref: string; from?: {tag: string; digest?: string}; to?: {tag: string; digest?: string}; changed: boolean};

/** The images that change (and those that stay), by image ref. */
export function imageChanges(now: Images | undefined, chosen: Images): ImageChange[] {
	const refs = [...new Set([...Object.keys(now ?? {}), ...Object.keys(chosen)])].sort();
	return refs.map(ref => {
		const from = now?.[ref];
		const to = chosen[ref];
		const changed = from?.tag !== to?.tag || (from?.digest !== undefined && to?.digest !== undefined && from.digest !== to.digest);
		return {ref, ...(from ? {from} : {}), ...(to ? {to} : {}), changed};
	});
}

/** One variable for the environment: its value in the release's recipe, and in the recipe now. */
export type VariableChange = {name: string; then?: string; now?: string};

type VariableLike = {name?: unknown; value?: unknown; valueFrom?: unknown; environments?: unknown; sensitive?: unknown};

/**
 * The variables in force for an environment (scoped definitions beat unscoped ones, as the recipe resolves
 * them), as text to compare: the value, `from <reference>` for a secret reference, `(sensitive)` for a value
 * given at deploy time. Reads a stored recipe snapshot defensively: it may come from an older version.
 */
export function variablesFor(recipe: unknown, environment: string): Map<string, string> {
	const doc = (recipe ?? {}) as {variables?: unknown; environments?: unknown};
	const found = new Map<string, {text: string; scoped: boolean}>();
	const put = (name: string, text: string, scoped: boolean) => {
		const existing = found.get(name);
		if (!existing || (scoped && !existing.scoped)) found.set(name, {text, scoped});
	};
	for (const v of Array.isArray(doc.variables) ? (doc.variables as VariableLike[]) : []) {
		if (typeof v?.name !== 'string') continue;
		const scope = Array.isArray(v.environments) ? v.environments : undefined;
		if (scope && !scope.includes(environment)) continue;
		const text = v.sensitive === true ? (typeof v.valueFrom === 'string' ? `from ${v.valueFrom}` : '(sensitive, given at deploy time)') : String(v.value ?? '');
		put(v.name, text, scope !== undefined);
	}
	for (const env of Array.isArray(doc.environments) ? doc.environments : []) {
		if (env === null || typeof env !== 'object' || (env as {name?: unknown}).name !== environment) continue;
		const vars = (env as {variables?: unknown}).variables;
		if (vars && typeof vars === 'object') for (const [name, value] of Object.entries(vars)) put(name, String(value), true);
	}
	return new Map([...found].map(([name, {text}]) => [name, text]));
}

/**
 * The variables of the environment that differ between the release's recipe (as it was when the release
 * was made) and the recipe now; undefined when the release kept no recipe.
 */
export function variableChanges(snapshot: unknown, current: RecipeDocument, environment: string): VariableChange[] | undefined {
	if (snapshot === undefined || snapshot === null) return undefined;
	const then = variablesFor(snapshot, environment);
	const now = variablesFor(current, environment);
	const names = [...new Set([...then.keys(), ...now.keys()])].sort();
	return names
		.filter(name => then.get(name) !== now.get(name))
		.map(name => ({name: printable(name), ...(then.has(name) ? {then: printable(then.get(name)!)} : {}), ...(now.has(name) ? {now: printable(now.get(name)!)} : {})}));
}
