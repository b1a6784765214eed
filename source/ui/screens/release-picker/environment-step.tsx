import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import {printable} from '../../../domain/text.js';
import {wordingOf} from '../../../domain/vocabulary.js';
import type {ReleaseRow} from '../../../engine/history/history.js';
import {ListRows} from '../../components/list-rows.js';
import {column, formatMinute, outcomeColor, shortDigest} from '../../format.js';
import {matches, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {useList} from '../../lists/use-list.js';
import {useCommands} from '../../services.js';
import {channelOfRelease, lifecycle, nextEnvironment, outcomesByEnvironment, servedIn} from './picker-model.js';

type Props = {
	version: string;
	/** The release as the ledger lists it (undefined while the list is read again after it was made). */
	row: ReleaseRow | undefined;
	recipe: RecipeDocument;
	environments: readonly string[];
	notice?: string | undefined;
	problem?: string | undefined;
	/** A new release is being made from today's recipe (`u`). */
	busy: boolean;
	height: number;
	width: number;
	/** The release's channel as the engine answered when it made or found it, for while it is not listed yet (`row` missing). */
	releaseChannel?: string;
	onDeploy(environment: string): void;
	onLike(): void;
	/** Esc: back to the releases. */
	onBack(): void;
};

/**
 * Where to deploy a release: the environments of its channel's lifecycle (a hotfix channel may skip
 * earlier ones), each with how the release did there, the next one preselected. When today's recipe
 * differs from the one the release keeps, it says where and offers a new release from today's recipe.
 */
export function EnvironmentStep({version, row, releaseChannel, recipe, environments, notice, problem, busy, height, width, onDeploy, onLike, onBack}: Props) {
	const channel = channelOfRelease(row ?? (releaseChannel === undefined ? undefined : {channel: releaseChannel}), recipe);
	const order = useMemo(() => lifecycle(environments, channel), [environments, channel]);
	const outcomes = useMemo(() => outcomesByEnvironment(row), [row]);
	const next = nextEnvironment(order, outcomes);
	const changed = row?.recipeChanges ?? [];
	const nameWidth = Math.min(Math.max(12, ...order.map(env => env.length + 2)), Math.floor(width / 2));
	const list = useList(order, {text: env => env, height: Math.max(1, Math.min(order.length, height - 7)), initial: env => env === (next ?? order.at(-1)), filterable: false});
	const commands = useMemo<Command[]>(() => ['deployHere', 'up', 'down', ...(changed.length > 0 ? (['releaseLike'] as const) : []), 'back'], [changed.length]);
	useCommands(commands);
	useKeys(key => {
		if (busy) return true;
		if (list.handleKey(key)) return true;
		if (matches('deployHere', key) && list.selected) onDeploy(list.selected);
		else if (changed.length > 0 && matches('releaseLike', key)) onLike();
		else if (matches('back', key)) onBack();
		else return false;
		return true;
	});
	const images = Object.entries(row?.images ?? {})
		.map(([ref, image]) => `${ref} ${image.tag} ${shortDigest(image.digest)}`)
		.join('  ');
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text wrap="truncate">
				Release <Text color="green">{printable(version)}</Text>
				{channel ? <Text dimColor> · channel {channel.name}</Text> : null}
				<Text dimColor> · {printable(images) || 'images being read…'}</Text>
			</Text>
			{notice ? (
				<Text color="yellow" wrap="truncate">
					{printable(notice)}
				</Text>
			) : null}
			<Text>Deploy it to:</Text>
			<ListRows
				list={list}
				keyOf={env => env}
				footer={false}
				render={env => {
					const o = outcomes.get(env);
					const before = order[order.indexOf(env) - 1];
					const hint = o ? `${wordingOf(o.outcome).mark} ${wordingOf(o.outcome).words}${o.at ? ` ${formatMinute(o.at)}` : ''}${o.runsNow ? ' · runs now' : ''}` : env === next ? 'next in its lifecycle' : before !== undefined && !servedIn(outcomes, before) ? `asks first: ${before} has not run it` : 'not deployed yet';
					return (
						<Text wrap="truncate">
							{column(printable(env), nameWidth)}
							<Text {...(o ? {color: outcomeColor(o.outcome)} : {dimColor: true})}>{hint}</Text>
						</Text>
					);
				}}
			/>
			{order.length < environments.length ? (
				<Text dimColor wrap="truncate">
					Channel {channel?.name} deploys only to {order.join(', ')}.
				</Text>
			) : null}
			{changed.length > 0 ? (
				<Text color="yellow" wrap="wrap">
					Today&apos;s recipe differs from the one {printable(version)} keeps ({changed.slice(0, 3).join(', ')}
					{changed.length > 3 ? `, +${changed.length - 3}` : ''}): it deploys as it was made · u makes a new release from today&apos;s recipe with its images
				</Text>
			) : row && !row.hasSnapshot ? (
				<Text color="yellow" wrap="truncate">
					{printable(version)} keeps no recipe: it deploys with today&apos;s recipe
				</Text>
			) : null}
			{problem ? (
				<Text color="red" wrap="truncate">
					{printable(problem)}
				</Text>
			) : null}
			<Text dimColor wrap="truncate">
				{busy ? "Making a release from today's recipe…" : 'Enter deploys: the change set is shown before anything changes.'}
			</Text>
		</Box>
	);
}
