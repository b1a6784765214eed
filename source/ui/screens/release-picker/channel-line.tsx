import {Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {channelRules, type ChannelChoice} from './picker-model.js';

/** The channel the picker is on and its rules; with more than one, how to switch. */
export function ChannelLine({channel, index, count}: {channel: ChannelChoice; index: number; count: number}) {
	if (count < 2 && !channel) return null;
	return (
		<Text wrap="truncate">
			<Text dimColor>Channel </Text>
			<Text color="magenta" bold>
				{printable(channel?.name ?? '(none)')}
			</Text>
			{count > 1 ? <Text dimColor> ({index + 1} of {count}, tab/c switches)</Text> : null}
			<Text dimColor> · {printable(channelRules(channel))}</Text>
		</Text>
	);
}
