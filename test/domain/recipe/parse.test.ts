import {describe, expect, test} from 'vitest';
import {parseRecipe} from '../../../source/domain/recipe/parse.js';

describe('parseRecipe', () => {
	test('reads a valid recipe and normalises short forms', () => {
		const parsed = parseRecipe(`
name: shop
environments: [dev, {name: production, desiredCount: 2}]
images:
  web: {repository: shop-web}
service: {cpu: 256}
`);
		expect(parsed.problems).toEqual([]);
		expect(parsed.recipe?.environments).toEqual([{name: 'dev'}, {name: 'production', desiredCount: 2}]);
	});

	test('reports YAML syntax errors with their line, never throws', () => {
		const parsed = parseRecipe('name: shop\nenvironments: [dev\nimages: {}\n');
		expect(parsed.recipe).toBeUndefined();
		expect(parsed.problems[0]).toMatchObject({path: 'recipe', severity: 'error'});
		expect(parsed.problems[0]?.line).toBeGreaterThan(1);
	});

	test('duplicate keys are an error (YAML would silently keep the last one otherwise)', () => {
		const parsed = parseRecipe('name: shop\nname: other\nenvironments: [dev]\nimages: {}\nservice: {}\n');
		expect(parsed.problems[0]?.message).toMatch(/unique/i);
		expect(parsed.problems[0]?.line).toBe(2);
	});

	test('a file that is not a mapping says what a recipe is', () => {
		expect(parseRecipe('- just\n- a list\n').problems[0]?.message).toMatch(/mapping with name, environments, images and service/);
	});

	test('shape problems name every field with its line, all at once', () => {
		const parsed = parseRecipe(`
name: 1shop
environments: []
images:
  web: {repo: shop-web}
service: {}
colour: red
`);
		const byPath = Object.fromEntries(parsed.problems.map(p => [p.path, p]));
		expect(byPath['name']?.message).toMatch(/must match/);
		expect(byPath['environments']?.message).toBe('needs at least one entry');
		expect(byPath['images.web.repository']?.message).toBe('is required');
		expect(byPath['images.web.repo']?.message).toMatch(/not a known field/);
		expect(byPath['colour']).toMatchObject({line: 7});
	});

	test('keeps the YAML document with its comments for writing back', () => {
		const text = '# team recipe\nname: shop # the project\nenvironments: [dev]\nimages: {web: {repository: a}}\nservice: {}\n';
		const parsed = parseRecipe(text);
		expect(parsed.document.toString()).toContain('# the project');
		expect(parsed.document.toString()).toContain('# team recipe');
	});
});
