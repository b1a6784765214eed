import {validRange} from 'semver';
import {prereleasePattern} from '../image-tags.js';

/*
 * Checks of single values the step form makes where they are typed, by the same functions the validator
 * uses (document-rules.ts), so what the form accepts the validator accepts. Pure.
 */

/** Why a channel's version range is not an npm semver range, or undefined when it is one. */
export function versionRangeProblem(text: string): string | undefined {
	return validRange(text) === null ? 'is not an npm semver range (examples: >=1.2.0 <2, ^1.4, 1.x)' : undefined;
}

/** Why a channel's pre-release rule cannot be matched (RE2 syntax, at most 200 characters), or undefined. */
export function prereleaseRuleProblem(text: string): string | undefined {
	const pattern = prereleasePattern(text);
	return 'problem' in pattern ? pattern.problem : undefined;
}
