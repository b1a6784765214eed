import {expect, test} from 'vitest';
import {fit} from '../../source/ui/format.js';

test('fit leaves text that fits alone and cuts the rest to the width, ending with an ellipsis', () => {
	expect(fit('UPDATE_COMPLETE', 20)).toBe('UPDATE_COMPLETE');
	expect(fit('Resource creation Initiated', 10)).toBe('Resource …');
	expect(fit('Resource creation Initiated', 10)).toHaveLength(10);
	expect(fit('abc', 1)).toBe('…');
	expect(fit('abc', 0)).toBe('');
});
