import {useStdout} from 'ink';
import {createContext, useContext, useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/** Tests pin the size here (ink-testing-library's stdout has no rows). */
export const TerminalSizeContext = createContext<TerminalSize | undefined>(undefined);

/**
 * The terminal size, following `resize` (Ink 6 has no window-size hook).
 * @default 80×24 when stdout does not say.
 */
export function useTerminalSize(): TerminalSize {
	const pinned = useContext(TerminalSizeContext);
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (pinned) return;
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, pinned]);
	return pinned ?? size;
}
