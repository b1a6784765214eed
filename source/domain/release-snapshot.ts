import {recipeDocumentSchema, type RecipeDocument} from './recipe/schema.js';

/*
 * The recipe a release keeps (its snapshot): deploys, promotions, re-deploys and rollbacks of the release
 * are built from it, never from the recipe file as it is today. Sensitive values are never part of it (a
 * sensitive variable keeps its name and its `valueFrom` reference). Pure.
 */

/** The recipe as a release keeps it: sensitive values dropped (references stay), the rest as written. */
export function snapshotOf(recipe: RecipeDocument): RecipeDocument {
	const copy = JSON.parse(JSON.stringify(recipe)) as RecipeDocument;
	if (copy.variables !== undefined) {
		copy.variables = copy.variables.map(v => {
			if (!v.sensitive) return v;
			const {value: _dropped, ...rest} = v;
			return rest;
		});
	}
	return copy;
}

/**
 * A stored snapshot read back as a recipe (it was written by this or an older ecs-deployer, and may have
 * been read from a shared bucket): checked with the recipe schema, so a damaged one is a problem, never a
 * deploy of something else.
 */
export function readSnapshot(value: unknown): {recipe: RecipeDocument} | {problem: string} {
	if (value === undefined || value === null) return {problem: 'the release keeps no recipe (it was made by an older ecs-deployer, or is known only from AWS)'};
	const parsed = recipeDocumentSchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return {problem: `the recipe the release keeps cannot be read (${issue ? `${issue.path.join('.') || 'recipe'}: ${issue.message}` : 'not a recipe'})`};
	}
	return {recipe: parsed.data};
}

/**
 * The parts of a recipe that decide what runs: environments (names, counts, variables), image sources,
 * variables and the service. The description, the channels' rules and the ledger do not.
 */
function configurationParts(recipe: RecipeDocument): unknown {
	const snapshot = snapshotOf(recipe);
	return {name: snapshot.name, environments: snapshot.environments, images: snapshot.images, variables: snapshot.variables ?? [], service: snapshot.service};
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sorted);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.filter(k => (value as Record<string, unknown>)[k] !== undefined)
				.sort()
				.map(k => [k, sorted((value as Record<string, unknown>)[k])]),
		);
	}
	return value;
}

/** Whether two recipes configure the same deployment (see configurationParts). */
export function sameConfiguration(a: RecipeDocument, b: RecipeDocument): boolean {
	return canonicalJson(configurationParts(a)) === canonicalJson(configurationParts(b));
}

/** Whether two releases pin the same images: the same refs, tags and (where both know it) digests. */
export function sameImagePins(a: Readonly<Record<string, {tag: string; digest?: string}>>, b: Readonly<Record<string, {tag: string; digest?: string}>>): boolean {
	const refs = Object.keys(a);
	if (refs.length !== Object.keys(b).length) return false;
	return refs.every(ref => {
		const x = a[ref];
		const y = b[ref];
		return x !== undefined && y !== undefined && x.tag === y.tag && (x.digest === undefined || y.digest === undefined || x.digest === y.digest);
	});
}

/**
 * Where two recipes differ in what they configure, as field paths (`variables[Message].value`,
 * `service.containers[web].cpu`, `environments[production].desiredCount`); at most `limit` paths, the
 * rest counted in a last entry. Lists of named entries are matched by name (variables by name and scope),
 * so an entry moved in the list is not a difference.
 */
export function recipeDifferences(before: RecipeDocument, after: RecipeDocument, limit = 12): string[] {
	const paths: string[] = [];
	walk(sorted(configurationParts(before)), sorted(configurationParts(after)), '', paths);
	if (paths.length <= limit) return paths;
	return [...paths.slice(0, limit), `… ${paths.length - limit} more`];
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
	if (JSON.stringify(a) === JSON.stringify(b)) return;
	if (isRecord(a) && isRecord(b)) {
		for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], path === '' ? key : `${path}.${key}`, out);
		return;
	}
	if (Array.isArray(a) && Array.isArray(b)) {
		const left = keyed(a);
		const right = keyed(b);
		if (left && right) {
			for (const key of [...new Set([...left.keys(), ...right.keys()])]) walk(left.get(key), right.get(key), `${path}[${key}]`, out);
			return;
		}
	}
	out.push(path === '' ? 'recipe' : path);
}

/** A list of named entries by name (and, for variables, scope); undefined when names are missing or repeat. */
function keyed(list: readonly unknown[]): Map<string, unknown> | undefined {
	const map = new Map<string, unknown>();
	for (const item of list) {
		const name = isRecord(item) && typeof item['name'] === 'string' ? item['name'] : typeof item === 'string' ? item : undefined;
		if (name === undefined) return undefined;
		const scope = isRecord(item) && Array.isArray(item['environments']) ? `@${(item['environments'] as unknown[]).join(',')}` : '';
		const key = `${name}${scope}`;
		if (map.has(key)) return undefined;
		map.set(key, item);
	}
	return map;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
