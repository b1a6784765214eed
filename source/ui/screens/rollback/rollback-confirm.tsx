import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {column, shortDigest} from '../../format.js';
import type {CandidateRow, ImageChange, RollbackChange} from './rollback-changes.js';
import type {ChangesLoad} from './use-rollback.js';

type Props = {
	environment: string;
	chosen: CandidateRow;
	now: CandidateRow | undefined;
	images: readonly ImageChange[];
	/** Every other field that changes, from the engine (undefined: not asked yet). */
	changes: ChangesLoad | undefined;
	/** The first change line shown (↑↓ scroll a long list). */
	offset: number;
	reattach: string;
	height: number;
	width: number;
};

/** Rows the confirmation needs besides the changes: title, two headings, notes, four closing lines, margins. */
export const confirmChrome = 11;

/**
 * What a rollback changes, before it starts: each image (tag and digest) from what the stack holds to the
 * chosen release, then every configuration field that differs (variables — sensitive ones masked —, sizes,
 * desired count, ports, health checks, environment, secrets by name, …), compared by the engine between
 * what runs (its task definition) and the recipe the chosen release keeps, which is what the rollback
 * deploys. A long list scrolls. The template's changes come from CloudFormation during the run.
 */
export function RollbackConfirm({environment, chosen, now, images, changes, offset, reattach, height, width}: Props) {
	const fields = changes?.state === 'ready' ? changes.changes.changes.filter(c => c.group !== 'image') : [];
	const notes = changes?.state === 'ready' ? changes.changes.notes : [];
	const room = Math.max(2, height - confirmChrome - images.length - Math.min(2, notes.length));
	const first = Math.max(0, Math.min(offset, fields.length - room));
	const shown = fields.slice(first, first + room);
	const labelWidth = Math.min(34, Math.max(14, ...fields.map(c => c.label.length + 1)));
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold color="yellow" wrap="truncate">
				Roll {environment} back to release {printable(chosen.version)}?
			</Text>
			<Text wrap="truncate" dimColor>
				Images: {now && !now.running ? `what the stack holds (${printable(now.version)}; ECS has not caught up)` : `what runs now${now ? ` (${printable(now.version)})` : ' (not known)'}`} → release {printable(chosen.version)}
			</Text>
			{images.map(change => (
				<Text key={change.ref} wrap="truncate" {...(change.changed ? {} : {dimColor: true})}>
					{'  '}
					{column(printable(change.ref), 12)} {side(change.from)} → <Text color={change.changed ? 'cyan' : undefined}>{side(change.to)}</Text>
					{change.changed ? '' : '  (unchanged)'}
				</Text>
			))}
			<Text wrap="truncate" dimColor>
				Configuration: {changes?.state === 'ready' ? `${printable(changes.changes.from)} → ${printable(changes.changes.to)}` : `what runs now → release ${printable(chosen.version)}`}
				{fields.length > room ? ` · ${first + 1}–${first + shown.length} of ${fields.length} (↑↓)` : ''}
			</Text>
			{!changes || changes.state === 'loading' ? <Text dimColor>  asking what changes…</Text> : null}
			{changes?.state === 'error' ? (
				<Text color="yellow" wrap="truncate">
					{'  '}
					{printable(changes.message)}
				</Text>
			) : null}
			{changes?.state === 'ready' && fields.length === 0 ? <Text dimColor>  no differences: only the images go back</Text> : null}
			{shown.map(change => (
				<ChangeLine key={change.path} change={change} labelWidth={labelWidth} width={width} />
			))}
			{notes.slice(0, 2).map(note => (
				<Text key={note} dimColor wrap="truncate">
					{'  '}
					{printable(note)}
				</Text>
			))}
			<Box marginTop={1} flexDirection="column">
				<Text wrap="truncate">Release {printable(chosen.version)} is deployed as it was made: the recipe it keeps, not today&apos;s.</Text>
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

/** `web: OCTO_COLOR        #00f → #f00`; a field read from a release's recipe (a task definition does not say it) is marked. */
function ChangeLine({change, labelWidth, width}: {change: RollbackChange; labelWidth: number; width: number}) {
	return (
		<Text wrap="truncate">
			{'  '}
			{column(printable(change.label), labelWidth)} <Text dimColor>{printable(change.before ?? '(not set)')}</Text> → <Text color="cyan">{printable(change.after ?? '(not set)')}</Text>
			{change.source === 'recipe' && width >= 100 ? <Text dimColor> (from the releases&apos; recipes)</Text> : null}
		</Text>
	);
}

function side(image: {tag: string; digest?: string} | undefined): string {
	return image ? `${printable(image.tag)} ${shortDigest(image.digest)}` : '(none)';
}
