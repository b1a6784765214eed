import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {describeCredentialsShort, namesText} from './target-text.js';

/*
 * The columns of the targets list for a width: name, cluster, region and environments always; credentials
 * and tags when the terminal is wide enough (120 columns or more). Pure layout math.
 */

export type Column = {key: 'name' | 'cluster' | 'region' | 'environments' | 'credentials' | 'tags'; title: string; width: number};

/** The columns for rows of `width` characters (after the selection marker and the status cell). */
export function targetColumns(width: number): Column[] {
	if (width >= 116) {
		const fixed: Column[] = [
			{key: 'name', title: 'NAME', width: 20},
			{key: 'cluster', title: 'CLUSTER', width: 20},
			{key: 'region', title: 'REGION', width: 15},
			{key: 'environments', title: 'ENVIRONMENTS', width: 24},
		];
		// What is left goes to the credentials and the tags, about 3:2.
		const rest = width - fixed.reduce((sum, c) => sum + c.width + 1, 0);
		const credentials = Math.max(30, Math.floor(rest * 0.6));
		return [...fixed, {key: 'credentials', title: 'CREDENTIALS', width: credentials}, {key: 'tags', title: 'TAGS', width: Math.max(8, rest - credentials - 1)}];
	}
	const fixed: Column[] = [
		{key: 'name', title: 'NAME', width: 18},
		{key: 'cluster', title: 'CLUSTER', width: 16},
		{key: 'region', title: 'REGION', width: 14},
	];
	const used = fixed.reduce((sum, c) => sum + c.width + 1, 0);
	return [...fixed, {key: 'environments', title: 'ENVIRONMENTS', width: Math.max(8, width - used)}];
}

/** `text` cut to `width` (with … when cut) and padded to it. */
export function fit(text: string, width: number): string {
	return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** A target's cells, printable, for the columns. */
export function targetCells(target: Target, columns: readonly Column[]): string {
	const values: Record<Column['key'], string> = {
		name: target.sandbox ? `${target.name} (built in)` : printable(target.name),
		cluster: printable(target.cluster),
		region: printable(target.region),
		environments: namesText(target.environments),
		credentials: describeCredentialsShort(target),
		tags: namesText(target.tags),
	};
	return columns.map(c => fit(values[c.key], c.width)).join(' ');
}

/** The header row for the columns. */
export function headerCells(columns: readonly Column[]): string {
	return columns.map(c => fit(c.title, c.width)).join(' ');
}
