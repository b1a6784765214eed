import {Box} from 'ink';
import type {ReactNode} from 'react';

type Props = {height: number; width: number; /** The share of the width the list takes. */ share: number; list: ReactNode; detail: ReactNode};

/** A list on the left and the selected row's detail on the right, parted by a rule: for terminals wide enough for both. */
export function SplitView({height, width, share, list, detail}: Props) {
	const left = Math.floor(width * share);
	return (
		<Box height={height}>
			<Box width={left} flexDirection="column">
				{list}
			</Box>
			<Box width={width - left} flexDirection="column" paddingLeft={1} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false}>
				{detail}
			</Box>
		</Box>
	);
}
