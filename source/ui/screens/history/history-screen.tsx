import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function HistoryScreen({height, width}: {file: string; environment: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>HistoryScreen</Text>;
}
