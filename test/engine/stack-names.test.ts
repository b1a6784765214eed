import {stringify} from 'yaml';
import {describe, expect, test} from 'vitest';
import {parseRecipe} from '../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../source/domain/recipe/resolve.js';
import {stackNameFor} from '../../source/engine/core/stack-names.js';
import {minimalRecipe} from '../helpers/recipes.js';

/** The recipe document of a recipe object, read as a file would be. */
function document(recipe: Record<string, unknown>) {
	const parsed = parseRecipe(stringify(recipe));
	if (!parsed.recipe) throw new Error(`not a recipe: ${JSON.stringify(parsed.problems)}`);
	return parsed.recipe;
}

/** The stack name a deploy of this environment resolves to (undefined when the recipe does not resolve). */
const deployed = (recipe: ReturnType<typeof document>, environment: string) =>
	resolveRecipe({recipe, environment, target: {cluster: 'main', region: 'eu-west-1'}, images: {web: {tag: '1.0.0'}}, releaseVersion: '1.0.0'}).resolved?.service.stackName;

describe('the stack name of an environment', () => {
	test('without stackName: <project>-<environment>, the name a deploy gives the stack', () => {
		const recipe = document(minimalRecipe());
		expect(stackNameFor(recipe, 'staging', {cluster: 'main', region: 'eu-west-1'})).toBe('shop-staging');
		expect(deployed(recipe, 'staging')).toBe('shop-staging');
	});

	test('a stackName without variables is used as written', () => {
		const recipe = document({...minimalRecipe(), service: {...minimalRecipe()['service'], stackName: 'orders-main'}});
		expect(stackNameFor(recipe, 'dev', {cluster: 'main', region: 'eu-west-1'})).toBe('orders-main');
		expect(deployed(recipe, 'dev')).toBe('orders-main');
	});

	test('a stackName with variables is resolved for the environment and the target', () => {
		const recipe = document({...minimalRecipe(), variables: [{name: 'Team', value: 'blue'}, {name: 'Team', value: 'red', environments: ['production']}], service: {...minimalRecipe()['service'], stackName: '#{Team}-#{Environment}-#{Target.Cluster}'}});
		expect(stackNameFor(recipe, 'dev', {cluster: 'main', region: 'eu-west-1'})).toBe('blue-dev-main');
		expect(stackNameFor(recipe, 'production', {cluster: 'main', region: 'eu-west-1'})).toBe('red-production-main');
		expect(deployed(recipe, 'production')).toBe('red-production-main');
	});

	test('a stackName with variables in a recipe that does not resolve for the environment: <project>-<environment>', () => {
		const recipe = document({...minimalRecipe(), service: {...minimalRecipe()['service'], cpu: 3, stackName: '#{Environment}-shop'}});
		expect(deployed(recipe, 'dev')).toBeUndefined();
		expect(stackNameFor(recipe, 'dev', {cluster: 'main', region: 'eu-west-1'})).toBe('shop-dev');
	});
});
