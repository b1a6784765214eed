import {type Key} from 'ink';
import {useEffect, useMemo, useReducer} from 'react';
import {newRecipeText} from '../../../domain/recipe/edit.js';
import {isRecipeFileName} from '../../../domain/recipe/parse.js';
import type {RecipeCheck} from '../../../engine/recipe-edit.js';
import {matches, type Command} from '../../input/keymap.js';
import {useBack, useCommands, useScreenInput, useServices, useTyping} from '../../services.js';
import {collectProblems, placeProblems, type FormProblem, type Placement} from './problems.js';
import type {Row} from './rows.js';
import {derive, initialState, isDirty, selectedRow, stepFormReducer, type StepFormAction, type StepFormState} from './step-form-reducer.js';

/** What the step form's view needs: the state, the derived sections and problems, and what the engine says. */
export type StepFormView = {
	state: StepFormState;
	connecting: boolean;
	/** The validator's verdict (undefined until the engine is loaded). */
	check: RecipeCheck | undefined;
	problems: FormProblem[];
	placement: Placement;
	selected: Row | undefined;
};

/** The default folder of new recipes: the catalog's folder when it is one (`./recipes` → `recipes`). */
export function recipesFolder(folder: string): string {
	if (folder.includes(', ') || isRecipeFileName(folder)) return 'recipes';
	return folder.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/**
 * Forms not finished, per app (its catalog) and file: the shell unmounts the screen while its help or a
 * dialog is open, and the form must come back as it was, unsaved changes and all.
 */
const drafts = new WeakMap<object, Map<string, StepFormState>>();

function draftsOf(owner: object): Map<string, StepFormState> {
	let map = drafts.get(owner);
	if (!map) drafts.set(owner, (map = new Map()));
	return map;
}

/** A draft as it comes back: a write it was waiting for ended while it was away (the next ^s tells how). */
function restore(draft: StepFormState | undefined): StepFormState | undefined {
	return draft?.mode.kind === 'saving' ? {...draft, mode: {kind: 'form'}} : draft;
}

/** The key of a form's draft: its file, or the new recipe. */
const draftKey = (file: string | undefined) => file ?? '\u0000new';

/**
 * The step form: reads the recipe (or starts a new one), checks the text with the validator after each
 * change, and owns the screen's keys (one handler; Esc comes through `useBack`). Saving shows the changes,
 * then `y` writes them (refused when the file changed on disk meanwhile) and the catalog reads the recipes again.
 */
export function useStepForm(file: string | undefined, page: number): StepFormView {
	const {engine, catalog, navigate, flash} = useServices();
	const kept = draftsOf(catalog);
	const [state, dispatch] = useReducer(stepFormReducer, undefined, () => restore(kept.get(draftKey(file))) ?? initialState(recipesFolder(catalog.folder)));
	useEffect(() => {
		if (state.status === 'ready') kept.set(draftKey(state.file), state);
	}, [state]);
	/** Leaving the form on purpose: its draft goes. */
	const forget = () => {
		kept.delete(draftKey(state.file));
		kept.delete(draftKey(file));
	};

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

	const check = useMemo(() => (engine && state.status === 'ready' ? engine.checkRecipe(state.text) : undefined), [engine, state.status, state.text]);
	const problems = useMemo(() => (check ? collectProblems(check) : []), [check]);
	const sections = state.status === 'ready' ? derive(state.text).sections : [];
	const placement = useMemo(() => placeProblems(sections, problems), [sections, problems]);
	const selected = state.status === 'ready' ? selectedRow(state) : undefined;

	const write = async (target: string) => {
		// `check` is the verdict on `state.text`, the text written: it says whether the save is a draft.
		if (!engine || !check) return;
		dispatch({type: 'saving'});
		const text = state.text;
		const isNew = state.file === undefined;
		const problem = isNew ? await engine.createRecipe(target, text) : await engine.saveRecipe(target, text, state.original);
		if (problem) {
			dispatch({type: 'save-failed', problem});
			return;
		}
		if (isNew) kept.delete(draftKey(undefined));
		dispatch({type: 'saved', file: target, text});
		catalog.refresh?.();
		flash(check.deployable ? `saved ${target}` : `saved ${target} as a draft: it has problems, and cannot be deployed until they are fixed`);
		if (isNew) navigate({type: 'replace', route: {name: 'step-form', file: target}});
	};

	const mode = state.mode.kind;
	useTyping(state.editing !== undefined || mode === 'file-name');
	useBack(() => {
		if (mode === 'saving') return true;
		const leaving = state.status !== 'ready' || (mode === 'form' && !state.editing && state.focus === 'sections' && !isDirty(state));
		if (leaving) {
			forget();
			return false;
		}
		dispatch({type: 'escape'});
		return true;
	});
	useCommands(commandsFor(state, selected));

	useScreenInput(
		(input, key) => {
			// Esc is the shell's: it calls the back handler above.
			if (key.escape) return;
			const action = actionFor(state, input, key, page);
			if (action === 'write') {
				if (state.mode.kind === 'diff') void write(state.mode.target);
			} else if (action === 'discard') {
				forget();
				navigate({type: 'pop'});
			}
			else if (action) dispatch(action);
		},
		{isActive: state.status === 'ready' && mode !== 'saving'},
	);

	return {state, connecting: engine === undefined, check, problems, placement, selected};
}

const movement = (input: string, key: Key, page: number): number | undefined => {
	if (matches('up', input, key)) return -1;
	if (matches('down', input, key)) return 1;
	if (matches('pageUp', input, key)) return -page;
	if (matches('pageDown', input, key)) return page;
	if (matches('first', input, key)) return -100_000;
	if (matches('last', input, key)) return 100_000;
	return undefined;
};

/** The action a key stands for in the current state ('write' and 'discard' are the hook's own). */
export function actionFor(state: StepFormState, input: string, key: Key, page: number): StepFormAction | 'write' | 'discard' | undefined {
	const mode = state.mode.kind;
	if (mode === 'confirm-remove' || mode === 'confirm-discard') {
		if (matches('yes', input, key)) return mode === 'confirm-remove' ? {type: 'confirm-remove'} : 'discard';
		if (input === 'n') return {type: 'escape'};
		return undefined;
	}
	if (mode === 'diff') {
		if (matches('formWrite', input, key)) return 'write';
		if (input === 'n') return {type: 'escape'};
		const by = movement(input, key, page);
		return by === undefined ? undefined : {type: 'move', by};
	}
	const editing = state.editing;
	if (mode === 'file-name' || editing?.kind === 'text') {
		if (key.return) return {type: 'enter'};
		if (key.backspace || key.delete) return {type: 'erase'};
		if (key.leftArrow) return {type: 'cursor', to: -1};
		if (key.rightArrow) return {type: 'cursor', to: 1};
		if (key.home || (key.ctrl && input === 'a')) return {type: 'cursor', to: 'start'};
		if (key.end || (key.ctrl && input === 'e')) return {type: 'cursor', to: 'end'};
		if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) return {type: 'type', text: input};
		return undefined;
	}
	if (editing?.kind === 'select') {
		if (key.return) return {type: 'enter'};
		if (key.upArrow) return {type: 'move', by: -1};
		if (key.downArrow) return {type: 'move', by: 1};
		return undefined;
	}
	if (matches('save', input, key)) return {type: 'save'};
	const by = movement(input, key, page);
	if (by !== undefined) return {type: 'move', by};
	if (state.focus === 'sections') return matches('formFields', input, key) ? {type: 'focus', to: 'fields'} : undefined;
	if (matches('formSections', input, key)) return {type: 'focus', to: 'sections'};
	if (matches('formEdit', input, key)) return {type: 'enter'};
	if (matches('formAdd', input, key)) return {type: 'add'};
	if (matches('formRemove', input, key)) return {type: 'remove'};
	if (matches('formMoveUp', input, key)) return {type: 'move-item', by: -1};
	if (matches('formMoveDown', input, key)) return {type: 'move-item', by: 1};
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
			return ['formAccept', 'formCancel'];
		case 'saving':
			return [];
		case 'form':
			break;
	}
	if (state.editing) return state.editing.kind === 'select' ? ['up', 'down', 'formAccept', 'formCancel'] : ['formAccept', 'formCancel'];
	if (state.focus === 'sections') return ['up', 'down', 'formFields', 'save', 'formLeave', 'pageUp', 'pageDown'];
	const list = row?.list;
	const listCommands: Command[] = list ? ['formAdd', ...(list.item !== undefined ? (['formRemove'] as const) : []), ...(list.movable && typeof list.item === 'number' ? (['formMoveUp', 'formMoveDown'] as const) : [])] : [];
	return ['up', 'down', ...(row?.field || row?.opens ? (['formEdit'] as const) : []), ...listCommands, 'formSections', 'save', 'back', 'pageUp', 'pageDown'];
}

