import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {DiffView} from './diff-view.js';
import {FieldPane} from './field-pane.js';
import {ProblemSummary, summaryHeight} from './problem-summary.js';
import {SectionList} from './section-list.js';
import {StatusLine} from './status-line.js';
import {currentSection, derive, isDirty, selectedIndex} from './step-form-reducer.js';
import {useStepForm} from './use-step-form.js';

type Props = {
	/** The recipe to edit; absent: a new recipe. */
	file?: string;
	height: number;
	width: number;
};

/** Columns of the section list: the rest of the width is the fields'. */
export function sectionsWidth(width: number): number {
	return width >= 120 ? 28 : 22;
}

/**
 * The step form: the recipe's sections on the left (after the Octopus "Deploy Amazon ECS Service" step), the
 * section's fields on the right with their problems, and the validator's summary below. ^s shows the changes
 * and writes them, keeping the file's comments and key order.
 */
export function StepFormScreen({file, height, width}: Props) {
	const page = Math.max(1, height - 8);
	const {state, connecting, check, problems, placement, typing} = useStepForm(file, page);
	if (connecting) return <Text dimColor>connecting…</Text>;
	if (state.status === 'loading') return <Text dimColor>reading {printable(file ?? 'the recipe')}…</Text>;
	if (state.status === 'failed') {
		return (
			<Box flexDirection="column">
				<Text color="red">✗ {printable(state.problem ?? 'the recipe could not be read')}</Text>
				<Text dimColor>Esc goes back.</Text>
			</Box>
		);
	}
	const {sections, broken} = derive(state.text);
	const section = currentSection(state);
	const dirty = isDirty(state);
	const title = state.file === undefined ? 'New recipe (not saved yet)' : `Edit ${state.file}`;
	const summaryLines = summaryHeight(problems.length, height);
	const paneHeight = Math.max(3, height - 2 - summaryLines);
	const left = sectionsWidth(width);
	return (
		<Box flexDirection="column" height={height}>
			<Text wrap="truncate">
				<Text bold>{printable(title)}</Text>
				{dirty ? <Text color="yellow"> ● unsaved changes</Text> : null}
				{broken ? <Text color="red"> · {printable(broken)}</Text> : <Text dimColor> · {printable(section.title)}</Text>}
			</Text>
			{state.mode.kind === 'diff' ? (
				<DiffView target={state.mode.target} before={state.original} after={state.text} offset={state.mode.offset} error={state.mode.error} deployable={check?.deployable} height={paneHeight} />
			) : (
				<Box height={paneHeight}>
					<SectionList sections={sections} current={section.id} focused={state.focus === 'sections'} bySection={placement.bySection} height={paneHeight} width={left} />
					<Box width={1} height={paneHeight} />
					<FieldPane
						rows={section.rows}
						selectedIndex={selectedIndex(section.rows, state.rowId)}
						focused={state.focus === 'fields'}
						editing={state.editing}
						byRow={placement.byRow}
						typingError={typing?.error}
						height={paneHeight}
						width={width - left - 1}
					/>
				</Box>
			)}
			<StatusLine state={state} />
			<ProblemSummary problems={check ? problems : undefined} deployable={check?.deployable} asTyped={typing?.text !== undefined} height={summaryLines} />
		</Box>
	);
}
