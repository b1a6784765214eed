import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {windowStart} from './field-lines.js';
import type {FormProblem} from './problems.js';
import type {Section, SectionId} from './rows.js';

type Props = {
	sections: readonly Section[];
	current: SectionId;
	/** The list has the keys. */
	focused: boolean;
	bySection: ReadonlyMap<SectionId, readonly FormProblem[]>;
	height: number;
	width: number;
};

/**
 * The sections on the left, containers indented under "Containers", each with the count of its problems
 * (`✗ 2`). Exactly `height` lines: a window around the current section.
 */
export function SectionList({sections, current, focused, bySection, height, width}: Props) {
	const at = Math.max(0, sections.findIndex(s => s.id === current));
	const start = windowStart(sections.length, [at, at], height);
	return (
		<Box flexDirection="column" height={height} width={width} overflowY="hidden">
			{sections.slice(start, start + height).map(section => {
				const problems = bySection.get(section.id) ?? [];
				const errors = problems.filter(p => p.severity === 'error').length;
				const selected = section.id === current;
				const count = errors > 0 ? ` ✗${errors}` : problems.length > 0 ? ` !${problems.length}` : '';
				const title = `${'  '.repeat(section.depth)}${printable(section.title)}`;
				return (
					<Text key={section.id} wrap="truncate">
						<Text color="cyan">{selected ? (focused ? '❯ ' : '› ') : '  '}</Text>
						<Text inverse={selected && focused} bold={selected}>
							{title.slice(0, Math.max(1, width - 2 - count.length))}
						</Text>
						<Text color={errors > 0 ? 'red' : 'yellow'}>{count}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
