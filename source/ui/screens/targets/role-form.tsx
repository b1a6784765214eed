import {Box} from 'ink';
import {formatList, printable} from '../../../domain/text.js';
import type {Draft, DraftField, roleFields} from './target-draft.js';
import {TextField} from './text-field.js';

type RoleField = (typeof roleFields)[number];

type Props = {
	draft: Draft;
	errors: Partial<Record<DraftField, string>>;
	/** The focused field; undefined when a dialog has the keys. */
	focused: RoleField | undefined;
	onEdit(field: DraftField, value: string): void;
	/** The profile names of the AWS config files, for the base profile's hint. */
	profiles: readonly string[];
};

const fields: ReadonlyArray<{field: RoleField; label: string; hint: string}> = [
	{field: 'roleArn', label: 'role ARN', hint: 'the role to assume: arn:aws:iam::123456789012:role/NAME'},
	{field: 'externalId', label: 'external id', hint: 'optional: when the role requires one (a third-party account)'},
	{field: 'sessionName', label: 'session name', hint: 'optional: shows in CloudTrail; default ecs-deployer'},
	{field: 'duration', label: 'duration', hint: 'optional: session seconds, 900 to 43200 (the role may allow less)'},
	{field: 'profile', label: 'base profile', hint: 'optional: the profile that assumes the role; empty: the default chain'},
];

/** The assume-role form: role ARN, external id, session name, duration and the profile that assumes it. */
export function RoleForm({draft, errors, focused, onEdit, profiles}: Props) {
	const width = Math.max(...fields.map(f => f.label.length));
	return (
		<Box flexDirection="column">
			{fields.map(({field, label, hint}) => (
				<TextField
					key={field}
					label={label}
					labelWidth={width}
					value={draft[field]}
					onChange={value => onEdit(field, value)}
					focus={focused === field}
					error={errors[field]}
					hint={field === 'profile' && profiles.length > 0 ? `${hint} (profiles: ${formatList(profiles.map(printable), 6)})` : hint}
				/>
			))}
		</Box>
	);
}
