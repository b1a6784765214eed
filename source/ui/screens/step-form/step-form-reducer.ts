import {moveItem, openRecipe, readForm, renderText, valueAt} from '../../../domain/recipe/edit.js';
import {isRecipeFileName} from '../../../domain/recipe/file-name.js';
import {maxContainers} from '../../../domain/recipe/schema.js';
import {display, pathText, type Field} from './fields.js';
import {canMove, removeListItem, selectable, type Row, type Section, type SectionId} from './rows.js';
import {buildSections} from './sections.js';
import {applyTextEdit, bufferOf, type TextBuffer, type TextEdit} from '../../input/text-edit.js';

/*
 * The step form's state as a pure reducer: the recipe text being edited (every accepted field rewrites it,
 * keeping comments and key order), where the cursor is (a section, a row), the field being edited, and the
 * dialogs of saving (file name, changes, write) and leaving. Sections and rows are derived from the text.
 */

/** A field being edited: typed text, or a choice in a short list. `newEntry`: a `NAME=value` entry being added. */
export type Editing =
	| {kind: 'text'; rowId: string; buffer: TextBuffer; error?: string; newEntry?: boolean}
	| {kind: 'select'; rowId: string; index: number; error?: string};

export type Mode =
	| {kind: 'form'}
	| {kind: 'confirm-remove'; rowId: string; question: string}
	| {kind: 'confirm-discard'}
	/** A new recipe: the file to write it to. */
	| {kind: 'file-name'; buffer: TextBuffer; error?: string}
	/** The changes, before writing them to `target`. */
	| {kind: 'diff'; target: string; offset: number; error?: string}
	| {kind: 'saving'; target: string};

export type StepFormState = {
	status: 'loading' | 'ready' | 'failed';
	/** Why the file could not be read. */
	problem?: string;
	/** The file being edited; undefined for a new recipe until it is saved. */
	file: string | undefined;
	/** The file's text as read or last saved ('' for a new recipe): the diff's left side, and what must still be on disk. */
	original: string;
	/** Leaving asks when the text differs from this (a new recipe starts from its template). */
	baseline: string;
	text: string;
	section: SectionId;
	focus: 'sections' | 'fields';
	/** The selected row; undefined = the section's first. */
	rowId: string | undefined;
	editing?: Editing;
	mode: Mode;
	notice?: {text: string; tone: 'error' | 'info'};
	/** Where a new recipe is written by default (`recipes`). */
	folder: string;
};

export type StepFormAction =
	| {type: 'loaded'; file: string | undefined; text: string}
	| {type: 'load-failed'; problem: string}
	/** ↑ ↓ PgUp PgDn Home End in the focused pane, the open list or the changes. */
	| {type: 'move'; by: number}
	| {type: 'focus'; to: 'sections' | 'fields'}
	/** Enter: open the fields, edit the field, open a container, or accept what is edited. */
	| {type: 'enter'}
	/** An edit of the text being typed (the shared text editing: typing, erasing, moving the cursor, a paste). */
	| {type: 'text'; edit: TextEdit}
	/** Esc: the reducer decides what it leaves (the edit, a dialog, the fields, the form). */
	| {type: 'escape'}
	| {type: 'add'}
	| {type: 'remove'}
	| {type: 'confirm-remove'}
	| {type: 'move-item'; by: -1 | 1}
	| {type: 'save'}
	| {type: 'saving'}
	| {type: 'saved'; file: string; text: string}
	| {type: 'save-failed'; problem: string};

/** The state before the file is read. */
export function initialState(folder = 'recipes'): StepFormState {
	return {status: 'loading', file: undefined, original: '', baseline: '', text: '', section: 'project', focus: 'sections', rowId: undefined, mode: {kind: 'form'}, folder};
}

/** What the form shows of a text: its sections, and why it cannot be edited when it is not YAML. */
export type Derived = {sections: Section[]; broken?: string};

let cache: {text: string; derived: Derived} | undefined;

/** The sections of a recipe text (computed once per text). */
export function derive(text: string): Derived {
	if (cache?.text === text) return cache.derived;
	const document = openRecipe(text);
	const error = document.errors[0];
	const derived: Derived = {sections: buildSections(readForm(document)), ...(error ? {broken: `the file is not valid YAML (${error.message.split('\n')[0]}); fix it in an editor`} : {})};
	cache = {text, derived};
	return derived;
}

