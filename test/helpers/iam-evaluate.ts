import {actionMatches} from '../../source/domain/iam-policy-check.js';
import type {IamPolicy} from '../../source/domain/iam-policy.js';

/*
 * A small IAM evaluator for tests: is one request (action, resource ARN, condition context) allowed by one
 * identity policy? Explicit Deny wins, then any Allow whose action, resource and conditions all match;
 * otherwise the implicit deny. Wildcards `*` and `?` in actions and resources; the condition operators the
 * generated policies use (StringEquals, StringLike, ArnEquals, ArnLike, each with IfExists). A key missing
 * from the context fails its condition unless the operator ends in IfExists, as in IAM.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** One authorisation AWS makes: an action on a resource, with the condition keys the request carries. */
export type Request = {action: string; resource: string; context?: Record<string, string>; why: string};

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function globMatches(pattern: string, value: string, caseInsensitive = false): boolean {
	const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
	return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

function conditionHolds(operator: string, key: string, expected: string | string[], context: Record<string, string>): boolean {
	const ifExists = operator.endsWith('IfExists');
	const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
	const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
	if (actual === undefined) return ifExists;
	const values = list(expected);
	switch (base) {
		case 'StringEquals':
		case 'ArnEquals':
			return values.includes(actual);
		case 'StringLike':
		case 'ArnLike':
			return values.some(v => globMatches(v, actual));
		default:
			throw new Error(`the test evaluator does not know the condition operator ${operator}`);
	}
}

type Statement = IamPolicy['Statement'][number];

function statementMatches(s: Statement, request: Request): boolean {
	if (!list(s.Action).some(pattern => actionMatches(pattern, request.action))) return false;
	if (!list(s.Resource).some(pattern => globMatches(pattern, request.resource))) return false;
	for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
		for (const [key, expected] of Object.entries(keys)) if (!conditionHolds(operator, key, expected, request.context ?? {})) return false;
	}
	return true;
}

/** Allowed, or which kind of refusal. */
export function evaluate(policies: readonly IamPolicy[], request: Request): 'allowed' | 'explicit deny' | 'implicit deny' {
	const statements = policies.flatMap(p => p.Statement);
	if (statements.some(s => s.Effect === 'Deny' && statementMatches(s, request))) return 'explicit deny';
	return statements.some(s => s.Effect === 'Allow' && statementMatches(s, request)) ? 'allowed' : 'implicit deny';
}

/** The requests the policies refuse, as readable lines (none = every request is allowed). */
export function refused(policies: readonly IamPolicy[], requests: readonly Request[]): string[] {
	const lines = requests.flatMap(r => {
		const verdict = evaluate(policies, r);
		return verdict === 'allowed' ? [] : [`${verdict}: ${r.action} on ${r.resource}${r.context ? ` ${JSON.stringify(r.context)}` : ''} (${r.why})`];
	});
	return [...new Set(lines)];
}
