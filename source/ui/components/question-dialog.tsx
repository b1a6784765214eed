import {Box, Text} from 'ink';
import {useMemo, useState} from 'react';
import {printable} from '../../domain/text.js';
import type {Choice} from '../../engine/core/host.js';
import {wrapWords} from '../input/help.js';
import {matches, textCommands, type Command} from '../input/keymap.js';
import type {Key} from '../input/keys.js';
import {useKeys} from '../input/use-keys.js';
import {useList} from '../lists/use-list.js';
import type {PendingQuestion} from '../runs/questions.js';
import {useCommands} from '../services.js';
import {ListRows} from './list-rows.js';
import {ScrollText, scrollOffset, wrapLines, type TextLine} from './scroll-text.js';
import {TextInput} from './text-input.js';

type Props = {pending: PendingQuestion; width: number; /** Rows the dialog may take. */ height: number};

/** Rows of a choice list at most. */
const choiceRows = 8;

/**
 * An engine question as a modal dialog: yes/no (`y`, `n` or Esc), pick one of a list, or enter a value
 * (masked when sensitive: never shown, never kept once answered). The change set question, with its changes,
 * is shown as the change preview. While it is open, it owns every key; the footer shows its keys.
 */
export function QuestionDialog({pending, width, height}: Props) {
	const {question} = pending;
	const boxWidth = Math.min(width, 100);
	const title = question.id === 'execute-change-set' && question.detail !== undefined && question.detail.length > 0 ? 'Change preview' : question.kind === 'enter' ? 'A value is needed' : 'Confirm';
	const message = wrapWords(printable(question.message), boxWidth - 4);
	const controls = question.kind === 'confirm' ? (question.defaultAnswer ? 0 : 1) : question.kind === 'choose' ? Math.min(choiceRows, question.choices.length) + 1 : 3;
	// Border (2), title, the detail's and the message's margins, the message, the controls: the rest is the detail's.
	const detailHeight = Math.max(1, height - 2 - 1 - 2 - message.length - controls);
	const rows = useMemo(() => wrapLines((question.detail ?? []).map(detailLine), boxWidth - 4), [question.detail, boxWidth]);
	const [offset, setOffset] = useState(0);
	// The detail scrolls (↑↓ PgUp/PgDn) when it is taller than the room it has: a long change preview is read whole.
	const scrollable = rows.length > detailHeight;
	const scroll = (key: Key): boolean => {
		if (!scrollable) return false;
		const next = scrollOffset(key, offset, rows.length, detailHeight - 1);
		if (next === undefined) return false;
		setOffset(next);
		return true;
	};
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={question.kind === 'confirm' && !question.defaultAnswer ? 'yellow' : 'cyan'} paddingX={1} width={boxWidth}>
			<Text bold>{title}</Text>
			{rows.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<ScrollText rows={rows} height={detailHeight} offset={offset} />
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				{message.map((line, i) => (
					<Text key={i}>{line}</Text>
				))}
			</Box>
			{question.kind === 'confirm' ? <Confirm pending={pending} scroll={scrollable ? scroll : undefined} /> : question.kind === 'choose' ? <Choose pending={pending} choices={question.choices} /> : <Enter pending={pending} width={boxWidth - 6} />}
		</Box>
	);
}

/** A detail line's colour: what is added green, removed red, changed yellow, a warning yellow and bold. */
function detailLine(line: string): TextLine {
	if (/^⚠/.test(line)) return {text: line, color: 'yellow', bold: true};
	if (/^Add\b/.test(line)) return {text: line, color: 'green'};
	if (/^Remove\b/.test(line)) return {text: line, color: 'red'};
	if (/^Modify\b/.test(line)) return {text: line, color: 'yellow'};
	if (/^ +image /.test(line)) return {text: line, bold: true};
	if (/^ +replaced: /.test(line)) return {text: line, color: 'magenta'};
	if (/^ +[-+~] /.test(line)) return {text: line};
	return {text: line, dim: /^ /.test(line)};
}

const scrollCommands: readonly Command[] = ['up', 'down', 'pageUp', 'pageDown'];

function Confirm({pending, scroll}: {pending: PendingQuestion; scroll: ((key: Key) => boolean) | undefined}) {
	useCommands(['yes', 'no', ...(scroll ? scrollCommands : [])]);
	useKeys(key => {
		if (scroll?.(key)) return true;
		if (matches('yes', key)) pending.answer(true);
		else if (matches('no', key)) pending.answer(false);
		return true;
	});
	const defaultYes = pending.question.kind === 'confirm' && pending.question.defaultAnswer;
	return defaultYes ? null : <Text color="yellow">(no is the safe answer)</Text>;
}

function Choose({pending, choices}: {pending: PendingQuestion; choices: readonly Choice[]}) {
	const question = pending.question;
	const list = useList(choices, {text: c => `${c.label} ${c.hint ?? ''}`, height: Math.min(choiceRows, choices.length), initial: c => question.defaultAnswer === c.value, filterable: false});
	useCommands(['up', 'down', 'choose', 'refuse']);
	useKeys(key => {
		if (list.handleKey(key)) return true;
		if (matches('choose', key) && list.selected) pending.answer(list.selected.value);
		else if (matches('refuse', key)) pending.refuse();
		return true;
	});
	return (
		<Box flexDirection="column" marginTop={1}>
			<ListRows list={list} keyOf={c => c.value} footer={false} render={c => <Text wrap="truncate">{printable(c.label)}{c.hint ? <Text dimColor>  {printable(c.hint)}</Text> : null}</Text>} />
		</Box>
	);
}

const enterCommands: Command[] = ['choose', 'refuse', ...textCommands];

function Enter({pending, width}: {pending: PendingQuestion; width: number}) {
	const question = pending.question;
	const [value, setValue] = useState('');
	const [problem, setProblem] = useState<string | undefined>();
	const sensitive = question.kind === 'enter' && question.sensitive;
	useCommands(enterCommands);
	useKeys(key => {
		if (matches('refuse', key)) pending.refuse();
		else if (matches('choose', key)) {
			const found = question.kind === 'enter' ? question.validate?.(value) : undefined;
			if (found) setProblem(found);
			else pending.answer(value);
		}
		return true;
	});
	const hint = useMemo(() => (sensitive ? 'The value is masked, sent to AWS as a NoEcho parameter, and never shown or stored.' : ' '), [sensitive]);
	return (
		<Box flexDirection="column" marginTop={1}>
			<Box>
				<Text color="cyan">› </Text>
				<TextInput value={value} onChange={text => (setValue(text), setProblem(undefined))} focus width={width} {...(sensitive ? {mask: '•'} : {})} />
			</Box>
			{problem ? <Text color="red" wrap="truncate">{printable(problem)}</Text> : <Text dimColor wrap="truncate">{hint}</Text>}
		</Box>
	);
}
