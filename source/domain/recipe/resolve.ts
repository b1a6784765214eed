import {error, formatPath, hasErrors, warning, type Problem} from '../problems.js';
import {
	buildVariableSet,
	containsSensitive,
	sensitiveDefinition,
	splitSensitive,
	substituteTree,
	type BuiltinValue,
	type VariableDefinition,
	type VariableSet,
} from '../variables.js';
import {formatList, quote} from '../text.js';
import {secretParameter} from '../template/names.js';
import {buildTemplate} from '../template/build.js';
import {templateSizeProblem} from '../template/size.js';
import {checkDocumentRules, secretEnvironmentVariable} from './document-rules.js';
import {repositoryUri} from './images.js';
import type {ResolvedImage, ResolvedRecipe, SensitiveReference, TargetInfo} from './resolved.js';
import {checkServiceRules, isSecretSource} from './rules.js';
import {deploymentOverrideSchema, serviceDefaults, serviceSchema, type RecipeDocument, type ServiceSpec} from './schema.js';
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
		problems.push(error('environment', `${quote(environment)} is not one of the recipe's environments (${formatList(environmentNames)})`));
		return {problems};
	}

	const images = chooseImages(recipe, input.images ?? {}, problems);
	const builtins = builtinValues(input, images);
	const {set, problems: variableProblems} = buildVariableSet(variableDefinitions(recipe), environment, builtins, input.target?.name);
	append(problems, variableProblems);

	const substituted = substituteTree({...serviceDefaults, ...recipe.service}, set, ['service']);
	append(problems, substituted.problems);
	// Past a limit on the whole section the substituted service is incomplete: checking it would only mislead.
	if (substituted.stopped) return {problems};
	const service = substituted.value as Record<string, unknown>;

	// The service's own values are checked even where this environment overrides them (desiredCount): they
	// apply to the other environments, and a recipe valid for one environment must not hide a broken base.
	const parsed = serviceSchema.safeParse(service, {reportInput: true});
	if (!parsed.success) {
		// A field whose substitution failed already has its problem; the schema would only repeat it.
		const failed = new Set(substituted.problems.map(p => p.path));
		append(problems, problemsFromIssues(parsed.error.issues, ['service']).filter(p => !withinAny(p.path, failed)));
		return {problems};
	}
	let spec = environmentEntry.desiredCount === undefined ? parsed.data : {...parsed.data, desiredCount: environmentEntry.desiredCount};
	const environmentIndex = recipe.environments.indexOf(environmentEntry);
	const override = deploymentOverride(environmentEntry.deployment, environmentIndex, set, problems);
	if (override === 'invalid') return {problems};
	if (override) spec = {...spec, deployment: {...spec.deployment, ...override.fields}};

	const placement: Problem[] = [];
	const sensitive = sensitiveReferences(service, set, placement);
	checkSensitiveNames(sensitive, set, placement);
	checkSensitiveSources(sensitive, set, placement);
	// A misplaced sensitive value is reported once; rules on that field (tag characters…) would only repeat it.
	const misplaced = new Set(placement.map(p => p.path));
	append(problems, placement);
	const rules = checkServiceRules(spec, Object.keys(recipe.images)).filter(p => !misplaced.has(p.path));
	append(problems, override ? rules.map(p => override.relocate(p)) : rules);
	const usedImages = new Set(spec.containers.map(c => c.image));
	for (const ref of Object.keys(recipe.images)) {
		if (!usedImages.has(ref)) problems.push(warning(`images.${ref}`, `no container uses image ${quote(ref)}`));
	}
	if (hasErrors(problems)) return {problems};

	const resolved: ResolvedRecipe = {
		project: recipe.name,
		...(recipe.description === undefined ? {} : {description: recipe.description}),
		environment,
		...(input.releaseVersion === undefined ? {} : {releaseVersion: input.releaseVersion}),
		service: spec,
		images,
		sensitive,
		...(input.target === undefined ? {} : {target: input.target}),
	};
	// The template must fit CloudFormation's request: said here, so validate, export and deploy all say it.
	const size = templateSizeProblem(buildTemplate(resolved).template);
	if (size) return {problems: [...problems, size]};
	return {problems, resolved};
}

/**
 * An environment's `deployment` settings (substituted and checked like the service's), and how to point a
 * problem about an overridden field at the environment where its value is written. Undefined: none given.
 */
function deploymentOverride(
	raw: Record<string, unknown> | undefined,
	index: number,
	set: VariableSet,
	problems: Problem[],
): {fields: Partial<ServiceSpec['deployment']>; relocate: (problem: Problem) => Problem} | 'invalid' | undefined {
	if (raw === undefined) return undefined;
	const base = ['environments', index, 'deployment'];
	const substituted = substituteTree(raw, set, base);
	append(problems, substituted.problems);
	if (substituted.stopped) return 'invalid';
	const parsed = deploymentOverrideSchema.safeParse(substituted.value, {reportInput: true});
	if (!parsed.success) {
		append(problems, problemsFromIssues(parsed.error.issues, base));
		return 'invalid';
	}
	if (substituted.problems.length > 0) return 'invalid';
	const fields = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as Partial<ServiceSpec['deployment']>;
	const overridden = new Set(Object.keys(fields));
	const relocate = (problem: Problem): Problem => {
		const match = /^service\.deployment\.([A-Za-z]+)(.*)$/.exec(problem.path);
		if (!match || !overridden.has(match[1]!)) return problem;
		return {...problem, path: `${formatPath(base)}.${match[1]}${match[2]}`};
	};
	return {fields, relocate};
}

/** Appends without spreading: a recipe with 100,000 problems would overflow the argument list of push(...). */
function append(target: Problem[], more: readonly Problem[]): void {
	for (const problem of more) target.push(problem);
}

