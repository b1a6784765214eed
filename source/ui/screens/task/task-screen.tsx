import {Box, Text} from 'ink';
import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {printable} from '../../../domain/text.js';
import type {OneOffResult} from '../../../engine/service/one-off.js';
import {fit} from '../../format.js';
import {matches, textCommands, type Command} from '../../input/keymap.js';
import {visibleParts} from '../../input/text-edit.js';
import {useKeys} from '../../input/use-keys.js';
import {uiHost} from '../../runs/questions.js';
import {reattachCommand, targetOf} from '../../runs/start-run.js';
import {TaskRunStore, type TaskRunSnapshot} from '../../runs/task-store.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {useCommands, useRemembered, useServices, useWhenEngine} from '../../services.js';
import {commandWords, newTaskForm, taskFormKey, type TaskForm} from './task-form.js';

type Props = {file: string; environment: string; height: number; width: number};

/** A run of the screen: what was asked, and the store its events go to. */
type Started = {container: string; command: string[]; store: TaskRunStore; stop: () => void};

/**
 * A one-off task in an environment (`t` on the project screen): choose the container, type the command,
 * confirm; then the task's state and its log lines to the end, and the container's exit code as the verdict.
 * What was typed is kept (leaving and coming back too) until the run starts.
 */
export function TaskScreen({file, environment, height, width}: Props) {
	const services = useServices();
	const {catalog, navigate} = services;
	const recipe = useRecipe(catalog, file);
	const containers = useMemo(() => (recipe && recipe !== 'loading' ? recipe.containers : []), [recipe]);
	const [remembered, remember] = useRemembered<TaskForm | undefined>(`task:${file}:${environment}`, undefined);
	const form = remembered && remembered.containers.join() === containers.join() ? remembered : newTaskForm(containers);
	const [started, setStarted] = useState<Started | undefined>();
	const whenEngine = useWhenEngine();
	const snapshot = useSyncExternalStore(started?.store.subscribe ?? none, started?.store.getSnapshot ?? empty);
	const ended = snapshot.result !== undefined;
	// Leaving stops following the task (it goes on in ECS to its end).
	useEffect(() => () => started?.stop(), [started]);

	const typing = !started && form.phase === 'form' && form.focus === 'command';
	const commands: Command[] = started
		? ended
			? ['tryAgain', 'back']
			: ['back']
		: form.phase === 'confirm'
			? ['yes', 'no']
			: [...(form.focus === 'container' ? (['moveUp', 'moveDown'] as const) : []), 'nextField', 'taskReview', 'back', ...(typing ? textCommands : [])];
	useCommands(commands);

	const start = () =>
		whenEngine(engine => {
			const target = targetOf(engine, environment);
			if ('error' in target) return remember({...form, phase: 'form', problem: target.error});
			const parsed = commandWords(form.command.text);
			const command = 'words' in parsed ? parsed.words : [];
			const container = form.containers[form.container]!;
			const store = new TaskRunStore();
			const run = engine.runTask(
				{recipeFile: file, environment, target, reattach: reattachCommand(file, environment, target), container, ...(command.length > 0 ? {command} : {})},
				uiHost(services.questions, event => store.push(event)),
			);
			void run.result.then(result => store.end(result));
			// The run has started: the form starts afresh next time.
			remember(undefined);
			setStarted({container, command, store, stop: () => run.control.detach()});
		});

	useKeys(
		key => {
			if (started) {
				if (ended && matches('tryAgain', key)) {
					remember({...newTaskForm(containers), container: Math.max(0, containers.indexOf(started.container)), command: {text: started.command.map(quoteWord).join(' '), cursor: started.command.map(quoteWord).join(' ').length}, focus: 'command'});
					setStarted(undefined);
					return true;
				}
				if (matches('back', key)) return navigate({type: 'pop'}), true;
				return false;
			}
			const next = taskFormKey(form, key);
			if (!next) return false;
			remember(next.form);
			if (next.effect === 'leave') navigate({type: 'pop'});
			if (next.effect === 'start') start();
			return true;
		},
		{field: typing},
	);

	if (recipe === 'loading') return <Text dimColor>Reading {file}…</Text>;
	if (!recipe) return <Text color="red">{file} is no longer in the catalog.</Text>;
	const title = (
		<Text bold wrap="truncate">
			One-off task in {printable(environment)} <Text dimColor>(the release it runs, in its network)</Text>
		</Text>
	);
	if (started) return <TaskRun title={title} started={started} snapshot={snapshot} height={height} width={width} />;
	const fieldWidth = Math.max(10, width - 14);
	const [before, under, after] = visibleParts(form.command, fieldWidth);
	return (
		<Box flexDirection="column" height={height}>
			{title}
			<Box flexDirection="column" marginTop={1}>
				<Text bold={form.focus === 'container'}>Container{form.focus === 'container' ? <Text dimColor> (↑↓ choose)</Text> : null}</Text>
				{form.containers.slice(0, Math.max(1, height - 10)).map((name, i) => (
					<Text key={name} wrap="truncate">
						<Text color="cyan">{i === form.container ? '❯ ' : '  '}</Text>
						<Text bold={i === form.container}>{printable(name)}</Text>
					</Text>
				))}
			</Box>
			<Box marginTop={1}>
				<Text bold={form.focus === 'command'}>Command </Text>
				{form.focus === 'command' && form.phase === 'form' ? (
					<Text>
						{before}
						<Text inverse>{under}</Text>
						{after}
					</Text>
				) : (
					<Text wrap="truncate">{form.command.text === '' ? <Text dimColor>(the image's command)</Text> : printable(form.command.text)}</Text>
				)}
			</Box>
			<Text dimColor wrap="truncate">
				words as a shell splits them; for a shell line: sh -c '…' · empty: the image's own command
			</Text>
			{form.phase === 'confirm' ? (
				<Box flexDirection="column" marginTop={1} borderStyle="round" borderColor="yellow" paddingX={1}>
					<Text wrap="truncate">
						Run {form.command.text === '' ? "the image's command" : <Text bold>{printable(form.command.text)}</Text>} in <Text bold>{printable(form.containers[form.container] ?? '')}</Text> of{' '}
						<Text bold>{printable(environment)}</Text>?
					</Text>
					<Text dimColor wrap="truncate">
						RunTask with the task definition the service runs; y runs it, n goes back to the form
					</Text>
				</Box>
			) : null}
			{form.problem ? <Text color="red">{printable(form.problem)}</Text> : null}
		</Box>
	);
}

const none = () => () => undefined;
const idle: TaskRunSnapshot = {version: 0, lines: [], received: 0, notes: []};
const empty = () => idle;

/** A word as the command line shows it again (quoted when it holds spaces or quotes). */
function quoteWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function TaskRun({title, started, snapshot, height, width}: {title: React.ReactNode; started: Started; snapshot: TaskRunSnapshot; height: number; width: number}) {
	const task = snapshot.task;
	const verdict = snapshot.result ? verdictOf(snapshot.result) : undefined;
	const notes = snapshot.notes.slice(-2);
	const logRows = Math.max(3, height - 6 - notes.length - (verdict ? 1 : 0));
	const exits = task?.containers.filter(c => c.exitCode !== undefined).map(c => `${c.name} exit ${c.exitCode}`) ?? [];
	return (
		<Box flexDirection="column" height={height}>
			{title}
			<Text wrap="truncate">
				<Text bold>{printable(started.container)}</Text>: {started.command.length > 0 ? printable(started.command.map(quoteWord).join(' ')) : <Text dimColor>(the image's command)</Text>}
			</Text>
			<Text wrap="truncate">
				{task ? (
					<>
						task <Text dimColor>{task.id.slice(0, 12)}</Text> <Text color={task.lastStatus === 'STOPPED' ? 'white' : 'cyan'}>{task.lastStatus}</Text>
						{task.stoppedReason ? <Text dimColor> {printable(task.stoppedReason)}</Text> : null}
						{exits.length > 0 ? ` (${exits.join(', ')})` : ''}
					</>
				) : (
					<Text color="cyan">{snapshot.result ? '' : 'starting the task…'}</Text>
				)}
			</Text>
			{notes.map((n, i) => (
				<Text key={i} wrap="truncate" color={n.kind === 'note' ? undefined : n.kind === 'warning' ? 'yellow' : 'red'} dimColor={n.kind === 'note'}>
					{fit(printable(n.message), width)}
				</Text>
			))}
			<Box flexDirection="column" borderStyle="single" borderColor="gray" height={logRows + 2} overflowY="hidden">
				{snapshot.lines.length === 0 ? <Text dimColor>no log lines yet</Text> : null}
				{snapshot.lines.slice(-logRows).map((line, i) => (
					<Text key={snapshot.received - Math.min(logRows, snapshot.lines.length) + i} wrap="truncate">
						{fit(printable(line), width - 2)}
					</Text>
				))}
			</Box>
			{verdict ? (
				<Text color={verdict.color} bold wrap="truncate">
					{verdict.text}
				</Text>
			) : null}
		</Box>
	);
}

/** The verdict: ✓ only when the container exited 0. */
export function verdictOf(result: OneOffResult): {text: string; color: string} {
	switch (result.kind) {
		case 'exited':
			return result.exitCode === 0 ? {text: `✓ ${result.container} exited 0`, color: 'green'} : {text: `✗ ${result.container} exited ${result.exitCode}${result.stoppedReason ? ` (${result.stoppedReason})` : ''}`, color: 'red'};
		case 'not-run':
			return {text: `✗ ${result.message}`, color: 'red'};
		case 'run':
			return {text: `✗ ${result.result.message}`, color: result.result.outcome === 'detached' ? 'yellow' : 'red'};
	}
}
