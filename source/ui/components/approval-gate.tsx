import {Box, Text} from 'ink';
import {minutesLeft, progressLine} from '../../domain/lifecycle.js';
import {printable} from '../../domain/text.js';
import type {LifecycleView} from '../../engine/core/host.js';
import {KeyHints} from './key-hints.js';

/** What the operator did at the gate, while ECS is being told. */
export type GateAnswering = 'promote' | 'rollback';

type Props = {
	lifecycle: LifecycleView | undefined;
	/** The time, for the minutes left (a ticking `useNow` in the screen). */
	now: number;
	width: number;
	/** The new revision's tasks that pass their health checks, when the run saw them. */
	healthy?: number;
	/** The progress line only (the run has ended: its summary says the rest). @default false */
	compact?: boolean;
	/** An answer on its way to ECS: the keys rest until the gate moves on. */
	answering?: GateAnswering;
	/** Why the last answer did not reach ECS. */
	error?: string;
};

/** True when the deployment's approval gate waits for an answer (its PAUSE hook is AWAITING_ACTION). */
export function gateWaits(lifecycle: LifecycleView | undefined): boolean {
	return lifecycle?.hook?.status === 'AWAITING_ACTION';
}

/** The rows {@link ApprovalGate} takes: none for a rolling deployment, one compact, two, or five while the gate waits. */
export function gateHeight(lifecycle: LifecycleView | undefined, compact = false): number {
	if (!lifecycle) return 0;
	if (compact) return 1;
	return gateWaits(lifecycle) ? 5 : 2;
}

/**
 * The lifecycle of a blue/green, canary or linear deployment in the live view: a progress line of its stages
 * (reconcile, scale up, test traffic, production traffic, bake time, clean up), the stage and the traffic
 * split, and while the approval gate waits, what is being tested (test listener, new tasks and their health,
 * time left) with the keys `p` promote and `r` roll back (the live view owns them). At most five lines
 * ({@link gateHeight}); nothing for a rolling deployment.
 */
export function ApprovalGate({lifecycle, now, width, healthy, compact = false, answering, error}: Props) {
	if (!lifecycle) return null;
	const waiting = gateWaits(lifecycle) ? lifecycle.hook : undefined;
	const finished = lifecycle.status === 'SUCCESSFUL';
	const steps = progressLine(lifecycle.stages, lifecycle.stage, finished);
	const rolledBack = lifecycle.status.startsWith('ROLLBACK');
	const health = healthy === undefined ? '' : `, ${healthy} healthy`;
	// Below 100 columns the words get shorter, so that the split and the tasks' health still show at 80.
	const narrow = width < 100;
	const split = narrow
		? `new: ${lifecycle.production} % of production, ${lifecycle.tasks.running}/${lifecycle.tasks.requested} tasks running${health}`
		: `production ${lifecycle.production} % on the new revision · ${lifecycle.tasks.running}/${lifecycle.tasks.requested} new tasks running${health}`;
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
							{narrow ? step.label.replace(' traffic', '') : step.label}
						</Text>
					</Text>
				))}
			</Text>
			{compact ? null : (
				<Text wrap="truncate" dimColor>
					{lifecycle.stage ?? 'starting'} · {split}
				</Text>
			)}
			{waiting && !compact ? (
				<>
					<Text wrap="truncate" color="yellow" bold>
						Waiting for approval at {waiting.stage ?? lifecycle.stage}
						{waiting.expiresAt === undefined ? '' : ` · ${minutesLeft(waiting.expiresAt, now)} min left, then ${waiting.timeoutAction ?? 'ROLLBACK'}`}
					</Text>
					<Text wrap="truncate">{lifecycle.testListener ? `testing: test traffic → new revision (${printable(shortArn(lifecycle.testListener))})` : 'testing: no test listener rule; the new revision has no traffic yet'}</Text>
					{answering ? (
						<Text wrap="truncate" color="cyan">
							{answering === 'promote' ? 'promoting: telling ECS to continue…' : 'rolling back: telling ECS…'}
						</Text>
					) : error ? (
						<Text wrap="truncate">
							<Text color="red">✗ {printable(error)}</Text>
							<Text dimColor> · p / r again</Text>
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
