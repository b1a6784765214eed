import {useEffect, useMemo, useReducer, useState} from 'react';
import {newRecipeText} from '../../../domain/recipe/edit.js';
import {isRecipeFileName} from '../../../domain/recipe/file-name.js';
import type {RecipeCheck} from '../../../engine/recipes/recipe-edit.js';
import {matches, textCommands, type Command} from '../../input/keymap.js';
import type {Key} from '../../input/keys.js';
import {textEditFor} from '../../input/text-edit.js';
import {useKeys} from '../../input/use-keys.js';
import {useCommands, useServices} from '../../services.js';
import {collectProblems, placeProblems, type FormProblem, type Placement} from './problems.js';
import {canMove, type Row} from './rows.js';
import {derive, initialState, isDirty, previewEdit, selectedRow, stepFormReducer, type Preview, type StepFormAction, type StepFormState} from './step-form-reducer.js';

/** What the step form's view needs: the state, the derived sections and problems, and what the engine says. */
export type StepFormView = {
	state: StepFormState;
	connecting: boolean;
	/** The validator's verdict (undefined until the engine is loaded). */
	check: RecipeCheck | undefined;
	problems: FormProblem[];
	placement: Placement;
	selected: Row | undefined;
	/** The field being edited, checked as typed (what Enter would write, or why it cannot be). */
	typing: Preview | undefined;
};

/**
 * How long typing pauses before what is typed is checked: the check runs the validator on the whole recipe
 * for every environment, so it waits for a pause rather than running on every key of a word.
 */
export const typingPauseMs = 150;

