import {Box, Text} from 'ink';
import {useCallback, useEffect, useMemo, useReducer, useSyncExternalStore, type ReactNode} from 'react';
import {wordingOf} from '../../../domain/vocabulary.js';
import {ApprovalGate, gateHeight, gateWaits} from '../../components/approval-gate.js';
import {DetailsView, detailHeight, detailRows} from '../../components/details-view.js';
import {useGateAnswer} from '../../hooks/use-gate-answer.js';
import {logRows, LogsPane, selectedLog, useLogsView, type LogsViewState} from '../../components/logs-pane.js';
import {useLogFollow} from '../../hooks/use-log-follow.js';
import type {LogSnapshot} from '../../runs/log-store.js';
import {scrollOffset} from '../../components/scroll-text.js';
import {useNow} from '../../hooks/use-now.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {matches, typedText} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import type {AppRun} from '../../runs/run-registry.js';
import type {RunSnapshot} from '../../runs/run-store.js';
import {reattachCommand, startContinueRollback, startDeploy} from '../../runs/start-run.js';
import {useCommands, useServices} from '../../services.js';
import {PaneFrame} from './pane.js';
import {detailsOf, rowKeys, selectedKey} from './details.js';
import {DeploymentPane, ProblemsPane, ServiceEventsPane, StackEventsPane, TasksPane, type PaneProps} from './panes.js';
import {RunStatus, RunSummary, summaryHeight, troubled} from './summary.js';
import {initialLive, liveLayout, liveReducer, panes, type LiveState, type Pane} from './live-reducer.js';

type Props = {runId: string; height: number; width: number};

const titles: Record<Pane, string> = {events: 'Stack events', deployment: 'ECS deployment', tasks: 'Tasks', service: 'Service events', problems: 'Problems', logs: 'Logs'};

/**
 * The screen an operator watches during a release: stack events, the ECS deployment (new against old), its
 * tasks, service events and problems (with hints and the failing container's logs, as soon as the engine
 * finds them), all from the engine's events through the run's batched store. Panes side by side on a large
 * terminal, one at a time (tabs) on a small one. `d` detaches, `c` cancels (asks); when it ends, a summary
 * with the next actions.
 */
export function LiveScreen({runId, height, width}: Props) {
	const services = useServices();
	const run = services.runs.get(runId);
	if (!run) return <Text color="red">This run is no longer known.</Text>;
	return <Live run={run} height={height} width={width} />;
}

