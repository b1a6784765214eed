import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function TargetsScreen({height, width}: {height: number; width: number}) {
	void height;
	void width;
	return <Text>TargetsScreen</Text>;
}
