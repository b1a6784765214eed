import {describe, expect, test} from 'vitest';
import {KeyDispatcher, type KeyLayer, type KeyTarget} from '../../../source/ui/input/key-dispatcher.js';
import {createKeyReader, type Key} from '../../../source/ui/input/keys.js';

/** A dispatcher with handlers that note what they got; each returns true for the keys it owns. */
function setup(...handlers: Array<{name: string; layer: KeyLayer; owns?: (key: Key) => boolean; field?: boolean; active?: boolean}>) {
	const dispatcher = new KeyDispatcher();
	const seen: string[] = [];
	const targets = handlers.map(({name, layer, owns = () => true, field = false, active = true}) => {
		const target: KeyTarget = {handler: key => (seen.push(`${name}:${key.input || Object.entries(key).find(([, on]) => on === true)?.[0]}`), owns(key)), active, field};
		dispatcher.subscribe({layer, read: () => target});
		return target;
	});
	const type = (text: string) => dispatcher.push(createKeyReader().push(text));
	return {dispatcher, seen, targets, type};
}

describe('who gets a key', () => {
	test('the screen first, the global layer with what it leaves', () => {
		const {seen, type} = setup({name: 'global', layer: 'global'}, {name: 'screen', layer: 'screen', owns: key => key.input === 'd'});
		type('dq');
		expect(seen).toEqual(['screen:d', 'screen:q', 'global:q']);
	});

	test('a focused field before its screen, whatever the order they subscribed in', () => {
		const {seen, type} = setup({name: 'screen', layer: 'screen'}, {name: 'field', layer: 'screen', field: true, owns: key => key.input !== ''});
		type('q\r');
		expect(seen).toEqual(['field:q', 'field:return', 'screen:return']);
	});

	test('an open dialog owns every key; Ctrl+C (system) comes first', () => {
		const {seen, type} = setup({name: 'system', layer: 'system', owns: key => key.ctrl}, {name: 'screen', layer: 'screen'}, {name: 'global', layer: 'global'}, {name: 'dialog', layer: 'dialog', owns: () => false});
		type('x\u0003');
		expect(seen).toEqual(['system:x', 'dialog:x', 'system:c']);
	});
});

describe('keys that arrive together', () => {
	test('wait for the frame of the key before them', () => {
		const {dispatcher, seen, type} = setup({name: 'screen', layer: 'screen'});
		let commits = 0;
		dispatcher.setClock(() => commits++);
		type('\t\t');
		expect(seen).toEqual(['screen:tab']);
		expect(commits).toBe(1);
		dispatcher.committed();
		return new Promise<void>(resolve =>
			queueMicrotask(() => {
				expect(seen).toEqual(['screen:tab', 'screen:tab']);
				resolve();
			}),
		);
	});
});