function Live({run, height, width}: {run: AppRun; height: number; width: number}) {
	const services = useServices();
	const {engine, catalog, navigate, flash, runs} = services;
	const snapshot = useSyncExternalStore(run.store.subscribe, run.store.getSnapshot);
	const [state, dispatch] = useReducer(liveReducer, undefined, initialLive);
	const result = snapshot.result;
	const now = useNow(!result);
	const recipe = useRecipe(catalog, run.recipeFile);
	const environments = recipe && recipe !== 'loading' ? recipe.environments : [];
	// Promoting is offered once the release serves here.
	const served = result?.outcome === 'succeeded' || result?.outcome === 'no-op';
	const next = served ? environments[environments.indexOf(run.environment) + 1] : undefined;
	const focused = state.panes[state.focus];
	const stuck = result?.outcome === 'stuck';
	// Blue/green, canary, linear: the lifecycle line, and while the approval gate waits (the run goes on), p and r answer it.
	const lifecycle = snapshot.lifecycle;
	const wake = useCallback(() => run.run.control.wake(), [run]);
	const gate = useGateAnswer(engine, run, lifecycle, wake);
	const gateOpen = !result && gateWaits(lifecycle);
	const gateKeys = gateOpen && gate.answering === undefined;
	const gateRows = state.details ? 0 : gateHeight(lifecycle, result !== undefined);
	// Health only when the tasks have health checks (ECS says UNKNOWN, or nothing, otherwise).
	const checked = snapshot.tasks.filter(t => t.desiredStatus === 'RUNNING' && t.healthStatus !== undefined && t.healthStatus !== 'UNKNOWN');
	const healthy = checked.length > 0 ? checked.filter(t => t.healthStatus === 'HEALTHY').length : undefined;
	// The new tasks' logs, followed once the logs pane is opened (the tasks the engine reported for this run).
	const logSubject = useMemo(() => (state.logsShown ? {recipeFile: run.recipeFile, environment: run.environment, tasks: () => run.store.getSnapshot().tasks.map(t => t.id)} : undefined), [state.logsShown, run]);
	const logs = useLogFollow(engine, logSubject);
	const logsView = useLogsView();
	const onLogs = state.focus === 'logs';
	// Failure first: once the engine finds why it fails (or the run ends badly), Problems takes the focus.
	const troubledNow = snapshot.failures.length > 0 || (result !== undefined && troubled.has(result.outcome));
	useEffect(() => {
		if (troubledNow && !state.failureShown) dispatch({type: 'failure'});
	}, [troubledNow, state.failureShown]);
	// Stops watching (the run goes on in AWS) and says how to follow it again.
	const detach = () => {
		runs.detach(run.id);
		flash(`detached: the deploy goes on in AWS; follow it again with ${reattachCommand(run.recipeFile, run.environment, {sandbox: snapshot.target?.sandbox ?? services.sandbox, ...(run.target ? {name: run.target} : {})}, run.target !== undefined)}`);
	};
	const elapsed = result ? result.durationMs : now - (snapshot.operationStartedAt ?? run.startedAt);
	const timed = run.kind !== 'attach' || snapshot.operationStartedAt !== undefined;
	const summaryRows = result ? summaryHeight(result, snapshot, width, Math.max(5, Math.min(14, height - 9)), {timed, ...(next ? {next} : {})}) : 1;
	const panesHeight = height - summaryRows - gateRows - (state.confirmCancel ? 3 : 0) - 1;
	const details = state.details ? detailsOf(state.details.pane, state.details.key, snapshot, logsView.shown(logs)) : undefined;
	// A row opened whole takes the screen below the title.
	const detailsBox = height - 1;
	useCommands(
		state.details
			? ['closeDetail', 'up', 'down', 'pageUp', 'pageDown']
			: state.confirmCancel
				? ['yes', 'no']
				: focused.filtering || (onLogs && logsView.state.filtering)
					? ['filterKeep', 'filterClear', 'textEraseBack']
					: result
						? [...(next ? (['promote'] as const) : []), ...(result.outcome === 'error' ? (['tryAgain'] as const) : []), stuck ? 'continueRollback' : 'rollback', 'history', 'details', 'logs', ...(onLogs ? (['pause'] as const) : []), 'nextPane', 'previousPane', 'up', 'down', 'filter', 'pageUp', 'pageDown', 'first', 'last', 'back']
						: [...(gateKeys ? (['approveDeployment', 'rejectDeployment'] as const) : []), 'detach', 'cancel', 'details', 'logs', ...(onLogs ? (['pause'] as const) : []), 'nextPane', 'previousPane', 'up', 'down', 'filter', 'pageUp', 'pageDown', 'first', 'last', 'back'],
	);
	// Esc: closes what is open, then clears a filter, then leaves (a run still watched is detached: it goes on in AWS).
	const escape = (): boolean => {
		if (state.confirmCancel) return dispatch({type: 'confirm-cancel', open: false}), true;
		if (focused.query) return dispatch({type: 'filter-end', keep: false}), true;
		if (!result) detach();
		return false;
	};
	// A deploy to several targets, one after the other: once the next target's run starts, the view follows it.
	const following = useSyncExternalStore(runs.subscribe, () => runs.getSnapshot().find(r => r.sequence?.follows === run.id));
	useEffect(() => {
		if (!following) return;
		flash(`${run.target ?? run.environment}: ${result ? wordingOf(result.outcome).words : 'ended'}; now deploying to ${following.target ?? 'the next target'}`);
		navigate({type: 'replace', route: {name: 'live', runId: following.id}});
	}, [following?.id]);
	/** Starts another run in place of this one (try again, continue the rollback) and shows it. */
	const replaceWith = (started: AppRun | {error: string} | undefined) => {
		if (!started) return;
		if ('error' in started) flash(started.error);
		else navigate({type: 'replace', route: {name: 'live', runId: started.id}});
	};

	useKeys(key => {
		if (state.details) {
			if (matches('closeDetail', key)) dispatch({type: 'details-close'});
			else {
				const offset = details ? scrollOffset(key, state.details.offset, detailRows(details, width).length, detailHeight(detailsBox) - 1) : undefined;
				if (offset === undefined) return false;
				dispatch({type: 'details-scroll', offset});
			}
			return true;
		}
		if (state.confirmCancel) {
			if (matches('yes', key)) {
				run.run.cancel();
				dispatch({type: 'confirm-cancel', open: false});
			} else if (matches('no', key)) dispatch({type: 'confirm-cancel', open: false});
			return true;
		}
		if (focused.filtering) {
			const typed = typedText(key);
			if (matches('filterKeep', key)) dispatch({type: 'filter-end', keep: true});
			else if (matches('filterClear', key)) dispatch({type: 'filter-end', keep: false});
			else if (matches('textEraseBack', key)) dispatch({type: 'filter-erase'});
			else if (typed !== undefined) dispatch({type: 'filter-type', text: typed});
			else return false;
			return true;
		}
		// The approval gate's keys, only while it waits and the run goes on (after it, p and r are the summary's).
		if (gateKeys && matches('approveDeployment', key)) return gate.answer('promote'), true;
		if (gateKeys && matches('rejectDeployment', key)) return gate.answer('rollback'), true;
		const page = Math.max(1, height - 8);
		// The logs pane has its own cursor, filter and pause.
		if (onLogs && logsView.handleKey(key, logs, page)) return true;
		if (matches('back', key)) return escape();
		const count = rowKeys(state.focus, snapshot, focused.query).length;
		if (matches('nextPane', key)) dispatch({type: 'next-pane'});
		else if (matches('previousPane', key)) dispatch({type: 'next-pane', by: -1});
		else if (matches('up', key)) dispatch({type: 'move', by: -1, count});
		else if (matches('down', key)) dispatch({type: 'move', by: 1, count});
		else if (matches('pageUp', key)) dispatch({type: 'move', by: -page, count});
		else if (matches('pageDown', key)) dispatch({type: 'move', by: page, count});
		else if (matches('first', key)) dispatch({type: 'first'});
		else if (matches('last', key)) dispatch({type: 'follow'});
		else if (matches('filter', key)) dispatch({type: 'filter-start'});
		else if (matches('details', key)) {
			const selected = onLogs ? selectedLog(logRows(logsView.shown(logs), logsView.state.query), logsView.state)?.seq.toString() : selectedKey(state.focus, snapshot, focused);
			if (selected !== undefined) dispatch({type: 'details', key: selected});
		} else if (matches('logs', key)) dispatch({type: 'show-logs'});
		else if (!result && matches('detach', key)) {
			detach();
			navigate({type: 'pop'});
		} else if (!result && matches('cancel', key)) dispatch({type: 'confirm-cancel', open: true});
		else if (result?.outcome === 'error' && matches('tryAgain', key)) replaceWith(runs.again(run.id));
		else if (stuck && matches('continueRollback', key) && engine) replaceWith(startContinueRollback(services, engine, {recipeFile: run.recipeFile, project: run.project, environment: run.environment}));
		else if (result && matches('rollback', key)) navigate({type: 'replace', route: {name: 'rollback', file: run.recipeFile, environment: run.environment}});
		else if (result && matches('history', key)) navigate({type: 'replace', route: {name: 'history', file: run.recipeFile, environment: run.environment}});
		else if (result && next && matches('promote', key) && engine && result.release) void startDeploy(services, engine, {recipeFile: run.recipeFile, project: run.project, environment: next}, result.release.version).then(replaceWith);
		else return false;
		return true;
	});

	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				{verbs[run.kind]} {run.project} → {run.environment}
				{run.target ? ` on target ${run.target}${run.sequence ? ` (${run.sequence.index + 1} of ${run.sequence.count})` : ''}` : ''}
				{run.detached ? <Text color="yellow"> (detached)</Text> : null}
			</Text>
			{state.details ? (
				details ? <DetailsView details={details} width={width} height={detailsBox} offset={state.details.offset} /> : <Text dimColor>That row is no longer kept (↵ or esc closes).</Text>
			) : result ? (
				<RunSummary result={result} snapshot={snapshot} height={summaryRows} width={width} timed={timed} {...(next ? {next} : {})} />
			) : (
				<RunStatus snapshot={snapshot} elapsed={elapsed} width={width} />
			)}
			{gateRows > 0 ? <ApprovalGate lifecycle={lifecycle} now={now} width={width} {...(healthy === undefined ? {} : {healthy})} compact={result !== undefined} {...(gate.answering ? {answering: gate.answering} : {})} {...(gate.error ? {error: gate.error} : {})} /> : null}
			{state.confirmCancel ? (
				<Box borderStyle="round" borderColor="yellow" paddingX={1}>
					<Text>Cancel the deploy? An update in progress is cancelled and CloudFormation rolls back to the previous release. (y / n)</Text>
				</Box>
			) : null}
			{state.details ? null : liveLayout(width, height + 4) === 'grid' ? (
				<Grid snapshot={snapshot} state={state} height={panesHeight} width={width} now={now} logs={logs} logsView={logsView.state} />
			) : (
				<Tabs snapshot={snapshot} state={state} height={panesHeight} width={width} now={now} logs={logs} logsView={logsView.state} />
			)}
		</Box>
	);
}

