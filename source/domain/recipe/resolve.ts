import {error, formatPath, hasErrors, parsePath, warning, type Problem} from '../problems.js';
import {
	buildVariableSet,
	sensitiveDefinition,
	splitSensitive,
	substituteTree,
	type BuiltinValue,
	type VariableDefinition,
	type VariableSet,
} from '../variables.js';
import {checkDocumentRules} from './document-rules.js';
import {repositoryUri} from './images.js';
import type {ResolvedImage, ResolvedRecipe, SensitiveReference, TargetInfo} from './resolved.js';
import {checkServiceRules} from './rules.js';
import {serviceDefaults, serviceSchema, type RecipeDocument} from './schema.js';
import {problemsFromIssues} from './zod-problems.js';

/** What a release pins for one image: its tag and, when known, its digest. */
export type ImageChoice = {tag: string; digest?: string};

export type ResolveInput = {
	recipe: RecipeDocument;
	environment: string;
	/** Image tags chosen for the release, by image ref. Images without a choice have no tag (fine for export). */
	images?: Record<string, ImageChoice>;
	releaseVersion?: string;
	target?: TargetInfo;
};

export type ResolveResult = {
	/** Present when there are no errors (warnings may remain in `problems`). */
	resolved?: ResolvedRecipe;
	problems: Problem[];
};

/**
 * Resolves a recipe for one environment and release: substitutes variables in the service section,
 * checks it against the schema and the cross-field rules, and returns every problem at once.
 */
