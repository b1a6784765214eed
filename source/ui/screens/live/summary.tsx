import {Box, Text} from 'ink';
import type {DeployResult} from '../../../engine/results.js';
import {printable} from '../../../domain/text.js';
import {wordingOf} from '../../../domain/vocabulary.js';
import {toneColor} from '../../hooks/use-status-cells.js';
import {formatElapsed, statusColor} from '../../format.js';
import type {RunSnapshot} from '../../runs/run-store.js';

/** A verdict's mark, colour and words, from the one vocabulary. */
function verdictOf(outcome: DeployResult['outcome']): {mark: string; color: string; words: string} {
	const wording = wordingOf(outcome);
	return {mark: wording.mark, words: wording.words, color: toneColor[wording.tone] ?? 'white'};
}

/** The lines under the verdict: the evidence, what is missing, the hint; each result says what it has. */
function evidenceLines(result: DeployResult): Array<{text: string; color?: string}> {
	switch (result.outcome) {
		case 'succeeded':
		case 'no-op':
			return [{text: `confirmed: ${result.confirmed.join('; ')}`, color: 'green'}];
		case 'unconfirmed':
			return [
				{text: `not confirmed: ${result.unconfirmed.join('; ')}`, color: 'yellow'},
				{text: `confirmed: ${result.confirmed.join('; ') || 'nothing'}`},
			];
		case 'error':
			return [{text: `${result.code} during ${result.step} · hint: ${result.hint}`, color: 'red'}];
		case 'stuck':
			return [{text: 'stuck — r continues the rollback (the service keeps running)', color: 'red'}];
		default:
			return [];
	}
}

/** The status line while it runs: stack status, release, target, elapsed. */
export function RunStatus({snapshot, elapsed, width}: {snapshot: RunSnapshot; elapsed: number; width: number}) {
	return (
		<Text wrap="truncate">
			<Text color={statusColor(snapshot.stackStatus ?? '')}>{snapshot.stackStatus ?? 'preparing'}</Text>
			{snapshot.stackStatusReason ? <Text dimColor> {printable(snapshot.stackStatusReason).slice(0, Math.max(10, width - 60))}</Text> : null}
			{snapshot.release ? ` · release ${snapshot.release.version}` : ''}
			{snapshot.stackName ? ` · stack ${snapshot.stackName}` : ''}
			<Text dimColor> · {formatElapsed(elapsed)}</Text>
			{snapshot.notes.length > 0 ? <Text color="yellow"> · {printable(snapshot.notes.at(-1)!.message)}</Text> : null}
		</Text>
	);
}

/**
 * A finished run: the result, duration, release, what changed, the stack outputs, and what to do next.
 * `timed`: false when the run only looked at an operation that had ended before (an attach): its duration
 * would be the time it took to look (`0s`), so none is shown.
 */
export function RunSummary({result, snapshot, next, height, timed = true}: {result: DeployResult; snapshot: RunSnapshot; next?: string; height: number; timed?: boolean}) {
	const verdict = verdictOf(result.outcome);
	const changes = 'changes' in result ? result.changes : snapshot.changes ?? [];
	const outputs = 'outputs' in result ? Object.entries(result.outputs) : [];
	const counts = ['Add', 'Modify', 'Remove'].map(a => [a, changes.filter(c => c.action === a).length] as const).filter(([, n]) => n > 0);
	const lines = Math.max(3, height);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={verdict.color} paddingX={1} height={lines} overflowY="hidden">
			<Text bold color={verdict.color} wrap="truncate">
				{verdict.mark} {verdict.words}: {printable(result.message)}
			</Text>
			<Text wrap="truncate">
				{result.release ? `release ${result.release.version} · ` : ''}
				{result.environment}
				{timed ? ` · ${formatElapsed(result.durationMs)}` : ''}
				{result.stackStatus ? ` · ${result.stackStatus}` : ''}
				{counts.length > 0 ? ` · ${counts.map(([a, n]) => `${n} ${a.toLowerCase()}`).join(', ')}` : ''}
			</Text>
			{evidenceLines(result).map(line => (
				<Text key={line.text} color={line.color} wrap="truncate">
					{printable(line.text)}
				</Text>
			))}
			{outputs.slice(0, Math.max(0, lines - 5 - evidenceLines(result).length)).map(([key, value]) => (
				<Text key={key} dimColor wrap="truncate">
					{key}: {value}
				</Text>
			))}
			<Text color="cyan" wrap="truncate">
				{next ? `p promote to ${next} · ` : ''}
				{result.outcome === 'error' ? 't try again · ' : ''}
				{result.outcome === 'stuck' ? 'r continue the rollback' : 'r roll back'} · h history · esc back
			</Text>
		</Box>
	);
}
