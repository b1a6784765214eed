import type {Problem} from '../../domain/problems.js';
import type {ParsedRecipe} from '../../domain/recipe/parse.js';
import type {ImageChoice, ResolveResult} from '../../domain/recipe/resolve.js';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {TargetInfo} from '../../domain/recipe/resolved.js';
import type {EngineDeps} from '../core/deps.js';
import {readRecipe, resolveParsed, type Prepared} from '../core/prepare.js';

export type ValidateInput = {
	recipeFile: string;
	environment: string;
	images?: Record<string, ImageChoice>;
	releaseVersion?: string;
	/** Given on the command line; else the target that serves the environment, if any. */
	target?: Partial<TargetInfo>;
	/**
	 * Values only a deploy knows (the release version, image tags, the target and its account) are checked with
	 * placeholders, and each field that uses one gets a warning naming how to give it, not an error.
	 * `validate` is lenient; `export` is not (its template must not hold placeholders).
	 */
	lenient?: boolean;
};

/** What lenient validation puts in place of what is not known: values that pass every rule. */
const placeholders = {releaseVersion: '0.0.0', tag: '0.0.0', region: 'us-east-1', cluster: 'placeholder', accountId: '000000000000'};

/**
 * Checks a recipe for an environment without touching AWS. Values that come from a target (region,
 * cluster, account) are taken from the flags, else from the stored target (or the sandbox) that serves the
 * environment.
 */
export async function validateRecipe(input: ValidateInput, deps: EngineDeps): Promise<Prepared & {target?: TargetInfo}> {
	const read = await readRecipe(input.recipeFile, deps.files);
	if ('problems' in read) return read;
	const {file} = read;
	if (!file.recipe) return {file, problems: file.problems};
	return {...validateParsed({...file, recipe: file.recipe}, input, deps), file};
}

/** `validateRecipe` on a recipe already parsed (the step form checks its text as it is edited). */
export function validateParsed(parsed: Pick<ParsedRecipe, 'lineOf'> & {recipe: RecipeDocument}, input: Omit<ValidateInput, 'recipeFile'>, deps: EngineDeps): ResolveResult & {target?: TargetInfo} {
	const stored = deps.sandboxOnly ? deps.sandboxTarget : deps.workspace.targetFor(input.environment);
	const cluster = input.target?.cluster ?? stored?.cluster;
	const region = input.target?.region ?? stored?.region;
	const accountId = input.target?.accountId ?? stored?.accountId;
	// The stored target's name, for variables scoped to it (when the flags name no other cluster or region).
	const name = input.target?.name ?? (input.target?.cluster === undefined && input.target?.region === undefined ? stored?.name : undefined);
	const target: TargetInfo | undefined = cluster !== undefined && region !== undefined ? {...(name === undefined ? {} : {name}), cluster, region, ...(accountId === undefined ? {} : {accountId})} : undefined;
	const known = target === undefined ? {} : {target};
	const base = {
		environment: input.environment,
		...(input.images === undefined ? {} : {images: input.images}),
		...(input.releaseVersion === undefined ? {} : {releaseVersion: input.releaseVersion}),
		...known,
	};
	const strict = resolveParsed(parsed, base);
	const unknown = strict.problems.filter(isUnknownValue);
	if (!input.lenient || unknown.length === 0) return {...strict, ...known};
	// Again with placeholders for what is not known: every other rule still runs on those fields.
	const lenient = resolveParsed(parsed, {
		...base,
		images: {...Object.fromEntries(Object.keys(parsed.recipe.images).map(ref => [ref, {tag: placeholders.tag}])), ...input.images},
		releaseVersion: input.releaseVersion ?? placeholders.releaseVersion,
		target: {cluster: cluster ?? placeholders.cluster, region: region ?? placeholders.region, accountId: accountId ?? placeholders.accountId},
	});
	const warnings: Problem[] = unknown.map(p => ({...p, severity: 'warning', message: `${p.message}; checked with a placeholder`}));
	const {resolved: _placeholder, ...rest} = lenient;
	return {...rest, problems: [...warnings, ...lenient.problems], ...known};
}

/** A field that uses a built-in whose value only a deploy (or a flag) gives. */
function isUnknownValue(problem: Problem): boolean {
	return problem.severity === 'error' && problem.kind === 'unknown-value';
}
