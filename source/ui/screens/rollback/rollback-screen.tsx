import {Box, Text} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import {printable} from '../../../domain/text.js';
import {matches, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {filteringCommands, listCommands, useList} from '../../lists/use-list.js';
import {reattachCommand} from '../../runs/start-run.js';
import {useCommands} from '../../services.js';
import {Failure, Loading} from '../history/load-notice.js';
import {useEnvironment} from '../history/use-environment.js';
import {CandidateList} from './candidate-list.js';
import {confirmChrome, RollbackConfirm} from './rollback-confirm.js';
import {imageChanges, runningNow, type CandidateRow} from './rollback-changes.js';
import {useRollback} from './use-rollback.js';

type Props = {file: string; environment: string; height: number; width: number};

const none: readonly CandidateRow[] = [];

/**
 * `r`: roll an environment back to a release it ran before. Lists the releases with how they did here;
 * Enter on one shows what changes, field by field (images, variables, sizes, ports, health check, desired
 * count…); `y` starts the rollback and opens the live view.
 * `R` redeploys the release running now (new tasks, same task definition; the engine asks first).
 */
export function RollbackScreen({file, environment, height, width}: Props) {
	const load = useEnvironment(file, environment);
	const {state, dispatch, start, changes} = useRollback(load);
	const rows = state.load.state === 'ready' ? state.load.rows : none;
	const list = useList<CandidateRow>(rows, {text: row => `${row.version} ${row.outcome} ${row.at}`, height: Math.max(1, height - 4), initial: row => row.offered});
	const now = runningNow(rows);
	// A rollback changes the stack: what changes is measured from what the stack holds (ECS runs the same, unless
	// it has not caught up, which the header then says).
	const held = rows.find(r => r.current) ?? now;
	const {phase} = state;
	const chosen = phase.kind === 'confirm' ? rows.find(r => r.version === phase.version) : undefined;
	const releases = state.load.state === 'ready' ? state.load.releases : [];
	const images = useMemo(() => (chosen ? imageChanges(held?.images, chosen.images) : []), [chosen, held]);
	const confirming = phase.kind === 'confirm';
	// The changes list scrolls when it is longer than the screen.
	const [offset, setOffset] = useState(0);
	const fieldCount = changes?.state === 'ready' ? changes.changes.changes.filter(c => c.group !== 'image').length : 0;
	const page = Math.max(1, height - confirmChrome - images.length);
	useEffect(() => setOffset(0), [phase]);

	useCommands(confirming ? ['yes', 'no', ...(fieldCount > page ? (['up', 'down', 'pageUp', 'pageDown'] as const) : [])] : list.state.filtering ? filteringCommands : commandsFor(state.load.state === 'error'));
	useKeys(key => {
		if (phase.kind === 'starting') return true;
		if (confirming) {
			if (matches('yes', key)) start(phase.version);
			else if (matches('no', key)) dispatch({type: 'cancel'});
			else if (matches('down', key)) setOffset(o => Math.min(Math.max(0, fieldCount - page), o + 1));
			else if (matches('up', key)) setOffset(o => Math.max(0, o - 1));
			else if (matches('pageDown', key)) setOffset(o => Math.min(Math.max(0, fieldCount - page), o + page));
			else if (matches('pageUp', key)) setOffset(o => Math.max(0, o - page));
			return true;
		}
		if (list.handleKey(key)) return true;
		if (matches('choose', key) && list.selected) dispatch({type: 'choose', version: list.selected.version});
		else if (matches('redeploy', key)) {
			dispatch({type: 'redeploy'});
			if (now) start(undefined);
		} else if (matches('retry', key)) dispatch({type: 'retry'});
		else return false;
		return true;
	});

	if (load.state !== 'ready') {
		return load.state === 'error' ? <Text color="red">{load.message}</Text> : <Loading what={load.state === 'connecting' ? 'connecting…' : 'reading the recipe…'} />;
	}
	const reattach = reattachCommand(load.context.recipeFile, environment, load.context.target);
	if (phase.kind === 'confirm' && chosen) {
		return <RollbackConfirm environment={environment} chosen={chosen} now={held} images={images} changes={changes} offset={offset} reattach={reattach} height={height} width={width} />;
	}
	if (phase.kind === 'starting') return <Loading what="starting…" />;
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold wrap="truncate">
				Roll {environment} back to an earlier release{now ? <Text color="green"> · running now: {printable(now.version)}</Text> : null}
				{held && held !== now ? <Text color="yellow"> · the stack holds {printable(held.version)} (ECS has not confirmed it)</Text> : null}
			</Text>
			<Text wrap="truncate" {...(state.notice ? {color: 'yellow'} : {dimColor: true})}>
				{state.notice ?? (now ? `R redeploys ${printable(now.version)}: a fresh ECS deployment of the same task definition, new tasks (asks first)` : 'Only releases that served here are offered.')}
			</Text>
			{state.load.state === 'error' ? (
				<Failure message={state.load.message} />
			) : state.load.state === 'ready' ? (
				<CandidateList list={list} releases={releases} environment={environment} width={width} height={height - 2} />
			) : (
				<Loading what={`asking AWS which releases ${environment} ran and how they did…`} />
			)}
		</Box>
	);
}

function commandsFor(failed: boolean): Command[] {
	return ['choose', 'redeploy', ...listCommands, ...(failed ? (['retry'] as const) : []), 'back'];
}
