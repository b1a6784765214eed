import {createTwoFilesPatch} from 'diff';
import {Box, Text} from 'ink';
import {useMemo} from 'react';
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

/** The patch's lines, without the index header (the title names the file). */
export function patchLines(target: string, before: string, after: string): string[] {
	const lines = createTwoFilesPatch(target, target, before, after, '', '', {context: 3}).split('\n');
	// The header (Index, ===, ---, +++) names the file, which the title does; the last line is the empty one after the final newline.
	const body = lines.slice(Math.max(0, lines.findIndex(line => line.startsWith('@@'))));
	return body.filter((line, i) => !line.startsWith('\\ No newline') && !(line === '' && i === body.length - 1));
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
