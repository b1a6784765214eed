import {CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, visit, type Document, type Scalar, type ScalarTag, type SchemaOptions} from 'yaml';
import {error, formatPath, parsePath, type Problem} from '../problems.js';
import {formatCount, quote} from '../text.js';
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

/**
 * How deep mappings and lists may nest. The deepest field of a recipe is six levels down
 * (`service.containers[0].logging.options.key`); anything far deeper is a mistake or an attack, and the
 * checks after parsing need not guard against it.
 */
export const maxDocumentDepth = 32;

/**
 * The largest recipe file, in bytes (1 MiB): the examples are a few kilobytes, and CloudFormation takes
 * templates of at most 1 MB. A larger file is refused before it is parsed; a longer text likewise.
 */
export const maxRecipeBytes = 1024 * 1024;

/**
 * The nesting a document may reach before the YAML reader is asked to read it: yaml builds its syntax tree
 * with memory in proportion to the depth of every level open at once (a 2 MB `[[[…` took 1.1 GB) and its
 * composer recurses per level, so deeper text is refused by a flat scan first. Twice `maxDocumentDepth`,
 * so that the exact check after parsing (with the field's path) is the one that ordinary mistakes meet.
 */
const maxScannedDepth = 2 * maxDocumentDepth;

/** Aliases the YAML reader may expand (yaml's `maxAliasCount`), against "billion laughs" documents. */
const maxAliasCount = 100;

/** yaml's list of tags (its type is not exported by name). */
type Tags = Extract<SchemaOptions['customTags'], unknown[]>;

/**
 * yaml's tags, with its number tags writing a number back as the text it was read from (`01234`, `0x1F`,
 * `1.10`, `12345678901234567890`, `1e100`) for as long as that text still reads as the node's value: yaml
 * alone writes 1234, 0x1f, 1.1, 12345678901234567000 and 1e+100, so writing an edited recipe back (the step
 * form) changed fields nobody touched. A value set since it was read is written the usual way.
 */
export function keepNumberText(tags: Tags): Tags {
	return tags.map(tag => {
		if (typeof tag === 'string' || 'collection' in tag || !/:(int|float)$/.test(tag.tag)) return tag;
		const scalar = tag as ScalarTag;
		const write = scalar.stringify;
		return {
			...scalar,
			stringify(item, ctx, onComment, onChompKeep) {
				const source = (item as {source?: unknown}).source;
				if (typeof source === 'string' && item.type === 'PLAIN' && scalar.test?.test(source)) {
					const again = scalar.resolve(source, () => undefined, {});
					if (again === item.value || (typeof again === 'number' && typeof item.value === 'number' && Number.isNaN(again) && Number.isNaN(item.value))) return source;
				}
				return write ? write(item, ctx, onComment, onChompKeep) : String(item.value);
			},
		} satisfies ScalarTag;
	});
}

/** A recipe that cannot be parsed at all: one problem at the root, and an empty document. */
function refused(message: string, line?: number): ParsedRecipe {
	return {document: parseDocument(''), problems: [{...error('recipe', message), ...(line === undefined ? {} : {line})}], lineOf: () => undefined};
}