const verbs: Record<AppRun['kind'], string> = {attach: 'Watching', rollback: 'Rolling back', redeploy: 'Redeploying', deploy: 'Deploying', 'continue-rollback': 'Continuing the rollback of'};

type LayoutProps = {snapshot: RunSnapshot; state: LiveState; height: number; width: number; now: number; logs: LogSnapshot; logsView: LogsViewState};

/** Every pane on screen: events and ECS side by side on top, service events and problems below. */
function Grid({snapshot, state, height, width, now, logs, logsView}: LayoutProps) {
	const top = Math.max(8, Math.floor(height * 0.6));
	const bottom = Math.max(4, height - top);
	const left = Math.floor(width * 0.58);
	const right = width - left;
	const pane = (name: Pane, h: number, w: number) => {
		const props = {snapshot, state: state.panes[name], height: h - 3, width: w - 2, focused: state.focus === name};
		return (
			<PaneFrame key={name} title={titles[name]} focused={state.focus === name} height={h} width={w} note={noteOf(name, snapshot, logs)}>
				{paneBody(name, props, now, logs, logsView)}
			</PaneFrame>
		);
	};
	const deploymentHeight = Math.min(8, Math.floor(top / 2));
	return (
		<Box flexDirection="column" height={height}>
			<Box height={top}>
				{pane('events', top, left)}
				<Box flexDirection="column" width={right}>
					{pane('deployment', deploymentHeight, right)}
					{pane('tasks', top - deploymentHeight, right)}
				</Box>
			</Box>
			<Box height={bottom}>
				{/* Once opened, the logs take the service events' place (Tab to the service events shows them again). */}
				{pane(state.logsShown && state.focus !== 'service' ? 'logs' : 'service', bottom, left)}
				{pane('problems', bottom, right)}
			</Box>
		</Box>
	);
}

