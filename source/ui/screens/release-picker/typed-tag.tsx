import {Box, Text} from 'ink';
import {useState} from 'react';
import type {ImageSource} from '../../../domain/recipe/schema.js';
import {printable} from '../../../domain/text.js';
import {TextInput} from '../../components/text-input.js';
import {matches, textCommands, type Command} from '../../input/keymap.js';
import {useKeys} from '../../input/use-keys.js';
import {useCommands} from '../../services.js';

type Props = {
	refName: string;
	source: ImageSource;
	index: number;
	total: number;
	/** Why the tags could not be listed (an ECR repository of another account this identity cannot read). */
	why?: string;
	width: number;
	onPick(tag: string): void;
	onBack(): boolean;
	channels?: number;
	onChannel?(): void;
};

/** What an image tag may be (the recipe's `images.<ref>.tag` rule: ECR allows 300 characters). */
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;

/** Why a typed tag cannot be used, or undefined. */
export function checkTag(tag: string): string | undefined {
	if (tag === '') return 'type the tag to release (its tags cannot be listed here)';
	return tagPattern.test(tag) ? undefined : `"${tag}" is not an image tag: up to 300 letters, digits, _ . and -, not starting with . or -`;
}

/**
 * The tag of an image whose tags cannot be listed (another registry, or another account's ECR this
 * identity cannot read), typed by hand: the recipe's pinned tag is filled in. The engine pins its digest
 * where the registry answers.
 */
export function TypedTag({refName, source, index, total, why, width, onPick, onBack, channels = 1, onChannel}: Props) {
	const [tag, setTag] = useState(source.tag ?? '');
	const [problem, setProblem] = useState<string | undefined>();
	const switching = channels > 1 && onChannel !== undefined;
	useCommands(['acceptTag', ...(switching ? (['nextChannel'] as Command[]) : []), 'back', ...textCommands]);
	useKeys(key => {
		if (matches('acceptTag', key)) {
			const refused = checkTag(tag.trim());
			if (refused) setProblem(refused);
			else onPick(tag.trim());
		} else if (switching && matches('nextChannel', key)) onChannel();
		else if (matches('back', key)) return onBack();
		else return false;
		return true;
	});
	const where = source.registry !== undefined ? `${source.registry}/${source.repository}` : `ECR ${source.repository} of account ${source.account ?? '?'}`;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text wrap="truncate">
				<Text bold>
					Image {printable(refName)}
					{total > 1 ? ` (${index + 1} of ${total})` : ''}
				</Text>
				<Text dimColor> {printable(where)}</Text>
			</Text>
			<Text dimColor wrap="wrap">
				{why ? `Its tags cannot be listed (${printable(why)}): ` : 'Not in the account\u2019s ECR, so its tags cannot be listed: '}
				type the tag to release{source.tag ? ` (the recipe pins ${printable(source.tag)})` : ''}; its digest is pinned where the registry answers.
			</Text>
			<Box marginTop={1}>
				<Text>Tag: </Text>
				<TextInput
					value={tag}
					focus
					width={Math.max(10, width - 6)}
					onChange={value => {
						setTag(value);
						setProblem(undefined);
					}}
				/>
			</Box>
			{problem ? (
				<Text color="red" wrap="truncate">
					{printable(problem)}
				</Text>
			) : null}
		</Box>
	);
}
