import {useEffect, useState} from 'react';
import type {RecipeDocument} from '../../../domain/recipe/schema.js';
import type {Engine} from '../../../engine/engine.js';
import type {Release} from '../../../domain/records.js';
import {errorMessage} from '../../format.js';
import type {Cell} from '../../hooks/use-status-cells.js';
import {targetOf} from '../../runs/start-run.js';
import {channelOfRelease, lifecycle} from '../release-picker/picker-model.js';

/** The project's releases in its ledger (a shared bucket too), and where that is. */
export type LedgerLoad = {state: 'loading'} | {state: 'ready'; releases: Release[]; where: string} | {state: 'error'; message: string};

/**
 * The releases of the project's ledger as the environment's target reaches it (the recipe's or target's
 * S3 bucket, else this workspace), read again on `generation` (g).
 */
export function useLedgerReleases(engine: Engine | undefined, document: RecipeDocument | undefined, environment: string | undefined, generation: number): LedgerLoad {
	const [load, setLoad] = useState<LedgerLoad>({state: 'loading'});
	useEffect(() => {
		if (!engine || !document || environment === undefined) return;
		const target = targetOf(engine, environment);
		if ('error' in target) return setLoad({state: 'error', message: target.error});
		let live = true;
		Promise.all([engine.ledgerReleases(document, target), engine.ledgerOf(document, target)]).then(
			([releases, where]) => live && setLoad({state: 'ready', releases, where}),
			(cause: unknown) => live && setLoad({state: 'error', message: errorMessage(cause)}),
		);
		return () => {
			live = false;
		};
	}, [engine, document, environment, generation]);
	return load;
}

/** What `p` would do on the selected environment: deploy `release` to `to`, or why it cannot. */
export type Promotion = {release: string; to: string; channel?: string} | {why: string};

/**
 * The promotion of the release an environment runs (read from ECS) to the next environment of that
 * release's lifecycle (its channel's environments: a hotfix channel's may skip some). Undefined while the
 * environment's status is read.
 */
export function promotionOf(document: RecipeDocument | undefined, environments: readonly string[], environment: string, cell: Cell | undefined, ledger: LedgerLoad): Promotion | undefined {
	if (!cell || cell.state === 'loading') return undefined;
	if (cell.state === 'error') return {why: `nothing to promote: the status of ${environment} cannot be read`};
	// Several targets serve it: promoted only when every one runs the same release (each one's status read).
	const statuses = cell.state === 'several' ? cell.targets.map(t => (t.cell.state === 'ready' ? t.cell.status : undefined)) : [cell.status];
	if (statuses.some(s => s === undefined)) return {why: `nothing to promote: the status of ${environment} cannot be read on every target`};
	const releases = new Set(statuses.map(s => s!.release));
	if (releases.size > 1) return {why: `nothing to promote: the targets of ${environment} run different releases`};
	const release = statuses[0]!.release;
	if (release === undefined) return {why: `nothing to promote: ${environment} runs no known release`};
	const stored = ledger.state === 'ready' ? ledger.releases.find(r => r.version === release) : undefined;
	const channel = channelOfRelease(stored, document);
	const order = lifecycle(environments, channel);
	const at = order.indexOf(environment);
	if (at < 0) return {why: `${release} runs in ${environment}, outside channel ${channel?.name ?? ''}'s environments (${order.join(', ')})`};
	const to = order[at + 1];
	if (to === undefined) return {why: `${release} runs in ${environment}, the last environment of its lifecycle`};
	return {release, to, ...(channel ? {channel: channel.name} : {})};
}
