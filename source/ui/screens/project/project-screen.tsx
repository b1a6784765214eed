import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function ProjectScreen({height, width}: {file: string; environment?: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>ProjectScreen</Text>;
}
