import {Box, Text} from 'ink';
import {TextInput} from '../../components/text-input.js';

type Props = {
	label: string;
	value: string;
	onChange(value: string): void;
	/** The field has the keys (one field at a time). */
	focus: boolean;
	/** The field's problem, shown on the line under it. */
	error?: string | undefined;
	/** Shown under the field when there is no problem. */
	hint?: string | undefined;
	placeholder?: string;
	/** Columns for the label. @default the label's length */
	labelWidth?: number;
	/** Columns the field takes: a longer value scrolls. */
	width?: number;
};

/**
 * One text field on two rows: `› label: value`, then its problem (red) or a hint. Always two rows, so a
 * problem appearing never moves what is below. Control characters never reach the value (the shared text
 * editing drops them).
 */
export function TextField({label, value, onChange, focus, error, hint, placeholder, labelWidth, width}: Props) {
	return (
		<Box flexDirection="column" height={2}>
			<Box height={1} overflow="hidden">
				<Text color={focus ? 'cyan' : undefined} bold={focus}>
					{focus ? '› ' : '  '}
					{`${label}:`.padEnd((labelWidth ?? label.length) + 2)}
				</Text>
				<TextInput value={value} onChange={onChange} focus={focus} {...(placeholder === undefined ? {} : {placeholder})} {...(width === undefined ? {} : {width: width - (labelWidth ?? label.length) - 4})} />
			</Box>
			{error ? (
				<Text color="red" wrap="truncate">
					{'    ✗ '}
					{error}
				</Text>
			) : (
				<Text dimColor wrap="truncate">
					{'    '}
					{hint ?? ''}
				</Text>
			)}
		</Box>
	);
}
