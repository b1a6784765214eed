import {Box, Text} from 'ink';
import {minutesLeft, progressLine} from '../../domain/lifecycle.js';
import {printable} from '../../domain/text.js';
import type {LifecycleView} from '../../engine/shared/host.js';
import {matches} from '../input/keymap.js';
import {useKeys} from '../input/use-keys.js';
import {KeyHints} from './key-hints.js';

/** What the operator did at the gate, while ECS is being told. */
export type GateAnswering = 'promote' | 'rollback';

type Props = {
	lifecycle: LifecycleView | undefined;
	/** The time, for the minutes left (a ticking `useNow` in the screen). */
	now: number;
	width: number;
	/** Whether p and r are this component's (the live view has no dialog open). */
	isActive: boolean;
	/** p or r while the gate waits. */
	onAnswer: (answer: GateAnswering) => void;
	/** An answer on its way to ECS: the keys rest until the gate moves on. */
	answering?: GateAnswering;
	/** Why the last answer did not reach ECS. */
	error?: string;
};

/**
 * The lifecycle of a blue/green, canary or linear deployment in the live view: a progress line of its stages
 * (reconcile, scale up, test traffic, production traffic, bake time, clean up), and while the approval gate
 * waits, what is being tested (test listener, new tasks, traffic split, time left) with `p` promote and `r`
 * roll back. At most five lines; nothing for a rolling deployment.
 */
export function ApprovalGate({lifecycle, now, width, isActive, onAnswer, answering, error}: Props) {
	const waiting = lifecycle?.hook?.status === 'AWAITING_ACTION' ? lifecycle.hook : undefined;
	useKeys(
		key => {
			if (matches('approveDeployment', key)) {
				onAnswer('promote');
				return true;
			}
			if (matches('rejectDeployment', key)) {
				onAnswer('rollback');
				return true;
			}
			return false;
		},
		{isActive: isActive && waiting !== undefined && answering === undefined},
	);
	if (!lifecycle) return null;
	const finished = lifecycle.status === 'SUCCESSFUL';
	const steps = progressLine(lifecycle.stages, lifecycle.stage, finished);
	const rolledBack = lifecycle.status.startsWith('ROLLBACK');
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold>{lifecycle.strategy}</Text>
				{lifecycle.status === 'IN_PROGRESS' ? null : <Text color={rolledBack ? 'red' : finished ? 'green' : undefined}> {lifecycle.status}</Text>}
				{'  '}
				{steps.map((step, i) => (
					<Text key={step.label}>
						{i > 0 ? <Text dimColor> › </Text> : null}
						<Text color={step.state === 'done' ? 'green' : step.state === 'current' ? (rolledBack ? 'red' : 'cyan') : undefined} dimColor={step.state === 'next'} bold={step.state === 'current'}>
							{step.state === 'done' ? '✓ ' : step.state === 'current' ? '● ' : '○ '}
							{step.label}
						</Text>
					</Text>
				))}
			</Text>
			<Text wrap="truncate" dimColor>
				{lifecycle.stage ?? 'starting'} · production {lifecycle.production} % on the new revision · {lifecycle.tasks.running}/{lifecycle.tasks.requested} new tasks running
			</Text>
			{waiting ? (
				<>
					<Text wrap="truncate" color="yellow" bold>
						Waiting for approval at {waiting.stage ?? lifecycle.stage}
						{waiting.expiresAt === undefined ? '' : ` · ${minutesLeft(waiting.expiresAt, now)} min left, then ${waiting.timeoutAction ?? 'ROLLBACK'}`}
					</Text>
					<Text wrap="truncate">{lifecycle.testListener ? `testing: test traffic → new revision (${printable(shortArn(lifecycle.testListener))})` : 'testing: no test listener rule; the new revision has no traffic yet'}</Text>
					{answering ? (
						<Text wrap="truncate" color="cyan">
							{answering === 'promote' ? 'promoting…' : 'rolling back…'}
						</Text>
					) : error ? (
						<Text wrap="truncate" color="red">
							{printable(error)}
						</Text>
					) : (
						<KeyHints commands={['approveDeployment', 'rejectDeployment']} width={width} />
					)}
				</>
			) : null}
		</Box>
	);
}

/** `listener-rule/app/checkout/…` from a listener rule ARN: its kind and load balancer (the ids say little). */
function shortArn(arn: string): string {
	const resource = arn.split(':').slice(5).join(':') || arn;
	const parts = resource.split('/');
	return parts.length > 3 ? `${parts.slice(0, 3).join('/')}/…` : resource;
}
