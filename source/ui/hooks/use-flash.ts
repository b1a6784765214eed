import {useCallback, useEffect, useState} from 'react';

/** How long a transient message stays at most: a long one (a command to copy) stays longer. */
export function flashMs(message: string): number {
	return Math.min(15_000, 4000 + message.length * 60);
}

/** A transient status line ("created release 1.4.2"): shown until the next key (`clear`) or for `flashMs`. */
export function useFlash(): {message: string | undefined; show(message: string): void; clear(): void} {
	// An object, so the same message shown again starts its time again.
	const [shown, setShown] = useState<{message: string} | undefined>();
	useEffect(() => {
		if (!shown) return;
		const timer = setTimeout(() => setShown(undefined), flashMs(shown.message));
		return () => clearTimeout(timer);
	}, [shown]);
	const show = useCallback((message: string) => setShown({message}), []);
	const clear = useCallback(() => setShown(undefined), []);
	return {message: shown?.message, show, clear};
}
