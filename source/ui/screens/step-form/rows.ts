import type {Document} from 'yaml';
import {addEntry, removeItem, renameKey, setField, type KeyValue, type Path} from '../../../domain/recipe/edit.js';
import {display, parseEntry, pathText, type Field, type Rule} from './fields.js';

/** A section of the form: `project`, `service`, …, `containers`, and `container:<index>` for each container. */
export type SectionId = string;

/** What `a` does on a list: add an item to the document (then select, and maybe edit, a row of it), or type a new `NAME=value` entry. */
export type AddAction =
	| {kind: 'item'; apply(document: Document): string; edit: boolean}
	| {kind: 'entry'; field: Field; label: string};

/** The list a row belongs to, for `a` (add), `x` (remove) and `[` `]` (move). */
export type ListRef = {
	path: Path;
	/** The row's item: its index, or its key in a mapping. Absent on the list's heading row. */
	item?: number | string;
	/** What an item is called: "container", "port", "environment variable". */
	noun: string;
	/** The item in the remove question: `port 8080`. */
	itemLabel?: string;
	add?: AddAction;
	/** Lists can be reordered; mappings keep the order they were written in. */
	movable: boolean;
	count: number;
	/** Removes the row's item, when that is more than deleting `path[item]` (a variable and all its definitions). */
	remove?(document: Document): void;
	/** Moves the row's item one place up or down; returns the id of the row to select then, undefined when it cannot move. */
	move?(document: Document, by: -1 | 1): string | undefined;
};

/** Whether `[` and `]` move the row's item. */
export const canMove = (list: ListRef | undefined): boolean => list !== undefined && list.item !== undefined && (list.move !== undefined || (list.movable && typeof list.item === 'number'));

/** One line of the field pane. */
export type Row = {
	/** Unique in the form; keeps the selection when rows come and go. */
	id: string;
	label: string;
	/** The value as shown; empty when the field is not set. */
	value: string;
	/** Shown dimmed when the value is empty: the default. */
	placeholder?: string;
	/** Indentation: items of a list are indented under its heading. */
	depth: number;
	/** The field's path as the validator writes it, so its problems can be shown here. */
	path: string;
	/** More paths whose problems (theirs and those of what is under them) are shown here: a variable's definitions. */
	covers?: readonly string[];
	field?: Field;
	list?: ListRef;
	/** Enter opens this section (a container of the containers list). */
	opens?: SectionId;
	/** A list's heading or a group's title. */
	heading?: boolean;
};

export type Section = {id: SectionId; title: string; depth: number; rows: Row[]};

/** Rows that the cursor stops on: fields, list rows and rows that open a section. */
export const selectable = (row: Row) => Boolean(row.field || row.list || row.opens);

/** A field's row. A select shows its option's label. */
export function fieldRow(label: string, path: Path, field: Field, extra: Partial<Row> = {}): Row {
	const value = field.kind === 'select' ? (field.options?.find(o => o.value === field.initial)?.label ?? field.initial) : field.initial;
	return {id: pathText(path), label, value, depth: 0, path: pathText(path), field, ...extra};
}

/** A list's heading: `Ports (2)`; `a` adds an item there. */
export function headingRow(label: string, list: Omit<ListRef, 'item'>, extra: Partial<Row> = {}): Row {
	return {id: `${pathText(list.path)}#`, label: `${label} (${list.count})`, value: '', depth: 0, path: pathText(list.path), heading: true, list, ...extra};
}

/** A group's title (not a list): `Health check`, `Logging`. */
export function titleRow(label: string, path: Path): Row {
	return {id: `${pathText(path)}#title`, label, value: '', depth: 0, path: `${pathText(path)}#title`, heading: true};
}

/** A list of items (environments, ports, volumes…) as `itemListRows` lays it out. */
export type ItemList<T> = {
	path: Path;
	noun: string;
	items: readonly T[];
	/** Adds an item to the document; returns the id of the row to select then. */
	add(document: Document): string;
	/** The row selected after `a` is edited at once. @default true */
	edit?: boolean;
	/** @default true (a mapping's entries keep the order they were written in) */
	movable?: boolean;
	/** An item's key in `path`: its index, or its key in a mapping. @default its index */
	key?(item: T, index: number): number | string;
	/** The item in the remove question: `port 8080`. */
	label(item: T, index: number): string;
	/** More for the heading row: its depth, a value shown on it. */
	heading?: Partial<Row>;
	/** An item's rows; each takes `list` so that `x`, `[` and `]` act on the item. */
	rows(item: T, index: number, list: ListRef): Row[];
};

/** A list's heading (`a` adds an item there) and then each item's rows, all of them knowing the list. */
export function itemListRows<T>(title: string, spec: ItemList<T>): Row[] {
	const list: Omit<ListRef, 'item'> = {path: spec.path, noun: spec.noun, movable: spec.movable ?? true, count: spec.items.length, add: {kind: 'item', edit: spec.edit ?? true, apply: spec.add}};
	return [
		headingRow(title, list, spec.heading),
		...spec.items.flatMap((item, i) => spec.rows(item, i, {...list, item: spec.key?.(item, i) ?? i, itemLabel: spec.label(item, i)})),
	];
}

/** A name not taken yet: `volume`, `volume-2`, … */
export function uniqueName(base: string, taken: readonly unknown[]): string {
	if (!taken.includes(base)) return base;
	for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The rows of a `name → value` mapping (environment variables, log options): one row per entry, edited as
 * `NAME=value`; `a` types a new entry.
 */
export function entryRows(title: string, noun: string, path: Path, entries: readonly KeyValue[], depth = 0, rule?: Rule): Row[] {
	const list: Omit<ListRef, 'item'> = {path, noun, movable: false, count: entries.length, add: {kind: 'entry', label: `new ${noun}`, field: newEntryField(path, entries, rule)}};
	return [
		headingRow(title, list, {depth}),
		...entries.map(({key, value}) => ({
			id: pathText([...path, key]),
			label: key,
			value: display(value),
			depth: depth + 1,
			path: pathText([...path, key]),
			list: {...list, item: key, itemLabel: `${noun} ${key}`},
			field: entryField(path, key, value, entries, rule),
		})),
	];
}

function entryField(path: Path, key: string, value: unknown, entries: readonly KeyValue[], rule?: Rule): Field {
	return {
		kind: 'text',
		initial: `${key}=${display(value)}`,
		hint: 'NAME=value',
		parse: typed => parseEntry(typed, rule),
		write(document, parsed) {
			const entry = parsed as KeyValue;
			if (entry.key !== key) {
				if (entries.some(e => e.key === entry.key)) return `${entry.key} is set already`;
				renameKey(document, path, key, entry.key);
			}
			setField(document, [...path, entry.key], entry.value);
			return undefined;
		},
	};
}

function newEntryField(path: Path, entries: readonly KeyValue[], rule?: Rule): Field {
	return {
		kind: 'text',
		initial: '',
		hint: 'NAME=value',
		parse: typed => parseEntry(typed, rule),
		write(document, parsed) {
			const entry = parsed as KeyValue;
			if (entries.some(e => e.key === entry.key) || !addEntry(document, path, entry.key, entry.value)) return `${entry.key} is set already`;
			return undefined;
		},
	};
}

/** Removes a row's item from its list (or its entry from a mapping). */
export function removeListItem(document: Document, list: ListRef): void {
	if (list.remove) list.remove(document);
	else if (list.item !== undefined) removeItem(document, list.path, list.item);
}
