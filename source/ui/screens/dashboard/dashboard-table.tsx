import {Box, Text} from 'ink';
import {memo} from 'react';
import {printable} from '../../../domain/text.js';
import type {RecipeSummary} from '../../catalog.js';
import {fitCell, summarizeEnvironment, toneColor, type Cell, type CellKey} from '../../hooks/use-status-cells.js';
import type {AppRun} from '../../runs/run-registry.js';
import {markerWidth} from './dashboard-grid.js';

type Widths = {name: number; cell: number};

/** The column titles: `project` (with ‹ › when environment columns are scrolled out of view), then each environment. */
export function GridHeader({environments, widths, hidden}: {environments: readonly string[]; widths: Widths; hidden: {before: boolean; after: boolean}}) {
	const title = `project${hidden.before ? ' ‹' : ''}${hidden.after ? ' ›' : ''}`;
	return (
		<Box>
			<Text dimColor>
				{' '.repeat(markerWidth)}
				{title.padEnd(widths.name)}
			</Text>
			{environments.map(env => (
				<Box key={env} width={widths.cell}>
					<Text dimColor wrap="truncate">
						{printable(env)}
					</Text>
				</Box>
			))}
		</Box>
	);
}

type RowProps = {project: RecipeSummary; environments: readonly string[]; selected: boolean; focused: string | undefined; cells: ReadonlyMap<CellKey, Cell>; runs: readonly AppRun[]; widths: Widths};

/** A project's row: its name, then its cell under each environment column (blank where it has none). */
export const ProjectRow = memo(function ProjectRow({project, environments, selected, focused, cells, runs, widths}: RowProps) {
	const name = printable(project.name ?? project.file);
	const marker = <Text color="cyan">{selected ? '❯ ' : '  '}</Text>;
	if (!project.document) {
		return (
			<Text wrap="truncate">
				{marker}
				<Text color="red">{cut(name, widths.name)}</Text>
				<Text dimColor>cannot be read: {printable(project.problems[0]?.message ?? 'unknown problem')}</Text>
			</Text>
		);
	}
	return (
		<Box>
			{marker}
			<Box width={widths.name}>
				<Text bold={selected} wrap="truncate">
					{cut(name, widths.name)}
				</Text>
			</Box>
			{environments.map(environment => {
				if (!project.environments.includes(environment)) return <Box key={environment} width={widths.cell} />;
				const summary = summarizeEnvironment(project.file, environment, cells, runs);
				return (
					<Box key={environment} width={widths.cell}>
						<Text wrap="truncate" inverse={selected && focused === environment} color={toneColor[summary.tone]} dimColor={summary.tone === 'quiet'}>
							{fitCell(summary, widths.cell - 1)}
						</Text>
					</Box>
				);
			})}
		</Box>
	);
});

/** A name in a column (one column kept free before the next), cut with `…`. */
function cut(name: string, width: number): string {
	return name.length < width ? name.padEnd(width) : `${name.slice(0, Math.max(0, width - 2))}… `;
}
