import {keyMatches, matches} from '../input/keymap.js';
import {useKeys} from '../input/use-keys.js';

type Options = {
	/** What is over the screen: the help, or a dialog (an engine question, "Quit?"). */
	open: {help: boolean; dialog: boolean};
	setHelp(open: boolean): void;
	/** q or Ctrl+C: quits, or asks first while a deploy is watched. */
	askToQuit(): void;
	clearFlash(): void;
	back(): void;
};

/**
 * The shell's keys: Ctrl+C before anything else (but an engine question must be answered), and any key ends
 * a transient message; the help owns the keys while open (Esc, ? or q close it); and the global layer — q,
 * ?, Esc — with what the screen left.
 */
export function useShellKeys({open, setHelp, askToQuit, clearFlash, back}: Options): void {
	useKeys(
		key => {
			clearFlash();
			if (!keyMatches('ctrl+c', key)) return false;
			askToQuit();
			return true;
		},
		{layer: 'system', isActive: !open.dialog},
	);
	useKeys(
		key => {
			if (matches('closeHelp', key)) setHelp(false);
			return true;
		},
		{layer: 'dialog', isActive: open.help && !open.dialog},
	);
	useKeys(
		key => {
			if (matches('quit', key)) askToQuit();
			else if (matches('help', key)) setHelp(true);
			else if (matches('back', key)) back();
			else return false;
			return true;
		},
		{layer: 'global'},
	);
}
