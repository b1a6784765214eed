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
