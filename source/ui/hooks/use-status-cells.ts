import {useEffect, useReducer} from 'react';
import type {RecipeDocument} from '../../domain/recipe/schema.js';
import type {StatusSource} from '../../engine/status-reader.js';
import {stateWords} from '../../domain/vocabulary.js';
import type {EnvironmentStatus} from '../../engine/history/status.js';
import type {AppRun} from '../runs/run-registry.js';
import type {Target} from '../../domain/records.js';

/** One environment of one project on the dashboard: loading, its status, or why it could not be read. */
export type Cell = {state: 'loading'} | {state: 'ready'; status: EnvironmentStatus} | {state: 'error'; message: string} | SeveralCell;

/** An environment several targets serve (two regions, two accounts): each target's cell, in name order. */
export type SeveralCell = {state: 'several'; targets: Array<{target: string; cell: Exclude<Cell, SeveralCell>}>};

export type CellKey = `${string}|${string}`;
export const cellKey = (file: string, environment: string): CellKey => `${file}|${environment}`;

type Action = {type: 'loaded'; key: CellKey; cell: Cell};

/** The cells' state, as a pure reducer (one cell updates without touching the others). */
export function cellsReducer(state: ReadonlyMap<CellKey, Cell>, action: Action): ReadonlyMap<CellKey, Cell> {
	const next = new Map(state);
	next.set(action.key, action.cell);
	return next;
}

/** At most this many status reads at once: cells fill as answers arrive without a burst of calls. */
const concurrency = 4;

/** A status read this recently is shown again without asking AWS when a screen opens (going back and forth). */
const freshForMs = 15_000;

/** The cells read this session, per status source, with when they were read. */
const readCells = new WeakMap<StatusSource, Map<CellKey, {cell: Cell; at: number}>>();

/**
 * The status of each project × environment, read through the engine's status use case (which reconciles
 * the records with AWS). Nothing waits for it: the screen paints at once and cells fill as answers arrive.
 * A cell read in the last few seconds is reused when a screen opens, unless this session ran something on
 * that environment (its status has moved); `generation` (g) reads everything again. `shown` is called once
 * a cell is on the screen, or when there is none to read.
 */
export function useStatusCells(
	engine: StatusSource | undefined,
	projects: ReadonlyArray<{file: string; document?: RecipeDocument}>,
	generation = 0,
	runs: readonly AppRun[] = [],
	shown?: () => void,
): ReadonlyMap<CellKey, Cell> {
	const [cells, dispatch] = useReducer(cellsReducer, new Map());
	// After the commit that put a cell on the screen.
	useEffect(() => {
		if (cells.size > 0) shown?.();
	}, [cells, shown]);
	useEffect(() => {
		if (!engine) return;
		let live = true;
		const cache = readCells.get(engine) ?? new Map<CellKey, {cell: Cell; at: number}>();
		readCells.set(engine, cache);
		const touched = new Set(runs.map(r => cellKey(r.recipeFile, r.environment)));
		const reusable = (key: CellKey) => {
			const read = cache.get(key);
			return generation === 0 && read !== undefined && read.cell.state === 'ready' && Date.now() - read.at < freshForMs && !touched.has(key);
		};
		const loaded = (key: CellKey, cell: Cell) => {
			cache.set(key, {cell, at: Date.now()});
			if (live) dispatch({type: 'loaded', key, cell});
		};
		const all = projects.flatMap(p => (p.document ? p.document.environments.map(e => ({file: p.file, document: p.document!, environment: e.name})) : []));
		const jobs = all.filter(job => {
			const key = cellKey(job.file, job.environment);
			if (!reusable(key)) return true;
			dispatch({type: 'loaded', key, cell: cache.get(key)!.cell});
			return false;
		});
		const run = async () => {
			while (live && jobs.length > 0) {
				const job = jobs.shift()!;
				const key = cellKey(job.file, job.environment);
				// No silent sandbox: an environment no target serves says so.
				const picked = await engine.targetsFor(job.document, job.environment);
				if ('error' in picked) {
					loaded(key, {state: 'error', message: 'no target (t adds one)'});
					continue;
				}
				const read = async (target: Target): Promise<Exclude<Cell, SeveralCell>> => {
					try {
						return {state: 'ready', status: await engine.status(job.document, job.environment, target)};
					} catch (cause) {
						return {state: 'error', message: cause instanceof Error ? cause.message : String(cause)};
					}
				};
				// Several targets serve it: a cell that holds each one's (never only the first).
				const [only, ...others] = picked.targets;
				if (others.length === 0) loaded(key, await read(only!));
				else {
					const targets = [];
					for (const target of picked.targets) targets.push({target: target.name, cell: await read(target)});
					loaded(key, {state: 'several', targets});
				}
			}
		};
		if (jobs.length === 0) shown?.();
		for (let i = 0; i < concurrency; i++) void run();
		return () => {
			live = false;
		};
		// The runs are read when a screen opens or reloads: one starting or ending does not read every cell again.
	}, [engine, projects, generation]);
	return cells;
}

/** How an environment's last deployment is described in a cell. */
export type CellSummary = {
	text: string;
	tone: 'good' | 'bad' | 'warn' | 'busy' | 'quiet';
	inProgress: boolean;
	/** The time part at the end of `text` (` 3m ago`): the first to go when the cell is narrow. */
	when?: string;
};

