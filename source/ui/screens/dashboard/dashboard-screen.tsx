import {Text} from 'ink';

/** Placeholder while the screen is being built. */
export function DashboardScreen({height, width}: {height: number; width: number}) {
	void height;
	void width;
	return <Text>DashboardScreen</Text>;
}
