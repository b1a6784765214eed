import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {problemText, type FormProblem} from './problems.js';

type Props = {
	/** Undefined while the validator is not loaded yet. */
	problems: readonly FormProblem[] | undefined;
	deployable: boolean | undefined;
	/** The problems are those of what is being typed, not accepted yet. @default false */
	asTyped?: boolean;
	/** Lines, the title included. */
	height: number;
};

/** How many lines the summary takes for a number of problems, given the screen's height. */
export function summaryHeight(problems: number, screenHeight: number): number {
	const most = screenHeight >= 36 ? 7 : 3;
	return 1 + Math.min(problems, most - 1);
}

/**
 * Every problem of the recipe, errors first, each with its field's path and the environments it is found in;
 * the title says whether the recipe can be deployed.
 */
export function ProblemSummary({problems, deployable, asTyped = false, height}: Props) {
	if (problems === undefined) return <Text dimColor>checking the recipe…</Text>;
	const errors = problems.filter(p => p.severity === 'error').length;
	const warnings = problems.length - errors;
	const shown = problems.slice(0, Math.max(0, height - 1));
	const counts = [errors > 0 ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : '', warnings > 0 ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : ''].filter(Boolean).join(', ');
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			{deployable ? (
				<Text color="green" wrap="truncate">
					✓ Deployable{asTyped ? ' as typed' : ''}
					{counts ? ` (${counts})` : ': no problems'}
				</Text>
			) : (
				<Text color="red" wrap="truncate">
					✗ Not deployable{asTyped ? ' as typed' : ''}: {counts || 'the recipe cannot be read'}.{asTyped ? '' : ' ^s saves it as a draft.'}
					{problems.length > shown.length ? ` Showing ${shown.length} of ${problems.length}.` : ''}
				</Text>
			)}
			{shown.map(problem => (
				<Text key={`${problem.path}\n${problem.message}`} wrap="truncate" color={problem.severity === 'error' ? 'red' : 'yellow'}>
					{problem.severity === 'error' ? '  ✗ ' : '  ! '}
					{printable(problem.path)}: {printable(problemText(problem))}
					{problem.line === undefined ? '' : ` (line ${problem.line})`}
				</Text>
			))}
		</Box>
	);
}
