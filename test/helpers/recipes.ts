import {stringify} from 'yaml';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe, type ResolveInput} from '../../source/domain/recipe/resolve.js';
import type {Problem} from '../../source/domain/problems.js';

/** A small valid recipe as a plain object; tests change one thing and look at the result. */
export function minimalRecipe(): Record<string, any> {
	return {
		name: 'shop',
		environments: ['dev', 'staging', {name: 'production', desiredCount: 3}],
		images: {web: {repository: 'shop-web'}},
		variables: [],
		service: {
			cpu: 256,
			memory: 512,
			network: {subnets: ['subnet-0a1b2c3d4e5f60718'], securityGroups: ['sg-0a1b2c3d4e5f60718']},
			containers: [{name: 'web', image: 'web', ports: [80]}],
		},
	};
}

/** Parses a recipe object (through YAML text, as a file would be) and resolves it for an environment. */
export function resolveObject(recipe: Record<string, unknown>, options: Partial<Omit<ResolveInput, 'recipe'>> = {}) {
	const parsed = parseRecipe(stringify(recipe));
	if (!parsed.recipe) return {problems: parsed.problems, resolved: undefined};
	return resolveRecipe({environment: 'dev', ...options, recipe: parsed.recipe});
}

/** The error problems as `path: message` lines, for readable assertions. */
export function errorLines(problems: readonly Problem[]): string[] {
	return problems.filter(p => p.severity === 'error').map(p => `${p.path}: ${p.message}`);
}
