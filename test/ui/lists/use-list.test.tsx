import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {expect, test} from 'vitest';
import {useList} from '../../../source/ui/lists/use-list.js';

/** A list of names with a cursor on the selected one, the first `height` rows of its window. */
function Names({names, initial, height}: {names: readonly string[]; initial: string; height: number}) {
	const list = useList(names, {text: name => name, height, initial: name => name === initial});
	return <Text>{list.window.map(({item}) => `${item === list.selected ? '❯' : ' '} ${item}`).join('\n')}</Text>;
}

const cursorOn = (frame: string) => /❯ (\S+)/.exec(frame)?.[1];

test('new items (a reload) select their initial item in the first frame that shows them', () => {
	const view = render(<Names names={['alpha', 'beta', 'gamma']} initial="gamma" height={5} />);
	expect(cursorOn(view.lastFrame()!)).toBe('gamma');
	const before = view.frames.length;
	view.rerender(<Names names={['delta', 'epsilon', 'zeta', 'gamma']} initial="gamma" height={5} />);
	const after = view.frames.slice(before);
	expect(after.length).toBeGreaterThan(0);
	// Not one frame with the cursor on the row the old selection had (epsilon, the second) or on the first.
	for (const frame of after) expect(cursorOn(frame), frame).toBe('gamma');
});

test('a smaller height keeps the selected item in the window from the first frame at that height', () => {
	const names = Array.from({length: 20}, (_, i) => `item-${i}`);
	const view = render(<Names names={names} initial="item-8" height={10} />);
	expect(cursorOn(view.lastFrame()!)).toBe('item-8');
	const before = view.frames.length;
	view.rerender(<Names names={names} initial="item-8" height={3} />);
	const after = view.frames.slice(before);
	expect(after.length).toBeGreaterThan(0);
	for (const frame of after) {
		expect(frame.split('\n')).toHaveLength(3);
		expect(cursorOn(frame), frame).toBe('item-8');
	}
});
