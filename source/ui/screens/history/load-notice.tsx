import {Text} from 'ink';
import Spinner from 'ink-spinner';

/** What a view says while the engine answers: a spinner and what is being asked. */
export function Loading({what}: {what: string}) {
	return (
		<Text wrap="truncate">
			<Text color="cyan">
				<Spinner type="dots" />
			</Text>{' '}
			{what}
		</Text>
	);
}

/** An AWS error in place of what did not load; `r` asks again. */
export function Failure({message}: {message: string}) {
	return (
		<Text wrap="wrap">
			<Text color="red">✗ {message}</Text>
			<Text dimColor> — r asks again</Text>
		</Text>
	);
}
