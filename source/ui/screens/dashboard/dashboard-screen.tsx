import {Box, Text} from 'ink';
import {useMemo, useState} from 'react';
import {printable} from '../../../domain/text.js';
import type {RecipeSummary} from '../../catalog.js';
import {useCatalogChanges, useRecipes} from '../../hooks/use-recipes.js';
import {cellKey, summarizeEnvironment, useStatusCells, type Cell, type CellKey} from '../../hooks/use-status-cells.js';
import {matches} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import type {AppRun} from '../../runs/run-registry.js';
import {attachTo} from '../../runs/start-run.js';
import {useCommands, useRemembered, useRuns, useServices} from '../../services.js';
import {GridHeader, ProjectRow} from './dashboard-table.js';
import {environmentColumns, gridReducer, gridWidths, type GridAction} from './dashboard-grid.js';

type Props = {height: number; width: number};

/**
 * The first screen: projects (recipes) × environments. Each cell says which release runs there, how its
 * last deployment ended and when (read through the engine's status use case, filled as answers arrive), and
 * marks an operation in progress: Enter attaches to it. Recipe files added or removed meanwhile show up; the
 * cursor is where it was when the operator comes back.
 */
export function DashboardScreen({height, width}: Props) {
	const services = useServices();
	const {engine, catalog, navigate} = services;
	const [generation, setGeneration] = useState(0);
	const changes = useCatalogChanges(catalog);
	const recipes = useRecipes(catalog, generation + changes);
	const projects = useMemo(() => (recipes.status === 'ready' ? recipes.recipes : []), [recipes]);
	const runs = useRuns();
	const cells = useStatusCells(services.statuses, projects, generation, runs, services.statusShown);
	const columns = useMemo(() => projects.map(p => Math.max(1, p.environments.length)), [projects]);
	// The cursor by name: files come and go while the screen is open.
	const [at, setAt] = useRemembered<{file?: string; environment?: string}>('dashboard:cursor', {});
	const row = Math.max(0, projects.findIndex(p => p.file === at.file));
	const column = Math.max(0, projects[row]?.environments.indexOf(at.environment ?? '') ?? 0);
	const [problem, setProblem] = useState<string | undefined>();
	// No target yet: the wizard or the sandbox, chosen, never the sandbox unasked.
	const firstRun = useMemo(() => Boolean(engine) && !services.sandbox && engine!.storedTargets().length === 0, [engine, services.sandbox, generation]);
	useCommands(['open', 'up', 'down', 'left', 'right', 'targets', ...(firstRun ? (['useSandbox'] as const) : []), 'newRecipe', 'reload', 'pageUp', 'pageDown', 'first', 'last']);

	const selected = projects[row];
	const environment = selected?.environments[column];
	const pending = inProgress(projects, cells, runs);
	const clashes = useMemo(() => sameProjectNames(projects), [projects]);
	const listHeight = Math.max(1, height - 6 - (pending.length > 0 ? 1 : 0) - (clashes.length > 0 ? 1 : 0) - (firstRun ? 1 : 0));
	const offset = Math.max(0, row - listHeight + 1);
	const move = (action: GridAction) => {
		const next = gridReducer({row, column}, action, columns);
		const project = projects[next.row];
		if (project) setAt({file: project.file, ...(project.environments[next.column] === undefined ? {} : {environment: project.environments[next.column]!})});
	};

	useKeys(key => {
		setProblem(undefined);
		if (matches('up', key)) move({type: 'up'});
		else if (matches('down', key)) move({type: 'down'});
		else if (matches('left', key)) move({type: 'left'});
		else if (matches('right', key)) move({type: 'right'});
		else if (matches('pageUp', key)) move({type: 'page', rows: -listHeight});
		else if (matches('pageDown', key)) move({type: 'page', rows: listHeight});
		else if (matches('first', key)) move({type: 'first'});
		else if (matches('last', key)) move({type: 'last'});
		else if (matches('targets', key)) navigate({type: 'push', route: {name: 'targets'}});
		else if (matches('newRecipe', key)) navigate({type: 'push', route: {name: 'step-form'}});
		else if (matches('reload', key)) setGeneration(g => g + 1);
		else if (firstRun && engine && matches('useSandbox', key)) {
			engine.useSandbox(projects.flatMap(p => p.environments));
			setGeneration(g => g + 1);
		}
		else if (matches('open', key) && selected) {
			const busy = environment !== undefined && summarizeEnvironment(selected.file, environment, cells, runs).inProgress;
			if (busy && engine && environment) {
				const run = attachTo(services, engine, selected.file, selected.name ?? selected.file, environment);
				if ('error' in run) setProblem(run.error);
				else navigate({type: 'push', route: {name: 'live', runId: run.id}});
			} else navigate({type: 'push', route: {name: 'project', file: selected.file, ...(environment === undefined ? {} : {environment})}});
		} else return false;
		return true;
	});

	const allEnvironments = useMemo(() => environmentColumns(projects), [projects]);
	const widths = gridWidths(width, Math.max(0, ...projects.map(p => (p.name ?? p.file).length)), allEnvironments.length, Math.max(0, allEnvironments.indexOf(environment ?? '')));
	// More environments than fit: the columns around the focused one (←→ scroll them).
	const environments = allEnvironments.slice(widths.first, widths.first + widths.shown);
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				Projects <Text dimColor>in {catalog.folder}</Text>
				{engine ? null : <Text dimColor> — connecting…</Text>}
			</Text>
			{firstRun ? (
				<Text color="magenta" wrap="truncate">
					No target yet: t adds one (checked live against AWS) · s uses the sandbox, a simulated account to try everything
				</Text>
			) : null}
			{pending.length > 0 ? (
				<Text color="cyan" wrap="truncate">
					⟳ {pending.length === 1 ? 'an operation is' : `${pending.length} operations are`} in progress: {pending.join(', ')} — select it and press Enter to attach
				</Text>
			) : null}
			{clashes.length > 0 ? (
				<Text color="yellow" wrap="truncate">
					⚠ one project in several files, which deploy to the same stacks: {clashes.join('; ')}
				</Text>
			) : null}
			<Box marginTop={1}>{projects.length > 0 ? <GridHeader environments={environments} widths={widths} hidden={{before: widths.first > 0, after: widths.first + widths.shown < allEnvironments.length}} /> : <Text> </Text>}</Box>
			<Box flexDirection="column" height={listHeight + 1} overflowY="hidden">
				{recipes.status === 'loading' ? <Text dimColor>Reading recipes…</Text> : null}
				{recipes.status === 'failed' ? <Text color="red" wrap="truncate">Could not read the recipes: {recipes.message}</Text> : null}
				{recipes.status === 'ready' && projects.length === 0 ? (
					<Text wrap="truncate">No recipes in {catalog.folder} yet. Press n to write one; docs/recipe.md describes the format.</Text>
				) : null}
				{projects.slice(offset, offset + listHeight).map((project, i) => (
					<ProjectRow key={project.file} project={project} environments={environments} selected={offset + i === row} focused={environment} cells={cells} runs={runs} widths={widths} />
				))}
			</Box>
			{problem ? (
				<Text color="red" wrap="truncate">
					{problem}
				</Text>
			) : (
				<Text dimColor wrap="truncate">
					{selected ? describeSelection(selected, environment, environment === undefined ? undefined : summarizeEnvironment(selected.file, environment, cells, runs).text) : ' '}
				</Text>
			)}
			<Text dimColor wrap="truncate">
				✓ serving (ECS) · ↺ VERSION rolled back · ✗ VERSION failed · ? unconfirmed · ⟳ in progress
			</Text>
		</Box>
	);
}