/** Parses recipe YAML. Never throws: syntax and shape problems come back as problems with line numbers. */
export function parseRecipe(text: string): ParsedRecipe {
	if (text.length > maxRecipeBytes) {
		return refused(`is ${formatCount(text.length)} characters long; a recipe may be at most ${formatCount(maxRecipeBytes)} bytes (1 MiB)`);
	}
	const deep = deepestLine(text, maxScannedDepth);
	if (deep !== undefined) {
		return refused(`nests more than ${maxScannedDepth} levels deep (at line ${deep}); a recipe may nest at most ${maxDocumentDepth} levels and needs about six`, deep);
	}
	const lineCounter = new LineCounter();
	let document: Document;
	try {
		// Duplicate keys are found by checkStructure in linear time; yaml's uniqueKeys compares every pair of keys.
		document = parseDocument(text, {lineCounter, prettyErrors: true, uniqueKeys: false, customTags: keepNumberText});
	} catch (cause) {
		// yaml reports its own failures as document errors; this is the last guard that keeps the promise above.
		return {document: parseDocument(''), problems: [error('recipe', `could not be read as YAML: ${(cause as Error).message}`)], lineOf: () => undefined};
	}
	let index: Map<string, number> | undefined;
	const lineOf = (path: string) => {
		index ??= lineIndex(document, lineCounter);
		return locate(index, path);
	};
	const syntax = new Map<string, Problem>();
	for (const e of document.errors) {
		const problem = {...error('recipe', yamlMessage(e.message)), ...(e.linePos?.[0] ? {line: e.linePos[0].line} : {})};
		// The reader can report one failure several times (once per level it unwinds): say it once.
		syntax.set(`${problem.line}:${problem.message}`, problem);
	}
	if (syntax.size > 0) return {document, problems: [...syntax.values()], lineOf};

	const structure = checkStructure(document, lineCounter);
	if (structure.length > 0) return {document, problems: structure, lineOf};

	let raw: unknown;
	try {
		raw = recipeValue(document);
	} catch (cause) {
		const message = (cause as Error).message;
		const problem = /alias count/i.test(message)
			? `uses YAML aliases (*name) that expand to too much (more than ${maxAliasCount} copies in all): write the repeated values out, or nest fewer aliases`
			: `could not be read: ${message}`;
		return {document, problems: [error('recipe', problem)], lineOf};
	}
	if (raw === null || raw === undefined) {
		return {document, problems: [error('recipe', 'is empty (or only comments): a recipe is a YAML mapping with name, environments, images and service')], lineOf};
	}
	if (typeof raw !== 'object' || Array.isArray(raw)) {
		return {document, problems: [error('recipe', 'must be a YAML mapping with name, environments, images and service')], lineOf};
	}
	const result = recipeDocumentSchema.safeParse(raw, {reportInput: true});
	if (!result.success) {
		return {document, problems: withLines(problemsFromIssues(result.error.issues, []), lineOf), lineOf};
	}
	return {document, recipe: result.data, problems: [], lineOf};
}

/**
 * The document as plain data, the way a recipe means it: a plain scalar that YAML reads as a number is kept
 * as the text written when the number would not give that text back (`01234`, `0x1F`, `1.10`, `1e100`,
 * `12345678901234567890`, which YAML reads as 1234, 31, 1.1, 1e+100 and 12345678901234567000). Text fields
 * (tag keys and values, environment values, image tags, versions) thus keep what was typed, and number
 * fields still read numbers: `256` stays 256, and they accept the text of a number (`0x100`, `1e3`).
 * The document itself is not changed (the app writes it back as it was). Throws when aliases expand to more
 * than `maxAliasCount` copies.
 */
export function recipeValue(document: Document): unknown {
	// visit() recurses per level; parseRecipe has bounded the depth before this runs.
	let found = false;
	visit(document, {
		Scalar(_, node) {
			if (numberText(node) === undefined) return undefined;
			found = true;
			return visit.BREAK;
		},
	});
	// Most recipes have no such scalar: no copy is made.
	if (!found) return document.toJS({maxAliasCount});
	const copy = document.clone();
	visit(copy, {
		Scalar(_, node) {
			const text = numberText(node);
			if (text !== undefined) node.value = text;
		},
	});
	return copy.toJS({maxAliasCount});
}

/** The source text of a plain, untagged scalar that YAML read as a number which does not print as that text. */
function numberText(node: Scalar): string | undefined {
	if (typeof node.value !== 'number' && typeof node.value !== 'bigint') return undefined;
	if (node.type !== 'PLAIN' || node.tag !== undefined || typeof node.source !== 'string') return undefined;
	return String(node.value) === node.source ? undefined : node.source;
}

/** Adds line numbers to problems that do not have one. */
export function withLines(problems: Problem[], lineOf: (path: string) => number | undefined): Problem[] {
	return problems.map(p => {
		if (p.line !== undefined) return p;
		const line = lineOf(p.path);
		return line === undefined ? p : {...p, line};
	});
}

/** The first line of a yaml error, in words where yaml's own would puzzle (its parser recurses per level). */
function yamlMessage(message: string): string {
	if (/Maximum call stack/i.test(message)) return 'nests too deeply to be read (the YAML reader gave up); a recipe needs only a few levels';
	return message.split('\n')[0] ?? message;
}

type Segment = string | number;

/**
 * Checks what the YAML reader accepts but a recipe must not have, walking the document once without
 * recursion: keys written twice (YAML would keep the last one silently), keys that are not plain text,
 * aliases to anchors not defined before them (yaml's toJS throws on those), aliases inside the node they
 * name (they would repeat forever), and nesting deeper than `maxDocumentDepth`.
 */