/** One pane at a time, with a tab row (small terminals). Problems found are flagged on their tab. */
function Tabs({snapshot, state, height, width, now, logs, logsView}: LayoutProps) {
	const name = state.focus;
	const props = {snapshot, state: state.panes[name], height: height - 4, width: width - 2, focused: true};
	return (
		<Box flexDirection="column" height={height}>
			<Text wrap="truncate">
				{panes.map(p => (
					<Text key={p} inverse={p === name} color={p === 'problems' && snapshot.failures.length > 0 ? 'red' : undefined}>
						{` ${titles[p]}${p === 'problems' && snapshot.failures.length > 0 ? ` (${snapshot.failures.length})` : ''} `}
					</Text>
				))}
			</Text>
			<PaneFrame title={titles[name]} focused height={height - 1} note={noteOf(name, snapshot, logs)}>
				{paneBody(name, props, now, logs, logsView)}
			</PaneFrame>
		</Box>
	);
}

/** What a pane shows, in the grid or as a tab. */
function paneBody(name: Pane, props: PaneProps, now: number, logs: LogSnapshot, logsView: LogsViewState): ReactNode {
	if (name === 'logs') return <LogsPane live={logs} state={logsView} height={props.height} width={props.width} focused={props.focused} empty="no log lines yet: the new tasks write when they start" />;
	return name === 'events' ? <StackEventsPane {...props} /> : name === 'deployment' ? <DeploymentPane {...props} now={now} /> : name === 'tasks' ? <TasksPane {...props} /> : name === 'service' ? <ServiceEventsPane {...props} /> : <ProblemsPane {...props} />;
}

function noteOf(pane: Pane, snapshot: RunSnapshot, logs: LogSnapshot): string | undefined {
	if (pane === 'logs') return logs.received > 0 ? String(logs.received) : undefined;
	if (pane === 'events') return `${snapshot.stackEvents.length}${snapshot.received > snapshot.stackEvents.length + 50 ? ' (newest kept)' : ''}`;
	if (pane === 'tasks') return snapshot.tasks.length > 0 ? String(snapshot.tasks.length) : undefined;
	if (pane === 'problems' && snapshot.failures.length > 0) return String(snapshot.failures.length);
	return undefined;
}
