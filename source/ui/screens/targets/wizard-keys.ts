import {matches, textCommands, typedText, type Command} from '../../input/keymap.js';
import type {Key} from '../../input/keys.js';
import type {WizardAction, WizardState} from './target-wizard-reducer.js';

/*
 * The wizard's keys, as a pure mapping from a key to what it does on the step shown, with the commands the
 * footer and the help list for that step. Text fields have the printable keys, so letters are never
 * commands while one has the focus.
 */

/** What a key does: change the wizard, save, verify again, or leave it (after "discard?" was answered yes). */
export type WizardIntent = {type: 'dispatch'; action: WizardAction} | {type: 'save'} | {type: 'verify'} | {type: 'leave'};

/** True when the step shown has a focused text field (it owns the printable keys: `q` types a q). */
export function typingIn(state: WizardState): boolean {
	if (state.confirmDiscard) return false;
	return ['name', 'profile', 'role', 'region', 'cluster', 'tags'].includes(state.step) || (state.step === 'environments' && state.envFocus === -1);
}

/** The commands of the step shown (a focused field's editing keys too). */
export function commandsOf(state: WizardState): Command[] {
	if (state.confirmDiscard) return ['yes', 'no'];
	const commands = stepCommands(state);
	return typingIn(state) ? [...commands, ...textCommands] : commands;
}

function stepCommands(state: WizardState): Command[] {
	const back: Command[] = state.step === 'name' ? ['leaveWizard'] : ['previousStep', 'leaveWizard'];
	switch (state.step) {
		case 'credentials':
			return ['up', 'down', 'next', ...back];
		case 'profile':
		case 'region':
		case 'cluster':
			return ['up', 'down', 'choose', ...back];
		case 'role':
			return ['nextField', 'previousField', 'next', ...back];
		case 'environments':
			return ['moveUp', 'moveDown', 'tick', 'next', ...back];
		case 'verify':
			return ['saveTarget', 'verify', ...back];
		default:
			return ['next', ...back];
	}
}

const dispatch = (action: WizardAction): WizardIntent => ({type: 'dispatch', action});

/**
 * What a key does on the step shown (`pageRows`: the rows of a list step, for PgUp/PgDn). A focused field
 * has already taken the keys that edit text. Esc asks before dropping what was typed; with nothing typed it
 * is not the wizard's (the shell goes back).
 */
export function wizardIntent(state: WizardState, key: Key, pageRows: number, changed: boolean): WizardIntent | undefined {
	if (state.confirmDiscard) {
		if (matches('yes', key)) return {type: 'leave'};
		if (matches('no', key)) return dispatch({type: 'keep-editing'});
		return undefined;
	}
	if (matches('leaveWizard', key)) return changed ? dispatch({type: 'ask-discard'}) : undefined;
	if (matches('previousStep', key)) return dispatch({type: 'back'});
	const typed = typedText(key) !== undefined;
	switch (state.step) {
		case 'credentials':
			if (matches('up', key)) return dispatch({type: 'move-credentials', delta: -1});
			if (matches('down', key)) return dispatch({type: 'move-credentials', delta: 1});
			return matches('next', key) ? dispatch({type: 'next'}) : undefined;
		case 'profile':
		case 'region':
		case 'cluster': {
			if (matches('choose', key)) return dispatch({type: 'pick'});
			// The field has the printable keys: j and k type, only the arrows and paging keys move.
			const to = typed ? undefined : listMove(key);
			return to ? dispatch({type: 'pick-move', to, rows: pageRows}) : undefined;
		}
		case 'role':
			if (matches('previousField', key)) return dispatch({type: 'focus', delta: -1});
			if (matches('nextField', key)) return dispatch({type: 'focus', delta: 1});
			return matches('next', key) ? dispatch({type: 'next'}) : undefined;
		case 'environments':
			if (matches('moveUp', key)) return dispatch({type: 'focus', delta: -1});
			if (matches('moveDown', key)) return dispatch({type: 'focus', delta: 1});
			if (state.envFocus >= 0 && matches('tick', key)) return dispatch({type: 'toggle-environment'});
			return matches('next', key) ? dispatch({type: 'next'}) : undefined;
		case 'verify':
			if (matches('verify', key)) return {type: 'verify'};
			return matches('saveTarget', key) ? {type: 'save'} : undefined;
		default:
			return matches('next', key) ? dispatch({type: 'next'}) : undefined;
	}
}

function listMove(key: Key): Extract<WizardAction, {type: 'pick-move'}>['to'] | undefined {
	const moves = [
		['up', 'up'],
		['down', 'down'],
		['pageUp', 'page-up'],
		['pageDown', 'page-down'],
		['first', 'first'],
		['last', 'last'],
	] as const;
	return moves.find(([command]) => matches(command, key))?.[1];
}
