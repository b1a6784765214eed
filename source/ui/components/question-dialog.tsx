import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import TextInput from 'ink-text-input';
import {useMemo, useState} from 'react';
import {printable} from '../../domain/text.js';
import type {PendingQuestion} from '../runs/questions.js';
import {KeyHints} from './key-hints.js';

type Props = {pending: PendingQuestion; width: number};

/**
 * An engine question as a modal dialog: yes/no (`y`, `n` or Esc), pick one of a list, or enter a value
 * (masked when sensitive: never shown, never kept once answered). The change set question, with its changes, is
 * shown as the change preview. While it is open, it owns every key.
 */
export function QuestionDialog({pending, width}: Props) {
	const {question} = pending;
	const title = question.id === 'execute-change-set' && question.detail !== undefined && question.detail.length > 0 ? 'Change preview' : question.kind === 'enter' ? 'A value is needed' : 'Confirm';
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={question.kind === 'confirm' && !question.defaultAnswer ? 'yellow' : 'cyan'} paddingX={1} width={Math.min(width, 100)}>
			<Text bold>{title}</Text>
			{question.detail && question.detail.length > 0 ? <Detail lines={question.detail} /> : null}
			<Box marginTop={1}>
				<Text wrap="wrap">{printable(question.message)}</Text>
			</Box>
			{question.kind === 'confirm' ? <Confirm pending={pending} /> : question.kind === 'choose' ? <Choose pending={pending} /> : <Enter pending={pending} />}
		</Box>
	);
}

function Detail({lines}: {lines: readonly string[]}) {
	const shown = lines.slice(0, 12);
	return (
		<Box flexDirection="column" marginTop={1}>
			{shown.map((line, i) => (
				<Text key={i} wrap="truncate" color={/^Add\b/.test(line) ? 'green' : /^Remove\b/.test(line) ? 'red' : /^Modify\b/.test(line) ? 'yellow' : undefined}>
					{printable(line)}
				</Text>
			))}
			{lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more</Text> : null}
		</Box>
	);
}

function Confirm({pending}: {pending: PendingQuestion}) {
	useInput((input, key) => {
		if (input === 'y' || input === 'Y') pending.answer(true);
		else if (input === 'n' || input === 'N' || key.escape) pending.answer(false);
	});
	const defaultYes = pending.question.kind === 'confirm' && pending.question.defaultAnswer;
	return (
		<Box marginTop={1}>
			<KeyHints commands={['yes', 'no']} extra={defaultYes ? [] : ['(no is the safe answer)']} />
		</Box>
	);
}

function Choose({pending}: {pending: PendingQuestion}) {
	const question = pending.question;
	const choices = question.kind === 'choose' ? question.choices : [];
	const items = useMemo(() => choices.map(c => ({key: c.value, value: c.value, label: `${c.label}${c.hint ? `  ${c.hint}` : ''}`})), [choices]);
	const initialIndex = Math.max(0, question.kind === 'choose' ? choices.findIndex(c => c.value === question.defaultAnswer) : 0);
	useInput((_input, key) => {
		if (key.escape) pending.refuse();
	});
	return (
		<Box flexDirection="column" marginTop={1}>
			<SelectInput items={items} initialIndex={initialIndex} limit={8} onSelect={item => pending.answer(item.value)} />
			<KeyHints commands={['up', 'choose', 'back']} />
		</Box>
	);
}

function Enter({pending}: {pending: PendingQuestion}) {
	const question = pending.question;
	const [value, setValue] = useState('');
	const [problem, setProblem] = useState<string | undefined>();
	const sensitive = question.kind === 'enter' && question.sensitive;
	useInput((_input, key) => {
		if (key.escape) pending.refuse();
	});
	const submit = (text: string) => {
		const found = question.kind === 'enter' ? question.validate?.(text) : undefined;
		if (found) setProblem(found);
		else pending.answer(text);
	};
	return (
		<Box flexDirection="column" marginTop={1}>
			<Box>
				<Text color="cyan">› </Text>
				<TextInput value={value} onChange={setValue} onSubmit={submit} {...(sensitive ? {mask: '•'} : {})} />
			</Box>
			{problem ? <Text color="red">{problem}</Text> : null}
			{sensitive ? <Text dimColor>The value is masked, sent to AWS as a NoEcho parameter, and never shown or stored.</Text> : null}
			<KeyHints commands={['choose', 'back']} />
		</Box>
	);
}
