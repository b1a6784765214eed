import {Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {channelRules, type ChannelChoice} from './picker-model.js';

/** The rows the channel line takes (it wraps once rather than hide the rules). */
export function channelLineRows(channel: ChannelChoice, count: number, width: number): number {
	if (count < 2 && !channel) return 0;
	return channelText(channel, count).length > width ? 2 : 1;
}

function channelText(channel: ChannelChoice, count: number): string {
	return `Channel ${channel?.name ?? '(none)'}${count > 1 ? ` (${count} channels)` : ''} · ${channelRules(channel)}`;
}

/** The channel the picker is on and its rules (Tab or c switches when there are several: the footer says so). */
export function ChannelLine({channel, count, width}: {channel: ChannelChoice; count: number; width: number}) {
	const rows = channelLineRows(channel, count, width);
	if (rows === 0) return null;
	return (
		<Text wrap={rows > 1 ? 'wrap' : 'truncate'}>
			<Text dimColor>Channel </Text>
			<Text color="magenta" bold>
				{printable(channel?.name ?? '(none)')}
			</Text>
			{count > 1 ? <Text dimColor> ({count} channels)</Text> : null}
			<Text dimColor> · {printable(channelRules(channel))}</Text>
		</Text>
	);
}
