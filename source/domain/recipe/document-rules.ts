import {validRange} from 'semver';
import {error, formatPath, warning, type Problem} from '../problems.js';
import type {RecipeDocument} from './schema.js';

/** Rules on the recipe as a whole, independent of the environment: names that must refer to each other. */
export function checkDocumentRules(recipe: RecipeDocument): Problem[] {
	const problems: Problem[] = [];
	const environments = recipe.environments.map(e => e.name);
	const imageRefs = Object.keys(recipe.images);

	const seen = new Map<string, number>();
	environments.forEach((name, i) => {
		const first = seen.get(name.toLowerCase());
		if (first !== undefined) problems.push(error(`environments[${i}].name`, `"${name}" is already environments[${first}]: environment names must be unique`));
		else seen.set(name.toLowerCase(), i);
	});

	const unknownEnvironment = (name: string) => `"${name}" is not one of the recipe's environments (${environments.join(', ')})`;
	(recipe.variables ?? []).forEach((variable, i) => {
		(variable.environments ?? []).forEach((env, j) => {
			if (!environments.includes(env)) problems.push(error(`variables[${i}].environments[${j}]`, unknownEnvironment(env)));
		});
		if (variable.sensitive && variable.value !== undefined) {
			problems.push(
				warning(
					`variables[${i}].value`,
					`sensitive variable ${variable.name} has its value in the recipe file, which is kept in git: prefer valueFrom (a Secrets Manager or SSM reference) or leave the value out and supply it at deploy time`,
				),
			);
		}
	});

	const channelNames = new Set<string>();
	let defaults = 0;
	(recipe.channels ?? []).forEach((channel, i) => {
		const path = (...rest: Array<string | number>) => formatPath(['channels', i, ...rest]);
		if (channelNames.has(channel.name)) problems.push(error(path('name'), `"${channel.name}" is declared twice: channel names must be unique`));
		channelNames.add(channel.name);
		if (channel.default) defaults++;
		if (channel.versionRange !== undefined && validRange(channel.versionRange) === null) {
			problems.push(error(path('versionRange'), `"${channel.versionRange}" is not a semver range (examples: ">=1.2.0 <2.0.0", "^1.4", "1.x")`));
		}
		if (channel.prereleaseTag !== undefined) {
			try {
				new RegExp(channel.prereleaseTag);
			} catch {
				problems.push(error(path('prereleaseTag'), `"${channel.prereleaseTag}" is not a regular expression (examples: "^$" for no pre-release, "^beta")`));
			}
		}
		(channel.images ?? []).forEach((ref, j) => {
			if (!imageRefs.includes(ref)) problems.push(error(path('images', j), `"${ref}" is not one of the recipe's images (${imageRefs.join(', ')})`));
		});
		(channel.environments ?? []).forEach((env, j) => {
			if (!environments.includes(env)) problems.push(error(path('environments', j), unknownEnvironment(env)));
		});
	});
	if (defaults > 1) problems.push(error('channels', `${defaults} channels are marked default: at most one may be`));

	if (imageRefs.length === 0) problems.push(error('images', 'declare at least one image (for example web: {repository: my-app})'));
	for (const [ref, image] of Object.entries(recipe.images)) {
		if (image.registry === undefined) continue;
		if (image.account !== undefined) problems.push(error(`images.${ref}.account`, 'only applies to Amazon ECR images; leave it out when registry is set'));
		if (image.region !== undefined) problems.push(error(`images.${ref}.region`, 'only applies to Amazon ECR images; leave it out when registry is set'));
	}
	return problems;
}
