import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function StepFormScreen({height, width}: {file?: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>StepFormScreen</Text>;
}
