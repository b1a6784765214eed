import {useEffect, useState} from 'react';

/** The time, ticking every `ms` while `active` (an elapsed-time display; it stops once the run ends). */
export function useNow(active: boolean, ms = 1000): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (!active) return;
		let timer: ReturnType<typeof setTimeout>;
		const tick = () => {
			setNow(Date.now());
			timer = setTimeout(tick, ms);
		};
		timer = setTimeout(tick, ms);
		return () => clearTimeout(timer);
	}, [active, ms]);
	return now;
}

/** `1m 05s`, `12s`, `1h 02m`. */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
