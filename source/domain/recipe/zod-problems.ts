import type {z} from 'zod';
import {error, formatPath, type Problem} from '../problems.js';

type Issue = z.core.$ZodIssue;

/**
 * Turns schema issues into problems an operator can act on: the field by its path and what is allowed,
 * in plain words (never zod's own "Invalid input").
 */
export function problemsFromIssues(issues: readonly Issue[], base: ReadonlyArray<string | number>): Problem[] {
	const problems: Problem[] = [];
	for (const issue of issues) {
		const path = [...base, ...(issue.path as Array<string | number>)];
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) problems.push(error(formatPath([...path, key]), 'is not a known field (check the spelling; docs/recipe.md lists every field)'));
			continue;
		}
		problems.push(error(formatPath(path), describe(issue)));
	}
	return problems;
}

function describe(issue: Issue): string {
	switch (issue.code) {
		case 'invalid_type': {
			if (issue.input === undefined) return 'is required';
			return `must be ${article(issue.expected)} (found ${kindOf(issue.input)})`;
		}
		case 'too_small':
			return describeBound(issue, 'least');
		case 'too_big':
			return describeBound(issue, 'most');
		case 'invalid_value':
			return `must be one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`;
		case 'invalid_format':
			return describeFormat(issue);
		case 'invalid_union':
			return describeUnion(issue);
		case 'not_multiple_of':
			return `must be a multiple of ${String(issue.divisor)}`;
		default:
			return issue.message;
	}
}

function describeBound(issue: Issue & {code: 'too_small' | 'too_big'}, word: 'least' | 'most'): string {
	const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
	switch (issue.origin) {
		case 'string':
			return limit === 1 && word === 'least' ? 'must not be empty' : `must be at ${word} ${limit} characters long`;
		case 'array':
			return limit === 1 && word === 'least' ? 'needs at least one entry' : `must have at ${word} ${limit} entries`;
		case 'number':
		case 'int':
			return `must be at ${word} ${limit}`;
		default:
			return `must be at ${word} ${limit}`;
	}
}

const patternWords: Array<[RegExp, string]> = [
	[/subnet-/, 'a subnet id like subnet-0123456789abcdef0'],
	[/sg-/, 'a security group id like sg-0123456789abcdef0'],
	[/iam::/, 'an IAM role ARN like arn:aws:iam::123456789012:role/my-role'],
	[/targetgroup/, 'a target group ARN like arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/my-tg/0123456789abcdef'],
	[/fsap-/, 'an EFS access point id like fsap-0123456789abcdef0'],
	[/fs-/, 'an EFS file system id like fs-0123abcd'],
	[/\\d\{12\}/, 'a 12-digit AWS account id'],
	[/\[a-z\]\{2\}/, 'an AWS region like eu-west-1'],
	[/\^\\\//, 'an absolute path starting with /'],
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

function describeUnion(issue: Issue & {code: 'invalid_union'}): string {
	// Pick the branch that got furthest (fewest issues); that is usually the form the operator meant.
	const branches = issue.errors.filter(branch => branch.length > 0);
	// A discriminated union whose `type` matched no branch lists the allowed values.
	const options = (issue as {options?: unknown[]}).options;
	if (branches.length === 0 && Array.isArray(options)) return `must be one of ${options.map(v => JSON.stringify(v)).join(', ')}`;
	if (branches.length === 0) return 'is not valid here';
	const best = [...branches].sort((a, b) => a.length - b.length)[0]!;
	const first = best[0]!;
	const where = first.path.length > 0 ? `${formatPath(first.path as Array<string | number>)} ` : '';
	return `${where}${describe(first)}`.trim();
}

function article(expected: string): string {
	switch (expected) {
		case 'string':
			return 'text';
		case 'number':
			return 'a number';
		case 'int':
			return 'a whole number';
		case 'boolean':
			return 'true or false';
		case 'array':
			return 'a list';
		case 'object':
		case 'record':
			return 'a mapping (key: value lines)';
		default:
			return expected;
	}
}

function kindOf(value: unknown): string {
	if (value === null) return 'an empty value';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value === 'string') return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
	return `${typeof value} ${String(value)}`;
}
