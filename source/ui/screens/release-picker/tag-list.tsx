import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {ImageTags, TagRow} from '../../../engine/releases/image-tags.js';
import {printable} from '../../../domain/text.js';
import {ListRows} from '../../components/list-rows.js';
import {formatMinute} from '../../format.js';
import {matches, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {filteringCommands, listCommands, useList} from '../../lists/use-list.js';
import {useCommands} from '../../services.js';

type Props = {
	refName: string;
	index: number;
	total: number;
	tags: ImageTags | {problem: string} | undefined;
	height: number;
	width: number;
	onPick(tag: string): void;
	/** Esc with no filter: true when it was the picker's (back to the image before, or to the releases). */
	onBack(): boolean;
	/** More than one channel: Tab or c switches (the tags it allows change). */
	channels?: number;
	onChannel?(): void;
};

const none: readonly TagRow[] = [];

/**
 * One image's tags, newest first by semver: pre-releases marked, the default pick marked and selected, push
 * time and short digest. Windowed, so thousands of tags cost nothing to show or filter.
 */
export function TagList({refName, index, total, tags, height, width, onPick, onBack, channels = 1, onChannel}: Props) {
	const rows = useMemo(() => (tags && !('problem' in tags) ? tags.versions.filter(v => v.allowed) : none), [tags]);
	// While a filter drops the selected tag, the selection goes to a stable one (never to a failure tag like 1.4.1-unpullable).
	const list = useList(rows, {text: row => row.tag, height: Math.max(3, height - 4), initial: row => row.isDefault, preferred: row => !row.prerelease});
	const switching = channels > 1 && onChannel !== undefined;
	const commands = useMemo<Command[]>(() => ['choose', ...(switching ? (['switchChannel'] as const) : []), ...listCommands, 'back'], [switching]);
	useCommands(list.state.filtering ? filteringCommands : commands);
	useKeys(key => {
		if (list.handleKey(key)) return true;
		if (matches('choose', key) && list.selected) onPick(list.selected.tag);
		else if (switching && matches('switchChannel', key)) onChannel();
		else if (matches('back', key)) return onBack();
		else return false;
		return true;
	});
	const header = `Image ${refName}${total > 1 ? ` (${index + 1} of ${total})` : ''}`;
	if (!tags) return <Text dimColor>{header}: reading the tags from ECR…</Text>;
	if ('problem' in tags) return <Text color="red">{header}: {printable(tags.problem)}</Text>;
	const compact = width < 100;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text wrap="truncate">
				<Text bold>{header}</Text>
				<Text dimColor>
					{' '}
					ECR {tags.repository}
					{tags.channel ? `, channel ${tags.channel}` : ''} · {rows.length.toLocaleString('en-US')} of {tags.versions.length.toLocaleString('en-US')} semver tags allowed
					{tags.others.length > 0 ? ` · ${tags.others.length} not semver (not listed)` : ''}
				</Text>
			</Text>
			<ListRows
				list={list}
				keyOf={row => row.tag}
				empty="no semver tag is allowed here: push one, or check the channel's rules"
				render={(row, selected) => (
					<Text wrap="truncate" bold={selected}>
						{printable(row.tag).padEnd(22)} {row.isDefault ? <Text color="green">default    </Text> : row.prerelease ? <Text color="yellow">pre-release</Text> : '           '}
						<Text dimColor>
							{' '}
							{row.pushedAt === undefined ? '' : formatMinute(row.pushedAt)}
							{compact ? '' : `  ${row.digest.slice(7, 19)}`}
						</Text>
					</Text>
				)}
			/>
		</Box>
	);
}
