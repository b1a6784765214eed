import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import {describeCredentials, describeRegion, describeRoleOptions, namesText} from './target-text.js';

/** The rows `TargetSummary` renders (for layouts of fixed height). */
export const summaryRows = 6;

/** A target's fields, one per row, each cut to the width: name, credentials, region, cluster, environments, tags. */
export function TargetSummary({target, width}: {target: Target; width: number}) {
	const role = describeRoleOptions(target);
	const rows: Array<[string, string]> = [
		['name', target.name === '' ? '—' : printable(target.name)],
		['credentials', `${describeCredentials(target)}${role ? `; ${role}` : ''}`],
		['region', target.region === '' ? '—' : describeRegion(target.region)],
		['cluster', target.cluster === '' ? '—' : printable(target.cluster)],
		['environments', namesText(target.environments)],
		['tags', namesText(target.tags)],
	];
	return (
		<Box flexDirection="column" width={width}>
			{rows.map(([label, value]) => (
				<Text key={label} wrap="truncate">
					<Text dimColor>{label.padEnd(13)}</Text>
					{value}
				</Text>
			))}
		</Box>
	);
}
