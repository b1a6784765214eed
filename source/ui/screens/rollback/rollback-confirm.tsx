import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {column, shortDigest} from '../../format.js';
import type {CandidateRow, ImageChange, VariableChange} from './rollback-changes.js';

type Props = {
	environment: string;
	chosen: CandidateRow;
	now: CandidateRow | undefined;
	images: readonly ImageChange[];
	/** Undefined: the release kept no recipe to compare with. */
	variables: readonly VariableChange[] | undefined;
	reattach: string;
	height: number;
};

/**
 * What a rollback changes, before it starts: each image (tag and digest) from what runs now to the chosen
 * release, and the environment's variables in the release's recipe against the recipe now. The template's
 * changes come from CloudFormation during the run (the change preview asks again).
 */
export function RollbackConfirm({environment, chosen, now, images, variables, reattach, height}: Props) {
	// Title, images heading, variables heading, 3 closing lines, margins: the rest is for the two lists.
	const room = Math.max(2, height - 9);
	const imageRoom = Math.max(1, Math.min(images.length, Math.ceil(room / 2)));
	const variableRoom = Math.max(1, room - imageRoom);
	const shownImages = images.slice(0, imageRoom);
	const shownVariables = (variables ?? []).slice(0, variableRoom - (variables && variables.length > variableRoom ? 1 : 0));
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold color="yellow" wrap="truncate">
				Roll {environment} back to release {printable(chosen.version)}?
			</Text>
			<Text wrap="truncate" dimColor>
				Images: what runs now{now ? ` (${printable(now.version)})` : ' (not known)'} → release {printable(chosen.version)}
			</Text>
			{shownImages.map(change => (
				<Text key={change.ref} wrap="truncate" {...(change.changed ? {} : {dimColor: true})}>
					{'  '}
					{column(printable(change.ref), 12)} {side(change.from)} → <Text color={change.changed ? 'cyan' : undefined}>{side(change.to)}</Text>
					{change.changed ? '' : '  (unchanged)'}
				</Text>
			))}
			{images.length > shownImages.length ? <Text dimColor>  … {images.length - shownImages.length} more images</Text> : null}
			<Text wrap="truncate" dimColor>
				Variables of {environment}: release {printable(chosen.version)}&apos;s recipe → the recipe now (the rollback deploys with the recipe now)
			</Text>
			{variables === undefined ? <Text dimColor>  release {printable(chosen.version)} kept no recipe to compare with</Text> : null}
			{variables?.length === 0 ? <Text dimColor>  no differences: only the images go back</Text> : null}
			{shownVariables.map(change => (
				<Text key={change.name} wrap="truncate">
					{'  '}
					{column(change.name, 18)} {change.then ?? '(not set)'} → <Text color="cyan">{change.now ?? '(not set)'}</Text>
				</Text>
			))}
			{variables && variables.length > shownVariables.length ? <Text dimColor>  … {variables.length - shownVariables.length} more variables</Text> : null}
			<Box marginTop={1} flexDirection="column">
				<Text wrap="truncate">CloudFormation&apos;s change set is shown before anything changes: you confirm it again.</Text>
				<Text wrap="truncate" dimColor>
					If you detach, it goes on in AWS; follow it again with: {printable(reattach)}
				</Text>
				<Text wrap="truncate">
					<Text color="cyan">y</Text> roll back · <Text color="cyan">n</Text> keep what runs
				</Text>
			</Box>
		</Box>
	);
}

function side(image: {tag: string; digest?: string} | undefined): string {
	return image ? `${printable(image.tag)} ${shortDigest(image.digest)}` : '(none)';
}
