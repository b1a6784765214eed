import {problemText, type FormProblem} from './problems.js';
import type {Row} from './rows.js';
import {fieldOf, type Editing} from './step-form-reducer.js';
import type {TextBuffer} from '../../input/text-edit.js';

/*
 * The field pane as lines: each row, the problems under it, and under the row being edited its hint or
 * error, or the choices of its list. The pane shows a window of these lines around the selected row, so
 * a container with thirty fields or a hundred environment variables scrolls. Pure.
 */

export type Line =
	| {kind: 'row'; key: string; row: Row; selected: boolean; severity?: 'error' | 'warning'; buffer?: TextBuffer}
	| {kind: 'problem'; key: string; depth: number; text: string; severity: 'error' | 'warning'}
	| {kind: 'hint'; key: string; depth: number; text: string; error: boolean}
	| {kind: 'option'; key: string; depth: number; label: string; selected: boolean};

/** Problems shown under one row; more are counted. */
const problemsPerRow = 2;
/** Choices of a select shown at once. */
export const optionsShown = 6;

/** Lays out the rows as lines; `selected` is the line range of the selected row with what is under it. */
export function layoutLines(
	rows: readonly Row[],
	selectedIndex: number,
	editing: Editing | undefined,
	byRow: ReadonlyMap<string, readonly FormProblem[]>,
	/** Why what is being typed cannot be written (checked as it is typed). */
	typingError?: string,
): {lines: Line[]; selected: [number, number]} {
	const lines: Line[] = [];
	let selected: [number, number] = [0, 0];
	rows.forEach((row, i) => {
		const start = lines.length;
		const problems = byRow.get(row.id) ?? [];
		const severity = problems.some(p => p.severity === 'error') ? 'error' : problems.length > 0 ? 'warning' : undefined;
		const edited = editing && editing.rowId === row.id ? editing : undefined;
		lines.push({kind: 'row', key: row.id, row, selected: i === selectedIndex, ...(severity ? {severity} : {}), ...(edited?.kind === 'text' && !edited.newEntry ? {buffer: edited.buffer} : {})});
		const depth = row.depth + 1;
		if (edited?.kind === 'text' && edited.newEntry) {
			lines.push({kind: 'row', key: `${row.id}+new`, row: {...row, id: `${row.id}+new`, label: '+', value: '', depth, heading: false}, selected: true, buffer: edited.buffer});
		}
		if (edited) {
			const field = fieldOf(row, edited);
			if (edited.kind === 'select') lines.push(...optionLines(row, field?.options ?? [], edited.index, depth));
			const error = edited.error ?? typingError;
			const text = error ?? field?.hint;
			if (text) lines.push({kind: 'hint', key: `${row.id}:hint`, depth, text: error ? `✗ ${error}` : text, error: error !== undefined});
		}
		for (const problem of problems.slice(0, problemsPerRow)) lines.push({kind: 'problem', key: `${row.id}:${problem.message}`, depth, text: `${problem.severity === 'error' ? '✗' : '!'} ${problemText(problem)}`, severity: problem.severity});
		if (problems.length > problemsPerRow) lines.push({kind: 'problem', key: `${row.id}:more`, depth, text: `… ${problems.length - problemsPerRow} more (see the summary)`, severity: severity ?? 'warning'});
		if (i === selectedIndex || (edited?.kind === 'text' && edited.newEntry)) selected = [start, lines.length - 1];
	});
	return {lines, selected};
}

function optionLines(row: Row, options: ReadonlyArray<{label: string}>, index: number, depth: number): Line[] {
	const first = Math.max(0, Math.min(index - Math.floor(optionsShown / 2), options.length - optionsShown));
	const shown = options.slice(first, first + optionsShown);
	const lines: Line[] = shown.map((option, i) => ({kind: 'option', key: `${row.id}:option:${first + i}`, depth, label: option.label, selected: first + i === index}));
	if (options.length > optionsShown) lines.push({kind: 'hint', key: `${row.id}:options`, depth, text: `${index + 1} of ${options.length} · ↑↓ choose · ↵ accept`, error: false});
	return lines;
}

/**
 * The first line of a window of `height` lines that shows the selected range: the range sits a third of the
 * way down when the lines do not all fit, and as much of a long range as fits.
 */
export function windowStart(total: number, [first, last]: [number, number], height: number): number {
	if (total <= height) return 0;
	const span = last - first + 1;
	const start = span >= height ? first : first - Math.floor((height - span) / 3);
	return Math.max(0, Math.min(start, total - height));
}