export function resolveRecipe(input: ResolveInput): ResolveResult {
	const {recipe, environment} = input;
	const problems = checkDocumentRules(recipe);
	const environmentNames = recipe.environments.map(e => e.name);
	const environmentEntry = recipe.environments.find(e => e.name === environment);
	if (!environmentEntry) {
		problems.push(error('environment', `"${environment}" is not one of the recipe's environments (${environmentNames.join(', ')})`));
		return {problems};
	}

	const images = chooseImages(recipe, input.images ?? {}, problems);
	const builtins = builtinValues(input, images);
	const {set, problems: variableProblems} = buildVariableSet(variableDefinitions(recipe), environment, builtins);
	problems.push(...variableProblems);

	const substituted = substituteTree({...serviceDefaults, ...recipe.service}, set, ['service']);
	problems.push(...substituted.problems);
	const service = {...(substituted.value as Record<string, unknown>)};
	if (environmentEntry.desiredCount !== undefined) service['desiredCount'] = environmentEntry.desiredCount;

	const parsed = serviceSchema.safeParse(service);
	if (!parsed.success) {
		// A field whose substitution failed already has its problem; the schema would only repeat it.
		const failed = substituted.problems.map(p => p.path);
		const schemaProblems = problemsFromIssues(parsed.error.issues, ['service']).filter(
			p => !failed.some(path => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`)),
		);
		problems.push(...schemaProblems);
		return {problems};
	}

	const placement: Problem[] = [];
	const sensitive = sensitiveReferences(service, set, placement);
	// A misplaced sensitive value is reported once; rules on that field (tag characters…) would only repeat it.
	const misplaced = new Set(placement.map(p => p.path));
	problems.push(...placement, ...checkServiceRules(parsed.data, Object.keys(recipe.images)).filter(p => !misplaced.has(p.path)));
	for (const ref of Object.keys(recipe.images)) {
		if (!parsed.data.containers.some(c => c.image === ref)) {
			problems.push(warning(`images.${ref}`, `no container uses image "${ref}"`));
		}
	}
	if (hasErrors(problems)) return {problems};

	return {
		problems,
		resolved: {
			project: recipe.name,
			...(recipe.description === undefined ? {} : {description: recipe.description}),
			environment,
			...(input.releaseVersion === undefined ? {} : {releaseVersion: input.releaseVersion}),
			service: parsed.data,
			images,
			sensitive,
			...(input.target === undefined ? {} : {target: input.target}),
		},
	};
}

function chooseImages(recipe: RecipeDocument, choices: Record<string, ImageChoice>, problems: Problem[]): Record<string, ResolvedImage> {
	const refs = Object.keys(recipe.images);
	for (const ref of Object.keys(choices)) {
		if (!refs.includes(ref)) problems.push(error(`images.${ref}`, `the release names image "${ref}", which the recipe does not declare (declared: ${refs.join(', ')})`));
	}
	const images: Record<string, ResolvedImage> = {};
	for (const [ref, source] of Object.entries(recipe.images)) {
		const choice = choices[ref];
		if (choice !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/.test(choice.tag)) {
			problems.push(error(`images.${ref}`, `"${choice.tag}" is not a valid image tag: up to 300 letters, digits, _ . and -, not starting with . or -`));
		}
		images[ref] = {
			...source,
			ref,
			...(choice === undefined ? {} : {tag: choice.tag}),
			...(choice?.digest === undefined ? {} : {digest: choice.digest}),
		};
	}
	return images;
}

function builtinValues(input: ResolveInput, images: Record<string, ResolvedImage>): Record<string, BuiltinValue> {
	const known = (value: string | undefined, reason: string): BuiltinValue => (value === undefined ? {unknown: reason} : {value});
	const noTarget = 'no target is given (deploy to a target, or pass --cluster and --region)';
	const builtins: Record<string, BuiltinValue> = {
		Project: {value: input.recipe.name},
		Environment: {value: input.environment},
		'Release.Version': known(input.releaseVersion, 'no release version is given (pass --release-version, or deploy a release)'),
		'Target.Region': known(input.target?.region, noTarget),
		'Target.Cluster': known(input.target?.cluster, noTarget),
	};
	for (const [ref, image] of Object.entries(images)) {
		const noTag = `no tag is chosen for image ${ref} (pass --image ${ref}=TAG, or deploy a release)`;
		builtins[`Image.${ref}.Tag`] = known(image.tag, noTag);
		const repository = repositoryUri(image, input.target);
		builtins[`Image.${ref}`] =
			image.tag === undefined
				? {unknown: noTag}
				: repository === undefined
					? {unknown: `the registry account of image ${ref} is not known (set images.${ref}.account, or deploy to a target)`}
					: {value: `${repository}:${image.tag}`};
	}
	return builtins;
}

function variableDefinitions(recipe: RecipeDocument): VariableDefinition[] {
	const definitions: VariableDefinition[] = (recipe.variables ?? []).map((v, i) => ({
		name: v.name,
		...(v.value === undefined ? {} : {value: v.value}),
		...(v.valueFrom === undefined ? {} : {valueFrom: v.valueFrom}),
		...(v.environments === undefined ? {} : {environments: v.environments}),
		...(v.sensitive === undefined ? {} : {sensitive: v.sensitive}),
		source: `variables[${i}]`,
	}));
	recipe.environments.forEach((env, i) => {
		for (const [name, value] of Object.entries(env.variables ?? {})) {
			definitions.push({name, value, environments: [env.name], source: `environments[${i}].variables.${name}`});
		}
	});
	return definitions;
}

/**
 * Finds the sensitive variables the service refers to and checks they sit where the template can keep
 * them out of sight: container environment values and log options. A Secrets Manager / SSM reference
 * must be the whole value there (ECS injects it as a secret; it cannot be spliced into text).
 */
function sensitiveReferences(service: Record<string, unknown>, set: VariableSet, problems: Problem[]): Record<string, SensitiveReference> {
	const found: Record<string, SensitiveReference> = {};
	walkStrings(service, ['service'], (value, path) => {
		const parts = splitSensitive(value);
		const names = parts.flatMap(p => (p.kind === 'sensitive' ? [p.name] : []));
		if (names.length === 0) return;
		const where = parsePath(path);
		const allowed = where[1] === 'containers' && (where[3] === 'environment' || (where[3] === 'logging' && where[4] === 'options')) && where.length === (where[3] === 'environment' ? 5 : 6);
		for (const name of names) {
			const definition = sensitiveDefinition(set, name);
			if (!allowed) {
				problems.push(error(path, `uses sensitive variable ${name}; sensitive variables may only be used in container environment values and log options, where they stay out of the template`));
				continue;
			}
			if (definition?.valueFrom !== undefined && parts.length > 1) {
				problems.push(error(path, `uses sensitive variable ${name}, a Secrets Manager/SSM reference, inside other text: such a variable must be the whole value`));
				continue;
			}
			found[name] = {name, ...(definition?.valueFrom === undefined ? {} : {valueFrom: definition.valueFrom})};
		}
	});
	return found;
}

function walkStrings(value: unknown, path: Array<string | number>, visit: (value: string, path: string) => void): void {
	if (typeof value === 'string') visit(value, formatPath(path));
	else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, [...path, i], visit));
	else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
	}
}
