import {useEffect, useMemo, useSyncExternalStore} from 'react';
import type {Engine} from '../../engine/engine.js';
import {uiHost} from '../runs/questions.js';
import {LogStore, type LogSnapshot} from '../runs/log-store.js';
import {targetOf} from '../runs/start-run.js';
import {useServices} from '../services.js';

/** What to follow: an environment of a recipe, and (in the live view) the tasks of the deploy it watches. */
export type LogSubject = {recipeFile: string; environment: string; tasks?: () => readonly string[]};

const empty: LogSnapshot = {version: 0, lines: [], received: 0};
const none = () => () => undefined;

/**
 * Follows an environment's CloudWatch logs through the engine's logs use case while `subject` is given (the
 * pane is open): the lines go to a bounded store the pane reads; leaving (or closing the pane) stops it.
 */
export function useLogFollow(engine: Engine | undefined, subject: LogSubject | undefined): LogSnapshot {
	const services = useServices();
	const key = subject ? `${subject.recipeFile}|${subject.environment}` : undefined;
	const store = useMemo(() => (key ? new LogStore() : undefined), [key]);
	useEffect(() => {
		if (!engine || !subject || !store) return;
		const target = targetOf(engine, subject.environment);
		if ('error' in target) {
			store.end({outcome: 'invalid', message: target.error, problems: []});
			return;
		}
		const run = engine.logs(
			{recipeFile: subject.recipeFile, environment: subject.environment, target, follow: true, ...(subject.tasks ? {tasks: subject.tasks} : {})},
			uiHost(services.questions, event => store.push(event)),
		);
		void run.result.then(result => store.end(result));
		return () => run.stop();
		// The subject's task list is read through its function: a new function is not a new subject.
	}, [engine, store, key]);
	return useSyncExternalStore(store?.subscribe ?? none, store?.getSnapshot ?? (() => empty));
}