/** Operations in progress that this session is not watching (after a restart, or started elsewhere). */
function inProgress(projects: readonly RecipeSummary[], cells: ReadonlyMap<CellKey, Cell>, runs: readonly AppRun[]): string[] {
	return projects.flatMap(p =>
		p.environments.filter(e => {
			const cell = cells.get(cellKey(p.file, e));
			return cell?.state === 'ready' && cell.status.state === 'in-progress' && !runs.some(r => r.recipeFile === p.file && r.environment === e && !r.ended && !r.detached);
		}).map(e => printable(`${p.name ?? p.file}/${e}`)),
	);
}

/** The line under the grid: the selected file and environment, its cell whole (a cell may be cut), its problems. */
function describeSelection(project: RecipeSummary, environment: string | undefined, cell: string | undefined): string {
	const problems = project.problems.filter(p => p.severity === 'error').length;
	return `${printable(project.file)}${environment ? ` · ${environment}` : ''}${cell && cell !== '…' ? ` · ${cell}` : ''}${problems > 0 ? ` · ${problems} problem${problems === 1 ? '' : 's'} in the recipe` : ''}${project.description ? ` · ${printable(project.description)}` : ''}`;
}

/** `hello-color (recipes/hello-color.yaml, copy.yaml)` for each project name that more than one recipe file declares. */
export function sameProjectNames(projects: readonly RecipeSummary[]): string[] {
	const files = new Map<string, string[]>();
	for (const p of projects) if (p.name !== undefined) files.set(p.name, [...(files.get(p.name) ?? []), p.file]);
	return [...files].filter(([, list]) => list.length > 1).map(([name, list]) => `${printable(name)} (${list.map(printable).join(', ')})`);
}