/** The section on screen: the one chosen, or the containers list when a chosen container is gone. */
export function currentSection(state: StepFormState): Section {
	const {sections} = derive(state.text);
	return sections.find(s => s.id === state.section) ?? sections.find(s => s.id === (state.section.startsWith('container:') ? 'containers' : 'project')) ?? sections[0]!;
}

/** The index of the selected row in the section (the first row the cursor stops on when none is). */
export function selectedIndex(rows: readonly Row[], rowId: string | undefined): number {
	const at = rows.findIndex(r => r.id === rowId);
	return at !== -1 ? at : Math.max(0, rows.findIndex(selectable));
}

export function selectedRow(state: StepFormState): Row | undefined {
	const {rows} = currentSection(state);
	return rows[selectedIndex(rows, state.rowId)];
}

/** Unsaved changes: leaving asks first. */
export const isDirty = (state: StepFormState) => state.status === 'ready' && state.text !== state.baseline;

/** The field a row edits (the list's new entry while one is typed). */
export function fieldOf(row: Row | undefined, editing: Editing | undefined): Field | undefined {
	if (editing?.kind === 'text' && editing.newEntry) return row?.list?.add?.kind === 'entry' ? row.list.add.field : undefined;
	return row?.field;
}

function startEdit(state: StepFormState, row: Row): StepFormState {
	const field = row.field;
	if (!field) return state;
	if (field.kind === 'select') {
		const index = Math.max(0, field.options?.findIndex(o => o.value === field.initial) ?? 0);
		return {...state, rowId: row.id, editing: {kind: 'select', rowId: row.id, index}};
	}
	return {...state, rowId: row.id, editing: {kind: 'text', rowId: row.id, buffer: bufferOf(field.initial)}};
}

function moveRow(rows: readonly Row[], from: number, by: number): number {
	const stops = rows.map((row, i) => (selectable(row) ? i : -1)).filter(i => i !== -1);
	if (stops.length === 0) return from;
	const at = Math.max(0, stops.findIndex(i => i >= from));
	return stops[Math.max(0, Math.min(stops.length - 1, at + by))]!;
}

/** Applies an edit to the document and writes the text again; a problem leaves the text as it was. */
function edit(state: StepFormState, change: (document: ReturnType<typeof openRecipe>) => string | undefined): {text: string} | {problem: string} {
	const document = openRecipe(state.text);
	const problem = change(document);
	return problem === undefined ? {text: renderText(document, state.text)} : {problem};
}

const info = (text: string) => ({text, tone: 'info' as const});
const failure = (text: string) => ({text, tone: 'error' as const});

export function stepFormReducer(state: StepFormState, action: StepFormAction): StepFormState {
	switch (action.type) {
		case 'loaded':
			return {...state, status: 'ready', file: action.file, original: action.file === undefined ? '' : action.text, baseline: action.text, text: action.text};
		case 'load-failed':
			return {...state, status: 'failed', problem: action.problem};
		case 'saving':
			return state.mode.kind === 'diff' ? {...state, mode: {kind: 'saving', target: state.mode.target}} : state;
		case 'saved':
			// The shell's flash says it was saved (and whether as a draft).
			return {...state, file: action.file, original: action.text, baseline: action.text, mode: {kind: 'form'}};
		case 'save-failed':
			if (state.mode.kind !== 'saving') return state;
			// A new recipe's name that is taken: pick another.
			if (state.file === undefined) return {...state, mode: {kind: 'file-name', buffer: bufferOf(state.mode.target), error: action.problem}};
			return {...state, mode: {kind: 'diff', target: state.mode.target, offset: 0, error: action.problem}};
	}
	if (state.status !== 'ready') return state;
	const {notice: _previous, ...quiet} = state;
	return withoutNotice(quiet, action);
}

function withoutNotice(state: StepFormState, action: StepFormAction): StepFormState {
	const mode = state.mode;
	if (mode.kind === 'file-name') return fileName(state, mode, action);
	if (mode.kind === 'diff') {
		if (action.type === 'move') return {...state, mode: {...mode, offset: Math.max(0, mode.offset + action.by)}};
		if (action.type === 'escape') return {...state, mode: state.file === undefined ? {kind: 'file-name', buffer: bufferOf(mode.target)} : {kind: 'form'}};
		return state;
	}
	if (mode.kind === 'confirm-remove') {
		if (action.type === 'escape') return {...state, mode: {kind: 'form'}};
		if (action.type === 'confirm-remove') return remove(state, mode.rowId);
		return state;
	}
	if (mode.kind === 'confirm-discard') return action.type === 'escape' ? {...state, mode: {kind: 'form'}} : state;
	if (mode.kind === 'saving') return state;
	if (state.editing) return editing(state, state.editing, action);
	return form(state, action);
}

