import {stringify} from 'yaml';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {harness, type Harness} from '../helpers/engine.js';
import {minimalRecipe} from '../helpers/recipes.js';

let h: Harness;
beforeEach(async () => {
	h = await harness();
});
afterEach(() => h.fake.restore());

test('the step form\'s check of recipe text agrees with validate: a value only a deploy knows is a warning, not an error', async () => {
	// The image's registry account comes from the target, and this stored target does not name its account.
	h.workspace.saveTarget({name: 'main', region: 'eu-west-1', cluster: 'main', environments: ['dev', 'staging', 'production'], tags: [], credentials: {source: 'default'}});
	const recipe = minimalRecipe();
	recipe['service'].containers[0].environment = {SELF: '#{Image.web}'};
	const text = stringify(recipe);
	const file = await h.recipeFile(recipe);
	const validated = await h.engine.validate({recipeFile: file, environment: 'dev', images: {web: {tag: '0.0.0'}}, releaseVersion: '0.0.0', lenient: true});
	const checked = h.engine.checkRecipe(text);
	expect(validated.problems.filter(p => p.severity === 'error')).toEqual([]);
	expect(validated.problems.map(p => p.message)).toEqual([expect.stringContaining('the registry account of image web is not known')]);
	expect(checked.environments['dev']!.map(p => `${p.severity}: ${p.message}`)).toEqual(validated.problems.map(p => `${p.severity}: ${p.message}`));
	expect(checked.deployable).toBe(true);
});
