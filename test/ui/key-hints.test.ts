import {expect, test} from 'vitest';
import {fitHints} from '../../source/ui/components/key-hints.js';

const hints = ['? help', '↑↓ move', 'd deploy', 'c release', 'r roll back', 'h history', 'q quit'];

test('spaced out when there is room', () => {
	expect(fitHints(hints, 200)).toBe('? help  ·  ↑↓ move  ·  d deploy  ·  c release  ·  r roll back  ·  h history  ·  q quit');
});

test('closer together when the wide form does not fit', () => {
	const line = fitHints(hints, 80);
	expect(line).toBe('? help · ↑↓ move · d deploy · c release · r roll back · h history · q quit');
});

test('when even that is too long, quit stays and the hints before it give way; help is kept', () => {
	const line = fitHints(hints, 40);
	expect(line.length).toBeLessThanOrEqual(40);
	expect(line.startsWith('? help')).toBe(true);
	expect(line.endsWith('… · q quit')).toBe(true);
	expect(line).toBe('? help · ↑↓ move · d deploy · … · q quit');
});
