import {Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {BufferText} from '../../components/text-input.js';
import type {StepFormState} from './step-form-reducer.js';

/** A problem about the file being named, without repeating its name: `exists; pick another name`. */
function withoutName(problem: string, name: string): string {
	return problem.startsWith(`${name} `) ? problem.slice(name.length + 1) : problem;
}

/**
 * The line under the panes: the question being asked (remove an item, drop the changes), the new recipe's
 * file name being typed, or the last notice. Always one line.
 */
export function StatusLine({state}: {state: StepFormState}) {
	const {mode, notice} = state;
	switch (mode.kind) {
		case 'confirm-remove':
			return (
				<Text color="yellow" wrap="truncate">
					{printable(mode.question)} y removes it · n keeps it
				</Text>
			);
		case 'confirm-discard':
			return (
				<Text color="yellow" wrap="truncate">
					Drop the unsaved changes{state.file ? ` to ${printable(state.file)}` : ' (the new recipe)'}? y drops them · n keeps editing
				</Text>
			);
		case 'file-name':
			return (
				<Text wrap="truncate">
					<Text bold>Save the new recipe as: </Text>
					<BufferText buffer={mode.buffer} />
					{mode.error ? <Text color="red"> ✗ {printable(withoutName(mode.error, mode.buffer.text))}</Text> : <Text dimColor> (an existing file is never overwritten)</Text>}
				</Text>
			);
		case 'saving':
			return <Text dimColor>writing {printable(mode.target)}…</Text>;
		default:
			return notice ? (
				<Text color={notice.tone === 'error' ? 'red' : 'green'} wrap="truncate">
					{printable(notice.text)}
				</Text>
			) : (
				<Text> </Text>
			);
	}
}
