import {Box, Text} from 'ink';
import {useMemo, useReducer, useState} from 'react';
import {printable} from '../../../domain/text.js';
import type {RecipeSummary} from '../../catalog.js';
import {cellKey, summarizeEnvironment, toneColor, useStatusCells, type Cell, type CellKey} from '../../hooks/use-status-cells.js';
import {useRecipes} from '../../hooks/use-recipes.js';
import {matches} from '../../input/keymap.js';
import {attachTo} from '../../runs/start-run.js';
import type {AppRun} from '../../runs/run-registry.js';
import {useCommands, useRuns, useScreenInput, useServices} from '../../services.js';
import {gridReducer, type GridAction, type GridState} from './use-dashboard.js';

type Props = {height: number; width: number};

/**
 * The first screen: projects (recipes) × environments. Each cell says which release runs there, how its
 * last deployment ended and when (read through the engine's status use case, filled as answers arrive), and
 * marks an operation in progress: Enter attaches to it.
 */
export function DashboardScreen({height, width}: Props) {
	const services = useServices();
	const {engine, catalog, navigate} = services;
	const [generation, setGeneration] = useState(0);
	const recipes = useRecipes(catalog, generation);
	const projects = useMemo(() => (recipes.status === 'ready' ? recipes.recipes : []), [recipes]);
	const runs = useRuns();
	const cells = useStatusCells(engine, projects, generation, runs);
	const columns = useMemo(() => projects.map(p => Math.max(1, p.environments.length)), [projects]);
	const [cursor, move] = useReducer((state: GridState, action: GridAction) => gridReducer(state, action, columns), {row: 0, column: 0});
	const [problem, setProblem] = useState<string | undefined>();
	// No target yet: the wizard or the sandbox, chosen, never the sandbox unasked.
	const firstRun = useMemo(() => Boolean(engine) && !services.sandbox && engine!.storedTargets().length === 0, [engine, services.sandbox, generation]);
	useCommands(firstRun ? ['up', 'left', 'open', 'targets', 'useSandbox', 'newRecipe'] : ['up', 'left', 'open', 'targets', 'newRecipe']);

	const selected = projects[cursor.row];
	const environment = selected?.environments[cursor.column];
	const pending = inProgress(projects, cells, runs);
	const clashes = useMemo(() => sameProjectNames(projects), [projects]);
	const listHeight = Math.max(1, height - 6 - (pending.length > 0 ? 1 : 0) - (clashes.length > 0 ? 1 : 0) - (firstRun ? 1 : 0));
	const offset = Math.max(0, cursor.row - listHeight + 1);

	useScreenInput((input, key) => {
		setProblem(undefined);
		if (matches('up', input, key)) move({type: 'up'});
		else if (matches('down', input, key)) move({type: 'down'});
		else if (matches('left', input, key) || input === 'h') move({type: 'left'});
		else if (matches('right', input, key) || input === 'l') move({type: 'right'});
		else if (matches('pageUp', input, key)) move({type: 'page', rows: -listHeight});
		else if (matches('pageDown', input, key)) move({type: 'page', rows: listHeight});
		else if (matches('first', input, key)) move({type: 'first'});
		else if (matches('last', input, key)) move({type: 'last'});
		else if (matches('targets', input, key)) navigate({type: 'push', route: {name: 'targets'}});
		else if (matches('newRecipe', input, key)) navigate({type: 'push', route: {name: 'step-form'}});
		else if (input === 'g') setGeneration(g => g + 1);
		else if (firstRun && engine && matches('useSandbox', input, key)) {
			engine.useSandbox(projects.flatMap(p => p.environments));
			setGeneration(g => g + 1);
		}
		else if (matches('open', input, key) && selected) {
			const busy = environment !== undefined && summarizeEnvironment(selected.file, environment, cells, runs).inProgress;
			if (busy && engine && environment) {
				const run = attachTo(services, engine, selected.file, selected.name ?? selected.file, environment);
				if ('error' in run) setProblem(run.error);
				else navigate({type: 'push', route: {name: 'live', runId: run.id}});
			} else {
				navigate({type: 'push', route: {name: 'project', file: selected.file, ...(environment === undefined ? {} : {environment})}});
			}
		}
	});

	const nameWidth = Math.min(24, Math.max(12, ...projects.map(p => (p.name ?? p.file).length + 2)));
	const maxEnvironments = Math.max(1, ...columns);
	const cellWidth = Math.max(14, Math.floor((width - nameWidth - 4) / maxEnvironments));
	// Environments as column titles when every project has the same ones (the usual case); else each cell names its own.
	const shared = projects.length > 0 && projects.every(p => p.environments.join('\n') === projects[0]!.environments.join('\n')) ? projects[0]!.environments : undefined;
	return (
		<Box flexDirection="column" height={height}>
			<Text bold>
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
			{shared ? (
				<Box marginTop={1}>
					<Text dimColor>{'  '}{'project'.padEnd(nameWidth)}</Text>
					{shared.map(env => (
						<Box key={env} width={cellWidth}>
							<Text dimColor wrap="truncate">
								{printable(env)}
							</Text>
						</Box>
					))}
				</Box>
			) : null}
			<Box flexDirection="column" marginTop={shared ? 0 : 1} height={listHeight + 1} overflowY="hidden">
				{recipes.status === 'loading' ? <Text dimColor>Reading recipes…</Text> : null}
				{recipes.status === 'failed' ? <Text color="red">Could not read the recipes: {recipes.message}</Text> : null}
				{recipes.status === 'ready' && projects.length === 0 ? (
					<Text>No recipes in {catalog.folder} yet. Press n to write one; docs/recipe.md describes the format.</Text>
				) : null}
				{projects.slice(offset, offset + listHeight).map((project, i) => (
					<ProjectRow key={project.file} project={project} selected={offset + i === cursor.row} column={cursor.column} cells={cells} runs={runs} nameWidth={nameWidth} cellWidth={cellWidth} labelled={!shared} />
				))}
			</Box>
			{problem ? <Text color="red">{problem}</Text> : <Text dimColor wrap="truncate">{selected ? describeSelection(selected, environment) : ' '}</Text>}
			<Text dimColor wrap="truncate">
				✓ serving (ECS) · ↺ VERSION rolled back · ✗ VERSION failed · ? unconfirmed · ⟳ in progress
			</Text>
		</Box>
	);
}

