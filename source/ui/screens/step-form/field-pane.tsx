import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {layoutLines, windowStart, type Line} from './field-lines.js';
import type {FormProblem} from './problems.js';
import type {Row} from './rows.js';
import type {Editing} from './step-form-reducer.js';
import {BufferText} from '../../components/text-input.js';

type Props = {
	rows: readonly Row[];
	selectedIndex: number;
	/** The pane has the keys (the cursor is shown). */
	focused: boolean;
	editing: Editing | undefined;
	byRow: ReadonlyMap<string, readonly FormProblem[]>;
	/** Why what is being typed cannot be written (checked as it is typed). */
	typingError?: string | undefined;
	height: number;
	width: number;
};

/**
 * The fields of a section, one line each (`label   value`), the problems of a field under it, and the field
 * being edited with its hint or its choices. Exactly `height` lines: a window around the selected field.
 */
export function FieldPane({rows, selectedIndex, focused, editing, byRow, typingError, height, width}: Props) {
	const {lines, selected} = layoutLines(rows, selectedIndex, editing, byRow, typingError);
	const start = windowStart(lines.length, selected, height);
	const shown = lines.slice(start, start + height);
	const labelWidth = Math.min(24, Math.max(14, Math.floor(width * 0.32)));
	return (
		<Box flexDirection="column" height={height} width={width} overflowY="hidden">
			{shown.map(line => (
				<LineView key={line.key} line={line} focused={focused} labelWidth={labelWidth} />
			))}
		</Box>
	);
}

function LineView({line, focused, labelWidth}: {line: Line; focused: boolean; labelWidth: number}) {
	switch (line.kind) {
		case 'row':
			return <RowLine line={line} focused={focused} labelWidth={labelWidth} />;
		case 'problem':
			return (
				<Text wrap="truncate" color={line.severity === 'error' ? 'red' : 'yellow'}>
					{'  '.repeat(line.depth + 1)}
					{printable(line.text)}
				</Text>
			);
		case 'hint':
			return (
				<Text wrap="truncate" color={line.error ? 'red' : undefined} dimColor={!line.error}>
					{'  '.repeat(line.depth + 1)}
					{printable(line.text)}
				</Text>
			);
		case 'option':
			return (
				<Text wrap="truncate" color={line.selected ? 'cyan' : undefined} bold={line.selected}>
					{'  '.repeat(line.depth + 1)}
					{line.selected ? '● ' : '○ '}
					{printable(line.label)}
				</Text>
			);
	}
}

function RowLine({line, focused, labelWidth}: {line: Extract<Line, {kind: 'row'}>; focused: boolean; labelWidth: number}) {
	const {row, selected, severity, buffer} = line;
	const indent = '  '.repeat(row.depth);
	const marker = buffer ? '✎ ' : selected && focused ? '❯ ' : '  ';
	const label = `${indent}${printable(row.label)}`;
	const mark = severity === 'error' ? ' ✗' : severity === 'warning' ? ' !' : '';
	if (row.heading && !buffer) {
		return (
			<Text wrap="truncate">
				<Text color="cyan">{marker}</Text>
				<Text bold color={severity === 'error' ? 'red' : undefined}>
					{label}
				</Text>
				<Text color="red">{mark}</Text>
				{row.value ? <Text dimColor>{`  ${printable(row.value)}`}</Text> : null}
				{selected && focused && row.list?.add ? <Text dimColor>{'  · a adds'}</Text> : null}
			</Text>
		);
	}
	return (
		<Text wrap="truncate">
			<Text color="cyan">{marker}</Text>
			<Text bold={selected && focused} color={severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : undefined}>
				{label.length >= labelWidth ? `${label.slice(0, labelWidth - 2)}… ` : label.padEnd(labelWidth)}
			</Text>
			{buffer ? <BufferText buffer={buffer} /> : row.value === '' ? <Text dimColor>{printable(row.placeholder ?? '')}</Text> : <Text color={row.opens ? 'cyan' : undefined}>{printable(row.value)}</Text>}
			<Text color={severity === 'error' ? 'red' : 'yellow'}>{mark}</Text>
			{row.opens && selected && focused ? <Text dimColor>{'  ↵ open'}</Text> : null}
		</Text>
	);
}
