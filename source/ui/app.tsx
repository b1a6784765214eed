import {Box, Text, useApp, useInput} from 'ink';
import {useReducer} from 'react';
import type {RecipeCatalog} from './catalog.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {matches} from './input/keymap.js';
import {navigationReducer} from './navigation.js';
import {HomeScreen} from './screens/home/home-screen.js';
import {useHome} from './screens/home/use-home.js';
import {RecipeScreen} from './screens/recipe/recipe-screen.js';

export type AppProps = {
	catalog: RecipeCatalog;
	/** The target the app works on, shown in the header. @default 'sandbox (simulated account)' */
	targetLabel?: string;
};

const minimum = {columns: 60, rows: 12};

/** The full-screen app: one root key handler (quit, back) and one `switch` over the current route. */
export function App({catalog, targetLabel = 'sandbox (simulated account)'}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [stack, navigate] = useReducer(navigationReducer, [{name: 'home'}]);
	const home = useHome(catalog);
	const route = stack.at(-1) ?? {name: 'home'};

	useInput((input, key) => {
		if (matches('quit', input, key) || (key.ctrl && input === 'c')) exit();
		else if (matches('back', input, key)) navigate({type: 'pop'});
	});

	// Stay one row below the terminal height: a frame as tall as the terminal makes Ink redraw everything.
	const height = Math.max(1, rows - 1);
	if (columns < minimum.columns || rows < minimum.rows) {
		return <Text color="yellow">Terminal too small ({columns}×{rows}); ecs-deployer needs at least {minimum.columns}×{minimum.rows}.</Text>;
	}
	const bodyHeight = height - 2;
	let screen;
	switch (route.name) {
		case 'home':
			screen = <HomeScreen state={home} folder={catalog.folder} height={bodyHeight} width={columns} onOpen={file => navigate({type: 'push', route: {name: 'recipe', file}})} />;
			break;
		case 'recipe':
			screen = <RecipeScreen recipe={home.status === 'ready' ? home.recipes.find(r => r.file === route.file) : undefined} height={bodyHeight} />;
			break;
	}
	return (
		<Box flexDirection="column" height={height} width={columns}>
			<Box justifyContent="space-between">
				<Text bold color="cyan">ecs-deployer</Text>
				<Text dimColor>target: {targetLabel}</Text>
			</Box>
			<Box marginTop={1} flexDirection="column">{screen}</Box>
		</Box>
	);
}
