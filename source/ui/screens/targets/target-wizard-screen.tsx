import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function TargetWizardScreen({height, width}: {editing?: string; height: number; width: number}) {
	void height;
	void width;
	return <Text>TargetWizardScreen</Text>;
}
