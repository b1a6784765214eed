import {Box, Text} from 'ink';
import type {RecipeSummary} from '../../catalog.js';
import {KeyHints} from '../../components/key-hints.js';

type Props = {recipe: RecipeSummary | undefined; height: number};

/** A recipe at a glance: environments in promotion order, images, containers and any problems. */
export function RecipeScreen({recipe, height}: Props) {
	if (!recipe) {
		return (
			<Box flexDirection="column" height={height}>
				<Text color="red">This recipe is no longer in the list.</Text>
				<KeyHints commands={['back', 'quit']} />
			</Box>
		);
	}
	return (
		<Box flexDirection="column" height={height}>
			<Text bold>
				{recipe.name ?? recipe.file} <Text dimColor>{recipe.file}</Text>
			</Text>
			{recipe.description && <Text wrap="truncate">{recipe.description}</Text>}
			<Box flexDirection="column" flexGrow={1} marginTop={1} overflow="hidden">
				<Text>
					<Text bold>Environments </Text>
					{recipe.environments.join(' → ') || '—'}
				</Text>
				<Text bold>Images</Text>
				{recipe.images.map(image => (
					<Text key={image.ref} wrap="truncate">
						{'  '}
						{image.ref.padEnd(16)} {image.source}
					</Text>
				))}
				<Text>
					<Text bold>Containers </Text>
					{recipe.containers.join(', ') || '—'}
				</Text>
				{recipe.problems.length > 0 && <Text bold color="red">Problems</Text>}
				{recipe.problems.map((problem, i) => (
					<Text key={i} color={problem.severity === 'error' ? 'red' : 'yellow'} wrap="truncate">
						{'  '}
						{problem.path}
						{problem.line === undefined ? '' : ` (line ${problem.line})`}: {problem.message}
					</Text>
				))}
			</Box>
			<KeyHints commands={['back', 'quit']} />
		</Box>
	);
}
