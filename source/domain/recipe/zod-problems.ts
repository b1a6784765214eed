import type {z} from 'zod';
import {error, formatPath, type Problem} from '../problems.js';
import {quote} from '../text.js';
import {redact} from '../variables.js';

type Issue = z.core.$ZodIssue;
type Segment = string | number;

/*
 * Schema issues → problems an operator can act on: the field by its path, what is allowed, and what was
 * found, in plain words (never zod's own "Invalid input"). The schemas must be run with `reportInput: true`:
 * without the input, a field that is present with the wrong type cannot be told from a missing one.
 */

/** What a field that may be written in two forms accepts, by field (list indexes as `*`). */
const forms: Readonly<Record<string, string>> = {
	'environments.*': 'an environment name or a mapping with name',
	'service.wait': 'none, complete, or a mapping with timeoutMinutes',
	'service.containers.*.ports.*': 'a port number or a mapping with containerPort',
	'service.containers.*.logging': 'auto, none, or a mapping with type (auto, manual or none)',
	'service.containers.*.healthCheck.command': 'a list (["CMD-SHELL", "…"]) or a command as text',
	'service.beforeDeploy.*.command': 'a list of words (["npm", "run", "migrate"])',
};

/** The unit of whole-number fields that have one, by field. */
const units: Readonly<Record<string, string>> = {
	'service.cpu': 'CPU units',
	'service.memory': 'MiB',
	'service.containers.*.cpu': 'CPU units',
	'service.containers.*.memory': 'MiB',
	'service.containers.*.memoryReservation': 'MiB',
	'service.containers.*.healthCheck.interval': 'seconds',
	'service.containers.*.healthCheck.timeout': 'seconds',
	'service.containers.*.healthCheck.startPeriod': 'seconds',
	'service.deployment.healthCheckGracePeriodSeconds': 'seconds',
	'service.wait.timeoutMinutes': 'minutes',
	'service.containers.*.startTimeout': 'seconds',
	'service.containers.*.stopTimeout': 'seconds',
	'service.ephemeralStorage': 'GiB',
	'service.beforeDeploy.*.timeoutMinutes': 'minutes',
};

/** Why a list of choices is what it is, by field. */
const choiceNotes: Readonly<Record<string, string>> = {
	'service.containers.*.logging.driver': 'the log drivers Fargate supports',
};

/** `['service', 'containers', 0, 'cpu']` → `service.containers.*.cpu`, the key of the tables above. */
const fieldKey = (path: readonly Segment[]) => path.map(s => (typeof s === 'number' ? '*' : s)).join('.');

/**
 * Turns schema issues into problems an operator can act on: the field by its path and what is allowed,
 * in plain words (never zod's own "Invalid input").
 */
export function problemsFromIssues(issues: readonly Issue[], base: readonly Segment[]): Problem[] {
	const problems: Problem[] = [];
	for (const issue of issues) collect(issue, base, problems);
	return problems;
}

function collect(issue: Issue, base: readonly Segment[], problems: Problem[]): void {
	const path = [...base, ...(issue.path as Segment[])];
	// zod's own bound on whole numbers (±2^53); every number field has a tighter range that says it better.
	if ((issue.code === 'too_big' || issue.code === 'too_small') && Math.abs(Number(issue.code === 'too_big' ? issue.maximum : issue.minimum)) === Number.MAX_SAFE_INTEGER) return;
	const where = formatPath(path) || 'recipe';
	switch (issue.code) {
		case 'unrecognized_keys':
			for (const key of issue.keys) problems.push(error(formatPath([...path, key]), 'is not a known field (check the spelling; docs/recipe.md lists every field)'));
			return;
		case 'invalid_union': {
			const branch = bestBranch(issue);
			// The value fits one of the forms in part: report that form's problems where they are.
			if (branch && !branch.every(atRoot)) {
				for (const inner of branch) collect(inner, path, problems);
				return;
			}
			problems.push(error(where, describeUnion(issue, path, branch)));
			return;
		}
		default:
			problems.push(error(where, describe(issue, path)));
	}
}

/** An issue about the value itself (its type), not about a field inside it. */
const atRoot = (issue: Issue) => issue.path.length === 0;

/**
 * The branch of a union the value came closest to: one where it has the right type (its problems are inside
 * it), then the one with the fewest problems. That is usually the form the operator meant.
 */
function bestBranch(issue: Issue & {code: 'invalid_union'}): Issue[] | undefined {
	const rank = (branch: readonly Issue[]) => (branch.some(i => atRoot(i) && i.code === 'invalid_type') ? 1_000_000 : 0) + branch.length;
	let best: Issue[] | undefined;
	for (const branch of issue.errors) {
		if (branch.length > 0 && (best === undefined || rank(branch) < rank(best))) best = branch as Issue[];
	}
	return best;
}

