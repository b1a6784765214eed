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
