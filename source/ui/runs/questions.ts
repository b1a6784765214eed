import type {AnswerOf, EngineEvent, EngineHost, Question} from '../../engine/core/host.js';

/** A question the engine asked and the operator has not answered yet. */
export type PendingQuestion = {question: Question; answer(value: boolean | string): void; refuse(): void};

/**
 * The engine's questions waiting for the operator, outside React: the dialog layer shows the first one
 * and answers it; the engine's promise resolves then. One at a time, in the order asked.
 */
export class QuestionQueue {
	private queue: PendingQuestion[] = [];
	private readonly listeners = new Set<() => void>();

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/** The question on screen. */
	getSnapshot = (): PendingQuestion | undefined => this.queue[0];

	ask<Q extends Question>(question: Q): Promise<AnswerOf<Q>> {
		return new Promise<AnswerOf<Q>>(resolve => {
			const pending: PendingQuestion = {
				question,
				answer: value => {
					this.remove(pending);
					resolve(value as AnswerOf<Q>);
				},
				// Esc on a dialog: the question's "no" (a confirm), or its default; a value with no default is empty.
				refuse: () => {
					this.remove(pending);
					resolve((question.kind === 'confirm' ? false : question.kind === 'enter' ? '' : (question.defaultAnswer ?? '')) as AnswerOf<Q>);
				},
			};
			this.queue = [...this.queue, pending];
			this.emit();
			// A question the engine no longer needs answered (an approval answered elsewhere) leaves the screen.
			question.withdrawn?.addEventListener('abort', () => this.queue.includes(pending) && pending.refuse(), {once: true});
		});
	}

	/** Refuses every waiting question (the run was detached or the app quits). */
	refuseAll(): void {
		for (const pending of [...this.queue]) pending.refuse();
	}

	private remove(pending: PendingQuestion): void {
		this.queue = this.queue.filter(p => p !== pending);
		this.emit();
	}

	private emit(): void {
		for (const listener of this.listeners) listener();
	}
}

/**
 * The TUI's EngineHost: reports go to the run's store (or nowhere), questions to the dialog layer. The
 * approval gate is the exception: the live view answers it in place (p / r, the same use case as `ecs-deployer
 * approve|reject`), next to what is being tested, so no dialog covers it; the engine is told to keep waiting
 * (the question's default) and sees the hook move on at its next poll.
 */
export function uiHost(questions: QuestionQueue, onEvent: (event: EngineEvent) => void = () => undefined): EngineHost {
	return {
		notify: onEvent,
		request: <Q extends Question>(question: Q) => (question.id === 'approve-deployment' && question.kind === 'choose' && question.defaultAnswer !== undefined ? Promise.resolve(question.defaultAnswer as AnswerOf<Q>) : questions.ask(question)),
	};
}
