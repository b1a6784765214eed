import {Box, Text} from 'ink';
import {useEffect, useMemo, useState} from 'react';
import type {TemplateText} from '../../../engine/recipes/template-export.js';
import {printable} from '../../../domain/text.js';
import {useRecipe} from '../../hooks/use-recipes.js';
import {TextInput} from '../../components/text-input.js';
import {matches, textCommands} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {useCommands, useServices} from '../../services.js';

type Props = {file: string; environment: string; height: number; width: number};

/**
 * The CloudFormation template the recipe gives for an environment (Tab: the next environment), scrollable,
 * and `w` writes it to a file (never over the recipe; asks before overwriting a file).
 */
export function TemplatePreviewScreen({file, environment: initial, height, width}: Props) {
	const {engine, catalog, flash} = useServices();
	const recipe = useRecipe(catalog, file);
	const environments = recipe && recipe !== 'loading' ? recipe.environments : [initial];
	const [environment, setEnvironment] = useState(initial);
	const [made, setMade] = useState<TemplateText | undefined>();
	const [offset, setOffset] = useState(0);
	const [writing, setWriting] = useState<{path: string; overwrite?: boolean; problem?: string} | undefined>();
	useCommands(writing?.overwrite ? ['yes', 'no'] : writing ? ['choose', 'refuse', ...textCommands] : ['up', 'down', 'pageUp', 'pageDown', 'first', 'last', 'environment', 'previousEnvironment', 'write', 'back']);

	useEffect(() => {
		if (!engine) return;
		let live = true;
		setMade(undefined);
		setOffset(0);
		engine.template({recipeFile: file, environment}).then(m => live && setMade(m), (cause: unknown) => live && setMade({problems: [{path: 'recipe', message: String(cause), severity: 'error'}], notes: []}));
		return () => {
			live = false;
		};
	}, [engine, file, environment]);

	const lines = useMemo(() => made?.text?.split('\n') ?? [], [made]);
	const rows = Math.max(1, height - 4);
	const save = async (path: string, force: boolean) => {
		if (!engine || made?.text === undefined) return;
		const refused = await engine.writeNewFile(path, made.text, {recipeFile: file, force});
		if (refused === undefined) {
			setWriting(undefined);
			flash(`wrote the ${environment} template to ${path}`);
		} else if (/exists; pass --force/.test(refused)) setWriting({path, overwrite: true});
		else setWriting({path, problem: refused});
	};

	useKeys(key => {
		if (writing?.overwrite) {
			if (matches('yes', key)) void save(writing.path, true);
			else if (matches('no', key)) setWriting({path: writing.path});
			return true;
		}
		if (writing) {
			if (matches('choose', key) && writing.path.trim()) void save(writing.path.trim(), false);
			else if (matches('refuse', key)) setWriting(undefined);
			else return false;
			return true;
		}
		const last = Math.max(0, lines.length - rows);
		const turn = (by: number) => setEnvironment(e => environments[(environments.indexOf(e) + by + environments.length) % environments.length] ?? e);
		if (matches('up', key)) setOffset(o => Math.max(0, o - 1));
		else if (matches('down', key)) setOffset(o => Math.min(last, o + 1));
		else if (matches('pageUp', key)) setOffset(o => Math.max(0, o - rows));
		else if (matches('pageDown', key)) setOffset(o => Math.min(last, o + rows));
		else if (matches('first', key)) setOffset(0);
		else if (matches('last', key)) setOffset(last);
		else if (matches('environment', key)) turn(1);
		else if (matches('previousEnvironment', key)) turn(-1);
		else if (matches('write', key) && made?.text !== undefined) setWriting({path: `${made.stackName ?? environment}.template.yaml`});
		else return false;
		return true;
	});

	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				Template for {environment} <Text dimColor>{made?.stackName ? `stack ${made.stackName} · ` : ''}{environments.join(' / ')} (Tab switches)</Text>
			</Text>
			{!made ? <Text dimColor>Building the template…</Text> : null}
			{made && made.text === undefined ? (
				<Box flexDirection="column">
					<Text color="red">The recipe is not valid for {environment}:</Text>
					{made.problems.slice(0, rows - 1).map((p, i) => (
						<Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="truncate">
							{'  '}
							{printable(p.path)}: {printable(p.message)}
						</Text>
					))}
				</Box>
			) : null}
			{made?.text !== undefined ? (
				<Box flexDirection="column" height={rows} overflowY="hidden">
					{lines.slice(offset, offset + rows).map((line, i) => (
						<Text key={offset + i} wrap="truncate">
							<Text dimColor>{String(offset + i + 1).padStart(4)} </Text>
							{line}
						</Text>
					))}
				</Box>
			) : null}
			{writing ? (
				<Box flexDirection="column">
					{writing.overwrite ? (
						<Text color="yellow">{writing.path} exists. Overwrite it? (y / n)</Text>
					) : (
						<Box>
							<Text>Write to: </Text>
							<TextInput value={writing.path} onChange={path => setWriting({path})} focus width={width - 11} />
						</Box>
					)}
					{writing.problem ? <Text color="red">{printable(writing.problem)}</Text> : null}
				</Box>
			) : (
				<Text dimColor wrap="truncate">
					{lines.length > 0 ? `lines ${offset + 1}–${Math.min(lines.length, offset + rows)} of ${lines.length}` : ''}
					{made?.notes.length ? ` · ${made.notes.length} parameter(s) need a value when deployed by hand` : ''}
				</Text>
			)}
		</Box>
	);
}
