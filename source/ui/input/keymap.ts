import type {Key} from './keys.js';

/**
 * A key: a printable character (`d`, `?`, `/`), one of the key names of `Key` (`escape`, `return`,
 * `upArrow`, `pageDown`, `home`, `tab`, …), `ctrl+<letter>` or `shift+<name>`.
 */
export type KeyName = string;

/**
 * A command's keys, the short hint the footer shows (empty: none; commands with the same hint share it) and
 * the line the help overlay shows.
 */
export type Binding = {keys: readonly KeyName[]; hint: string; help: string};

/**
 * Every key the app answers, in one table: handlers match keys through it and the footer and the help
 * overlay render from it, so what is shown cannot drift from what works.
 */
export const keymap = {
	// Everywhere (the global layer)
	quit: {keys: ['q', 'ctrl+c'], hint: 'q quit', help: 'quit (asks first while a deploy is watched)'},
	help: {keys: ['?'], hint: '? help', help: 'show the keys of this screen'},
	interrupt: {keys: ['ctrl+c'], hint: '^c quit', help: 'quit (asks first while a deploy is watched)'},
	back: {keys: ['escape'], hint: 'esc back', help: 'go back'},
	closeHelp: {keys: ['escape', '?', 'q'], hint: 'esc close', help: 'close this help'},
	// Lists
	up: {keys: ['upArrow', 'k'], hint: '↑↓ move', help: 'move up'},
	down: {keys: ['downArrow', 'j'], hint: '↑↓ move', help: 'move down'},
	pageUp: {keys: ['pageUp'], hint: 'pgup/pgdn page', help: 'one page up'},
	pageDown: {keys: ['pageDown'], hint: 'pgup/pgdn page', help: 'one page down'},
	first: {keys: ['home'], hint: 'home/end', help: 'first item'},
	last: {keys: ['end'], hint: 'home/end', help: 'last item'},
	filter: {keys: ['/'], hint: '/ filter', help: 'filter the list: type words (Esc clears)'},
	filterKeep: {keys: ['return'], hint: '↵ keep filter', help: 'keep the filter and go back to the list'},
	filterClear: {keys: ['escape'], hint: 'esc clear', help: 'clear the filter'},
	moveUp: {keys: ['upArrow'], hint: '↑↓ move', help: 'move up (letters are typed)'},
	moveDown: {keys: ['downArrow'], hint: '↑↓ move', help: 'move down'},
	choose: {keys: ['return'], hint: '↵ choose', help: 'choose the selected item'},
	left: {keys: ['leftArrow', 'h'], hint: '←→ environment', help: 'previous environment'},
	right: {keys: ['rightArrow', 'l'], hint: '←→ environment', help: 'next environment'},
	reload: {keys: ['g'], hint: 'g reload', help: 'ask AWS again for statuses'},
	// Dashboard
	open: {keys: ['return'], hint: '↵ open', help: 'open the project (or attach to its operation)'},
	targets: {keys: ['t'], hint: 't targets', help: 'ECS cluster targets: add, edit, remove, verify'},
	newRecipe: {keys: ['n'], hint: 'n new recipe', help: 'write a new recipe in the step form'},
	useSandbox: {keys: ['s'], hint: 's sandbox', help: 'use the sandbox, a simulated AWS account, for every environment (saved as a target marked as the sandbox)'},
	// Project
	environmentUp: {keys: ['upArrow', 'k'], hint: '↑↓ environment', help: 'previous environment'},
	environmentDown: {keys: ['downArrow', 'j'], hint: '↑↓ environment', help: 'next environment'},
	deploy: {keys: ['d'], hint: 'd deploy', help: 'deploy a release (n: a new one) after a preview'},
	createRelease: {keys: ['c'], hint: 'c release', help: 'create a release, to deploy later'},
	rollback: {keys: ['r'], hint: 'r roll back', help: 'roll back to an earlier release'},
	history: {keys: ['h'], hint: 'h history', help: 'deployments, stack events, the stack'},
	edit: {keys: ['e'], hint: 'e edit', help: 'edit the recipe (step form)'},
	preview: {keys: ['T'], hint: 'T template', help: 'the CloudFormation template'},
	runTask: {keys: ['t'], hint: 't task', help: 'a one-off task: its log, exit code'},
	promoteEnvironment: {keys: ['p'], hint: 'p promote', help: 'deploy the release the selected environment runs to the next environment of its lifecycle'},
	attach: {keys: ['return'], hint: '↵ attach', help: 'attach to the operation running'},
	redeploy: {keys: ['R'], hint: 'R redeploy', help: 'redeploy the current release (new tasks)'},
	// Deploy screen (releases, tags, version, environment)
	newRelease: {keys: ['n'], hint: 'n new release', help: 'a new release from image tags (the same images and configuration as a release: that one is offered)'},
	switchChannel: {keys: ['tab', 'c'], hint: 'tab/c channel', help: 'next channel: its releases, the tags it allows, its rules and environments'},
	nextChannel: {keys: ['tab'], hint: 'tab channel', help: 'next channel (letters are typed into the tag)'},
	acceptTag: {keys: ['return'], hint: '↵ use this tag', help: 'use the tag typed (an image outside ECR: its tags cannot be listed)'},
	deployHere: {keys: ['return'], hint: '↵ deploy', help: 'deploy the release to the selected environment (the change set is shown first)'},
	releaseLike: {keys: ['u'], hint: "u today's recipe", help: "a new release from today's recipe with this release's images (the recipe changed since it was made)"},
	// One-off task
	taskReview: {keys: ['return'], hint: '↵ review', help: 'review the task, then run it (y) or go back to the form (n)'},
	// Confirmations and dialogs
	yes: {keys: ['y', 'Y'], hint: 'y yes', help: 'yes'},
	no: {keys: ['n', 'N', 'escape'], hint: 'n no', help: 'no'},
	refuse: {keys: ['escape'], hint: 'esc cancel', help: 'cancel: answer nothing'},
	detachAndQuit: {keys: ['d', 'y', 'q'], hint: 'd detach and quit', help: 'detach and quit: the deploy goes on in AWS'},
	cancelAndStay: {keys: ['c'], hint: 'c cancel the deploy', help: 'cancel the deploy and stay to watch its rollback'},
	stay: {keys: ['n', 'escape'], hint: 'n stay', help: 'stay'},
	// Targets
	add: {keys: ['a'], hint: 'a add', help: 'add a target'},
	remove: {keys: ['x'], hint: 'x remove', help: 'remove the selected target (asks first)'},
	verify: {keys: ['v'], hint: 'v verify', help: 'check the target live: credentials and cluster'},
	// Project: the pre-flight verify of the selected environment (what every deploy checks first).
	verifyRecipe: {keys: ['v'], hint: 'v verify', help: 'pre-flight verify (roles, network, secrets…)'},
	// Forms
	next: {keys: ['return'], hint: '↵ next', help: 'accept the field and go to the next step'},
	nextField: {keys: ['tab', 'downArrow'], hint: 'tab next field', help: 'next field'},
	previousField: {keys: ['shift+tab', 'upArrow'], hint: '⇧tab previous field', help: 'previous field'},
	save: {keys: ['ctrl+s'], hint: '^s save', help: 'save (shows the changes first)'},
	write: {keys: ['w'], hint: 'w write to file', help: 'write the template to a file'},
	environment: {keys: ['tab'], hint: 'tab environment', help: 'next environment'},
	previousEnvironment: {keys: ['shift+tab'], hint: 'tab environment', help: 'previous environment'},
	// Text fields
	textLeft: {keys: ['leftArrow'], hint: '', help: 'cursor left'},
	textRight: {keys: ['rightArrow'], hint: '', help: 'cursor right'},
	textStart: {keys: ['home', 'ctrl+a'], hint: '', help: 'cursor to the start'},
	textEnd: {keys: ['end', 'ctrl+e'], hint: '', help: 'cursor to the end'},
	textEraseBack: {keys: ['backspace'], hint: '', help: 'erase before the cursor'},
	textEraseForward: {keys: ['delete'], hint: '', help: 'erase under the cursor'},
	textEraseWord: {keys: ['ctrl+w'], hint: '', help: 'erase the word before the cursor'},
	textEraseToStart: {keys: ['ctrl+u'], hint: '', help: 'erase to the start'},
	textEraseToEnd: {keys: ['ctrl+k'], hint: '', help: 'erase to the end'},
	// Live view
	nextPane: {keys: ['tab'], hint: 'tab pane', help: 'next pane'},
	previousPane: {keys: ['shift+tab'], hint: 'tab pane', help: 'previous pane'},
	detach: {keys: ['d'], hint: 'd detach', help: 'stop watching; the deploy goes on in AWS'},
	cancel: {keys: ['c'], hint: 'c cancel', help: 'cancel the deploy (asks; an update rolls back)'},
	promote: {keys: ['p'], hint: 'p promote', help: 'deploy this release to the next environment'},
	details: {keys: ['return'], hint: '↵ details', help: 'show the selected row whole'},
	logs: {keys: ['l'], hint: 'l logs', help: "the new tasks' CloudWatch logs"},
	pause: {keys: [' '], hint: 'space pause', help: 'pause or resume the logs (lines keep arriving underneath)'},
	// While the approval gate of a blue/green, canary or linear deployment waits (the run has not ended, so the
	// summary's p promote and r roll back are not offered yet).
	approveDeployment: {keys: ['p'], hint: 'p promote new revision', help: 'promote the new revision waiting at the approval gate: ECS goes on'},
	rejectDeployment: {keys: ['r'], hint: 'r roll back to old', help: 'roll back the new revision waiting at the approval gate'},
	// Targets list and target wizard
	editTarget: {keys: ['e', 'return'], hint: 'e/↵ edit', help: 'edit the selected target'},
	previousStep: {keys: ['shift+tab'], hint: '⇧tab back', help: 'back one step, keeping what was typed'},
	tick: {keys: [' '], hint: 'space tick', help: 'tick or untick the item under the cursor'},
	saveTarget: {keys: ['return'], hint: '↵ save', help: 'save the target (also when a check failed)'},
	leaveWizard: {keys: ['escape'], hint: 'esc cancel', help: 'leave the wizard (asks before dropping what was typed)'},
	// History browser and rollback
	deploymentsView: {keys: ['1'], hint: '1-3 view', help: 'deployments, newest first'},
	eventsView: {keys: ['2'], hint: '1-3 view', help: 'stack events by operation, and the ECS side'},
	stackView: {keys: ['3'], hint: '1-3 view', help: 'the stack: outputs, parameters, resources, template'},
	nextView: {keys: ['tab'], hint: 'tab view', help: 'next view'},
	previousView: {keys: ['shift+tab'], hint: 'tab view', help: 'previous view'},
	deploymentEvents: {keys: ['return'], hint: '↵ its events', help: 'the stack events of the selected deployment'},
	ecsSide: {keys: ['e'], hint: 'e ECS side', help: 'stack events or the ECS side (deployments, stopped tasks)'},
	resourceFilter: {keys: ['f'], hint: 'f this resource', help: "only the selected event's resource (again: all)"},
	statusFilter: {keys: ['s'], hint: 's status', help: 'events of one status: failed, rollback, in progress, complete'},
	retry: {keys: ['r'], hint: 'r retry', help: 'ask AWS again'},
	tryAgain: {keys: ['t'], hint: 't try again', help: 'start the same run again (after an error)'},
	continueRollback: {keys: ['r'], hint: 'r continue rollback', help: 'continue the rollback of a stack stuck in UPDATE_ROLLBACK_FAILED (the service keeps running)'},
	closeDetail: {keys: ['return', 'escape'], hint: '↵ close', help: 'close the details'},
	// Step form (edit a recipe, write a new one)
	formSections: {keys: ['leftArrow', 'shift+tab'], hint: '← sections', help: 'back to the list of sections'},
	formFields: {keys: ['rightArrow', 'tab', 'return'], hint: '→ fields', help: "to the section's fields"},
	formEdit: {keys: ['return'], hint: '↵ edit', help: 'edit the field: type, Enter accepts, Esc cancels; a choice opens a short list; a container opens'},
	formAdd: {keys: ['a'], hint: 'a add', help: 'add an item to the list under the cursor'},
	formRemove: {keys: ['x'], hint: 'x remove', help: 'remove the item under the cursor (asks first)'},
	formMoveUp: {keys: ['['], hint: '[ ] reorder', help: 'move the item under the cursor up'},
	formMoveDown: {keys: [']'], hint: '[ ] reorder', help: 'move the item under the cursor down'},
	formAccept: {keys: ['return'], hint: '↵ accept', help: 'accept the value (it is checked first)'},
	formCancel: {keys: ['escape'], hint: 'esc cancel', help: 'cancel: the field keeps the value it had'},
	formWrite: {keys: ['y'], hint: 'y write', help: 'write the changes to the file'},
	formBackToForm: {keys: ['n', 'escape'], hint: 'n back to the form', help: 'back to the form without writing'},
	formLeave: {keys: ['escape'], hint: 'esc back', help: 'leave the form (asks first when there are unsaved changes)'},
} as const satisfies Record<string, Binding>;

