import path from 'node:path';
import type {AppHarness} from '../../helpers/app.js';
import {repoRoot} from '../../helpers/cli.js';
import {recordingHost} from '../../helpers/engine.js';

/** The example recipe the history and rollback tests deploy, as the catalog names it. */
export const helloColor = 'recipes/hello-color.yaml';

/**
 * Deploys releases to an environment through the real engine (as if from earlier sessions), one after the
 * other, answering yes; returns each deploy's outcome. A tag ending in `-crashloop` fails and rolls back.
 */
export async function deployReleases(h: AppHarness, tags: readonly string[], options: {environment?: string; recipeFile?: string; values?: Record<string, string>} = {}): Promise<string[]> {
	const environment = options.environment ?? 'dev';
	const recipeFile = options.recipeFile ?? path.join(repoRoot, helloColor);
	const picked = h.engine.pickTarget({}, environment);
	if ('error' in picked) throw new Error(picked.error);
	const outcomes: string[] = [];
	for (const tag of tags) {
		const run = h.engine.deploy({recipeFile, environment, target: picked.target, reattach: 'ecs-deployer watch', images: {web: tag}}, recordingHost({'execute-change-set': true, 'skip-lifecycle': true, ...(options.values ? {values: options.values} : {})}));
		outcomes.push((await run.result).outcome);
	}
	return outcomes;
}
