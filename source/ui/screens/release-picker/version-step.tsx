import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {TextInput} from '../../components/text-input.js';
import {textCommands} from '../../input/keymap.js';
import {useCommands} from '../../services.js';
import type {PickerState} from './release-picker-reducer.js';

type Props = {state: PickerState; refs: readonly string[]; taken: readonly string[]; width: number; onEdit(field: 'version' | 'notes', value: string): void};

/**
 * The release's version (suggested by the engine from every release the ledger holds, editable, checked as
 * it is typed: a version that exists is refused at once) and notes, under the tags picked.
 */
export function VersionStep({state, refs, taken, width, onEdit}: Props) {
	const typing = state.step === 'version';
	// The screen handles these keys (Enter creates, Tab switches fields); the field types the rest.
	useCommands(typing ? ['choose', 'nextField', 'previousField', 'back', ...textCommands] : []);
	return (
		<Box flexDirection="column" marginTop={1}>
			{refs.map(r => (
				<Text key={r} wrap="truncate">
					{printable(r)}: <Text color="green">{printable(state.tags[r] ?? '')}</Text>
				</Text>
			))}
			<Box marginTop={1}>
				<Text>Version: </Text>
				<TextInput value={state.version} focus={typing && state.field === 'version'} width={width - 10} onChange={value => onEdit('version', value)} />
			</Box>
			{state.problem ? (
				<Text color="red" wrap="truncate">
					{printable(state.problem)}
				</Text>
			) : (
				<Text dimColor wrap="truncate">
					semver, not used yet (newest releases: {newest(taken).join(', ') || 'none'})
				</Text>
			)}
			<Box>
				<Text>Notes: </Text>
				<TextInput value={state.notes} placeholder="(optional)" focus={typing && state.field === 'notes'} width={width - 8} onChange={value => onEdit('notes', value)} />
			</Box>
			{state.notice ? (
				<Text color="yellow" wrap="truncate">
					{printable(state.notice)}
				</Text>
			) : null}
			{state.step === 'creating' ? (
				<Text color="cyan">Creating release {state.version}…</Text>
			) : (
				<Text dimColor wrap="truncate">
					Enter creates the release; Tab moves between the fields; Esc goes back to the tags.
				</Text>
			)}
		</Box>
	);
}

/** The first five versions (the engine lists them newest first). */
function newest(versions: readonly string[]): string[] {
	return versions.slice(0, 5).map(v => printable(v));
}
