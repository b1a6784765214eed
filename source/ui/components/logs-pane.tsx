import {Box, Text} from 'ink';
import {memo, useRef, useState} from 'react';
import {printable} from '../../domain/text.js';
import type {LogLine} from '../../engine/core/host.js';
import {fit, formatClock} from '../format.js';
import {matches, typedText, type Command} from '../input/keymap.js';
import type {Key} from '../input/keys.js';
import type {LogSnapshot} from '../runs/log-store.js';

/*
 * A pane of log lines that follows the newest while nothing is selected: `/` filters, space pauses (the
 * pane holds still while lines keep arriving underneath), ↑↓ PgUp/PgDn leave the tail, End follows again.
 */

export type LogRow = LogLine & {seq: number};

/** Where the pane is: following the tail or on a row, its filter, and the snapshot it holds while paused. */
export type LogsViewState = {cursor: number | 'follow'; query: string; filtering: boolean; paused?: LogSnapshot};

/** The keys of a logs pane, for a screen's footer and help. */
export const logsCommands: readonly Command[] = ['pause', 'filter', 'up', 'down', 'pageUp', 'pageDown', 'last'];
export const logsFilteringCommands: readonly Command[] = ['filterKeep', 'filterClear', 'textEraseBack'];

/** The rows that pass the filter (every word, case-insensitive, in the container or the message). */
export function logRows(snapshot: LogSnapshot, query: string): readonly LogRow[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return snapshot.lines;
	return snapshot.lines.filter(line => {
		const text = `${line.container} ${line.message}`.toLowerCase();
		return words.every(w => text.includes(w));
	});
}

/** The row under the cursor: the newest while following. */
export function selectedLog(rows: readonly LogRow[], state: LogsViewState): LogRow | undefined {
	return state.cursor === 'follow' ? rows.at(-1) : rows[Math.max(0, Math.min(state.cursor, rows.length - 1))];
}

/** The logs pane's state and its keys: `handleKey` is true when the key was the pane's. */
export function useLogsView(): {state: LogsViewState; shown(live: LogSnapshot): LogSnapshot; handleKey(key: Key, live: LogSnapshot, page: number): boolean; reset(): void} {
	const [state, setState] = useState<LogsViewState>({cursor: 'follow', query: '', filtering: false});
	// Keys in one terminal read meet the state the key before left.
	const current = useRef(state);
	current.current = state;
	const set = (next: LogsViewState) => {
		current.current = next;
		setState(next);
	};
	return {
		state,
		shown: live => state.paused ?? live,
		reset: () => set({cursor: 'follow', query: '', filtering: false}),
		handleKey(key, live, page) {
			const now = current.current;
			if (now.filtering) {
				const typed = typedText(key);
				if (matches('filterKeep', key)) set({...now, filtering: false});
				else if (matches('filterClear', key)) set({...now, filtering: false, query: '', cursor: 'follow'});
				else if (matches('textEraseBack', key)) set({...now, query: now.query.slice(0, -1), cursor: 'follow'});
				else if (typed !== undefined) set({...now, query: now.query + typed, cursor: 'follow'});
				else return false;
				return true;
			}
			const count = logRows(now.paused ?? live, now.query).length;
			const from = now.cursor === 'follow' ? count - 1 : now.cursor;
			const move = (by: number) => {
				const to = Math.max(0, Math.min(count - 1, from + by));
				set({...now, cursor: by > 0 && to >= count - 1 ? 'follow' : to});
			};
			if (matches('pause', key)) {
				const {paused: _was, ...rest} = now;
				set(now.paused ? rest : {...now, paused: live});
			} else if (matches('filter', key)) set({...now, filtering: true});
			else if (matches('filterClear', key) && now.query !== '') set({...now, query: '', cursor: 'follow'});
			else if (matches('up', key)) move(-1);
			else if (matches('down', key)) move(1);
			else if (matches('pageUp', key)) move(-page);
			else if (matches('pageDown', key)) move(page);
			else if (matches('first', key)) set({...now, cursor: 0});
			else if (matches('last', key)) set({...now, cursor: 'follow'});
			else return false;
			return true;
		},
	};
}

type Props = {live: LogSnapshot; state: LogsViewState; height: number; width: number; focused: boolean; empty?: string};

/** The window of log lines (the tail while following), and a status line: the filter, paused, or what is followed. */
export function LogsPane({live, state, height, width, focused, empty = 'no log lines yet'}: Props) {
	const snapshot = state.paused ?? live;
	const rows = logRows(snapshot, state.query);
	const lines = Math.max(1, height - 1);
	const cursor = state.cursor === 'follow' ? rows.length - 1 : Math.max(0, Math.min(state.cursor, rows.length - 1));
	const start = Math.max(0, Math.min(cursor - lines + 1, rows.length - lines));
	const waiting = live.received - snapshot.received;
	const status = state.filtering
		? `/${state.query}▌`
		: [
				state.query ? `filter "${state.query}"` : '',
				state.paused ? `paused${waiting > 0 ? ` · ${waiting} new line${waiting === 1 ? '' : 's'}` : ''} · space resumes` : '',
				live.ended ? live.ended.message : (live.note ?? 'looking for the tasks…'),
				live.received > live.lines.length ? `newest ${live.lines.length} kept` : '',
			]
				.filter(Boolean)
				.join(' · ');
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Box flexDirection="column" height={lines} overflowY="hidden">
				{rows.length === 0 ? <Text dimColor>{state.query ? `nothing matches "${state.query}"` : empty}</Text> : null}
				{rows.slice(start, start + lines).map((row, i) => (
					<Row key={row.seq} row={row} marked={focused && state.cursor !== 'follow' && start + i === cursor} width={width} />
				))}
			</Box>
			<Text color={state.filtering || state.query || state.paused ? 'yellow' : undefined} dimColor={!state.filtering && !state.query && !state.paused} wrap="truncate">
				{printable(status)}
			</Text>
		</Box>
	);
}

const Row = memo(function Row({row, marked, width}: {row: LogRow; marked: boolean; width: number}) {
	const label = `${row.container}/${row.taskId.slice(0, 8)}`;
	// Time (9), label and a space, then the message in what is left (cut before Ink sees it: logs are long).
	const room = Math.max(1, width - (marked ? 1 : 0) - 9 - label.length - 1);
	return (
		<Text wrap="truncate">
			{marked ? <Text color="cyan">❯</Text> : null}
			<Text dimColor>{formatClock(row.timestamp)} </Text>
			<Text color="cyan">{label}</Text> {fit(printable(row.message), room)}
		</Text>
	);
});
