import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import type {RecipeCatalog} from '../../source/ui/catalog.js';
import {TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {QuestionQueue} from '../../source/ui/runs/questions.js';
import {RunRegistry} from '../../source/ui/runs/run-registry.js';
import {keys, press, waitForText} from '../helpers/ink.js';
import {renderWide} from '../helpers/terminal.js';

const catalog: RecipeCatalog = {folder: './recipes', list: async () => []};

let app: ReturnType<typeof renderWide> | undefined;
afterEach(() => app?.unmount());

function show(size: {columns: number; rows: number}, questions: QuestionQueue) {
	app = renderWide(
		<TerminalSizeContext.Provider value={size}>
			<App catalog={catalog} sandbox loadEngine={() => new Promise(() => undefined)} runs={new RunRegistry()} questions={questions} />
		</TerminalSizeContext.Provider>,
		size.columns + 40,
	);
	return app;
}

describe('the change preview dialog', () => {
	test('a preview taller than the dialog scrolls with ↓ and PgDn, wraps long lines inside the box, and y still applies', async () => {
		const questions = new QuestionQueue();
		const detail = [
			'⚠ downgrade: release 1.3.0 is older than 1.4.0, which runs in dev now',
			'Modify  TaskDefinition (AWS::ECS::TaskDefinition) [replaced]',
			'    image web: 1.4.0 → 1.3.0',
			...Array.from({length: 40}, (_, i) => `    ~ ContainerDefinitions[web].Environment[VARIABLE_${i}]: ${'old '.repeat(i === 3 ? 30 : 1)}→ new`),
			'    replaced: the last line',
		];
		const answer = questions.ask({kind: 'confirm', id: 'execute-change-set', message: 'Apply these 2 changes to hello-color-dev (update the stack)?', detail, defaultAnswer: false, flag: '--yes'});
		const shown = show({columns: 80, rows: 24}, questions);
		const first = await waitForText(shown, 'Change preview');
		expect(first).toContain('⚠ downgrade: release 1.3.0 is older than 1.4.0');
		expect(first).toContain('image web: 1.4.0 → 1.3.0');
		expect(first).toMatch(/rows 1–\d+ of \d+ · ↓ PgDn for more/);
		expect(first).not.toContain('the last line');
		for (const line of first.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		await press(shown, keys.pageDown, keys.pageDown, keys.pageDown, keys.pageDown);
		const later = await waitForText(shown, 'replaced: the last line');
		expect(later).toContain('Apply these 2 changes');
		await press(shown, 'y');
		await expect(answer).resolves.toBe(true);
	});
});