function fileName(state: StepFormState, mode: Extract<Mode, {kind: 'file-name'}>, action: StepFormAction): StepFormState {
	switch (action.type) {
		case 'text':
			// Typing clears the problem; moving the cursor keeps it.
			return {...state, mode: {kind: 'file-name', buffer: applyTextEdit(mode.buffer, action.edit), ...(action.edit.type === 'move' && mode.error ? {error: mode.error} : {})}};
		case 'escape':
			return {...state, mode: {kind: 'form'}};
		case 'enter': {
			const target = mode.buffer.text.trim();
			if (!isRecipeFileName(target)) return {...state, mode: {...mode, error: 'a recipe file name ends in .yaml or .yml'}};
			return {...state, mode: {kind: 'diff', target, offset: 0}};
		}
		default:
			return state;
	}
}

function editing(state: StepFormState, current: Editing, action: StepFormAction): StepFormState {
	const row = currentSection(state).rows.find(r => r.id === current.rowId);
	const field = fieldOf(row, current);
	if (!row || !field) return {...state, editing: undefined};
	if (action.type === 'escape') return {...state, editing: undefined};
	if (current.kind === 'select') {
		if (action.type === 'move') return {...state, editing: {kind: 'select', rowId: current.rowId, index: Math.max(0, Math.min((field.options?.length ?? 1) - 1, current.index + action.by))}};
		if (action.type === 'enter') return accept(state, row, field, field.options?.[current.index]?.value ?? '');
		return state;
	}
	const buffer = current.buffer;
	const withBuffer = (next: TextBuffer): StepFormState => ({...state, editing: {kind: 'text', rowId: current.rowId, buffer: next, ...(current.newEntry ? {newEntry: true} : {})}});
	switch (action.type) {
		case 'text':
			return withBuffer(applyTextEdit(buffer, action.edit));
		case 'enter':
			return accept(state, row, field, buffer.text);
		default:
			return state;
	}
}

/** What the edit in progress would make of the recipe: the text were it accepted now, or why it cannot be. */
export type Preview = {rowId: string; text?: string; error?: string};

/**
 * The text the field being edited would give if Enter were pressed now (what is typed, or the choice under
 * the cursor), through the same parse and write as Enter: the form checks it while the operator types.
 * Undefined when nothing is edited.
 */
export function previewEdit(state: StepFormState): Preview | undefined {
	const current = state.editing;
	if (state.status !== 'ready' || state.mode.kind !== 'form' || !current) return undefined;
	const row = currentSection(state).rows.find(r => r.id === current.rowId);
	const field = fieldOf(row, current);
	if (!field) return undefined;
	const typed = current.kind === 'text' ? current.buffer.text : (field.options?.[current.index]?.value ?? '');
	const parsed = field.parse(typed);
	if (!parsed.ok) return {rowId: current.rowId, error: parsed.error};
	const result = edit(state, document => field.write(document, parsed.value));
	return 'problem' in result ? {rowId: current.rowId, error: result.problem} : {rowId: current.rowId, text: result.text};
}

/** Checks what was typed or chosen, writes it, and ends the edit; a problem keeps the edit open and says why. */
function accept(state: StepFormState, row: Row, field: Field, typed: string): StepFormState {
	const current = state.editing!;
	const parsed = field.parse(typed);
	if (!parsed.ok) return {...state, editing: {...current, error: parsed.error}};
	const result = edit(state, document => field.write(document, parsed.value));
	if ('problem' in result) return {...state, editing: {...current, error: result.problem}};
	const next = {...state, text: result.text, editing: undefined};
	if (current.kind === 'text' && current.newEntry && row.list) return {...next, rowId: pathText([...row.list.path, (parsed.value as {key: string}).key])};
	// A renamed entry or image has a new row id: keep the cursor where it was.
	const rows = currentSection(next).rows;
	if (rows.some(r => r.id === row.id)) return next;
	const before = currentSection(state).rows.findIndex(r => r.id === row.id);
	return {...next, rowId: rows[Math.min(before, rows.length - 1)]?.id};
}

