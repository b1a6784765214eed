import {Box, Text} from 'ink';
import {useMemo} from 'react';
import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import {printable} from '../../../domain/text.js';
import {wordingOf} from '../../../domain/vocabulary.js';
import type {ReleaseRow} from '../../../engine/history/history.js';
import {ListRows} from '../../components/list-rows.js';
import {column, formatMinute, outcomeColor} from '../../format.js';
import {matches, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {filteringCommands, listCommands, useList} from '../../lists/use-list.js';
import {useCommands} from '../../services.js';
import {channelOfRelease, lifecycle, nextEnvironment, outcomesByEnvironment, type EnvironmentOutcome} from './picker-model.js';

type Props = {
	rows: readonly ReleaseRow[];
	recipe: RecipeDocument;
	environments: readonly string[];
	/** More than one channel: Tab or c switches. */
	channels: number;
	height: number;
	width: number;
	onChoose(version: string): void;
	onNew(): void;
	onChannel(): void;
};

/**
 * The releases of a channel, newest first: for each, the environments of the recipe with how its last
 * deployment there ended (the one vocabulary's marks) and the environment its lifecycle goes to next;
 * the selected one's outcomes in words under the list. Enter takes it to the environment step.
 */
export function ReleaseList({rows, recipe, environments, channels, height, width, onChoose, onNew, onChannel}: Props) {
	const list = useList(rows, {text: row => `${row.version} ${row.notes ?? ''} ${row.createdBy ?? ''}`, height: Math.max(1, height - 4)});
	const commands = useMemo<Command[]>(() => ['choose', 'newRelease', ...(channels > 1 ? (['switchChannel'] as const) : []), ...listCommands, 'back'], [channels]);
	useCommands(list.state.filtering ? filteringCommands : commands);
	useKeys(key => {
		if (list.handleKey(key)) return true;
		if (matches('choose', key) && list.selected) onChoose(list.selected.version);
		else if (matches('newRelease', key)) onNew();
		else if (channels > 1 && matches('switchChannel', key)) onChannel();
		else return false;
		return true;
	});
	// Columns: the version (as wide as the longest needs), each environment with its mark, the next one, when made.
	const widths = {version: Math.min(24, Math.max(8, ...rows.map(r => r.version.length + 2))), next: Math.min(24, Math.max(3, ...environments.map(e => e.length)) + 4)};
	const showEnvironments = 2 + widths.version + environments.reduce((sum, e) => sum + e.length + 3, 0) + widths.next + 16 <= width;
	const selected = list.selected;
	return (
		<Box flexDirection="column">
			<ListRows
				list={list}
				keyOf={row => row.version}
				empty="no release on this channel yet: n makes one from image tags"
				render={(row, isSelected) => <ReleaseLine row={row} recipe={recipe} environments={environments} widths={widths} showEnvironments={showEnvironments} wide={width >= 120} selected={isSelected} />}
			/>
			{selected ? <Outcomes row={selected} recipe={recipe} environments={environments} /> : <Text> </Text>}
		</Box>
	);
}

type Widths = {version: number; next: number};

function ReleaseLine({row, recipe, environments, widths, showEnvironments, wide, selected}: {row: ReleaseRow; recipe: RecipeDocument; environments: readonly string[]; widths: Widths; showEnvironments: boolean; wide: boolean; selected: boolean}) {
	const outcomes = outcomesByEnvironment(row);
	const order = lifecycle(environments, channelOfRelease(row, recipe));
	const next = nextEnvironment(order, outcomes);
	return (
		<Text wrap="truncate" bold={selected}>
			{column(printable(row.version), widths.version)}
			{showEnvironments
				? environments.map(env => {
						const o = outcomes.get(env);
						const outside = !order.includes(env);
						return (
							<Text key={env} {...(o ? {color: outcomeColor(o.outcome)} : {dimColor: true})}>
								{column(`${env} ${outside ? '–' : o ? wordingOf(o.outcome).mark : '·'}`, env.length + 3)}
							</Text>
						);
					})
				: null}
			<Text color="cyan">{column(next ? `→ ${next}` : '', widths.next)}</Text>
			<Text dimColor>
				{row.createdAt ? formatMinute(row.createdAt) : 'known from AWS'}
				{wide && row.createdBy ? ` by ${printable(row.createdBy)}` : ''}
			</Text>
			{row.recipeChanges.length > 0 ? <Text color="yellow"> recipe changed since</Text> : null}
		</Text>
	);
}

/** The selected release in words: each environment it ran in and how, and its notes. */
function Outcomes({row, recipe, environments}: {row: ReleaseRow; recipe: RecipeDocument; environments: readonly string[]}) {
	const outcomes = outcomesByEnvironment(row);
	const order = lifecycle(environments, channelOfRelease(row, recipe));
	const ran = order.filter(env => outcomes.has(env));
	const words = (env: string, o: EnvironmentOutcome) => `${env} ${wordingOf(o.outcome).mark} ${wordingOf(o.outcome).words}${o.runsNow ? ' (runs now)' : ''}`;
	return (
		<Text wrap="truncate" dimColor>
			{printable(row.version)}: {ran.length === 0 ? 'not deployed yet' : ran.map(env => words(env, outcomes.get(env)!)).join(' · ')}
			{row.notes ? ` — ${printable(row.notes)}` : ''}
		</Text>
	);
}