function checkStructure(document: Document, lineCounter: LineCounter): Problem[] {
	const problems: Problem[] = [];
	const at = (node: unknown, place: Place | undefined, message: string): Problem => {
		const line = lineAt(node, lineCounter);
		return {...error(formatPath(pathOf(place)) || 'recipe', message), ...(line === undefined ? {} : {line})};
	};
	/** Anchors defined so far in document order, as yaml resolves them: the latest one before the alias. */
	const anchors = new Map<string, unknown>();
	/** The collections that contain the node being visited. */
	const open = new Set<unknown>();
	type Step = {node: unknown; place: Place | undefined} | {close: unknown};
	// An empty document (or one of comments only) has no contents: nothing to check here.
	const steps: Step[] = document.contents === null ? [] : [{node: document.contents, place: undefined}];
	// Only what can hold a problem is visited: collections, aliases, and anchored values (to define them).
	const worthVisiting = (node: unknown) => node !== null && typeof node === 'object' && (isMap(node) || isSeq(node) || isAlias(node) || (node as {anchor?: string}).anchor !== undefined);
	while (steps.length > 0) {
		const step = steps.pop()!;
		if ('close' in step) {
			open.delete(step.close);
			continue;
		}
		const {node, place} = step;
		const anchor = (node as {anchor?: string}).anchor;
		if (anchor !== undefined) anchors.set(anchor, node);
		if (isAlias(node)) {
			const target = anchors.get(node.source);
			if (target === undefined) {
				problems.push(at(node, place, `refers to anchor &${node.source}, which is not defined before it: define the anchor (&${node.source}) first`));
			} else if (open.has(target)) {
				const kind = isSeq(target) ? 'list' : 'mapping';
				problems.push(at(node, place, `is the alias *${node.source} of the ${kind} that contains it (anchor &${node.source}): it would repeat forever; copy the values instead`));
			}
			continue;
		}
		if (!isMap(node) && !isSeq(node)) continue;
		const depth = place?.depth ?? 0;
		if (depth >= maxDocumentDepth && node.items.length > 0) {
			const first = node.items[0];
			const key = isPair(first) ? (keyText(first.key) ?? 0) : 0;
			problems.push(at(isPair(first) ? first.key : first, {parent: place, key, depth: depth + 1}, `nests more than ${maxDocumentDepth} levels deep; a recipe needs far fewer`));
			continue;
		}
		open.add(node);
		steps.push({close: node});
		// Children are pushed last to first, so they are visited in document order (anchors before their aliases).
		if (isSeq(node)) {
			for (let i = node.items.length - 1; i >= 0; i--) {
				const item = node.items[i];
				if (worthVisiting(item)) steps.push({node: item, place: {parent: place, key: i, depth: depth + 1}});
			}
			continue;
		}
		const seen = new Map<string, unknown>();
		const kept: Array<{pair: (typeof node.items)[number]; key: string}> = [];
		for (const pair of node.items) {
			const key = keyText(pair.key);
			if (key === undefined) {
				const kind = isAlias(pair.key) ? 'an alias' : isSeq(pair.key) ? 'a list' : isMap(pair.key) ? 'a mapping' : 'a tagged value';
				problems.push(at(pair.key, place, `has a key that is ${kind}; keys must be plain text`));
				continue;
			}
			const first = seen.get(key);
			if (first !== undefined) {
				const firstLine = lineAt(first, lineCounter);
				problems.push(
					at(pair.key, {parent: place, key, depth: depth + 1}, `${quote(key)} is written twice in this mapping${firstLine === undefined ? '' : ` (first on line ${firstLine})`}: keys must be unique, or YAML keeps only the last one`),
				);
				continue;
			}
			seen.set(key, pair.key);
			kept.push({pair, key});
		}
		for (let i = kept.length - 1; i >= 0; i--) {
			const {pair, key} = kept[i]!;
			const child: Place = {parent: place, key, depth: depth + 1};
			if (worthVisiting(pair.value)) steps.push({node: pair.value, place: child});
			// An anchored key is defined before its value is read.
			if ((pair.key as {anchor?: string} | null)?.anchor !== undefined) steps.push({node: pair.key, place: child});
		}
	}
	return problems;
}

/** Where a node sits, as a chain to its parent: paths are built only for the few nodes that have a problem. */
type Place = {parent: Place | undefined; key: Segment; depth: number};