/** A cell's text in `width` columns: whole, else without its time, else cut with `…`. */
export function fitCell(summary: CellSummary, width: number): string {
	if (summary.text.length <= width) return summary.text;
	const short = summary.when ? summary.text.slice(0, -summary.when.length) : summary.text;
	return short.length <= width ? short : `${short.slice(0, Math.max(0, width - 1))}…`;
}

/** The colour of each tone of a cell. */
export const toneColor: Record<CellSummary['tone'], string | undefined> = {good: 'green', bad: 'red', warn: 'yellow', busy: 'cyan', quiet: undefined};

/** An environment's cell as the screens show it: a deploy this session watches there says so first. */
export function summarizeEnvironment(file: string, environment: string, cells: ReadonlyMap<CellKey, Cell>, runs: readonly AppRun[]): CellSummary {
	const run = runs.find(r => r.recipeFile === file && r.environment === environment && !r.ended && !r.detached);
	return summarizeCell(cells.get(cellKey(file, environment)), Date.now(), run ? {release: run.store.getSnapshot().release?.version} : undefined);
}

/**
 * A cell in few words, in the one vocabulary: `1.4.0 ✓ 3m ago` (serving on ECS evidence, last deploy
 * succeeded), `1.4.0 ↺ 1.4.1 2m ago` (1.4.1 was rolled back or cancelled, 1.4.0 serves), `1.4.0 ✗ 1.4.1`
 * (failed), `1.4.0 ? unconfirmed`, `✗ stuck`, `⟳ 1.4.2 in progress`, `not deployed`.
 */
export function summarizeCell(cell: Cell | undefined, now: number, running?: {release?: string | undefined}): CellSummary {
	if (running) return {text: `⟳ ${running.release ?? ''} deploying`.replace('  ', ' '), tone: 'busy', inProgress: true};
	if (!cell || cell.state === 'loading') return {text: '…', tone: 'quiet', inProgress: false};
	if (cell.state === 'error') return {text: `! ${cell.message}`, tone: 'bad', inProgress: false};
	if (cell.state === 'several') return summarizeSeveral(cell, now);
	const {status} = cell;
	const words = stateWords[status.state];
	const last = status.lastDeployment;
	const when = last ? ` ${ago(Date.parse(last.finishedAt ?? last.startedAt), now)}` : '';
	const images = Object.entries(status.images ?? {}).map(([ref, i]) => `${ref}=${i.tag ?? '?'}`).join(' ');
	const release = status.release ?? (images || '?');
	const summary = (text: string, timed = false): CellSummary => ({text, tone: words.tone, inProgress: status.state === 'in-progress', ...(timed && when ? {when} : {})});
	switch (status.state) {
		case 'in-progress':
			return summary(`⟳ ${status.deploying ?? status.release ?? ''} in progress`.replace('  ', ' '));
		case 'serving':
			return summary(`${release} ✓${when}`, true);
		case 'rolled-back':
		case 'cancelled':
			return summary(`${release} ↺ ${last?.version ?? ''}${when}`, true);
		case 'failed':
		case 'timed-out':
			return summary(`${release} ✗ ${last?.version ?? ''}${when}`, true);
		case 'unconfirmed':
			return summary(`${release} ? unconfirmed`);
		case 'not-deployed':
		case 'review':
			// A deploy that never got a stack (a pre-flight check, an error) is still what happened last here.
			if (last && (last.outcome === 'failed' || last.outcome === 'error')) return {text: `${words.words} ✗ ${last.version}${when}`, tone: 'bad', inProgress: false, ...(when ? {when} : {})};
			return summary(words.words);
		default:
			return summary(`${words.mark} ${words.words}`);
	}
}

/** Tones from the least to the most pressing: a cell of several targets takes its most pressing target's. */
const tones: ReadonlyArray<CellSummary['tone']> = ['quiet', 'good', 'busy', 'warn', 'bad'];

/**
 * The cell of an environment several targets serve: `2 targets: 1.4.0 ✓` when they agree, else each one's
 * (`eu 1.4.0 ✓ · us 1.3.0 ✗ 1.4.0`); the tone is the most pressing target's.
 */
export function summarizeSeveral(cell: SeveralCell, now: number): CellSummary {
	const each = cell.targets.map(t => ({target: t.target, summary: summarizeCell(t.cell, now)}));
	const tone = each.reduce<CellSummary['tone']>((worst, e) => (tones.indexOf(e.summary.tone) > tones.indexOf(worst) ? e.summary.tone : worst), 'quiet');
	const inProgress = each.some(e => e.summary.inProgress);
	const bare = each.map(e => (e.summary.when ? e.summary.text.slice(0, -e.summary.when.length) : e.summary.text));
	if (bare.every(text => text === bare[0])) return {text: `${each.length} targets: ${bare[0]}`, tone, inProgress};
	return {text: each.map((e, i) => `${e.target} ${bare[i]}`).join(' · '), tone, inProgress};
}

/** `12s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function ago(time: number, now: number): string {
	const seconds = Math.max(0, Math.round((now - time) / 1000));
	if (seconds < 60) return `${seconds}s ago`;
	if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
	if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
	return `${Math.round(seconds / 86_400)}d ago`;
}
