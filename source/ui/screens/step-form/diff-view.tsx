import {createTwoFilesPatch} from 'diff';
import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {sensitiveValues} from '../../../domain/recipe/edit.js';
import {printable} from '../../../domain/text.js';

type Props = {
	target: string;
	/** The file's text now ('' for a new file) and the text to write. */
	before: string;
	after: string;
	offset: number;
	/** Why the last write failed. */
	error?: string | undefined;
	deployable: boolean | undefined;
	height: number;
};

/** What a masked value shows instead. */
const mask = '••••••';

/**
 * The patch's lines, without the index header (the title names the file). A value written for a sensitive
 * variable (an error, which the form takes out when the value is edited) is masked wherever it shows: a
 * secret never reaches the screen, not even as the line a save removes.
 */
export function patchLines(target: string, before: string, after: string): string[] {
	const lines = createTwoFilesPatch(target, target, before, after, '', '', {context: 3}).split('\n');
	// The header (Index, ===, ---, +++) names the file, which the title does; the last line is the empty one after the final newline.
	const body = lines.slice(Math.max(0, lines.findIndex(line => line.startsWith('@@'))));
	const secrets = [...new Set([...sensitiveValues(before), ...sensitiveValues(after)])].sort((a, b) => b.length - a.length);
	return body.filter((line, i) => !line.startsWith('\\ No newline') && !(line === '' && i === body.length - 1)).map(line => masked(line, secrets));
}

/** A line with every secret masked; a very short one only where a value is written (`value: ab`), so the rest of the diff stays readable. */
function masked(line: string, secrets: readonly string[]): string {
	let out = line;
	for (const secret of secrets) if (secret.length >= 3 || /\bvalue:/.test(out)) out = out.split(secret).join(mask);
	return out;
}

/** The changes to write, as a unified diff with +/- lines coloured; scrolls with ↑↓ PgUp PgDn. */
export function DiffView({target, before, after, offset, error, deployable, height}: Props) {
	const lines = useMemo(() => patchLines(target, before, after), [target, before, after]);
	const room = Math.max(1, height - 2);
	const start = Math.max(0, Math.min(offset, lines.length - room));
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold wrap="truncate">
				{before === '' ? 'New file' : 'Changes to'} {printable(target)}: y writes, n goes back to the form
				{lines.length > room ? ` (lines ${start + 1}–${Math.min(lines.length, start + room)} of ${lines.length})` : ''}
			</Text>
			{error ? (
				<Text color="red" wrap="truncate">
					✗ {printable(error)}
				</Text>
			) : deployable === false ? (
				<Text color="yellow" wrap="truncate">
					The recipe has errors: it is saved as a draft, and cannot be deployed until they are fixed.
				</Text>
			) : (
				<Text dimColor wrap="truncate">
					{before === '' ? 'A new file: nothing that exists is overwritten.' : 'Comments and key order are kept; only these lines change.'}
				</Text>
			)}
			{lines.slice(start, start + room).map((line, i) => (
				<Text key={start + i} wrap="truncate" color={line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : undefined}>
					{printable(line) || ' '}
				</Text>
			))}
		</Box>
	);
}