/** The default folder of new recipes: the catalog's folder when it is one (`./recipes` → `recipes`). */
export function recipesFolder(folder: string): string {
	if (folder.includes(', ') || isRecipeFileName(folder)) return 'recipes';
	return folder.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/**
 * The step form: reads the recipe (or starts a new one), checks the text with the validator after each
 * change, and owns the screen's keys (one handler, Esc too). Saving shows the changes,
 * then `y` writes them (refused when the file changed on disk meanwhile) and the catalog reads the recipes again.
 */
export function useStepForm(file: string | undefined, page: number): StepFormView {
	const {engine, catalog, navigate, flash} = useServices();
	const [state, dispatch] = useReducer(stepFormReducer, undefined, () => initialState(recipesFolder(catalog.folder)));

	useEffect(() => {
		if (!engine || (state.status === 'ready' && state.file === file)) return;
		if (file === undefined) {
			dispatch({type: 'loaded', file: undefined, text: newRecipeText()});
			return;
		}
		let live = true;
		void engine.readRecipe(file).then(read => {
			if (live) dispatch(read.text === undefined ? {type: 'load-failed', problem: read.problem} : {type: 'loaded', file, text: read.text});
		});
		return () => {
			live = false;
		};
	}, [engine, file]);

	// Validation as you type: after a pause, the text the edit would make is checked as if Enter were pressed.
	const [preview, setPreview] = useState<Preview | undefined>(undefined);
	useEffect(() => {
		if (!state.editing) {
			setPreview(undefined);
			return;
		}
		const timer = setTimeout(() => setPreview(previewEdit(state)), typingPauseMs);
		return () => clearTimeout(timer);
	}, [state.editing, state.text, state.mode]);
	// The last check of what is typed holds until the next (no flicker between keys); it goes with the edit.
	const typing = state.editing && preview?.rowId === state.editing.rowId ? preview : undefined;
	const checked = typing?.text ?? state.text;
	const check = useMemo(() => (engine && state.status === 'ready' ? engine.checkRecipe(checked) : undefined), [engine, state.status, checked]);
	const problems = useMemo(() => (check ? collectProblems(check) : []), [check]);
	const sections = state.status === 'ready' ? derive(state.text).sections : [];
	const placement = useMemo(() => placeProblems(sections, problems), [sections, problems]);
	const selected = state.status === 'ready' ? selectedRow(state) : undefined;

	const write = async (target: string) => {
		// `check` is the verdict on `state.text`, the text written (nothing is being typed while the changes are
		// shown): it says whether the save is a draft.
		if (!engine || !check) return;
		dispatch({type: 'saving'});
		const text = state.text;
		const isNew = state.file === undefined;
		const problem = isNew ? await engine.createRecipe(target, text) : await engine.saveRecipe(target, text, state.original);
		if (problem) {
			dispatch({type: 'save-failed', problem});
			return;
		}
		dispatch({type: 'saved', file: target, text});
		catalog.refresh?.();
		flash(check.deployable ? `saved ${target}` : `saved ${target} as a draft: it has problems, and cannot be deployed until they are fixed`);
		if (isNew) navigate({type: 'replace', route: {name: 'step-form', file: target}});
	};

	const mode = state.mode.kind;
	useCommands(commandsFor(state, selected));

	useKeys(
		key => {
			if (mode === 'saving') return true;
			if (matches('back', key)) {
				// Leaving the form on purpose (nothing open, nothing unsaved): the shell goes back.
				const leaving = state.status !== 'ready' || (mode === 'form' && !state.editing && state.focus === 'sections' && !isDirty(state));
				if (leaving) return false;
				dispatch({type: 'escape'});
				return true;
			}
			if (state.status !== 'ready') return false;
			const action = actionFor(state, key, page);
			if (action === 'write') {
				if (state.mode.kind === 'diff') void write(state.mode.target);
			} else if (action === 'discard') {
				navigate({type: 'pop'});
			} else if (action) dispatch(action);
			return action !== undefined;
		},
	);

	return {state, connecting: engine === undefined, check, problems, placement, selected, typing};
}

const movement = (key: Key, page: number): number | undefined => {
	if (matches('up', key)) return -1;
	if (matches('down', key)) return 1;
	if (matches('pageUp', key)) return -page;
	if (matches('pageDown', key)) return page;
	if (matches('first', key)) return -100_000;
	if (matches('last', key)) return 100_000;
	return undefined;
};

/** The action a key stands for in the current state ('write' and 'discard' are the hook's own). */
export function actionFor(state: StepFormState, key: Key, page: number): StepFormAction | 'write' | 'discard' | undefined {
	const mode = state.mode.kind;
	if (mode === 'confirm-remove' || mode === 'confirm-discard') {
		if (matches('yes', key)) return mode === 'confirm-remove' ? {type: 'confirm-remove'} : 'discard';
		if (matches('no', key)) return {type: 'escape'};
		return undefined;
	}
	if (mode === 'diff') {
		if (matches('formWrite', key)) return 'write';
		if (matches('formBackToForm', key)) return {type: 'escape'};
		const by = movement(key, page);
		return by === undefined ? undefined : {type: 'move', by};
	}
	const editing = state.editing;
	if (mode === 'file-name' || editing?.kind === 'text') {
		if (matches('formAccept', key)) return {type: 'enter'};
		const edit = textEditFor(key);
		return edit === undefined ? undefined : {type: 'text', edit};
	}
	if (editing?.kind === 'select') {
		if (matches('formAccept', key)) return {type: 'enter'};
		if (matches('up', key)) return {type: 'move', by: -1};
		if (matches('down', key)) return {type: 'move', by: 1};
		return undefined;
	}
	if (matches('save', key)) return {type: 'save'};
	const by = movement(key, page);
	if (by !== undefined) return {type: 'move', by};
	if (state.focus === 'sections') return matches('formFields', key) ? {type: 'focus', to: 'fields'} : undefined;
	if (matches('formSections', key)) return {type: 'focus', to: 'sections'};
	if (matches('formEdit', key)) return {type: 'enter'};
	if (matches('formAdd', key)) return {type: 'add'};
	if (matches('formRemove', key)) return {type: 'remove'};
	if (matches('formMoveUp', key)) return {type: 'move-item', by: -1};
	if (matches('formMoveDown', key)) return {type: 'move-item', by: 1};
	return undefined;
}

/** The footer's commands for the state: what the keys do right now. */
export function commandsFor(state: StepFormState, row: Row | undefined): Command[] {
	if (state.status !== 'ready') return ['back'];
	switch (state.mode.kind) {
		case 'confirm-remove':
		case 'confirm-discard':
			return ['yes', 'no'];
		case 'diff':
			return ['formWrite', 'formBackToForm', 'up', 'down', 'pageUp', 'pageDown'];
		case 'file-name':
			return ['formAccept', 'formCancel', ...textCommands];
		case 'saving':
			return [];
		case 'form':
			break;
	}
	if (state.editing) return state.editing.kind === 'select' ? ['up', 'down', 'formAccept', 'formCancel'] : ['formAccept', 'formCancel', ...textCommands];
	if (state.focus === 'sections') return ['up', 'down', 'formFields', 'save', 'formLeave', 'pageUp', 'pageDown', 'first', 'last'];
	const list = row?.list;
	const listCommands: Command[] = list ? ['formAdd', ...(list.item !== undefined ? (['formRemove'] as const) : []), ...(canMove(list) ? (['formMoveUp', 'formMoveDown'] as const) : [])] : [];
	return ['up', 'down', ...(row?.field || row?.opens ? (['formEdit'] as const) : []), ...listCommands, 'formSections', 'save', 'back', 'pageUp', 'pageDown', 'first', 'last'];
}

