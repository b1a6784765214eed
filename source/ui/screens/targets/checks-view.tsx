import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {checkLines, type VerificationState} from './verification.js';

type Props = {
	state: VerificationState | undefined;
	target: Pick<Target, 'cluster' | 'region'>;
	/** What to say before the first verification. */
	idle?: string;
};

/** A target's live checks: a spinner on each while they run, then ✓ or ✗ with the reason (one row each). */
export function ChecksView({state, target, idle = 'not verified yet'}: Props) {
	if (!state) return <Text dimColor>{idle}</Text>;
	return (
		<Box flexDirection="column">
			{checkLines(state, target).map(line => (
				<Text key={line.check} wrap="truncate">
					{line.state === 'running' ? (
						<Text color="cyan">
							<Spinner type="dots" />
						</Text>
					) : line.state === 'passed' ? (
						<Text color="green">✓</Text>
					) : line.state === 'failed' ? (
						<Text color="red">✗</Text>
					) : (
						<Text dimColor>–</Text>
					)}{' '}
					{line.check.padEnd(12)}
					<Text dimColor={line.state === 'running' || line.state === 'skipped'}>{printable(line.detail)}</Text>
				</Text>
			))}
		</Box>
	);
}
