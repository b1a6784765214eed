import {parsePath, type Problem} from '../../../domain/problems.js';
import type {RecipeCheck} from '../../../engine/recipes/recipe-edit.js';
import type {Row, Section, SectionId} from './rows.js';

/*
 * The validator's problems on the form: each next to the field it is about (matched by its path), counted on
 * its section, and all of them in the summary. Pure.
 */

/** A problem once, with the environments it is found in (absent: the document itself, or every environment). */
export type FormProblem = Problem & {environments?: string[]};

/**
 * The problems of the document and of each environment, each once: the same field and message in several
 * environments is one problem naming them, or none when it is in all of them.
 */
export function collectProblems(check: RecipeCheck): FormProblem[] {
	const all = Object.keys(check.environments);
	const byKey = new Map<string, FormProblem>();
	for (const problem of check.problems) byKey.set(`${problem.path}\n${problem.message}`, {...problem});
	for (const [environment, problems] of Object.entries(check.environments)) {
		for (const problem of problems) {
			const key = `${problem.path}\n${problem.message}`;
			const known = byKey.get(key);
			if (!known) byKey.set(key, {...problem, environments: [environment]});
			else if (known.environments && !known.environments.includes(environment)) known.environments.push(environment);
		}
	}
	const out = [...byKey.values()].map(p => (p.environments && p.environments.length === all.length ? omitEnvironments(p) : p));
	// Errors first, then in the order of the file (problems without a line last).
	return out.sort((a, b) => (a.severity === b.severity ? (a.line ?? Infinity) - (b.line ?? Infinity) || 0 : a.severity === 'error' ? -1 : 1));
}

function omitEnvironments({environments: _all, ...problem}: FormProblem): FormProblem {
	return problem;
}

/** Where each problem is shown: by row, by section, and those no field shows (the summary has them all). */
export type Placement = {
	byRow: Map<string, FormProblem[]>;
	bySection: Map<SectionId, FormProblem[]>;
	unplaced: FormProblem[];
};

/**
 * Places each problem on the row of its field; else, for a problem about an item or a group
 * (`…ports[0]`, `service.network`), on the first row under it; else on the nearest row above it (the
 * list's heading). A row that opens a section (a container in the containers list) is not a place: its
 * section's rows are. A problem about the whole file (`recipe`, `service`) is only in the summary.
 */
export function placeProblems(sections: readonly Section[], problems: readonly FormProblem[]): Placement {
	type Candidate = {row: Row; section: SectionId; segments: Array<string | number>};
	const candidates: Candidate[] = [];
	const covering: Candidate[] = [];
	for (const section of sections) {
		for (const row of section.rows) {
			if (row.opens) continue;
			if (!row.path.includes('#')) candidates.push({row, section: section.id, segments: parsePath(row.path)});
			for (const path of row.covers ?? []) covering.push({row, section: section.id, segments: parsePath(path)});
		}
	}
	const placement: Placement = {byRow: new Map(), bySection: new Map(), unplaced: []};
	const exact = (segments: ReadonlyArray<string | number>) => (c: Candidate) => c.segments.length === segments.length && isPrefix(c.segments, segments);
	for (const problem of problems) {
		const segments = parsePath(problem.path);
		let best = candidates.find(exact(segments)) ?? covering.find(exact(segments));
		if (!best && segments.length >= 2) best = candidates.find(c => isPrefix(segments, c.segments));
		if (!best) {
			for (const candidate of [...candidates, ...covering]) {
				if (isPrefix(candidate.segments, segments) && (!best || candidate.segments.length > best.segments.length)) best = candidate;
			}
		}
		if (!best) {
			placement.unplaced.push(problem);
			continue;
		}
		push(placement.byRow, best.row.id, problem);
		push(placement.bySection, best.section, problem);
	}
	return placement;
}

function isPrefix(prefix: ReadonlyArray<string | number>, of: ReadonlyArray<string | number>): boolean {
	return prefix.length <= of.length && prefix.every((segment, i) => segment === of[i]);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** A problem in a line: `must be at most 65535 (production)`. */
export function problemText(problem: FormProblem): string {
	return problem.environments ? `${problem.message} (${problem.environments.join(', ')})` : problem.message;
}
