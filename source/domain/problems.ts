import {printable} from './text.js';

/**
 * A problem found in a recipe, always tied to the field it is about.
 *
 * `path` names the field the way an operator reads it in the YAML file, for
 * example `service.containers[1].ports[0].containerPort`.
 */
export type Problem = {
	path: string;
	message: string;
	/** Errors block a deploy; warnings are shown and the deploy goes on. */
	severity: 'error' | 'warning';
	/** 1-based line in the recipe file, when the field (or its nearest parent) is found there. */
	line?: number;
	/**
	 * What kind of problem it is, when a caller must tell it apart (never by its message): `unknown-value`, a
	 * field uses a built-in (`needs`, e.g. `Target.AccountId`, `Image.web`) whose value only a deploy or a
	 * flag gives.
	 */
	kind?: 'unknown-value';
	needs?: string;
};

/** Joins path segments: `['service', 'containers', 1, 'name']` → `service.containers[1].name`. */
export function formatPath(segments: ReadonlyArray<string | number>): string {
	let out = '';
	for (const segment of segments) {
		if (typeof segment === 'number') out += `[${segment}]`;
		else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
		else out += `[${JSON.stringify(segment)}]`;
	}
	return out;
}

/**
 * An error about a field. Path and message are made printable here, once for every problem: they quote
 * what the recipe says, and a recipe must not be able to drive the terminal they are printed to.
 */
export function error(path: string, message: string): Problem {
	return {path: printable(path), message: printable(message), severity: 'error'};
}

/** A warning about a field; see `error`. */
export function warning(path: string, message: string): Problem {
	return {path: printable(path), message: printable(message), severity: 'warning'};
}

/** `2 errors, 1 warning`: how many problems of each kind, for a one-line summary. */
export function countWords(problems: readonly Problem[]): string {
	const errors = problems.filter(p => p.severity === 'error').length;
	const warnings = problems.length - errors;
	const parts = [];
	if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
	if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
	return parts.join(', ');
}

export function hasErrors(problems: readonly Problem[]): boolean {
	return problems.some(p => p.severity === 'error');
}

/** Splits a formatted path back into segments: `a.b[2]["x y"]` → `['a', 'b', 2, 'x y']`. */
export function parsePath(path: string): Array<string | number> {
	const segments: Array<string | number> = [];
	const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
	for (const match of path.matchAll(re)) {
		if (match[1] !== undefined) segments.push(Number(match[1]));
		else if (match[2] !== undefined) segments.push(JSON.parse(match[2]) as string);
		else if (match[3] !== undefined) segments.push(match[3]);
	}
	return segments;
}
