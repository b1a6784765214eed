import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function LiveScreen({height, width}: {runId: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>LiveScreen</Text>;
}
