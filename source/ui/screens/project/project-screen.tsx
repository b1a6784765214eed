import {Box, Text} from 'ink';
import {useMemo, useState} from 'react';
import {printable} from '../../../domain/text.js';
import type {Engine} from '../../../engine/engine.js';
import type {RecipeSummary} from '../../catalog.js';
import {LogsPane, logsCommands, logsFilteringCommands, useLogsView} from '../../components/logs-pane.js';
import {useLogFollow} from '../../hooks/use-log-follow.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {cellKey, summarizeEnvironment, toneColor, useStatusCells} from '../../hooks/use-status-cells.js';
import {column} from '../../format.js';
import {matches} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {attachTo, startContinueRollback, startDeploy, startRedeploy, targetOf} from '../../runs/start-run.js';
import {useCommands, useRuns, useServices, useWhenEngine} from '../../services.js';
import {promotionOf, useLedgerReleases} from './promotion.js';
import {useRecipeVerify} from './use-recipe-verify.js';
import {VerifyPane} from './verify-pane.js';

type Props = {file: string; environment?: string; height: number; width: number};

/**
 * A project: its environments in promotion order with what runs in each, and what can be done: deploy,
 * promote the release an environment runs to the next one, create a release, roll back, history, edit the
 * recipe, preview the template, run a one-off task, redeploy, attach.
 */