function pathOf(place: Place | undefined): Segment[] {
	const path: Segment[] = [];
	for (let at = place; at !== undefined; at = at.parent) path.push(at.key);
	return path.reverse();
}

/**
 * A mapping key as the recipe object will have it (`1` and `"1"` are the same key there), or undefined for a
 * key that is not plain text: a list, a mapping, an alias, or a tagged value such as `!!binary`.
 */
function keyText(key: unknown): string | undefined {
	if (key === null || key === undefined) return '';
	if (!isScalar(key)) return undefined;
	const text = numberText(key);
	if (text !== undefined) return text;
	const value = key.value;
	return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value) ? String(value) : undefined;
}

function lineAt(node: unknown, lineCounter: LineCounter): number | undefined {
	const range = (node as {range?: [number, number, number]} | null)?.range;
	return range ? lineCounter.linePos(range[0]).line : undefined;
}

/**
 * Every field path of the document → its line, built once in one walk, so finding the lines of many
 * problems costs one lookup each (a walk from the root per problem made large recipes quadratic).
 */
function lineIndex(document: Document, lineCounter: LineCounter): Map<string, number> {
	const index = new Map<string, number>();
	const steps: Array<{node: unknown; path: Segment[]; keyNode?: unknown}> = [{node: document.contents, path: []}];
	while (steps.length > 0) {
		const {node, path, keyNode} = steps.pop()!;
		const line = lineAt(node, lineCounter) ?? lineAt(keyNode, lineCounter);
		if (line !== undefined) index.set(formatPath(path), line);
		if (path.length > maxDocumentDepth) continue;
		if (isSeq(node)) node.items.forEach((item, i) => steps.push({node: item, path: [...path, i]}));
		else if (isMap(node)) {
			for (const pair of node.items) {
				const key = keyText(pair.key);
				if (key !== undefined) steps.push({node: pair.value, path: [...path, key], keyNode: pair.key});
			}
		}
	}
	return index;
}

/** The line of a field, or of its nearest parent that is in the file. */
function locate(index: ReadonlyMap<string, number>, path: string): number | undefined {
	const segments = parsePath(path);
	for (let length = segments.length; length >= 0; length--) {
		const line = index.get(formatPath(segments.slice(0, length)));
		if (line !== undefined) return line;
	}
	return undefined;
}

/**
 * The first line at which the text nests deeper than `limit`, found from yaml's lexer tokens in one flat
 * pass (no recursion, no syntax tree), or undefined. The depth counted is an upper bound of the YAML depth:
 * the open flow collections (`[`, `{`), the block levels indented less than the line, and the block
 * indicators on the line (`- - - x` nests three lists).
 */
function deepestLine(text: string, limit: number): number | undefined {
	let line = 1;
	let flow = 0;
	let indent = 0;
	let atLineStart = true;
	let base = 0;
	let indicators = 0;
	let scalarSource = false;
	const indents: number[] = [];
	const content = () => {
		if (!atLineStart) return;
		atLineStart = false;
		if (flow > 0) return;
		while (indents.length > 0 && indents.at(-1)! >= indent) indents.pop();
		base = indents.length;
		indents.push(indent);
	};
	for (const token of new Lexer().lex(text)) {
		if (scalarSource) {
			// The text of a scalar (after yaml's scalar marker): what it holds is no structure.
			scalarSource = false;
			line += newlines(token);
			// A block scalar's text runs to the end of its last line.
			if (token.endsWith('\n')) {
				atLineStart = true;
				indent = 0;
				indicators = 0;
			}
			continue;
		}
		const type = CST.tokenType(token);
		if (type === 'newline') {
			line++;
			atLineStart = true;
			indent = 0;
			indicators = 0;
			continue;
		}
		if (type === 'space') {
			if (atLineStart) indent = token.length;
			line += newlines(token);
			continue;
		}
		if (type === 'comment' || type === 'byte-order-mark' || type === 'doc-mode') continue;
		if (type === 'doc-start' || type === 'doc-end' || type === 'directive-line') {
			indents.length = 0;
			continue;
		}
		content();
		if (type === 'scalar') scalarSource = true;
		else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
		else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
		else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) indicators++;
		else line += newlines(token);
		if (base + indicators + flow > limit) return line;
	}
	return undefined;
}

function newlines(text: string): number {
	let count = 0;
	for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
	return count;
}

/** Whether a file name is a recipe's: `*.yaml` or `*.yml`. */
export {isRecipeFileName} from './file-name.js';
