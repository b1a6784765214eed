import {isMap, isSeq, LineCounter, parseDocument, type Document} from 'yaml';
import {error, parsePath, type Problem} from '../problems.js';
import {recipeDocumentSchema, type RecipeDocument} from './schema.js';
import {problemsFromIssues} from './zod-problems.js';

/** A recipe file read from text: the YAML document (kept for writing back with comments) and its checked content. */
export type ParsedRecipe = {
	/** The YAML document; the app edits this when it writes a recipe back, so comments and order survive. */
	document: Document;
	/** The checked content, when the file's shape is right (the service section is checked per environment). */
	recipe?: RecipeDocument;
	problems: Problem[];
	/** Finds the line of a field path, for messages. */
	lineOf(path: string): number | undefined;
};

/** Parses recipe YAML. Never throws: syntax and shape problems come back as problems with line numbers. */
export function parseRecipe(text: string): ParsedRecipe {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: true, uniqueKeys: true});
	const lineOf = (path: string) => locate(document, lineCounter, path);
	const problems: Problem[] = document.errors.map(e => ({
		...error('recipe', e.message.split('\n')[0] ?? e.message),
		...(e.linePos?.[0] ? {line: e.linePos[0].line} : {}),
	}));
	if (problems.length > 0) return {document, problems, lineOf};

	const raw: unknown = document.toJS({maxAliasCount: 100});
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		return {document, problems: [error('recipe', 'must be a YAML mapping with name, environments, images and service')], lineOf};
	}
	const result = recipeDocumentSchema.safeParse(raw);
	if (!result.success) {
		return {document, problems: withLines(problemsFromIssues(result.error.issues, []), lineOf), lineOf};
	}
	return {document, recipe: result.data, problems: [], lineOf};
}

/** Adds line numbers to problems that do not have one. */
export function withLines(problems: Problem[], lineOf: (path: string) => number | undefined): Problem[] {
	return problems.map(p => {
		if (p.line !== undefined) return p;
		const line = lineOf(p.path);
		return line === undefined ? p : {...p, line};
	});
}

function locate(document: Document, lineCounter: LineCounter, path: string): number | undefined {
	let node: unknown = document.contents;
	let found = node;
	for (const segment of parsePath(path)) {
		if (isMap(node)) node = node.get(segment, true);
		else if (isSeq(node) && typeof segment === 'number') node = node.get(segment, true);
		else break;
		if (node === undefined) break;
		found = node;
	}
	const range = (found as {range?: [number, number, number]} | null)?.range;
	return range ? lineCounter.linePos(range[0]).line : undefined;
}
