/** Where the dashboard's cursor is: a project row and one of its environments. */
export type GridState = {row: number; column: number};

export type GridAction = {type: 'up'} | {type: 'down'} | {type: 'left'} | {type: 'right'} | {type: 'first'} | {type: 'last'} | {type: 'page'; rows: number};

/** Moves the cursor on a grid whose rows have `columns[row]` cells; the column stays within the row. */
export function gridReducer(state: GridState, action: GridAction, columns: readonly number[]): GridState {
	const rows = columns.length;
	if (rows === 0) return {row: 0, column: 0};
	const clampColumn = (row: number, column: number) => Math.max(0, Math.min(column, (columns[row] ?? 1) - 1));
	const at = (row: number, column = state.column) => {
		const r = Math.max(0, Math.min(row, rows - 1));
		return {row: r, column: clampColumn(r, column)};
	};
	switch (action.type) {
		case 'up':
			return at(state.row - 1);
		case 'down':
			return at(state.row + 1);
		case 'left':
			return at(state.row, state.column - 1);
		case 'right':
			return at(state.row, state.column + 1);
		case 'first':
			return at(0);
		case 'last':
			return at(rows - 1);
		case 'page':
			return at(state.row + action.rows);
	}
}

/** The environment columns: every environment of the projects, in the order they first appear. */
export function environmentColumns(projects: ReadonlyArray<{environments: readonly string[]}>): string[] {
	return [...new Set(projects.flatMap(p => p.environments))];
}

/** The marker column (`❯ `). */
export const markerWidth = 2;

/** The narrowest an environment column gets: more columns than fit are scrolled (←→), not squeezed. */
export const minimumCell = 16;

/**
 * The grid's columns in `width`: the project names (12 to 24 columns, as long as the longest needs), then as
 * many environment columns as fit at `minimumCell` or wider, starting at `first` so that the focused one
 * (`focus`, an index into the environments) is among them. Never wider than `width`.
 */
export function gridWidths(width: number, longestName: number, columns: number, focus = 0): {name: number; cell: number; first: number; shown: number} {
	const count = Math.max(1, columns);
	const name = Math.min(24, Math.max(12, longestName + 2));
	const room = Math.max(1, width - markerWidth - name);
	const shown = Math.max(1, Math.min(count, Math.floor(room / minimumCell)));
	const first = Math.max(0, Math.min(focus - shown + 1, count - shown));
	return {name, cell: Math.max(1, Math.floor(room / shown)), first, shown};
}