export type Command = keyof typeof keymap;

/** The commands of a focused text field (the help lists them; the footer does not). */
export const textCommands: readonly Command[] = ['textLeft', 'textRight', 'textStart', 'textEnd', 'textEraseBack', 'textEraseForward', 'textEraseWord', 'textEraseToStart', 'textEraseToEnd'];

/** The global layer: keys every screen answers unless it uses them itself. */
export const globalCommands: readonly Command[] = ['help', 'back', 'quit'];

/** True when the key is one of the command's keys. */
export function matches(command: Command, key: Key): boolean {
	return keymap[command].keys.some(name => keyMatches(name, key));
}

/** True when the key is the named key, with exactly the modifiers the name says. */
export function keyMatches(name: KeyName, key: Key): boolean {
	if (key.paste) return false;
	if (name.startsWith('ctrl+')) return key.ctrl && !key.meta && key.input === name.slice(5);
	if (name.startsWith('shift+')) return key.shift && !key.ctrl && !key.meta && Boolean(key[name.slice(6) as keyof Key]);
	if (key.ctrl || key.meta) return false;
	if (name.length === 1) return key.input === name;
	return !key.shift && Boolean(key[name as keyof Key]);
}

/** Text the key types into a field or a filter: a printable character or a paste; undefined otherwise. */
export function typedText(key: Key): string | undefined {
	if (key.paste) return key.input;
	return key.input !== '' && !key.ctrl && !key.meta ? key.input : undefined;
}