function form(state: StepFormState, action: StepFormAction): StepFormState {
	const {sections, broken} = derive(state.text);
	const section = currentSection(state);
	const rows = section.rows;
	const index = selectedIndex(rows, state.rowId);
	const row = rows[index];
	const readOnly = broken !== undefined && ['enter', 'add', 'remove', 'move-item', 'save'].includes(action.type) && state.focus === 'fields';
	if (readOnly) return {...state, notice: failure(broken!)};
	switch (action.type) {
		case 'move': {
			if (state.focus === 'fields') return {...state, rowId: rows[moveRow(rows, index, action.by)]?.id};
			const at = sections.findIndex(s => s.id === section.id);
			const next = sections[Math.max(0, Math.min(sections.length - 1, at + action.by))]!;
			return {...state, section: next.id, rowId: undefined};
		}
		case 'focus':
			return {...state, focus: action.to};
		case 'enter':
			if (state.focus === 'sections') return {...state, focus: 'fields'};
			if (row?.opens) return {...state, section: row.opens, rowId: undefined};
			if (row?.field) return startEdit(state, row);
			if (row?.heading && row.list?.add) return form(state, {type: 'add'});
			return state;
		case 'escape':
			if (state.focus === 'fields') return {...state, focus: 'sections'};
			return isDirty(state) ? {...state, mode: {kind: 'confirm-discard'}} : state;
		case 'add':
			return add(state, row);
		case 'remove':
			if (state.focus !== 'fields' || row?.list?.item === undefined) return {...state, notice: info('x removes an item of a list: select one first')};
			return {...state, mode: {kind: 'confirm-remove', rowId: row.id, question: `Remove ${row.list.itemLabel ?? row.list.noun}?`}};
		case 'move-item':
			return moveListItem(state, row, action.by);
		case 'save':
			if (state.file === undefined) return {...state, mode: {kind: 'file-name', buffer: bufferOf(`${state.folder}/${projectFileName(state)}.yaml`)}};
			if (state.text === state.original) return {...state, notice: info('no changes to save')};
			return {...state, mode: {kind: 'diff', target: state.file, offset: 0}};
		default:
			return state;
	}
}

/** The project name as a file name (`orders-api`), or `recipe` when it is not one yet. Only `name` is read. */
function projectFileName(state: StepFormState): string {
	const name = display(valueAt(openRecipe(state.text), ['name']));
	return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) ? name : 'recipe';
}

function add(state: StepFormState, row: Row | undefined): StepFormState {
	const list = row?.list;
	if (state.focus !== 'fields' || !list?.add) return {...state, notice: info('a adds an item to a list: select the list or one of its items first')};
	if (list.noun === 'container' && list.count >= maxContainers) return {...state, notice: failure(`a task has at most ${maxContainers} containers (an ECS limit)`)};
	const action = list.add;
	if (action.kind === 'entry') {
		const heading = `${pathText(list.path)}#`;
		return {...state, rowId: heading, editing: {kind: 'text', rowId: heading, buffer: bufferOf(''), newEntry: true}};
	}
	let selected = '';
	const result = edit(state, document => {
		selected = action.apply(document);
		return undefined;
	});
	if ('problem' in result) return {...state, notice: failure(result.problem)};
	const next = {...state, text: result.text, rowId: selected};
	const added = currentSection(next).rows.find(r => r.id === selected);
	return action.edit && added ? startEdit(next, added) : next;
}

function remove(state: StepFormState, rowId: string): StepFormState {
	const row = currentSection(state).rows.find(r => r.id === rowId);
	const list = row?.list;
	if (!list || list.item === undefined) return {...state, mode: {kind: 'form'}};
	const result = edit(state, document => {
		removeListItem(document, list);
		return undefined;
	});
	if ('problem' in result) return {...state, mode: {kind: 'form'}, notice: failure(result.problem)};
	return {...state, text: result.text, mode: {kind: 'form'}, rowId: `${pathText(list.path)}#`, notice: info(`removed ${list.itemLabel ?? list.noun}`)};
}

function moveListItem(state: StepFormState, row: Row | undefined, by: -1 | 1): StepFormState {
	const list = row?.list;
	if (state.focus !== 'fields' || !list || !canMove(list)) return {...state, notice: info('[ and ] move an item of a list: select one first')};
	if (list.move) {
		let selected: string | undefined;
		const result = edit(state, document => {
			selected = list.move!(document, by);
			return undefined;
		});
		return 'problem' in result || selected === undefined ? state : {...state, text: result.text, rowId: selected};
	}
	const from = list.item as number;
	const to = from + by;
	let moved = false;
	const result = edit(state, document => {
		moved = moveItem(document, list.path, from, to);
		return undefined;
	});
	if ('problem' in result || !moved) return state;
	const prefix = pathText([...list.path, from]);
	return {...state, text: result.text, rowId: pathText([...list.path, to]) + row!.id.slice(prefix.length)};
}
