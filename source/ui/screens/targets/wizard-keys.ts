import type {Key} from 'ink';
import {matches, type Command} from '../../input/keymap.js';
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

/** The commands of the step shown. */
export function commandsOf(state: WizardState): Command[] {
	if (state.confirmDiscard) return ['yes', 'no'];
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
			return ['up', 'down', 'tick', 'next', ...back];
		case 'verify':
			return ['saveTarget', 'verify', ...back];
		default:
			return ['next', ...back];
	}
}

const dispatch = (action: WizardAction): WizardIntent => ({type: 'dispatch', action});

/**
 * What a key does on the step shown (`pageRows`: the rows of a list step, for PgUp/PgDn). Esc is not here:
 * the shell offers it to the screen's back handler (which asks before dropping changes).
 */
export function wizardIntent(state: WizardState, input: string, key: Key, pageRows: number): WizardIntent | undefined {
	if (key.escape) return undefined;
	if (state.confirmDiscard) {
		if (matches('yes', input, key)) return {type: 'leave'};
		if (matches('no', input, key)) return dispatch({type: 'keep-editing'});
		return undefined;
	}
	// keyMatches knows no shift+ names: Shift+Tab arrives as Tab with shift set.
	if (key.tab && key.shift) return dispatch({type: 'back'});
	const typed = input !== '' && !key.ctrl && !key.meta;
	switch (state.step) {
		case 'credentials':
			if (matches('up', input, key)) return dispatch({type: 'move-credentials', delta: -1});
			if (matches('down', input, key)) return dispatch({type: 'move-credentials', delta: 1});
			return matches('next', input, key) ? dispatch({type: 'next'}) : undefined;
		case 'profile':
		case 'region':
		case 'cluster': {
			if (matches('choose', input, key)) return dispatch({type: 'pick'});
			// The field has the printable keys: j and k type, only the arrows and paging keys move.
			const to = typed ? undefined : listMove(input, key);
			return to ? dispatch({type: 'pick-move', to, rows: pageRows}) : undefined;
		}
		case 'role':
			if (matches('previousField', input, key)) return dispatch({type: 'focus', delta: -1});
			if (matches('nextField', input, key)) return dispatch({type: 'focus', delta: 1});
			return matches('next', input, key) ? dispatch({type: 'next'}) : undefined;
		case 'environments':
			if (key.upArrow) return dispatch({type: 'focus', delta: -1});
			if (key.downArrow) return dispatch({type: 'focus', delta: 1});
			if (state.envFocus >= 0 && matches('tick', input, key)) return dispatch({type: 'toggle-environment'});
			return matches('next', input, key) ? dispatch({type: 'next'}) : undefined;
		case 'verify':
			if (matches('verify', input, key)) return {type: 'verify'};
			return matches('saveTarget', input, key) ? {type: 'save'} : undefined;
		default:
			return matches('next', input, key) ? dispatch({type: 'next'}) : undefined;
	}
}

function listMove(input: string, key: Key): Extract<WizardAction, {type: 'pick-move'}>['to'] | undefined {
	const moves = [
		['up', 'up'],
		['down', 'down'],
		['pageUp', 'page-up'],
		['pageDown', 'page-down'],
		['first', 'first'],
		['last', 'last'],
	] as const;
	return moves.find(([command]) => matches(command, input, key))?.[1];
}
