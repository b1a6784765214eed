import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function ReleasePickerScreen({height, width}: {file: string; mode: 'deploy' | 'create'; environment?: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>ReleasePickerScreen</Text>;
}
