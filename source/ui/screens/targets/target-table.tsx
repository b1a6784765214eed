import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {ListRows} from '../../components/list-rows.js';
import type {ListController} from '../../lists/use-list.js';
import type {Target} from '../../../domain/records.js';
import {headerCells, targetCells, targetColumns} from './target-columns.js';
import {verificationPassed, type VerificationState} from './verification.js';

type Props = {
	list: ListController<Target>;
	verifications: Record<string, {state: VerificationState}>;
	width: number;
};

/** The targets as a table: a header row, then one row per target with its last verification (spinner, ✓ or ✗). */
export function TargetTable({list, verifications, width}: Props) {
	// Two columns for the selection marker, two for the verification cell.
	const columns = targetColumns(width - 4);
	return (
		<Box flexDirection="column">
			<Text dimColor wrap="truncate">
				{'    '}
				{headerCells(columns)}
			</Text>
			<ListRows
				list={list}
				keyOf={target => target.name}
				render={(target, selected) => (
					<Text wrap="truncate" bold={selected}>
						<Status state={verifications[target.name]?.state} /> {targetCells(target, columns)}
					</Text>
				)}
			/>
		</Box>
	);
}

function Status({state}: {state: VerificationState | undefined}) {
	if (!state) return <Text> </Text>;
	if (state.status === 'running')
		return (
			<Text color="cyan">
				<Spinner type="dots" />
			</Text>
		);
	return verificationPassed(state) ? <Text color="green">✓</Text> : <Text color="red">✗</Text>;
}
