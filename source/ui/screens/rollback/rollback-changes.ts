import type {ConfigChange, ConfigGroup} from '../../../domain/configuration.js';
import type {RollbackCandidate} from '../../../engine/history/history.js';
import type {ReleaseChanges} from '../../../engine/releases/release-changes.js';

/*
 * What the rollback screen shows, as pure functions: which earlier releases can be gone back to (and why
 * the others cannot), and what changes compared with what runs now (images, and every configuration field).
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

/** One side of the engine's comparison, or why it could not be made. */
type Compared = ReleaseChanges | {problem: string};

/** Groups a task definition does not say (the release's recipe does): variables, logging, network, deployment settings, volumes, roles. */
const recipeOnly: ReadonlySet<ConfigGroup> = new Set(['variable', 'logging', 'network', 'deployment', 'volume', 'role', 'other']);

/** A change and where it was read: ECS (what runs, from its task definition) or the recipe a release keeps. */
export type RollbackChange = ConfigChange & {source: 'ecs' | 'recipe'};

/** What a rollback changes, field by field, with what each side is and what is worth saying. */
export type RollbackChanges = {from: string; to: string; changes: RollbackChange[]; notes: string[]};

/**
 * What a rollback changes: what runs (ECS's task definition) against the chosen release, field by field;
 * with the fields a task definition does not say (variables, network, deployment, …) taken from the
 * release the stack holds against the chosen one. Without `running` (ECS has not caught up with the stack),
 * or when ECS cannot say what runs, the held release's recipe stands in for it (and a note says so).
 */
export function rollbackChanges({running, held}: {running?: Compared | undefined; held?: Compared | undefined}): RollbackChanges | {problem: string} {
	const fromRecipe = (c: ReleaseChanges, only?: ReadonlySet<ConfigGroup>): RollbackChange[] => c.changes.filter(change => !only || only.has(change.group)).map(change => ({...change, source: 'recipe' as const}));
	if (running && !('problem' in running)) {
		const extra = held && !('problem' in held) ? fromRecipe(held, recipeOnly) : [];
		return {from: running.from, to: running.to, changes: [...running.changes.map(change => ({...change, source: 'ecs' as const})), ...extra], notes: running.notes};
	}
	if (held && !('problem' in held)) {
		const why = running ? `${running.problem}: ` : 'ECS has not caught up with the stack: ';
		return {from: held.from, to: held.to, changes: fromRecipe(held), notes: [`${why}compared with ${held.from} as the ledger keeps it`, ...held.notes]};
	}
	return {problem: running && 'problem' in running ? running.problem : held && 'problem' in held ? held.problem : 'what runs now is not known'};
}
