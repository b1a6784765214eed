import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {splitNames} from './target-draft.js';
import {TextField} from './text-field.js';

type Props = {
	value: string;
	onChange(value: string): void;
	error: string | undefined;
	/** The environments of the catalog's recipes. */
	offered: readonly string[];
	/** -1: the field has the keys; otherwise the offered environment under the cursor. */
	focus: number;
	/** False while a dialog has the keys. */
	active: boolean;
	/** Rows for the offered environments. */
	rows: number;
};

/**
 * The environments the target serves: typed (comma- or space-separated), or ticked from the environments of
 * the catalog's recipes (↓ to the list, space ticks); both edit the same field.
 */
export function EnvironmentsStep({value, onChange, error, offered, focus, active, rows}: Props) {
	const chosen = new Set(splitNames(value));
	const first = Math.max(0, Math.min(focus, offered.length - rows));
	return (
		<Box flexDirection="column">
			{/* Mounted again when the cursor comes back from the list: ticking changed the value, and the field's cursor must go to its end. */}
			<TextField key={focus === -1 ? 'typing' : 'ticking'} label="environments" value={value} onChange={onChange} focus={active && focus === -1} error={error} hint="comma- or space-separated, e.g. staging, production" />
			<Text dimColor wrap="truncate">
				{offered.length > 0 ? 'From the recipes in the catalog (↓ to the list, space ticks):' : 'No recipe in the catalog names an environment.'}
			</Text>
			<Box flexDirection="column" height={Math.max(1, rows)} overflowY="hidden">
				{offered.slice(first, first + rows).map((name, i) => {
					const index = first + i;
					return (
						<Text key={name} wrap="truncate" color={index === focus ? 'cyan' : undefined} bold={index === focus}>
							{index === focus ? '❯ ' : '  '}
							{chosen.has(name) ? <Text color="green">[x]</Text> : '[ ]'} {printable(name)}
						</Text>
					);
				})}
			</Box>
		</Box>
	);
}
