import {Box, Text} from 'ink';
import type {Engine} from '../../../engine/engine.js';
import {printable} from '../../../domain/text.js';
import type {Target} from '../../../domain/records.js';
import type {RecipeCatalog} from '../../catalog.js';
import {useKeys} from '../../input/use-keys.js';
import {useCommands, useServices} from '../../services.js';
import {StepBar} from './step-bar.js';
import {draftTarget} from './target-draft.js';
import {TargetSummary} from './target-summary.js';
import {hasChanges, useTargetWizard, type WizardState} from './use-target-wizard.js';
import {commandsOf, wizardIntent} from './wizard-keys.js';
import {WizardStepView, pickListRows, stepTitles} from './wizard-step-view.js';

type Props = {
	/** The name of the target to edit; a new target when undefined. */
	editing?: string;
	height: number;
	width: number;
};

/**
 * Adds or edits a target, one step at a time: name → credentials → region → cluster (listed live) →
 * environments → tags → verify and save. Enter goes on (once the field is right), Shift+Tab goes back; both
 * keep what was typed. Esc leaves, asking first when something changed.
 */
export function TargetWizardScreen({editing, height, width}: Props) {
	const {engine, catalog} = useServices();
	if (!engine) return <Text dimColor>connecting…</Text>;
	const target = editing === undefined ? undefined : engine.targets().find(t => t.name === editing);
	if (editing !== undefined && (!target || target.sandbox)) return <CannotEdit name={editing} sandbox={target?.sandbox === true} />;
	return <TargetWizard engine={engine} catalog={catalog} editing={target} height={height} width={width} />;
}

function CannotEdit({name, sandbox}: {name: string; sandbox: boolean}) {
	useCommands(['back']);
	return <Text color="yellow">{sandbox ? 'The sandbox target is built in: it cannot be edited.' : `There is no target named ${printable(name)}.`}</Text>;
}

/** The width of the "target so far" pane on wide terminals. */
const sideWidth = 48;

function TargetWizard({engine, catalog, editing, height, width}: {engine: Engine; catalog: RecipeCatalog; editing: Target | undefined; height: number; width: number}) {
	const {navigate, flash} = useServices();
	const {state, dispatch, verify, save} = useTargetWizard(engine, catalog, editing);
	const {step, draft} = state;
	const wide = width >= 120 && step !== 'verify';
	// Title, step bar, question, a blank row, and the bottom line.
	const contentHeight = Math.max(4, height - 6);

	useCommands(commandsOf(state));
	useKeys(key => {
		const intent = wizardIntent(state, key, pickListRows(contentHeight), hasChanges(state));
		if (intent?.type === 'dispatch') dispatch(intent.action);
		else if (intent?.type === 'verify') verify();
		else if (intent?.type === 'leave') navigate({type: 'pop'});
		else if (intent?.type === 'save') {
			const saved = save();
			if (!saved) return true;
			const renamed = state.editing !== undefined && state.editing !== saved.name ? ` (renamed from ${printable(state.editing)})` : '';
			flash(`saved target ${printable(saved.name)}${renamed}`);
			navigate({type: 'pop'});
		}
		return intent !== undefined;
	});

	const mainWidth = wide ? width - sideWidth - 2 : width;
	return (
		<Box flexDirection="column" height={height}>
			<Text bold wrap="truncate">
				{state.editing === undefined ? 'New target' : `Editing target ${printable(state.editing)}`}
			</Text>
			<StepBar step={step} />
			<Text dimColor wrap="truncate">
				{stepTitles[step]}
			</Text>
			<Box marginTop={1} height={contentHeight} overflowY="hidden">
				<Box width={mainWidth} flexDirection="column">
					<WizardStepView state={state} dispatch={dispatch} height={contentHeight} width={mainWidth} active={!state.confirmDiscard} />
				</Box>
				{wide ? (
					<Box marginLeft={2} width={sideWidth} flexDirection="column" borderStyle="round" borderDimColor paddingX={1}>
						<Text bold>Target so far</Text>
						<TargetSummary target={draftTarget(draft)} width={sideWidth - 4} />
					</Box>
				) : null}
			</Box>
			<BottomLine state={state} />
		</Box>
	);
}

function BottomLine({state}: {state: WizardState}) {
	if (state.confirmDiscard) return <Text color="yellow" wrap="truncate">Discard what was typed for this target? y discards · n keeps editing</Text>;
	if (state.saveError) return <Text color="red" wrap="truncate">Could not save: {printable(state.saveError)}</Text>;
	return null;
}
