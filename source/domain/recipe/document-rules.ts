import {validRange} from 'semver';
import {prereleasePattern} from '../image-tags.js';
import {error, formatPath, type Problem} from '../problems.js';
import {imageTagParameter} from '../template/names.js';
import {formatList, quote} from '../text.js';
import type {RecipeDocument} from './schema.js';

/**
 * The environment variable a headless deploy reads the value of a sensitive variable from:
 * `Db.Password` → `ECS_DEPLOYER_SECRET_DB_PASSWORD`.
 */
export function secretEnvironmentVariable(name: string): string {
	return `ECS_DEPLOYER_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

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

	const knownEnvironments = new Set(environments);
	const knownImages = new Set(imageRefs);
	const unknownEnvironment = (name: string) => `${quote(name)} is not one of the recipe's environments (${formatList(environments)})`;
	(recipe.variables ?? []).forEach((variable, i) => {
		(variable.environments ?? []).forEach((env, j) => {
			if (!knownEnvironments.has(env)) problems.push(error(`variables[${i}].environments[${j}]`, unknownEnvironment(env)));
		});
		// Refused rather than warned about: the value is in git in clear text already, and deploying it would copy
		// it into AWS as well. The message names the variable, never its value.
		if (variable.sensitive && variable.value !== undefined) {
			problems.push(
				error(
					`variables[${i}].value`,
					`${/^[\w.-]{1,80}$/.test(variable.name) ? variable.name : quote(variable.name)} is sensitive but its value is written in the recipe, where anyone with the repository can read it: remove \`value\` and give the value when deploying (the app asks for it; a headless deploy reads the ${secretEnvironmentVariable(variable.name)} environment variable), or keep it in Secrets Manager or SSM Parameter Store and use \`valueFrom\``,
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
			problems.push(error(path('versionRange'), `${quote(channel.versionRange)} is not a semver range (examples: ">=1.2.0 <2.0.0", "^1.4", "1.x")`));
		}
		if (channel.prereleaseTag !== undefined) {
			const pattern = prereleasePattern(channel.prereleaseTag);
			if ('problem' in pattern) problems.push(error(path('prereleaseTag'), `${quote(channel.prereleaseTag)} ${pattern.problem} (examples: "^$" for no pre-release, "^beta")`));
		}
		(channel.images ?? []).forEach((ref, j) => {
			if (!knownImages.has(ref)) problems.push(error(path('images', j), `${quote(ref)} is not one of the recipe's images (${formatList(imageRefs)})`));
		});
		(channel.environments ?? []).forEach((env, j) => {
			if (!knownEnvironments.has(env)) problems.push(error(path('environments', j), unknownEnvironment(env)));
		});
	});
	if (defaults > 1) problems.push(error('channels', `${defaults} channels are marked default: at most one may be`));

	if (imageRefs.length === 0) problems.push(error('images', 'declare at least one image (for example web: {repository: my-app})'));
	// Each image becomes a template parameter named after its ref; refs that differ only in case or
	// punctuation (web, Web, web_) would share it.
	const parameters = new Map<string, string>();
	for (const ref of imageRefs) {
		const parameter = imageTagParameter(ref);
		const other = parameters.get(parameter);
		if (other !== undefined) problems.push(error(formatPath(['images', ref]), `${quote(ref)} and ${quote(other)} would share the template parameter ${parameter}: rename one of them`));
		else parameters.set(parameter, ref);
	}
	for (const [ref, image] of Object.entries(recipe.images)) {
		if (image.registry === undefined) continue;
		if (image.account !== undefined) problems.push(error(`images.${ref}.account`, 'only applies to Amazon ECR images; leave it out when registry is set'));
		if (image.region !== undefined) problems.push(error(`images.${ref}.region`, 'only applies to Amazon ECR images; leave it out when registry is set'));
	}
	return problems;
}
