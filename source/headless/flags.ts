import {quote} from 'shell-quote';
import type {ImageChoice} from '../domain/recipe/resolve.js';
import type {Problem} from '../domain/problems.js';

/** Parses `REF=TAG` pairs from `--image` flags. Problems name the flag and the expected form. */
export function parseImageChoices(pairs: readonly string[]): {images: Record<string, ImageChoice>; problems: Problem[]} {
	const images: Record<string, ImageChoice> = {};
	const problems: Problem[] = [];
	for (const pair of pairs) {
		const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
		if (!match) {
			problems.push({path: '--image', message: `"${pair}" is not of the form REF=TAG (for example --image web=1.4.2)`, severity: 'error'});
			continue;
		}
		const [, ref, tag] = match as unknown as [string, string, string];
		if (images[ref] !== undefined) problems.push({path: '--image', message: `image "${ref}" is given twice`, severity: 'error'});
		images[ref] = {tag};
	}
	return {images, problems};
}

/** A whole number flag within bounds, or a problem naming the flag and what is allowed. */
export function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): {value?: number; problem?: Problem} {
	if (raw === undefined) return {};
	const value = Number(raw);
	if (!/^\s*\d+\s*$/.test(raw) || !Number.isInteger(value) || value < min || value > max) {
		return {problem: {path: flag, message: `must be a whole number from ${min} to ${max} (got "${raw}")`, severity: 'error'}};
	}
	return {value};
}

/** A command line the operator can copy and paste: every argument shell-quoted. */
export function commandLine(args: readonly string[]): string {
	return ['ecs-deployer', ...args].map((arg, i) => (i === 0 ? arg : quote([arg]))).join(' ');
}
