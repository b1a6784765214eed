import {afterEach, describe, expect, test} from 'vitest';
import {memoryWorkspace} from '../../source/engine/core/workspace.js';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {keys, press, screen, settle, waitForText} from '../helpers/ink.js';

/*
 * A terminal hands over several keys in one read (a paste, a fast typist, Tab Tab, five Backspaces): each
 * is written here in ONE stdin.write, and each must take effect, in order.
 */

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

const hello = 'recipes/hello-color.yaml';

/** Writes the keys in one read, then waits until every one of them is handled. */
async function write(harness: AppHarness, keysAtOnce: string) {
	await settle();
	harness.app.stdin.write(keysAtOnce);
	await settle();
}

describe('keys in one read', () => {
	test('jj moves down two projects', async () => {
		h = renderApp();
		await waitForText(h.app, /❯ hello-color/);
		await write(h, 'jj');
		expect(screen(h.app)).toMatch(/❯ invoice-worker/);
		await write(h, '\u001B[A\u001B[A');
		expect(screen(h.app)).toMatch(/❯ hello-color/);
	});

	test('Tab Tab goes two views on, Shift+Tab one back', async () => {
		h = renderApp({recipes: [hello], route: {name: 'history', file: hello, environment: 'dev'}});
		await waitForText(h.app, 'history of dev');
		await write(h, '\t\t');
		await waitForText(h.app, 'there is no stack hello-color-dev');
		await write(h, '\u001B[Z');
		await waitForText(h.app, 'e: ECS side');
		expect(screen(h.app)).not.toContain('there is no stack hello-color-dev');
	});

	test('five Backspaces, a new version and Enter: the release gets the version typed', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'create'}});
		await waitForText(h.app, '❯ 1.4.0');
		await press(h.app, keys.enter);
		await waitForText(h.app, 'Version: 1.4.0');
		await write(h, `${keys.backspace.repeat(5)}2.0.0${keys.enter}`);
		await waitForText(h.app, 'created release 2.0.0 of hello-color');
		expect(h.workspace.releases('hello-color').map(r => r.version)).toEqual(['2.0.0']);
	});

	test('/1.4 keeps the stable 1.4.0 selected (not 1.4.1-unpullable); Esc clears the filter, the next Esc leaves', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}});
		await waitForText(h.app, '❯ 1.4.0');
		await write(h, '/1.4');
		const filtered = screen(h.app);
		expect(filtered).toContain('/1.4');
		expect(filtered).toMatch(/❯ 1\.4\.0 /);
		expect(filtered).toContain('1.4.1-');
		await write(h, '\u001B');
		const cleared = screen(h.app);
		expect(cleared).toMatch(/❯ 1\.4\.0 /);
		expect(cleared).not.toContain('/1.4');
		expect(cleared).toContain('Deploy hello-color');
		await write(h, '\u001B');
		await waitForText(h.app, 'Projects in');
	});

	test('/1.4 and Esc in the same read: the filter is typed, then cleared, and the picker stays', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}});
		await waitForText(h.app, '❯ 1.4.0');
		await write(h, '/1.4\u001B');
		const frame = screen(h.app);
		expect(frame).toContain('Deploy hello-color');
		expect(frame).toMatch(/❯ 1\.4\.0 /);
		expect(frame).not.toContain('filter "1.4"');
	});

	test('a filter that drops the selected tag moves to the first stable one that passes, not to a failure tag', async () => {
		h = renderApp({recipes: [hello], route: {name: 'release-picker', file: hello, mode: 'deploy', environment: 'dev'}});
		await waitForText(h.app, '❯ 1.4.0');
		await write(h, '/1.');
		expect(screen(h.app)).toMatch(/❯ 1\.4\.0 /);
		await write(h, '3');
		expect(screen(h.app)).toMatch(/❯ 1\.3\.\d+ /);
	});

	test('a paste into a text field: typed at the cursor, control characters dropped; q in it is text', async () => {
		h = renderApp({route: {name: 'target-wizard'}, workspace: memoryWorkspace(), size: {columns: 80, rows: 24}});
		await waitForText(h.app, 'New target');
		await write(h, 'qa');
		await write(h, '\u001B[D\u001B[200~-eu\t-west\u0007\u001B[201~');
		expect(screen(h.app)).toContain('name: q-eu-westa');
		// Ctrl+A, typed at the start, End, Ctrl+W erases the word before the cursor.
		await write(h, `\u0001prod ${keys.end}\u0017`);
		expect(screen(h.app)).toMatch(/name: prod\s*\n/);
	});
});