function describeUnion(issue: Issue & {code: 'invalid_union'}, path: readonly Segment[], branch: Issue[] | undefined): string {
	// A discriminated union (logging, volumes) whose `type` matched no branch: the path is the `type` field.
	const options = (issue as {options?: unknown[]}).options;
	const discriminator = (issue as {discriminator?: string}).discriminator;
	if (Array.isArray(options)) {
		const value = discriminator !== undefined && isRecord(issue.input) ? issue.input[discriminator] : undefined;
		return oneOf(options, value, path);
	}
	const form = forms[fieldKey(path)];
	if (form !== undefined) return `must be ${form}, got ${found(issue.input)}`;
	if (branch?.[0] !== undefined) return describe(branch[0], path);
	return `is not valid here, got ${found(issue.input)}`;
}

function describe(issue: Issue, path: readonly Segment[]): string {
	switch (issue.code) {
		case 'invalid_type': {
			if (issue.input === undefined) return 'is required';
			const form = forms[fieldKey(path)];
			return `must be ${form ?? expectedWords(issue.expected, path)}, got ${found(issue.input)}`;
		}
		case 'too_small':
			return describeBound(issue, 'least');
		case 'too_big':
			return describeBound(issue, 'most');
		case 'invalid_value':
			return oneOf(issue.values, issue.input, path);
		case 'invalid_format':
			return describeFormat(issue);
		case 'invalid_key': {
			const inner = issue.issues[0];
			const why = inner === undefined ? '' : `: it ${describe(inner as Issue, path)}`;
			return `is not a valid key here${why}`;
		}
		case 'invalid_union':
			return describeUnion(issue, path, bestBranch(issue));
		case 'not_multiple_of':
			return `must be a multiple of ${String(issue.divisor)}`;
		default:
			return issue.message;
	}
}

/** `must be one of "a", "b", got "c"`, or `is required: one of "a", "b"` when the field is missing. */
function oneOf(values: readonly unknown[], input: unknown, path: readonly Segment[]): string {
	const note = choiceNotes[fieldKey(path)];
	const choices = `${values.map(v => JSON.stringify(v)).join(', ')}${note === undefined ? '' : ` (${note})`}`;
	return input === undefined ? `is required: one of ${choices}` : `must be one of ${choices}, got ${found(input)}`;
}

function describeBound(issue: Issue & {code: 'too_small' | 'too_big'}, word: 'least' | 'most'): string {
	const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
	switch (issue.origin) {
		case 'string':
			return limit === 1 && word === 'least' ? 'must not be empty' : `must be at ${word} ${limit} characters long`;
		case 'array':
			return limit === 1 && word === 'least' ? 'needs at least one entry' : `must have at ${word} ${limit} entries`;
		default:
			return `must be at ${word} ${limit}`;
	}
}

const patternWords: Array<[RegExp, string]> = [
	[/subnet-/, 'a subnet id like subnet-0123456789abcdef0'],
	[/sg-/, 'a security group id like sg-0123456789abcdef0'],
	[/iam::/, 'an IAM role ARN like arn:aws:iam::123456789012:role/my-role'],
	[/listener-rule/, 'a listener rule ARN like arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/my-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef (or a Network Load Balancer listener ARN)'],
	[/targetgroup/, 'a target group ARN like arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/my-tg/0123456789abcdef'],
	[/fsap-/, 'an EFS access point id like fsap-0123456789abcdef0'],
	[/fs-/, 'an EFS file system id like fs-0123abcd'],
	[/\\d\{12\}/, 'a 12-digit AWS account id'],
	[/\[a-z\]\{2\}/, 'an AWS region like eu-west-1'],
	[/\^\\\//, 'an absolute path starting with /'],
	[/\[\^=\\s\]/, 'a name without = or white space'],
];

function describeFormat(issue: Issue & {code: 'invalid_format'}): string {
	if (issue.format === 'regex' && 'pattern' in issue && typeof issue.pattern === 'string') {
		const pattern = issue.pattern;
		for (const [probe, words] of patternWords) if (probe.test(pattern)) return `must be ${words}`;
		return `must match ${pattern}${namingHint(pattern)}`;
	}
	return `must be a valid ${issue.format}`;
}

function namingHint(pattern: string): string {
	if (pattern.includes('A-Za-z0-9_-')) return ' (letters, digits, hyphens and underscores)';
	if (pattern.includes('A-Za-z0-9-')) return ' (letters, digits and hyphens, starting with a letter)';
	return '';
}

/** What a field holds, in words: `text`, `a whole number of seconds`, `a list`. */
function expectedWords(expected: string, path: readonly Segment[]): string {
	switch (expected) {
		case 'string':
			return 'text';
		// Every number in a recipe is a whole number (the schema's `int` for 3.5, `number` for "many").
		case 'number':
		case 'int': {
			const unit = units[fieldKey(path)];
			return unit === undefined ? 'a whole number' : `a whole number of ${unit}`;
		}
		case 'boolean':
			return 'yes/no (true or false)';
		case 'array':
			return 'a list';
		case 'object':
		case 'record':
			return 'a mapping (key: value lines)';
		default:
			return expected;
	}
}

/** What was found, in words: `3.5`, `"maybe"`, `a list`, `a mapping`, `an empty value`. */
function found(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	// Substituted text may hold sensitive markers: shown as ******, never as the marker or a value.
	if (typeof value === 'string') return quote(redact(value), 40);
	return String(value);
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
