import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {useMemo} from 'react';
import type {RecipeSummary} from '../../catalog.js';
import {KeyHints} from '../../components/key-hints.js';
import type {HomeState} from './use-home.js';

type Props = {
	state: HomeState;
	folder: string;
	height: number;
	width: number;
	onOpen(file: string): void;
};

/** The first screen: the recipes found in the workspace. */
export function HomeScreen({state, folder, height, width, onOpen}: Props) {
	return (
		<Box flexDirection="column" height={height}>
			<Text bold>Recipes in {folder}</Text>
			<Box flexDirection="column" flexGrow={1} marginTop={1} overflow="hidden">
				{state.status === 'loading' && <Text dimColor>Reading recipes…</Text>}
				{state.status === 'failed' && <Text color="red">Could not read recipes: {state.message}</Text>}
				{state.status === 'ready' && <RecipeList recipes={state.recipes} folder={folder} limit={Math.max(1, height - 4)} width={width} onOpen={onOpen} />}
			</Box>
			<KeyHints commands={['move', 'open', 'quit']} />
		</Box>
	);
}

function RecipeList({recipes, folder, limit, width, onOpen}: {recipes: RecipeSummary[]; folder: string; limit: number; width: number; onOpen(file: string): void}) {
	// ink-select-input resets its selection when items change: keep them stable.
	// One row per recipe: a wrapped label would push the list around, so cut it to the width (minus the pointer).
	const items = useMemo(() => recipes.map(r => ({key: r.file, value: r.file, label: truncate(describe(r), width - 3)})), [recipes, width]);
	if (recipes.length === 0) {
		return <Text>No recipes in {folder} yet. A recipe is a YAML file; docs/recipe.md describes the format.</Text>;
	}
	return <SelectInput items={items} limit={limit} onSelect={item => onOpen(item.value)} />;
}

function describe(recipe: RecipeSummary): string {
	if (!recipe.name) return `${recipe.file}  (cannot be read: ${recipe.problems[0]?.message ?? 'unknown problem'})`;
	const environments = recipe.environments.join(' → ');
	return `${recipe.name.padEnd(18)} ${environments.padEnd(30)} ${recipe.description ?? ''}`;
}

function truncate(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
