import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {wordingOf} from '../../../domain/vocabulary.js';
import {ListRows} from '../../components/list-rows.js';
import {SplitView} from '../../components/split-view.js';
import {column, formatMinute, formatTime, outcomeColor, shortDigest} from '../../format.js';
import type {ListController} from '../../lists/use-list.js';
import type {CandidateRow} from './rollback-changes.js';
import type {StoredRelease} from './use-rollback.js';

type Props = {list: ListController<CandidateRow>; releases: readonly StoredRelease[]; environment: string; width: number; height: number};

/** `web 1.0.0 sha256:32d3ee2cd711`, for each image of a release. */
export function imagesText(images: CandidateRow['images'], full = false): string {
	const refs = Object.keys(images).sort();
	if (refs.length === 0) return 'images not known (the release is not in the ledger)';
	return refs.map(ref => `${printable(ref)} ${printable(images[ref]!.tag)} ${full ? (images[ref]!.digest ?? 'no digest') : shortDigest(images[ref]!.digest)}`).join('  ');
}

/**
 * The releases the environment ran, newest first: outcome, when, images; the one running now and those that
 * never served here are listed but not offered (the row says why). Wide terminals show the selected release
 * whole beside the list; narrow ones its images under it.
 */
export function CandidateList({list, releases, environment, width, height}: Props) {
	const wide = width >= 120 && list.visible.length > 0;
	const rows = (
		<ListRows list={list} keyOf={row => row.version} empty={`no deployments of ${environment} are recorded: there is nothing to go back to`} render={row => <CandidateLine row={row} />} />
	);
	const selected = list.selected;
	if (!wide) {
		return (
			<Box flexDirection="column" height={height}>
				{rows}
				<Text dimColor wrap="truncate">
					{selected ? imagesText(selected.images) : ''}
				</Text>
			</Box>
		);
	}
	return <SplitView height={height} width={width} share={0.5} list={rows} detail={selected ? <CandidateDetail row={selected} release={releases.find(r => r.version === selected.version)} /> : null} />;
}

function CandidateLine({row}: {row: CandidateRow}) {
	return (
		<Text wrap="truncate" dimColor={!row.offered && !row.current && !row.running}>
			{column(printable(row.version), 16)} <Text color={outcomeColor(row.outcome)}>{column(wordingOf(row.outcome).words, 11)}</Text> {formatMinute(row.at)}{' '}
			{row.running ? (
				<Text color="green" bold>
					running now{' '}
				</Text>
			) : row.current ? (
				<Text color="yellow" bold>
					on the stack{' '}
				</Text>
			) : null}
			{row.offered || row.current ? imagesText(row.images) : (row.short ?? '')}
		</Text>
	);
}

function CandidateDetail({row, release}: {row: CandidateRow; release: StoredRelease | undefined}) {
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">
				release {printable(row.version)}
				{row.running ? <Text color="green"> (running now)</Text> : row.current ? <Text color="yellow"> (on the stack; ECS has not confirmed it runs)</Text> : null}
			</Text>
			<Text wrap="truncate">
				<Text dimColor>last here </Text>
				<Text color={outcomeColor(row.outcome)}>{wordingOf(row.outcome).words}</Text> at {formatTime(row.at)} UTC
			</Text>
			<Text wrap="truncate">
				<Text dimColor>made </Text>
				{release ? `${formatTime(release.createdAt)} UTC${release.createdBy ? ` by ${printable(release.createdBy)}` : ''}` : 'elsewhere (not in the ledger: known from AWS)'}
			</Text>
			{release?.notes ? <Text wrap="wrap">{printable(release.notes)}</Text> : null}
			<Text dimColor>images</Text>
			{Object.keys(row.images)
				.sort()
				.map(ref => (
					<Box key={ref} flexDirection="column" paddingLeft={2}>
						<Text wrap="truncate">
							{printable(ref)} {printable(row.images[ref]!.tag)}
						</Text>
						<Text dimColor wrap="wrap">
							{'  '}
							{row.images[ref]!.digest ?? 'no digest'}
						</Text>
					</Box>
				))}
			<Text color={row.offered ? 'cyan' : 'yellow'} wrap="wrap">
				{row.offered ? '↵ shows what changes before anything does' : (row.why ?? '')}
			</Text>
		</Box>
	);
}
