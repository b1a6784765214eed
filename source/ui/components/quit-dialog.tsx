import {Box, Text} from 'ink';
import {matches} from '../input/keymap.js';
import {useKeys} from '../input/use-keys.js';
import {useCommands} from '../services.js';

type Props = {count: number; onAnswer(answer: 'detach' | 'cancel' | 'stay'): void};

/** Quitting while a deploy is watched: detach and quit (it goes on in AWS), cancel it, or stay. */
export function QuitDialog({count, onAnswer}: Props) {
	useCommands(['detachAndQuit', 'cancelAndStay', 'stay']);
	useKeys(key => {
		if (matches('detachAndQuit', key)) onAnswer('detach');
		else if (matches('cancelAndStay', key)) onAnswer('cancel');
		else if (matches('stay', key)) onAnswer('stay');
		return true;
	});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
			<Text bold>Quit?</Text>
			<Text>
				{count === 1 ? 'A deploy is' : `${count} deploys are`} being watched. Detach and quit: the deploy goes on in AWS, and the dashboard offers to
				attach again next time. Or cancel it: CloudFormation rolls an update back to the previous release.
			</Text>
		</Box>
	);
}
