import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {printable} from '../../../domain/text.js';
import {ListRows} from '../../components/list-rows.js';
import type {ListController} from '../../lists/use-list.js';
import {TextField} from './text-field.js';
import type {PickOption} from './use-target-wizard.js';

type Props = {
	label: string;
	query: string;
	onQuery(value: string): void;
	options: readonly PickOption[];
	/** The selected option. */
	selected: number;
	/** Rows for the options. */
	rows: number;
	error: string | undefined;
	/** The list is being loaded (a spinner and these words), or could not be (why, in yellow). */
	loading?: string | undefined;
	failed?: string | undefined;
	/** What the list is empty of. */
	empty: string;
	/** The value picked before (marked in the list). */
	current: string;
	focus: boolean;
};

/** Rows a pick step uses besides its list: the filter field (2), the list's footer (1) and the status rows (2). */
export const pickChrome = 5;

/**
 * The options as a list for `ListRows`: the window keeps the selection on screen. The selection itself is the
 * wizard's (so Enter always takes what is shown as selected), hence no keys here.
 */
export function pickList(options: readonly PickOption[], selected: number, rows: number): ListController<PickOption> {
	const height = Math.max(1, rows);
	const offset = Math.max(0, Math.min(selected - height + 1, options.length - height));
	const start = Math.min(offset, selected);
	return {
		state: {selected, offset: start, query: '', queryCursor: 0, filtering: false, height, count: options.length},
		visible: options,
		selected: options[selected],
		window: options.slice(start, start + height).map((item, i) => ({item, index: start + i})),
		handleKey: () => false,
		select: () => undefined,
	};
}

/**
 * A value picked from a filtered list, or typed: the field filters the list (every word must match), ↑↓ move,
 * Enter picks the selected option; a value that is not listed is offered as typed.
 */
export function PickStep({label, query, onQuery, options, selected, rows, error, loading, failed, empty, current, focus}: Props) {
	return (
		<Box flexDirection="column">
			<TextField label={label} value={query} onChange={onQuery} focus={focus} error={error} hint="type to filter, or type a value that is not listed · ↑↓ select · ↵ pick" />
			<ListRows
				list={pickList(options, selected, rows)}
				keyOf={option => `${option.typed ? 'typed:' : ''}${option.value}`}
				empty={empty}
				render={(option, selected) => (
					<Text wrap="truncate" bold={selected} color={option.typed ? 'yellow' : undefined}>
						{printable(option.label).padEnd(18)} <Text dimColor>{option.detail ?? ''}</Text>
						{option.value === current && !option.typed ? <Text color="green"> (current)</Text> : null}
					</Text>
				)}
			/>
			<Box height={2} overflowY="hidden">
				{loading ? (
					<Text wrap="truncate">
						<Text color="cyan">
							<Spinner type="dots" />
						</Text>{' '}
						{loading}
					</Text>
				) : failed ? (
					<Text color="yellow" wrap="wrap">
						{printable(failed)}
					</Text>
				) : null}
			</Box>
		</Box>
	);
}