/** Whether `path` is one of `paths` or a field inside one: `a.b[2]` is within `a.b`. */
function withinAny(path: string, paths: ReadonlySet<string>): boolean {
	if (paths.has(path)) return true;
	for (let i = path.length - 1; i > 0; i--) {
		if ((path[i] === '.' || path[i] === '[') && paths.has(path.slice(0, i))) return true;
	}
	return false;
}

function chooseImages(recipe: RecipeDocument, choices: Record<string, ImageChoice>, problems: Problem[]): Record<string, ResolvedImage> {
	const refs = Object.keys(recipe.images);
	for (const ref of Object.keys(choices)) {
		if (!refs.includes(ref)) problems.push(error(formatPath(['images', ref]), `the release names image ${quote(ref)}, which the recipe does not declare (declared: ${formatList(refs)})`));
	}
	const images: Record<string, ResolvedImage> = {};
	for (const [ref, source] of Object.entries(recipe.images)) {
		const choice = choices[ref];
		if (choice !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/.test(choice.tag)) {
			problems.push(error(formatPath(['images', ref]), `${quote(choice.tag)} is not a valid image tag: up to 300 letters, digits, _ . and -, not starting with . or -`));
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
		...(v.targets === undefined ? {} : {targets: v.targets}),
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
 * them out of sight: container environment values and log options. ECS passes a secret (a Secrets Manager /
 * SSM reference, or a secret the stack makes) as a whole environment variable or log option and cannot
 * splice it into text, so a value that holds a sensitive variable among other text becomes a secret as a
 * whole: the stack composes it from the values given at deploy time. A variable read from Secrets Manager or
 * SSM (`valueFrom`) has no value the stack could compose with: it must be the whole value.
 */
function sensitiveReferences(service: Record<string, unknown>, set: VariableSet, problems: Problem[]): Record<string, SensitiveReference> {
	const found: Record<string, SensitiveReference> = {};
	walkStrings(service, ['service'], (value, where) => {
		if (!containsSensitive(value)) return;
		const path = formatPath(where);
		const parts = splitSensitive(value);
		const names = parts.flatMap(p => (p.kind === 'sensitive' ? [p.name] : []));
		const allowed = where[1] === 'containers' && (where[3] === 'environment' || (where[3] === 'logging' && where[4] === 'options')) && where.length === (where[3] === 'environment' ? 5 : 6);
		for (const name of names) {
			const definition = sensitiveDefinition(set, name);
			if (!allowed) {
				problems.push(error(path, `uses sensitive variable ${name}; sensitive variables may only be used in container environment values and log options, where they stay out of the template`));
				continue;
			}
			if (parts.length > 1 && definition?.valueFrom !== undefined) {
				problems.push(
					error(
						path,
						`uses sensitive variable ${name} inside other text, but ${name} is read from ${quote(definition.valueFrom)} when the task starts, so nothing can compose it with the text: keep the whole value in that secret, or give ${name} no valueFrom (its value is then given when deploying and the stack composes the value)`,
					),
				);
				continue;
			}
			found[name] = {name, ...(definition?.valueFrom === undefined ? {} : {valueFrom: definition.valueFrom})};
		}
	});
	return found;
}

/** A referenced variable's `valueFrom` (after substitution) must name a secret or parameter ECS can read. */
function checkSensitiveSources(sensitive: Record<string, SensitiveReference>, set: VariableSet, problems: Problem[]): void {
	for (const {name, valueFrom} of Object.values(sensitive)) {
		// Still holding `#{`: its substitution failed, and that problem is reported already.
		if (valueFrom === undefined || isSecretSource(valueFrom) || valueFrom.includes('#{')) continue;
		const source = set.entries.get(name);
		const where = source !== undefined && 'definition' in source ? `${source.definition.source}.valueFrom` : 'variables';
		problems.push(error(where, `${quote(valueFrom)} must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name`));
	}
}

/**
 * Sensitive variables whose values are given at deploy time become a template parameter and a secret named
 * after them, and a headless deploy reads them from an environment variable named after them: two names that
 * come out the same there (`Db.Password`, `Db_Password`) cannot both be given.
 */
function checkSensitiveNames(sensitive: Record<string, SensitiveReference>, set: VariableSet, problems: Problem[]): void {
	const seen = new Map<string, string>();
	for (const {name, valueFrom} of Object.values(sensitive)) {
		if (valueFrom !== undefined) continue;
		const source = set.entries.get(name);
		const where = source !== undefined && 'definition' in source ? `${source.definition.source}.name` : 'variables';
		if (!/[A-Za-z0-9]/.test(name)) {
			problems.push(error(where, `${name} needs a letter or digit in its name: the template names the parameter and secret that carry its value after it`));
			continue;
		}
		for (const key of [secretParameter(name), secretEnvironmentVariable(name)]) {
			const other = seen.get(key);
			if (other !== undefined && other !== name) {
				problems.push(error(where, `${name} and ${other} would both be given at deploy time as ${key}: rename one of them`));
				break;
			}
			seen.set(key, name);
		}
	}
}

/** Calls `visit` with every string in a tree and its path (as segments: formatting is left to the few that need it). */
function walkStrings(value: unknown, path: Array<string | number>, visit: (value: string, path: ReadonlyArray<string | number>) => void): void {
	if (typeof value === 'string') visit(value, path);
	else if (Array.isArray(value)) {
		value.forEach((item, i) => {
			path.push(i);
			walkStrings(item, path, visit);
			path.pop();
		});
	} else if (value !== null && typeof value === 'object') {
		for (const key of Object.keys(value)) {
			path.push(key);
			walkStrings((value as Record<string, unknown>)[key], path, visit);
			path.pop();
		}
	}
}
