import {Box, Text} from 'ink';
import {printable} from '../../../domain/text.js';
import {ChecksView} from './checks-view.js';
import {EnvironmentsStep} from './environments-step.js';
import {PickStep, pickChrome} from './pick-step.js';
import {RoleForm} from './role-form.js';
import {roleFields, draftTarget, type DraftField} from './target-draft.js';
import {TargetSummary, summaryRows} from './target-summary.js';
import {TextField} from './text-field.js';
import {credentialChoices, pickOptions, type PickStep as PickStepName, type WizardAction, type WizardState} from './use-target-wizard.js';

type Props = {
	state: WizardState;
	dispatch(action: WizardAction): void;
	/** Rows for the step's content. */
	height: number;
	width: number;
	/** False while a dialog has the keys. */
	active: boolean;
};

/** Rows of a pick step's list in `height` rows of content. */
export const pickListRows = (height: number) => Math.max(3, height - pickChrome);

/** What each step asks, on the row above its fields. */
export const stepTitles: Record<WizardState['step'], string> = {
	name: 'Name the target: deploys pick it by this name (--target NAME).',
	credentials: 'Where do the credentials come from? Only this choice is stored.',
	profile: 'Which profile of the AWS config and credentials files?',
	role: 'Which IAM role to assume?',
	region: 'Which AWS Region is the cluster in?',
	cluster: 'Which ECS cluster? Listed live from the account; or type a name.',
	environments: 'Which environments does it serve? Their deploys will use it.',
	tags: 'Tags tell targets apart (optional), e.g. team:payments, eu.',
	verify: 'Checked live. ↵ saves, even when a check failed (the cluster may come later).',
};

/** The fields of the current step. */
export function WizardStepView({state, dispatch, height, width, active}: Props) {
	const {step, draft, errors} = state;
	const edit = (field: DraftField) => (value: string) => dispatch({type: 'edit', field, value});
	switch (step) {
		case 'name':
			return <TextField label="name" value={draft.name} onChange={edit('name')} focus={active} error={errors.name} hint="letters, digits, _ . and -, e.g. prod or payments-eu" />;
		case 'tags':
			return <TextField label="tags" value={draft.tags} onChange={edit('tags')} focus={active} error={errors.tags} hint="comma- or space-separated; empty for none" />;
		case 'credentials':
			return (
				<Box flexDirection="column">
					{credentialChoices.map(choice => {
						const selected = choice.value === draft.credentials;
						return (
							<Box key={choice.value} flexDirection="column" height={2}>
								<Text wrap="truncate" color={selected ? 'cyan' : undefined} bold={selected}>
									{selected ? '❯ ' : '  '}
									{choice.label}
								</Text>
								<Text wrap="truncate" dimColor>
									{'    '}
									{choice.detail}
								</Text>
							</Box>
						);
					})}
				</Box>
			);
		case 'role':
			return <RoleForm draft={draft} errors={errors} focused={active ? roleFields[state.roleFocus] : undefined} onEdit={(field, value) => dispatch({type: 'edit', field, value})} profiles={state.profiles.status === 'ready' ? state.profiles.names : []} />;
		case 'environments':
			return <EnvironmentsStep value={draft.environments} onChange={edit('environments')} error={errors.environments} offered={state.offered} focus={state.envFocus} active={active} rows={Math.max(1, height - 3)} />;
		case 'profile':
		case 'region':
		case 'cluster':
			return <PickView step={step} state={state} dispatch={dispatch} rows={pickListRows(height)} active={active} />;
		case 'verify': {
			const target = draftTarget(draft);
			return (
				<Box flexDirection="column">
					<TargetSummary target={target} width={width} />
					<Box marginTop={1} flexDirection="column" height={Math.max(1, height - summaryRows - 1)} overflowY="hidden">
						<ChecksView state={state.verification?.state} target={target} idle="about to check…" />
					</Box>
				</Box>
			);
		}
	}
}

function PickView({step, state, dispatch, rows, active}: {step: PickStepName; state: WizardState; dispatch(action: WizardAction): void; rows: number; active: boolean}) {
	const loaded = step === 'profile' ? state.profiles : step === 'cluster' ? state.clusters : undefined;
	const region = printable(state.draft.region);
	const loading = loaded?.status === 'loading' || loaded?.status === 'idle' ? (step === 'profile' ? 'reading the AWS config files…' : `listing the clusters in ${region}…`) : undefined;
	const failed =
		loaded?.status === 'failed'
			? step === 'profile'
				? `Could not read the profiles (${loaded.error}): type the profile's name.`
				: `Could not list the clusters in ${region}: ${loaded.error}. Type the cluster's name.`
			: undefined;
	const empty = step === 'profile' ? 'no profiles in the AWS config files: type a name' : step === 'cluster' ? (loaded?.status === 'ready' ? `no clusters in ${region}: type a name` : ' ') : 'no region';
	const field = step === 'profile' ? 'profile' : step;
	return (
		<PickStep
			label={field}
			query={state.queries[step]}
			onQuery={value => dispatch({type: 'query', step, value})}
			options={pickOptions(state, step)}
			selected={state.pickIndex}
			rows={rows}
			error={state.errors[field]}
			loading={loading}
			failed={failed}
			empty={empty}
			current={state.draft[field]}
			focus={active}
		/>
	);
}
