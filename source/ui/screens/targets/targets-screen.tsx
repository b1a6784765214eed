import {Box, Text} from 'ink';
import type {Engine} from '../../../engine/engine.js';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {matches, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {filteringCommands, listCommands, useList} from '../../lists/use-list.js';
import {useCommands, useServices} from '../../services.js';
import {ChecksView} from './checks-view.js';
import {TargetSummary, summaryRows} from './target-summary.js';
import {TargetTable} from './target-table.js';
import {sandboxNotice, useTargets, type TargetsState} from './use-targets.js';

type Props = {height: number; width: number};

/** Rows under the list: a status row, the details title, the target's fields and three check rows. */
const detailRows = 1 + 1 + summaryRows + 3;

/**
 * Every target, the built-in sandbox too (marked; it cannot be edited or removed): name, cluster, region,
 * environments, credentials and tags, with the selected one in full below. `a` adds, `e` or Enter edits,
 * `x` removes (asks), `v` checks the target live.
 */
export function TargetsScreen({height, width}: Props) {
	const {engine} = useServices();
	if (!engine) return <Text dimColor>connecting…</Text>;
	return <TargetsList engine={engine} height={height} width={width} />;
}

const commands: Command[] = ['add', 'editTarget', 'remove', 'verify', ...listCommands, 'back'];

function TargetsList({engine, height, width}: {engine: Engine; height: number; width: number}) {
	const {navigate, flash} = useServices();
	const {state, targets, dispatch, verify, remove} = useTargets(engine, flash);
	// The header row and the list's own footer row are not list rows.
	const list = useList(targets, {text: t => [t.name, t.cluster, t.region, ...t.environments, ...t.tags].join(' '), height: Math.max(3, height - detailRows - 2)});
	const selected = list.selected;
	const confirming = state.confirmRemove !== undefined;

	useCommands(confirming ? ['yes', 'no'] : list.state.filtering ? filteringCommands : commands);
	useKeys(key => {
		if (confirming) {
			if (matches('yes', key)) remove();
			else if (matches('no', key)) dispatch({type: 'cancel-remove'});
			return true;
		}
		if (list.handleKey(key)) return true;
		if (matches('add', key)) navigate({type: 'push', route: {name: 'target-wizard'}});
		else if (!selected) return false;
		else if (matches('editTarget', key)) {
			if (selected.sandbox) dispatch({type: 'notice', text: sandboxNotice('edited')});
			else navigate({type: 'push', route: {name: 'target-wizard', editing: selected.name}});
		} else if (matches('remove', key)) dispatch({type: 'ask-remove', target: selected});
		else if (matches('verify', key)) verify(selected);
		else return false;
		return true;
	});

	return (
		<Box flexDirection="column" height={height}>
			<TargetTable list={list} verifications={state.verifications} width={width} />
			<StatusRow state={state} own={targets.some(t => !t.sandbox)} />
			{selected ? <Details target={selected} state={state} width={width} /> : null}
		</Box>
	);
}

function StatusRow({state, own}: {state: TargetsState; own: boolean}) {
	if (state.confirmRemove !== undefined)
		return (
			<Text color="yellow" wrap="truncate">
				Remove target {printable(state.confirmRemove)}? It is only forgotten here; nothing changes in AWS. y removes · n keeps it
			</Text>
		);
	if (state.notice) return <Text color="yellow" wrap="truncate">{state.notice}</Text>;
	if (!own) return <Text dimColor wrap="truncate">No targets of your own yet: a adds one (deploys use the sandbox until then).</Text>;
	return <Text> </Text>;
}

function Details({target, state, width}: {target: Target; state: TargetsState; width: number}) {
	return (
		<Box flexDirection="column" height={detailRows - 1}>
			<Text bold wrap="truncate">
				{printable(target.name)}
				{target.sandbox ? <Text dimColor> · built-in simulated account{target.accountId ? ` ${target.accountId}` : ''}</Text> : null}
			</Text>
			<TargetSummary target={target} width={width} />
			<Box height={3} flexDirection="column" overflowY="hidden">
				<ChecksView state={state.verifications[target.name]?.state} target={target} idle="v checks it live: the credentials (AWS STS) and the cluster (ECS)." />
			</Box>
		</Box>
	);
}