function ProjectRow({project, selected, column, cells, runs, nameWidth, cellWidth, labelled}: {project: RecipeSummary; selected: boolean; column: number; cells: ReadonlyMap<CellKey, Cell>; runs: readonly AppRun[]; nameWidth: number; cellWidth: number; labelled: boolean}) {
	const name = printable(project.name ?? project.file);
	if (!project.document) {
		return (
			<Text wrap="truncate">
				<Text color="cyan">{selected ? '❯ ' : '  '}</Text>
				<Text color="red">{name.padEnd(nameWidth)}</Text>
				<Text dimColor>cannot be read: {printable(project.problems[0]?.message ?? 'unknown problem')}</Text>
			</Text>
		);
	}
	return (
		<Box>
			<Text color="cyan">{selected ? '❯ ' : '  '}</Text>
			<Text bold={selected} wrap="truncate">
				{name.slice(0, nameWidth - 1).padEnd(nameWidth)}
			</Text>
			{project.environments.map((environment, i) => {
				const summary = summarizeEnvironment(project.file, environment, cells, runs);
				const focused = selected && i === column;
				return (
					<Box key={environment} width={cellWidth}>
						<Text wrap="truncate" inverse={focused} color={toneColor[summary.tone]} dimColor={summary.tone === 'quiet'}>
							{(labelled ? `${environment}: ${summary.text}` : summary.text).slice(0, cellWidth - 1)}
						</Text>
					</Box>
				);
			})}
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

function describeSelection(project: RecipeSummary, environment: string | undefined): string {
	const problems = project.problems.filter(p => p.severity === 'error').length;
	return `${printable(project.file)}${environment ? ` · ${environment}` : ''}${problems > 0 ? ` · ${problems} problem${problems === 1 ? '' : 's'} in the recipe` : ''}${project.description ? ` · ${printable(project.description)}` : ''}`;
}

/** `hello-color (recipes/hello-color.yaml, copy.yaml)` for each project name that more than one recipe file declares. */
export function sameProjectNames(projects: readonly RecipeSummary[]): string[] {
	const files = new Map<string, string[]>();
	for (const p of projects) if (p.name !== undefined) files.set(p.name, [...(files.get(p.name) ?? []), p.file]);
	return [...files].filter(([, list]) => list.length > 1).map(([name, list]) => `${printable(name)} (${list.map(printable).join(', ')})`);
}