export function ProjectScreen({file, environment: initial, height, width}: Props) {
	const services = useServices();
	const {engine, catalog, navigate} = services;
	const recipe = useRecipe(catalog, file);
	const projects = useMemo(() => (recipe && recipe !== 'loading' ? [recipe] : []), [recipe]);
	const [generation, setGeneration] = useState(0);
	const runs = useRuns();
	const cells = useStatusCells(services.statuses, projects, generation, runs, services.statusShown);
	const environments = recipe && recipe !== 'loading' ? recipe.environments : [];
	// The environment is kept by name in the route: the recipe loads after the first frame, and coming back
	// to the project (from its history, a deploy) finds the environment that was picked.
	const picked = initial;
	const setPicked = (name: string | undefined) => navigate({type: 'replace', route: {name: 'project', file, ...(name === undefined ? {} : {environment: name})}});
	const index = Math.max(0, picked === undefined ? 0 : environments.indexOf(picked));
	const setIndex = (change: (i: number) => number) => setPicked(environments[change(index)] ?? picked);
	const [problem, setProblem] = useState<string | undefined>();
	const environment = environments[Math.min(index, Math.max(0, environments.length - 1))];
	// A stack stuck in UPDATE_ROLLBACK_FAILED: r continues its rollback rather than picking a release to go back to.
	const cell = environment === undefined ? undefined : cells.get(cellKey(file, environment));
	const stuck = cell?.state === 'ready' && cell.status.state === 'stuck';
	// `l`: the selected environment's logs in a pane under the environments (Esc closes it).
	const [logsOpen, setLogsOpen] = useState(false);
	const logSubject = useMemo(() => (logsOpen && environment !== undefined ? {recipeFile: file, environment} : undefined), [logsOpen, file, environment]);
	const logs = useLogFollow(engine, logSubject);
	const logsView = useLogsView();
	// `v`: the pre-flight verify of the selected environment, in place of the problems (Esc closes it).
	const verify = useRecipeVerify();
	// `p`: the release the selected environment runs, to the next environment of its lifecycle (the ledger's releases say its channel).
	const ledger = useLedgerReleases(engine, recipe && recipe !== 'loading' ? recipe.document : undefined, environment, generation);
	const promotion = environment === undefined || !recipe || recipe === 'loading' ? undefined : promotionOf(recipe.document, environments, environment, cell, ledger);
	useCommands(
		logsOpen
			? logsView.state.filtering
				? logsFilteringCommands
				: ['logs', ...logsCommands, 'deploy', stuck ? 'continueRollback' : 'rollback', 'history', 'back']
			: ['environmentUp', 'environmentDown', 'deploy', ...(promotion && 'to' in promotion ? (['promoteEnvironment'] as const) : []), 'createRelease', stuck ? 'continueRollback' : 'rollback', 'history', 'logs', 'runTask', 'verifyRecipe', 'edit', 'preview', 'redeploy', 'attach', 'reload', 'back'],
	);
	const logsHeight = Math.max(4, height - environments.length - 8);

	// Picking a target reads the workspace file: once per environment (and on `g`), not on every frame.
	const targets = useMemo(() => (engine ? environments.map(env => targetOf(engine, env)) : []), [engine, environments, generation]);

	const whenEngine = useWhenEngine();
	useKeys(key => {
		setProblem(undefined);
		if (!recipe || recipe === 'loading') return false;
		if (logsOpen) {
			if (logsView.handleKey(key, logs, Math.max(1, logsHeight - 2))) return true;
			if (matches('back', key) || matches('logs', key)) {
				setLogsOpen(false);
				logsView.reset();
				return true;
			}
		} else if (matches('logs', key) && environment !== undefined) {
			verify.close();
			setLogsOpen(true);
			return true;
		} else if (verify.state.status !== 'closed' && matches('back', key)) {
			verify.close();
			return true;
		} else if (matches('verifyRecipe', key) && environment !== undefined) {
			const target = targets[index];
			if (!target || 'error' in target) return setProblem(target ? target.error : `no target serves ${environment}`), true;
			whenEngine(engine => verify.start(engine, file, environment, target));
			return true;
		}
		const blocked = recipe.problems.some(p => p.severity === 'error');
		const go = (route: Parameters<typeof navigate>[0]) => navigate(route);
		const deploying = matches('deploy', key);
		if (!logsOpen && matches('environmentUp', key)) setIndex(i => Math.max(0, i - 1));
		else if (!logsOpen && matches('environmentDown', key)) setIndex(i => Math.min(environments.length - 1, i + 1));
		else if (matches('edit', key)) go({type: 'push', route: {name: 'step-form', file}});
		else if (matches('reload', key)) setGeneration(g => g + 1);
		else if (!environment) return false;
		else if (deploying || matches('createRelease', key)) {
			if (blocked) return setProblem('the recipe has problems (below): fix them first (e edits the recipe)'), true;
			const mode = deploying ? 'deploy' : 'create';
			// A draft saved with problems (in its service section or an environment) is not deployed.
			whenEngine(engine => void deployable(engine, file).then(problem => (problem ? setProblem(problem) : go({type: 'push', route: {name: 'release-picker', file, mode, environment}}))));
		} else if (stuck && matches('continueRollback', key)) {
			whenEngine(engine => {
				const run = startContinueRollback(services, engine, {recipeFile: file, project: recipe.name ?? file, environment});
				if ('error' in run) setProblem(run.error);
				else go({type: 'push', route: {name: 'live', runId: run.id}});
			});
		} else if (!logsOpen && matches('promoteEnvironment', key)) {
			if (!promotion) return setProblem(`the status of ${environment} is still being read`), true;
			if (!('to' in promotion)) return setProblem(promotion.why), true;
			whenEngine(engine => {
				void startDeploy(services, engine, {recipeFile: file, project: recipe.name ?? file, environment: promotion.to}, promotion.release).then(run => {
					if ('error' in run) setProblem(run.error);
					else go({type: 'push', route: {name: 'live', runId: run.id}});
				});
			});
		} else if (matches('rollback', key)) go({type: 'push', route: {name: 'rollback', file, environment}});
		else if (matches('history', key)) go({type: 'push', route: {name: 'history', file, environment}});
		else if (matches('preview', key)) go({type: 'push', route: {name: 'template-preview', file, environment}});
		else if (matches('runTask', key)) go({type: 'push', route: {name: 'task', file, environment}});
		else if (matches('redeploy', key)) {
			whenEngine(engine => {
				const run = startRedeploy(services, engine, {recipeFile: file, project: recipe.name ?? file, environment});
				if ('error' in run) setProblem(run.error);
				else go({type: 'push', route: {name: 'live', runId: run.id}});
			});
		} else if (matches('attach', key)) {
			whenEngine(engine => {
				const run = attachTo(services, engine, file, recipe.name ?? file, environment);
				if ('error' in run) setProblem(run.error);
				else go({type: 'push', route: {name: 'live', runId: run.id}});
			});
		} else return false;
		return true;
	});

	// Columns: the environment (as long as the longest needs, 14 to 24), its status, then its target.
	const envWidth = Math.min(24, Math.max(14, ...environments.map(env => env.length + 2)));
	const statusWidth = Math.min(48, Math.max(24, width - envWidth - 30));
	if (recipe === 'loading') return <Text dimColor>Reading {file}…</Text>;
	if (!recipe) return <Text color="red">{file} is no longer in the catalog.</Text>;
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				{printable(recipe.name ?? recipe.file)} <Text dimColor>{recipe.file}</Text>
			</Text>
			{recipe.description ? <Text wrap="truncate">{printable(recipe.description)}</Text> : null}
			<Text dimColor wrap="truncate">
				images: {recipe.images.map(i => `${i.ref} (${i.source})`).join(', ') || '—'} · containers: {recipe.containers.join(', ') || '—'}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				<Text bold>Environments (promotion order)</Text>
				{environments.map((env, i) => {
					const summary = summarizeEnvironment(file, env, cells, runs);
					const target = targets[i];
					return (
						<Text key={env} wrap="truncate">
							<Text color="cyan">{i === index ? '❯ ' : '  '}</Text>
							<Text bold={i === index}>{column(printable(env), envWidth - 1)} </Text>
							<Text color={toneColor[summary.tone]}>{column(summary.text, statusWidth - 1)} </Text>
							<Text dimColor>{target && !('error' in target) ? (target.sandbox ? 'sandbox' : `${target.name} (${target.cluster})`) : target?.several ? `${target.several.length} targets: ${target.several.map(t => t.name).join(', ')}` : ''}</Text>
							{summary.inProgress ? <Text color="cyan"> ↵ attach</Text> : null}
						</Text>
					);
				})}
			</Box>
			{promotion && !logsOpen ? (
				<Text wrap="truncate" {...('to' in promotion ? {} : {dimColor: true})}>
					{'to' in promotion ? (
						<>
							<Text color="cyan">p</Text> promotes {printable(promotion.release)} from {printable(environment ?? '')} to <Text bold>{printable(promotion.to)}</Text>
							<Text dimColor>{promotion.channel ? ` (channel ${promotion.channel})` : ''} · releases in {printable(ledger.state === 'ready' ? ledger.where : '…')}</Text>
						</>
					) : (
						promotion.why
					)}
				</Text>
			) : null}
			{logsOpen && environment !== undefined ? (
				<Box flexDirection="column" marginTop={1} height={logsHeight}>
					<Text bold wrap="truncate">
						Logs of {printable(environment)} <Text dimColor>(the newest deployment's tasks · l or esc closes)</Text>
					</Text>
					<LogsPane live={logs} state={logsView.state} height={logsHeight - 1} width={width} focused empty={`no log lines yet from ${environment}`} />
				</Box>
			) : verify.state.status !== 'closed' ? (
				<VerifyPane state={verify.state} height={Math.max(3, height - environments.length - 9)} />
			) : (
				<Problems recipe={recipe} height={Math.max(0, height - environments.length - 9)} />
			)}
			{problem ? <Text color="red">{problem}</Text> : null}
		</Box>
	);
}

