import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {checkCounts} from '../../../domain/preflight.js';
import {printable} from '../../../domain/text.js';
import type {RecipeVerifyState} from './use-recipe-verify.js';

/** The pre-flight verify of an environment: one row per check (✓ passed, ✗ failed with what to do, – not checked and why). */
export function VerifyPane({state, height}: {state: RecipeVerifyState; height: number}) {
	if (state.status === 'closed') return null;
	const title = (
		<Text bold wrap="truncate">
			Pre-flight verify of {printable(state.environment)} <Text dimColor>(v again checks again · esc closes)</Text>
		</Text>
	);
	if (state.status === 'running') {
		return (
			<Box flexDirection="column" marginTop={1}>
				{title}
				<Text>
					<Text color="cyan">
						<Spinner type="dots" />
					</Text>{' '}
					reading the roles, network, target groups, secrets and images of the recipe…
				</Text>
			</Box>
		);
	}
	const result = state.status === 'done' ? state.result : undefined;
	const rows =
		result?.kind === 'verified'
			? result.checks.flatMap(c => [
					<Text key={c.field} wrap="truncate">
						{c.state === 'passed' ? <Text color="green">✓</Text> : c.state === 'failed' ? <Text color="red">✗</Text> : <Text color="yellow">–</Text>} {printable(c.field)}: <Text dimColor={c.state === 'passed'}>{printable(`${c.subject}: ${c.state === 'not checked' ? 'not checked: ' : ''}${c.reason}`)}</Text>
					</Text>,
					...(c.state === 'failed' && c.fix ? [<Text key={`${c.field} fix`} wrap="truncate" dimColor>{`    → ${printable(c.fix)}`}</Text>] : []),
				])
			: [
					<Text key="why" color="red" wrap="truncate">
						{printable(state.status === 'error' ? state.error : result?.kind === 'invalid' ? `${result.message}: ${result.problems.map(p => `${p.path}: ${p.message}`).join('; ')}` : result?.kind === 'access' ? result.message : '')}
					</Text>,
				];
	return (
		<Box flexDirection="column" marginTop={1} height={height} overflowY="hidden">
			{title}
			{result?.kind === 'verified' ? (
				<Text color={result.passed ? 'green' : 'red'} wrap="truncate">
					{result.passed ? '✓ passed' : '✗ failed: a deploy would stop here'} ({checkCounts(result.checks)})
				</Text>
			) : null}
			{rows.slice(0, Math.max(0, height - 2))}
		</Box>
	);
}
