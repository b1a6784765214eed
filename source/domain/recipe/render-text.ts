import {diffLines} from 'diff';
import type {Document} from 'yaml';
import {openRecipe} from './document-edit.js';

/*
 * Writing an edited recipe document back as text: the yaml writer keeps comments and key order but respaces
 * comments and flow lists, so only the lines of the fields that changed are taken from it. Pure: no I/O.
 */

/** How text is written: no folding of long lines, and flow collections as people write them (`[a, b]`). */
const textOptions = {lineWidth: 0, flowCollectionPadding: false} as const;

/**
 * The document as text, written over `previous` (the text it was read from): the lines of the fields that
 * changed are new, and every other line is `previous`'s own, byte for byte (the yaml writer would respace
 * comments and flow lists). When the two cannot be lined up, the document is written whole (comments and key
 * order still kept).
 */
export function renderText(document: Document, previous: string): string {
	const edited = document.toString(textOptions);
	const original = openRecipe(previous);
	if (original.errors.length > 0) return edited;
	const base = original.toString(textOptions);
	if (edited === base) return previous;
	const spliced = splice(previous, base, edited);
	// Only the splice that reads back as the edited document is trusted.
	return spliced !== undefined && readsAs(spliced, edited) ? spliced : edited;
}

function readsAs(text: string, expected: string): boolean {
	const document = openRecipe(text);
	return document.errors.length === 0 && document.toString(textOptions) === expected;
}

function lines(text: string): string[] {
	return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Applies the line changes between `base` and `edited` to `original`, whose lines match `base`'s one for one. */
function splice(original: string, base: string, edited: string): string | undefined {
	const originalLines = lines(original);
	const baseLines = lines(base);
	if (originalLines.length !== baseLines.length) return undefined;
	const bare = (line: string) => line.replace(/\s+/g, '');
	if (!originalLines.every((line, i) => bare(line) === bare(baseLines[i]!))) return undefined;
	const out: string[] = [];
	let at = 0;
	for (const part of diffLines(base, edited)) {
		const count = lines(part.value).length;
		if (part.added) out.push(part.value);
		else if (part.removed) at += count;
		else {
			out.push(...originalLines.slice(at, at + count));
			at += count;
		}
	}
	return out.join('');
}