/** Why the recipe cannot be deployed (the first problems), or undefined when it can. */
async function deployable(engine: Engine, file: string): Promise<string | undefined> {
	const read = await engine.readRecipe(file);
	if (read.problem !== undefined) return read.problem;
	const check = engine.checkRecipe(read.text);
	if (check.deployable) return undefined;
	const errors = [...check.problems, ...Object.entries(check.environments).flatMap(([env, list]) => list.map(p => ({...p, path: `${env}: ${p.path}`})))].filter(p => p.severity === 'error');
	return `not deployable (${errors.length} problem${errors.length === 1 ? '' : 's'}): ${errors.slice(0, 2).map(p => `${p.path}: ${p.message}`).join('; ')} — press e to fix`;
}

function Problems({recipe, height}: {recipe: RecipeSummary; height: number}) {
	if (recipe.problems.length === 0 || height < 2) return null;
	return (
		<Box flexDirection="column" marginTop={1} height={height} overflowY="hidden">
			<Text bold color="red">
				Problems in the recipe
			</Text>
			{recipe.problems.slice(0, height - 1).map((p, i) => (
				<Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="truncate">
					{'  '}
					{printable(p.path)}
					{p.line === undefined ? '' : ` (line ${p.line})`}: {printable(p.message)}
				</Text>
			))}
		</Box>
	);
}
