import {readdir} from 'node:fs/promises';
import {test} from 'vitest';
import {iamPolicy, iamPolicyEnvironment} from '../source/domain/iam-policy.js';
import {resolveRecipe} from '../source/domain/recipe/resolve.js';
import {readRecipeFile} from '../source/io/recipe-files.js';
test('sizes', async () => {
	const target = {region: 'eu-west-1', cluster: 'main', accountId: '111122223333'};
	for (const f of (await readdir('recipes')).filter(f => f.endsWith('.yaml'))) {
		const recipe = (await readRecipeFile(`recipes/${f}`)).recipe!;
		const images = Object.fromEntries(Object.keys(recipe.images).map(ref => [ref, {tag: '1.2.3'}]));
		const environments = recipe.environments.map(({name}) => {
			const {resolved} = resolveRecipe({recipe, environment: name, images, releaseVersion: '1.2.3', target});
			return {...iamPolicyEnvironment(resolved!), region: target.region, cluster: target.cluster, accountId: target.accountId};
		});
		for (const preflight of [false, true]) {
			const p = iamPolicy({project: recipe.name, environments, preflight});
			console.log(f, preflight ? 'preflight' : '', JSON.stringify(p).length, p.Statement.map(s => s.Sid).join(','));
		}
	}
});
