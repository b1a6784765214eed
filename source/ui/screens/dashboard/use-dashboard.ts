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

/**
 * Column widths that fill `width` and never pass it: the project names (12 to 24 columns, as long as the
 * longest needs), the rest shared by the environment columns.
 */
export function gridWidths(width: number, longestName: number, columns: number): {name: number; cell: number} {
	const count = Math.max(1, columns);
	const name = Math.min(24, Math.max(12, longestName + 2), Math.max(8, width - markerWidth - count * 12));
	return {name, cell: Math.max(1, Math.floor((width - markerWidth - name) / count))};
}
