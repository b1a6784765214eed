import {describe, expect, test} from 'vitest';
import {parseDocument} from 'yaml';
import {parseRecipe} from '../../../source/domain/recipe/parse.js';
import {resolveRecipe} from '../../../source/domain/recipe/resolve.js';

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

describe('text fields keep the text as written', () => {
	// YAML reads these as numbers: 1234, 31, 1.1, 12345678901234567000 and 1e+100; a text field must not.
	const recipe = `
name: shop
environments:
  - dev
  - {name: production, desiredCount: 0x2, variables: {Build: 007}}
images: {web: {repository: shop-web}}
variables:
  - {name: Version, value: 1.10}
channels:
  - {name: ten, versionRange: 1.10}
service:
  cpu: 256
  memory: 0x200
  desiredCount: 1e0
  network: {subnets: [subnet-0a1b2c3d4e5f60718]}
  tags:
    - {key: 1e100, value: 01234}
    - {key: Release, value: "#{Version}"}
  containers:
    - name: web
      image: web
      ports: [8080, {containerPort: 0x1F91}]
      environment:
        ZIP: 01234
        MASK: 0x1F
        VERSION: 1.10
        BIG: 12345678901234567890
        1e100: exponent
        BUILD: "#{Build}"
        PLAIN: 42
        NEGATIVE: -7
        FLOAT: 2.5
`;

	test('tag keys and values, environment names and values, variable values and ranges are the text typed', () => {
		const parsed = parseRecipe(recipe);
		expect(parsed.problems).toEqual([]);
		expect(parsed.recipe?.variables?.[0]?.value).toBe('1.10');
		expect(parsed.recipe?.channels?.[0]?.versionRange).toBe('1.10');
		const resolved = resolveRecipe({recipe: parsed.recipe!, environment: 'production'});
		expect(resolved.problems).toEqual([]);
		const service = resolved.resolved!.service;
		expect(service.tags).toEqual([{key: '1e100', value: '01234'}, {key: 'Release', value: '1.10'}]);
		expect(service.containers[0]!.environment).toEqual({
			ZIP: '01234',
			MASK: '0x1F',
			VERSION: '1.10',
			BIG: '12345678901234567890',
			'1e100': 'exponent',
			BUILD: '007',
			PLAIN: '42',
			NEGATIVE: '-7',
			FLOAT: '2.5',
		});
	});

	test('number fields still read numbers, written in any form YAML has', () => {
		const parsed = parseRecipe(recipe);
		const service = resolveRecipe({recipe: parsed.recipe!, environment: 'production'}).resolved!.service;
		expect([service.cpu, service.memory, service.desiredCount]).toEqual([256, 512, 2]);
		expect(service.containers[0]!.ports.map(p => p.containerPort)).toEqual([8080, 8081]);
		expect(parsed.recipe?.environments[1]).toEqual({name: 'production', desiredCount: 2, variables: {Build: '007'}});
	});

	test('reading the values leaves the document as read, and it writes each number back as typed (the app edits and writes it)', () => {
		const written = parseRecipe(recipe).document.toString();
		for (const line of ['ZIP: 01234', 'MASK: 0x1F', 'VERSION: 1.10', 'BIG: 12345678901234567890', '1e100: exponent', 'memory: 0x200', 'desiredCount: 1e0', 'key: 1e100, value: 01234']) expect(written).toContain(line);
		expect(parseDocument(written).toJS()).toEqual(parseDocument(recipe).toJS());
	});

	test('keys that YAML reads as the same number but are written apart are two keys, not a duplicate', () => {
		const parsed = parseRecipe('name: shop\nenvironments: [dev]\nimages: {web: {repository: r}}\nservice:\n  containers:\n    - environment: {01: a, 1: b}\n');
		expect(parsed.problems).toEqual([]);
		expect((parsed.recipe?.service['containers'] as Array<{environment: unknown}>)[0]!.environment).toEqual({'01': 'a', '1': 'b'});
	});
});
