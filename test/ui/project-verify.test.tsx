import {afterEach, expect, test} from 'vitest';
import {renderApp, type AppHarness} from '../helpers/app.js';
import {keys, press, screen, waitForText} from '../helpers/ink.js';

/* The project screen's `v`: the pre-flight verify of the selected environment, in place of the problems pane. */

let h: AppHarness | undefined;
afterEach(() => h?.app.unmount());

test('v verifies the selected environment on its target: a row per check with its field; esc closes; v on another environment verifies that one', async () => {
	h = renderApp({recipes: ['recipes/orders-api.yaml']});
	await waitForText(h.app, /❯ orders-api\s+not deployed/);
	await press(h.app, keys.enter);
	await waitForText(h.app, 'Environments (promotion order)');
	await press(h.app, 'v');
	await waitForText(h.app, '✓ passed');
	const shown = screen(h.app);
	expect(shown).toContain('Pre-flight verify of dev');
	expect(shown).toContain('✓ passed (7 passed, 0 failed, 1 not checked)');
	expect(shown).toContain('✓ service.executionRole: execution role ecsTaskExecutionRole: exists and trusts ecs-tasks');
	expect(shown).toContain('✓ service.loadBalancers[0].targetGroupArn: target group orders-dev');
	expect(shown).toContain('– images.api: image api (orders-api): not checked: no tag chosen');
	expect(shown).toContain('✓ target sandbox: cluster: cluster sandbox: ACTIVE');
	await press(h.app, keys.escape);
	expect(screen(h.app)).not.toContain('Pre-flight verify of');
	expect(screen(h.app)).toContain('Environments (promotion order)');
	// Down then v in one read: the second environment is verified.
	h.app.stdin.write(`${keys.down}v`);
	await waitForText(h.app, 'Pre-flight verify of staging');
	await waitForText(h.app, 'target group orders-staging');
});
