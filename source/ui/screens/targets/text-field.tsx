import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';

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
};

/**
 * One text field on two rows: `› label: value`, then its problem (red) or a hint. Always two rows, so a
 * problem appearing never moves what is below. Control characters never reach the value.
 */
export function TextField({label, value, onChange, focus, error, hint, placeholder, labelWidth}: Props) {
	return (
		<Box flexDirection="column" height={2}>
			<Box height={1} overflow="hidden">
				<Text color={focus ? 'cyan' : undefined} bold={focus}>
					{focus ? '› ' : '  '}
					{`${label}:`.padEnd((labelWidth ?? label.length) + 2)}
				</Text>
				<TextInput value={value} onChange={text => onChange(withoutControls(text))} focus={focus} showCursor={focus} {...(placeholder === undefined ? {} : {placeholder})} />
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

/** Typed or pasted text without control characters: pasted lines become spaces (lists split on them), escapes and text-reordering marks go. */
// eslint-disable-next-line no-control-regex
export const withoutControls = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '');
