import {useCallback, useEffect, useState} from 'react';
import type {Engine} from '../../engine/engine.js';
import {listeningHost, type LifecycleView} from '../../engine/core/host.js';
import type {GateAnswering} from '../components/approval-gate.js';
import {reattachCommand, targetOf} from '../runs/start-run.js';

/** What the live view needs to answer an approval gate: p and r call `answer`. */
export type GateAnswer = {answering?: GateAnswering; error?: string; answer: (answer: GateAnswering) => void};

/**
 * Answers the approval gate of a run's environment with the engine's `answerGate` (the use case `ecs-deployer
 * approve|reject` runs), on the target that serves the environment. While the answer is on its way, and until
 * ECS shows the hook moved on, `answering` holds it (p and r rest); a refusal is kept in `error` (its message,
 * never a stack). `onAnswered` runs once ECS took the answer (the live view wakes its run's monitor).
 */
export function useGateAnswer(engine: Engine | undefined, run: {recipeFile: string; environment: string}, lifecycle: LifecycleView | undefined, onAnswered?: () => void): GateAnswer {
	const [state, setState] = useState<{answering?: GateAnswering; hookId?: string; error?: string}>({});
	const waitingHook = lifecycle?.hook?.status === 'AWAITING_ACTION' ? lifecycle.hook.id : undefined;
	// The gate moved on (or another one waits): the keys are live again.
	useEffect(() => {
		if (state.hookId !== undefined && state.hookId !== waitingHook) setState({});
	}, [state.hookId, waitingHook]);
	const answer = useCallback(
		(answer: GateAnswering) => {
			if (!engine || waitingHook === undefined) return;
			const target = targetOf(engine, run.environment);
			if ('error' in target) {
				setState({error: target.error});
				return;
			}
			setState({answering: answer, hookId: waitingHook});
			const input = {recipeFile: run.recipeFile, environment: run.environment, target, reattach: reattachCommand(run.recipeFile, run.environment, target), action: answer};
			void engine.answerGate(input, listeningHost()).result.then(
				result => {
					if (result.outcome !== 'started') setState({error: result.message});
					// ECS took the answer: the run that follows the deployment looks again now, not at its idle pace.
					else onAnswered?.();
				},
				(error: unknown) => setState({error: String((error as Error).message ?? error)}),
			);
		},
		[engine, run.recipeFile, run.environment, waitingHook, onAnswered],
	);
	return {...(state.answering ? {answering: state.answering} : {}), ...(state.error ? {error: state.error} : {}), answer};
}
